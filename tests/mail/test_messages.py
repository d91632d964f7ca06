"""The e-mails to people, per request step and language: the subject names the reference, the
body the deadline or the reasons, a refusal the right to complain (Art. 12(4)), and every one the
link to follow the request."""

from __future__ import annotations

import pytest

from varna.mail.messages import step_message

STEPS = [
    # step, lang, in the subject, in the body
    ("received", "sv", "R-1", ["2027-01-04"]),
    ("received", "en", "R-1", ["2027-01-04"]),
    ("verified", "sv", "R-1", ["2027-01-04"]),
    ("verified", "en", "R-1", ["2027-01-04"]),
    ("extended", "sv", "R-1", ["2027-03-04", "many requests"]),
    ("extended", "en", "R-1", ["2027-03-04", "many requests", "Art. 12(3)"]),
    ("refused", "sv", "R-1", ["many requests", "Integritetsskyddsmyndigheten", "artikel 12.4"]),
    ("refused", "en", "R-1", ["many requests", "Integritetsskyddsmyndigheten", "12(4)"]),
]


@pytest.mark.parametrize(("step", "lang", "subject", "body"), STEPS)
def test_each_step_says_what_the_person_needs(
    step: str, lang: str, subject: str, body: list[str]
) -> None:
    due = "2027-03-04" if step == "extended" else "2027-01-04"
    message = step_message(
        to="person@example.se",
        sender="dpo@example.se",
        controller="Exempel AB",
        reference="R-1",
        step=step,
        due=due,
        reason="many requests",
        link="https://example.se/status/abc",
        lang=lang,
    )
    text = message.get_content()
    assert subject in message["Subject"]
    assert message["Content-Language"] == lang
    for part in [*body, "https://example.se/status/abc", "Exempel AB"]:
        assert part in text


def test_the_steps_read_differently_in_each_language() -> None:
    kwargs = {
        "to": "p@example.se",
        "sender": "d@example.se",
        "controller": "Exempel AB",
        "reference": "R-1",
        "due": "2027-01-04",
        "reason": None,
        "link": "https://example.se/s",
    }
    subjects = {
        (step, lang): step_message(step=step, lang=lang, **kwargs)["Subject"]  # type: ignore[arg-type]
        for step in ("received", "verified", "extended", "refused")
        for lang in ("sv", "en")
    }
    assert len(set(subjects.values())) == 8


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown request step 'lost'"):
        step_message(
            to="p@example.se",
            sender="d@example.se",
            controller="Exempel AB",
            reference="R-1",
            step="lost",
            due="2027-01-04",
            reason=None,
            link="https://example.se/s",
            lang="en",
        )

"""Column-name heuristics in Swedish and English."""

from __future__ import annotations

import pytest

from varna.discovery.columns import classify_column, column_words

CASES = [
    ("personnr", "personnr", "personnummer"),
    ("camel-email", "customerEmail", "email"),
    ("snake-epost", "kund_epost", "email"),
    ("hyphen-e-post", "e-post", "email"),
    ("mobile", "MobilNr", "phone"),
    ("postcode", "post_code", "postal_code"),
    ("zip", "ZIP", "postal_code"),
    ("first-name", "first_name", "person_name"),
    ("efternamn", "efternamn", "person_name"),
    ("dob", "date_of_birth", "date_of_birth"),
    ("diagnosis", "diagnos_kod", "health"),
    ("orgnr", "org_nr", "organisationsnummer"),
    ("amount", "amount", None),
    ("created", "created_at", None),
    ("order-id", "order_id", None),
    ("status", "status", None),
]


@pytest.mark.parametrize(("name", "label"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_classify_column(name: str, label: str | None) -> None:
    hint = classify_column(name)
    assert (hint.label if hint else None) == label
    if hint:
        assert hint.explanation.startswith("column name word")


@pytest.mark.parametrize(
    ("name", "words"),
    [("customerEmail", ["customer", "email"]), ("kund_e-post", ["kund", "e", "post"])],
    ids=["camel", "snake-hyphen"],
)
def test_column_words(name: str, words: list[str]) -> None:
    assert column_words(name) == words

"""Unknown is said, never filled in: what the register records as unknown, possible or stated only
in words, the policy states as such, and never a stronger claim."""

from __future__ import annotations

import re
from functools import cache

import pytest

from varna.register import load_register
from varna.render.phrasebook import PHRASES
from varna.render.policy import compose_policy
from varna.render.wording import Words
from varna.render.writers import to_markdown

from .registers import SEEDS

NO_TRANSFER = r"för inte över dem till länder utanför"
NO_TRANSFER_EN = r"do not transfer it to countries outside"


@cache
def _policy(seed: str, lang: str = "sv") -> str:
    path = next(p for p in SEEDS if p.name.startswith(seed))
    text = to_markdown(compose_policy(load_register(path), lang).document)  # type: ignore[arg-type]
    return re.sub(r"\]\([^)]*\)", "]", text).replace("\u00a0", " ").replace("\\", "")


#: (seed, language, pattern the policy must hold) for each fact recorded as unknown or possible.
SAYS = [
    pytest.param("001", "sv", r"kan i vissa fall komma att överföras", id="001-may-transfer"),
    pytest.param(
        "001", "sv", r"skyddsnivå jämförbar med den som erbjuds inom EU/EES", id="001-promise"
    ),
    pytest.param("001", "sv", r"Någon skyddsåtgärd enligt artikel 46", id="001-no-safeguard"),
    pytest.param("001", "sv", r"ännu inte angett vårt företagsnamn", id="001-no-name"),
    pytest.param("001", "sv", r"ännu inte angett vår postadress", id="001-no-address"),
    pytest.param("001", "en", r"may be transferred to and processed", id="001-en-may-transfer"),
    pytest.param("001", "sv", r"samtyckesverktyget Real Cookie Banner", id="001-consent-tool"),
    pytest.param("002", "sv", r"kan i vissa fall komma att överföras", id="002-may-transfer"),
    pytest.param("002", "sv", r"på samma sätt utanför EU/ESS", id="002-promise-in-own-words"),
    pytest.param("003", "sv", r"under en viss period efter det", id="003-a-certain-period"),
    pytest.param("003", "sv", r"under kortare tid än kontaktuppgifterna", id="003-shorter-time"),
    pytest.param("003", "sv", r"efter en viss tids inaktivitet", id="003-a-certain-time"),
    pytest.param("004", "sv", r"ännu inte fastställt var", id="004-where-not-established"),
    pytest.param("004", "sv", r"ännu inte fastställt hur länge", id="004-how-long-not-established"),
    pytest.param("000", "sv", r"Du kan ändra vår insamling", id="000-browser-settings"),
]

#: (seed, language, pattern the policy must not hold): the claims silence used to become.
NEVER = [
    pytest.param("001", "sv", NO_TRANSFER, id="001-no-claim-of-no-transfer"),
    pytest.param("001", "en", NO_TRANSFER_EN, id="001-en-no-claim-of-no-transfer"),
    pytest.param("002", "sv", NO_TRANSFER, id="002-no-claim-of-no-transfer"),
    pytest.param("004", "sv", NO_TRANSFER, id="004-silence-is-no-promise"),
    pytest.param("001", "sv", r"OKÄND|000 00|Ej angiven|\.invalid", id="001-no-placeholders"),
    pytest.param("003", "sv", r"12 månader|sex månader|6 månader", id="003-no-invented-period"),
    pytest.param("003", "sv", r"30 minuter", id="003-no-invented-timeout"),
    pytest.param("000", "sv", r"integritetscenter", id="000-no-privacy-centre"),
    pytest.param("000", "sv", r"ändra eller återkalla ditt samtycke", id="000-no-consent-tool"),
    pytest.param(
        "000", "sv", r"övriga använder vi bara om du samtycker", id="000-no-consent-claim"
    ),
    pytest.param("003", "sv", r"Så länge uppgifterna behövs", id="003-no-default-period"),
]


@pytest.mark.parametrize(("seed", "lang", "pattern"), SAYS)
def test_the_policy_says_what_is_unknown(seed: str, lang: str, pattern: str) -> None:
    assert re.search(pattern, _policy(seed, lang), re.S), f"seed {seed} ({lang}) lacks {pattern!r}"


@pytest.mark.parametrize(("seed", "lang", "pattern"), NEVER)
def test_the_policy_claims_nothing_stronger(seed: str, lang: str, pattern: str) -> None:
    found = re.search(pattern, _policy(seed, lang), re.S)
    assert found is None, f"seed {seed} ({lang}) states {found.group(0)!r}"


#: The sentences for what is unknown, possible or stated only in words, by phrasebook key.
HONEST = [
    "about.controller_unnamed",
    "controller.no_name",
    "controller.no_address",
    "controller.no_contact",
    "contact.unknown",
    "recipients.may_transfer",
    "recipients.unknown",
    "transfers.unknown",
    "transfers.may",
    "transfers.may_no_safeguard",
    "transfers.none_known",
    "transfers.country_unstated",
    "retention.unknown",
    "retention.in_words",
    "cookies.unknown",
]


@pytest.mark.parametrize("key", HONEST)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_unknown_is_said_plainly_from_the_catalogs(key: str, lang: str) -> None:
    fields = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", PHRASES[key])}
    text = Words(lang).say(key, **fields)
    plain = (
        r"ännu inte|inte angett|har inte|inte angivet|kan i vissa fall|Kan i vissa fall|sparas <"
    )
    plain_en = r"not yet|have not|not stated|may in some cases|May in some cases|is kept <"
    assert re.search(plain if lang == "sv" else plain_en, text), text


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        Words("sv").say("no.such.sentence")

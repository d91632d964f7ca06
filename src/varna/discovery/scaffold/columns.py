"""What one column holds, guessed from its name and from a few of its values.

The name goes first (:func:`varna.discovery.columns.classify_column`, plus the words below for
data that is personal only beside a person: a city, an employer, a title, notes); the values are
read with the discovery detectors, and a label counts when it covers most of at least half of the
sampled values. A bare ``name`` is a person's name only in a table about people or when the
values look like names (``Chai``, ``AC/DC`` do not). Special categories (Art. 9) are guessed only
from unambiguous words, since a wrong guess demands an Art. 9(2) exception nobody needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from varna.discovery.columns import classify_column, column_words
from varna.discovery.engine import Scanner

#: Detector or name label -> the register's data category.
CATEGORY_OF_LABEL = {
    "personnummer": "identity.personnummer",
    "email": "contact.email",
    "phone": "contact.phone",
    "iban": "payment.iban",
    "bankgiro": "payment.bank_account",
    "plusgiro": "payment.bank_account",
    "card": "payment.card",
    "ipv4": "technical.ip_address",
    "ipv6": "technical.ip_address",
    "mac_address": "technical.mac_address",
    "postal_code": "contact.postal_area",
    "street_address": "contact.postal_address",
    "person_name": "identity.name",
    "date_of_birth": "identity.birth_date",
    "health": "special.health",
    "trade_union": "special.trade_union",
    "religion": "special.religious_beliefs",
    "ethnic_origin": "special.ethnic_origin",
}

#: Label -> identity kind, for the labels a request can find a person by.
IDENTITY_OF_LABEL = {
    "customer_number": "customer_number",
    "email": "email",
    "phone": "phone",
    "personnummer": "personnummer",
    "ipv4": "ip_address",
    "ipv6": "ip_address",
    "mac_address": "device_id",
}

#: Words that make a special-category guess from the name alone trustworthy.
_SPECIAL_WORDS = frozenset(
    {"diagnos", "diagnosis", "icd", "allergi", "allergy", "health", "halsa", "hälsa", "sjukdom"}
    | {"religion", "trossamfund", "ethnicity", "etnicitet", "fackforbund", "fackförbund"}
    | {"tradeunion"}
)
_FULL_NAME_WORDS = frozenset(
    {"firstname", "lastname", "surname", "fullname", "givenname", "fornamn", "förnamn"}
    | {"efternamn", "contactname"}
)

#: Words personal only in a row about a person: (words, category).
_BESIDE_PERSON: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"city", "town", "ort", "postort", "kommun"}), "contact.postal_area"),
    (
        frozenset({"state", "region", "province", "county", "country", "land"}),
        "contact.postal_area",
    ),
    (frozenset({"company", "employer", "arbetsgivare", "foretag", "företag"}), "work.employer"),
    (frozenset({"title", "jobtitle", "befattning", "titel"}), "work.title"),
    (frozenset({"department", "avdelning"}), "work.department"),
    (
        frozenset({"notes", "note", "comment", "comments", "anteckning", "kommentar"}),
        "content.free_text",
    ),
    (frozenset({"photo", "picture", "portrait", "avatar", "bild"}), "identity.image"),
    (frozenset({"gender", "sex", "kon", "kön"}), "identity.gender"),
    (frozenset({"username", "login", "anvandarnamn", "användarnamn"}), "account.username"),
    (frozenset({"password", "passwd", "losenord", "lösenord"}), "account.credentials"),
)

#: Table-name words for tables whose rows are about people.
PERSON_TABLE_WORDS = frozenset(
    {"customer", "customers", "client", "clients", "kund", "kunder", "person", "persons"}
    | {"people", "user", "users", "member", "members", "medlem", "medlemmar", "patient"}
    | {"patients", "employee", "employees", "staff", "contact", "contacts", "kontakt"}
    | {"student", "students", "elev", "elever", "applicant", "applicants", "subscriber"}
    | {"subscribers", "guest", "guests", "passenger", "passengers", "anstalld", "anställd"}
)


@dataclass(frozen=True, slots=True)
class ColumnGuess:
    """The label (or category) a column probably holds, and why."""

    category: str
    label: str | None
    why: str


@cache
def _scanner() -> Scanner:
    from varna.discovery.registry import default_registry

    return Scanner(default_registry().build(), backend="auto")


def value_label(values: Sequence[object]) -> tuple[str, float] | None:
    """The detector label that covers most of at least half of ``values``, with its share."""
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if len(texts) < 2:
        return None
    scanner, counts = _scanner(), dict[str, int]()
    for text in texts:
        labels = {f.label for f in scanner.scan(text) if (f.end - f.start) >= 0.8 * len(text)}
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    if not counts:
        return None
    label, hits = max(sorted(counts.items()), key=lambda item: item[1])
    share = hits / len(texts)
    return (label, share) if share >= 0.5 else None


def is_person_table(name: str) -> bool:
    """Whether a table's name says its rows are about people (``Customer``, ``kund``)."""
    return bool(set(column_words(name)) & PERSON_TABLE_WORDS)


def guess_column(
    table: str, column: str, *, family: str, values: Sequence[object]
) -> ColumnGuess | None:
    """What ``column`` of ``table`` holds, or None when nothing personal shows."""
    words = column_words(column)
    hint = classify_column(column)
    decisive = hint is not None and hint.label in CATEGORY_OF_LABEL
    if decisive and hint is not None and hint.label != "person_name":
        sampled = None  # the name decides; reading the values would only cost time
    else:
        sampled = value_label(values) if family == "text" else None
    if (
        hint is not None
        and hint.label == "person_name"
        and not _names_a_person(table, words, sampled)
        and not _qualified_person_name(words, family, values)
    ):
        hint = None
    special = ("health", "trade_union", "religion", "ethnic_origin")
    if hint is not None and hint.label in special and not set(words) & _SPECIAL_WORDS:
        hint = None
    if hint is not None and hint.label in CATEGORY_OF_LABEL:
        return ColumnGuess(CATEGORY_OF_LABEL[hint.label], hint.label, hint.explanation)
    if hint is None and sampled is None and decisive and family == "text":
        sampled = value_label(values)  # the name's guess was dropped: let the values speak
    if sampled is not None and sampled[0] in CATEGORY_OF_LABEL:
        label, share = sampled
        if label in ("person_name", "street_address", "postal_code") and not is_person_table(table):
            return None  # a catalogue of places or titles; decided beside a person instead
        return ColumnGuess(
            CATEGORY_OF_LABEL[label], label, f"{round(share * 100)}% of sampled values: {label}"
        )
    return None


def beside_person(column: str) -> ColumnGuess | None:
    """A category that is personal only in a row about a person (a city, an employer)."""
    words = set(column_words(column))
    for keys, category in _BESIDE_PERSON:
        hit = sorted(words & keys)
        if hit:
            return ColumnGuess(category, None, f"column name word '{hit[0]}' beside a person")
    return None


def _names_a_person(table: str, words: list[str], sampled: tuple[str, float] | None) -> bool:
    joined = {"".join(words[i : i + 2]) for i in range(len(words))}
    if (set(words) | joined) & _FULL_NAME_WORDS:
        return True
    if words in (["name"], ["namn"], ["full", "name"]):
        return is_person_table(table) or (sampled is not None and sampled[0] == "person_name")
    return False


QUALIFIED_NAME_SHARE = 0.3
"""A qualified name column (``ship_name``, ``recipient_name``) holds people's names when at least
this share of its sampled values are recognised as one: the name gazetteer knows common Swedish
and English names, not every name, so a column of people's names shows well below half."""


def _qualified_person_name(words: list[str], family: str, values: Sequence[object]) -> bool:
    """Whether a column named ``..._name`` holds names of people (MyWind's orders carry the
    recipient's name; Northwind's the receiving company's, which is no person)."""
    if family != "text" or not {"name", "namn"} & set(words):
        return False
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if len(texts) < 2:
        return False
    scanner = _scanner()
    hits = sum(
        any(f.label == "person_name" and f.end - f.start >= 0.8 * len(t) for f in scanner.scan(t))
        for t in texts
    )
    return hits / len(texts) >= QUALIFIED_NAME_SHARE

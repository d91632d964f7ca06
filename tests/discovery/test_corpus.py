"""The benchmark corpus: seeded, labelled with valid values, decoys unlabelled."""

from __future__ import annotations

from itertools import pairwise

import pytest
from stdnum import iban, luhn

from varna.discovery.corpus import KINDS, LABELS, generate_corpus

RECORDS = list(generate_corpus(800, seed=3))


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    again = list(generate_corpus(800, seed=3))
    other = list(generate_corpus(800, seed=4))
    assert [r.text for r in again] == [r.text for r in RECORDS]
    assert [r.text for r in other] != [r.text for r in RECORDS]


def test_every_kind_and_label_is_planted() -> None:
    assert {r.kind for r in RECORDS} == set(KINDS)
    assert {label for r in RECORDS for _, _, label in r.spans} == set(LABELS)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


CHECKS = {
    "personnummer": lambda v: luhn.is_valid(_digits(v)[-10:]),
    "organisationsnummer": lambda v: luhn.is_valid(_digits(v)[-10:]) and int(_digits(v)[-8]) >= 2,
    "bankgiro": lambda v: luhn.is_valid(_digits(v)),
    "plusgiro": lambda v: luhn.is_valid(_digits(v)),
    "card": lambda v: luhn.is_valid(_digits(v)),
    "iban": iban.is_valid,
    "email": lambda v: "@" in v and " " not in v,
    "postal_code": lambda v: len(_digits(v)) == 5,
}


@pytest.mark.parametrize("label", sorted(CHECKS), ids=sorted(CHECKS))
def test_planted_values_are_valid(label: str) -> None:
    values = [r.text[a:b] for r in RECORDS for a, b, lab in r.spans if lab == label]
    assert values
    assert all(CHECKS[label](v) for v in values)


def test_spans_do_not_overlap() -> None:
    for record in RECORDS:
        spans = sorted(record.spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans))

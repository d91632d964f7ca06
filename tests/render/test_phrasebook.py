"""The policy's sentences come from the catalogs, each in both languages, each key in one place."""

from __future__ import annotations

import re

import pytest

from varna.render.phrasebook import PHRASES
from varna.render.wording import Words, phrasebook

FIELD = re.compile(r"\{(\w+)\}")


def test_no_sentence_is_both_in_a_yaml_phrasebook_and_in_the_catalogs() -> None:
    both = set(phrasebook()) & set(PHRASES)
    assert both == set(), f"move the wording of {sorted(both)} into the catalogs"


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_sentence_reads_in_swedish_and_english(key: str) -> None:
    fields = {name: f"<{name}>" for name in FIELD.findall(PHRASES[key])}
    sv, en = Words("sv").say(key, **fields), Words("en").say(key, **fields)
    assert sv != en
    for text in (sv, en):
        assert "{" not in text
        assert all(value in text for value in fields.values())


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        Words("sv").say("no.such.sentence")

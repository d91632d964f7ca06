"""The policy's sentences come from the catalogs, each in both languages, each key in one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import varna.render
from varna.render.phrasebook import PHRASES
from varna.render.wording import Words

FIELD = re.compile(r"\{(\w+)\}")


def test_no_sentence_is_kept_in_a_yaml_file_beside_the_composers() -> None:
    here = Path(varna.render.__file__).parent
    assert sorted(p.name for p in here.glob("*.yaml")) == [], "move the wording into the catalogs"


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_sentence_reads_in_swedish_and_english(key: str) -> None:
    fields = {name: f"<{name}>" for name in FIELD.findall(PHRASES[key])}
    sv, en = Words("sv").say(key, **fields), Words("en").say(key, **fields)
    if re.search(r"[^\W\d_]", FIELD.sub("", PHRASES[key])):  # words, not only punctuation
        assert sv != en
    for text in (sv, en):
        assert "{" not in text
        assert all(value in text for value in fields.values())


def test_an_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        Words("sv").say("no.such.sentence")

"""Sentences for what the register records as unknown, stated only in words, or not given.

They live in ``honesty.yaml``, apart from the phrasebook, so that each can be reviewed on its own:
every one says plainly what is not known, and none promises more than the register holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files

import yaml

from varna.render.wording import Words, tie


@cache
def honesty_book() -> Mapping[str, Mapping[str, str]]:
    """The sentences in ``honesty.yaml``, by key and language."""
    text = files("varna.render").joinpath("honesty.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.load(text, Loader=yaml.CSafeLoader)
    return data


def say(w: Words, key: str, **fields: str) -> str:
    """The sentence ``key`` in ``w``'s language, its ``{fields}`` filled in."""
    return tie(honesty_book()[key][w.lang].format(**fields))

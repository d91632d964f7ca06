"""Masked examples keep the shape and two or three characters, never the value."""

from __future__ import annotations

import pytest

from varna.discovery.masking import mask_example


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("19850312-1231", "19xxxxxx-xxx1"),
        ("anna.svensson@example.com", "anxx.xxxxxxxx@xxxxxxx.xxm"),
        ("070-123 45 67", "07x-xxx xx x7"),
        ("SE45 5000 0000 0583 9825 7466", "SExx xxxx xxxx xxxx xxxx xxx6"),
        ("Åsa", "xxx"),
        ("", ""),
    ],
    ids=["personnummer", "email", "phone", "iban", "short-name", "empty"],
)
def test_mask_example(value: str, masked: str) -> None:
    assert mask_example(value) == masked
    assert len(mask_example(value)) == len(value)

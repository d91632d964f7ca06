"""A custom identity kind imported from a Fides dataset is weak until a person decides: on a real
database it finds only the rows keyed by it, leads to no further rows and erases nothing alone,
while a built-in identity of the same person still does both."""

from __future__ import annotations

import sqlite3
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from varna.connectors import SQLConnector
from varna.dsr.access import execute_access
from varna.dsr.executor import erase
from varna.dsr.identity import Identity
from varna.errors import RequestError
from varna.register import Register, parse_register
from varna.register.fides import load_fides_datasets, merge_systems

BARE = Path(__file__).resolve().parents[1] / "register" / "fides_bare.yaml"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

GYM = """
dataset:
  - fides_key: gym
    collections:
      - name: members
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true}
          - name: badge
            data_categories: [user.unique_id]
            fides_meta: {identity: badge_id}
          - name: email
            data_categories: [user.contact.email]
            fides_meta: {identity: email}
          - name: name
            data_categories: [user.name]
      - name: visits
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true}
          - name: member_id
            data_categories: [system.operations]
            fides_meta:
              references: [{dataset: gym, field: members.id, direction: from}]
          - name: pulse
            data_categories: [user.sensor]
"""

ROWS = [
    "CREATE TABLE members (id INTEGER PRIMARY KEY, badge TEXT, email TEXT, name TEXT)",
    "CREATE TABLE visits (id INTEGER PRIMARY KEY, member_id INTEGER, pulse INTEGER)",
    # a badge handed on from one member to another: the badge number names two people
    "INSERT INTO members VALUES (1, 'B-7', 'ann@example.com', 'Ann'), "
    "(2, 'B-7', 'bo@example.com', 'Bo')",
    "INSERT INTO visits VALUES (10, 1, 120), (11, 2, 95)",
]


@pytest.fixture
def gym(tmp_path: Path) -> tuple[Register, SQLConnector, Path]:
    dataset = tmp_path / "gym.yml"
    dataset.write_text(textwrap.dedent(GYM).lstrip(), encoding="utf-8")
    text = BARE.read_text(encoding="utf-8")
    imported = load_fides_datasets(
        [dataset], register=parse_register(text), kind="sqlite", activities=["shop"]
    )
    register = parse_register(merge_systems(text, imported, source="varna.yaml"))
    db = tmp_path / "gym.db"
    with sqlite3.connect(db) as conn:
        for statement in ROWS:
            conn.execute(statement)
    return register, SQLConnector(f"sqlite:///{db}", name="gym"), db


def _found(register: Register, connector: SQLConnector, kind: str, value: str) -> set[str]:
    result = execute_access(register, [Identity(kind, value)], {"gym": connector}, now=NOW)
    return {f"{t.table}:{dict(r.key)['id']}" for t in result.tables for r in t.rows}


@pytest.mark.parametrize(
    ("kind", "value", "rows"),
    [
        ("badge_id", "B-7", {"members:1", "members:2"}),  # only the rows keyed by it
        ("email", "ann@example.com", {"members:1", "visits:10"}),  # leads on to her visits
    ],
    ids=["custom-weak-kind", "builtin-kind"],
)
def test_access_by_the_custom_kind_finds_only_its_own_rows(
    gym: tuple[Register, SQLConnector, Path], kind: str, value: str, rows: set[str]
) -> None:
    register, connector, _ = gym
    assert register.taxonomy.identity_kinds["badge_id"].todo
    try:
        assert _found(register, connector, kind, value) == rows
    finally:
        connector.close()


def test_erasure_by_the_custom_kind_alone_is_refused(
    gym: tuple[Register, SQLConnector, Path],
) -> None:
    register, connector, db = gym
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT * FROM members ORDER BY id").fetchall()
    try:
        with pytest.raises(RequestError, match="by badge_id alone is refused"):
            erase(
                register,
                [Identity("badge_id", "B-7")],
                {"gym": connector},
                now=NOW,
                hash_key=b"k" * 32,
                execute=True,
            )
    finally:
        connector.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT * FROM members ORDER BY id").fetchall() == before

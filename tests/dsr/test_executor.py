"""Applying an erasure: one transaction per system, idempotent, journalled, recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from varna.connectors import MemoryConnector
from varna.dsr.executor import erase, execute_erasure
from varna.dsr.identity import Identity
from varna.dsr.journal import ErasureJournal
from varna.dsr.proof import MemoryRecorder
from varna.errors import ConnectorError

from .shop import NOW, shop_connectors, shop_register

KEY = b"k" * 32
ANNA = [Identity("email", "anna@example.se")]


def snapshot(connectors: dict[str, MemoryConnector]) -> dict[str, object]:
    return {k: c.snapshot() for k, c in connectors.items()}


def clean_run() -> dict[str, object]:
    connectors = shop_connectors()
    erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, execute=True)
    return snapshot(connectors)


def test_a_dry_run_changes_nothing() -> None:
    connectors = shop_connectors()
    before = snapshot(connectors)
    outcome = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY)
    assert outcome.plan.has_work
    assert outcome.receipts == []
    assert snapshot(connectors) == before


def test_executing_a_plan_twice_changes_nothing_the_second_time() -> None:
    connectors = shop_connectors()
    outcome = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, execute=True)
    after = snapshot(connectors)
    receipts = execute_erasure(outcome.plan, connectors)
    assert snapshot(connectors) == after
    assert sum(r.missing for r in receipts) == 4  # the deleted notes and tickets are gone already


def test_receipts_count_and_hash_what_was_written() -> None:
    connectors = shop_connectors()
    outcome = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, execute=True)
    counts = {r.system: (r.updated, r.deleted, r.kept) for r in outcome.receipts}
    assert counts == {"crm": (1, 2, 0), "support": (0, 2, 0), "billing": (2, 0, 1)}
    assert all(r.content_hash.startswith("sha256:") for r in outcome.receipts)


def test_a_failure_inside_a_system_leaves_it_untouched_and_unfinished(tmp_path: Path) -> None:
    connectors = shop_connectors()
    outcome = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY)
    before = snapshot(connectors)
    broken = connectors["billing"]

    def fail(*args: object, **kwargs: object) -> int:
        raise ConnectorError("system 'billing': the database went away")

    broken.update = fail  # type: ignore[method-assign]
    journal = ErasureJournal(tmp_path)
    with pytest.raises(ConnectorError):
        execute_erasure(outcome.plan, connectors, journal=journal)
    assert snapshot(connectors)["billing"] == before["billing"]
    assert journal.done(outcome.plan.request_id) == {"crm", "support"}


class Crash(Exception):
    pass


def test_a_rerun_finishes_an_interrupted_erasure(tmp_path: Path) -> None:
    connectors = shop_connectors()
    journal = ErasureJournal(tmp_path / "journal")

    def crash(system: str) -> None:
        raise Crash(system)

    with pytest.raises(Crash):
        erase(
            shop_register(),
            ANNA,
            connectors,
            now=NOW,
            hash_key=KEY,
            journal=journal,
            execute=True,
            on_system_done=crash,
        )
    (entry,) = (tmp_path / "journal").glob("rq_*.json")
    assert json.loads(entry.read_text(encoding="utf-8"))["done"] == ["crm"]
    assert "anna@example.se" not in entry.read_text(encoding="utf-8")

    dry = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, journal=journal)
    assert dry.resumed is not None  # found, not applied without execute
    outcome = erase(
        shop_register(), ANNA, connectors, now=NOW, hash_key=KEY, journal=journal, execute=True
    )
    assert outcome.resumed is not None
    assert [r.skipped for r in outcome.receipts] == [True, False, False]
    assert snapshot(connectors) == clean_run()
    assert list((tmp_path / "journal").glob("rq_*.json")) == []


def test_each_system_is_recorded_with_counts_only() -> None:
    recorder = MemoryRecorder()
    erase(
        shop_register(),
        ANNA,
        shop_connectors(),
        now=NOW,
        hash_key=KEY,
        recorder=recorder,
        execute=True,
    )
    assert [(a, t) for a, t, _ in recorder.events] == [
        (action, system)
        for system in ("crm", "support", "billing")
        for action in ("dsr.erasure.intent", "dsr.erasure.executed")
    ]
    intents = [d for a, _, d in recorder.events if a == "dsr.erasure.intent"]
    outcomes = [d for a, _, d in recorder.events if a == "dsr.erasure.executed"]
    assert [d["completes"] for d in outcomes] == [d["intent"] for d in intents]
    assert len({d["plan_hash"] for d in intents}) == 1
    assert outcomes[2]["held_rows"] == 2
    assert "anna" not in json.dumps(recorder.events).lower()


def test_a_missing_connector_stops_before_anything_changes() -> None:
    connectors = shop_connectors()
    outcome = erase(shop_register(), ANNA, connectors, now=NOW, hash_key=KEY)
    before = snapshot(connectors)
    del connectors["support"]
    with pytest.raises(ConnectorError, match="'support'"):
        execute_erasure(outcome.plan, connectors)
    assert {k: v for k, v in before.items() if k != "support"} == snapshot(connectors)

"""The background worker on PostgreSQL: a queued sweep runs once, as of its tick, honours
restrictions and is recorded; SQLite is refused with the cron alternative."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from varna.cli.app import app
from varna.jobs import build_app, defer_sweep, ensure_schema
from varna.jobs.queue import CHECKPOINT_TASK, PRUNE_TASK, STALLED_TASK, SWEEP_TASK
from varna.settings import Settings

runner = CliRunner()
AT = "2031-01-01"


@pytest.fixture
def demo(demo_company: Callable[[int], Path]) -> Path:
    return demo_company(40)


@pytest.fixture
def on_postgres(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("VARNA_DATABASE_URL", pg_url)
    return pg_url


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def planned(*extra: str) -> dict[str, object]:
    return dict(json.loads(invoke("retention", "plan", "--at", AT, "-f", "json", *extra)))


def total(plan: dict[str, object]) -> int:
    return int(str(plan["expiring_rows"]))


def excluded(plan: dict[str, object]) -> int:
    tables = plan["tables"]
    assert isinstance(tables, list)
    return sum(int(t["excluded_rows"]) for t in tables)


def retention_events(url: str) -> list[dict[str, object]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT details FROM audit_events WHERE action = 'retention.run.executed'")
        ).all()
    engine.dispose()
    return [json.loads(r[0]) for r in rows]


@pytest.mark.postgres
def test_worker_runs_a_queued_sweep_once(demo: Path, on_postgres: str) -> None:
    expected = total(planned())
    assert expected > 0
    out = invoke("worker", "--once", "--sweep-now", "--at", AT)
    assert "job queue tables created" in out
    assert "retention sweep queued" in out
    events = retention_events(on_postgres)
    assert [e["rows"] for e in events] == [expected]
    assert "audit log OK" in invoke("audit", "verify")
    invoke("worker", "--once")  # nothing queued: nothing more happens
    assert len(retention_events(on_postgres)) == 1
    checkpoints = demo.parent / "home" / "checkpoints.jsonl"
    (line,) = checkpoints.read_text().splitlines()  # the sweep anchored the log it wrote to
    assert json.loads(line)["seq"] >= 1
    assert "and the checkpoint" in invoke("audit", "verify", "--against", str(checkpoints))


@pytest.mark.postgres
def test_the_worker_writes_the_daily_checkpoint(demo: Path, on_postgres: str) -> None:
    import asyncio

    from varna.core import Varna

    settings = Settings()
    ensure_schema(settings)
    varna = Varna(settings)
    varna.audit.append(actor="test", action="test.event.written")
    head = varna.audit.head()
    varna.close()
    jobs = build_app(settings)

    async def defer() -> None:
        async with jobs.open_async():
            await jobs.tasks[CHECKPOINT_TASK].defer_async(timestamp=0)

    asyncio.run(defer())
    invoke("worker", "--once")
    (line,) = (demo.parent / "home" / "checkpoints.jsonl").read_text().splitlines()
    written = json.loads(line)
    assert (written["seq"], written["head_hash"]) == (head.last_seq, head.last_hash)


@pytest.mark.postgres
def test_the_worker_removes_jobs_that_succeeded_long_ago(demo: Path, on_postgres: str) -> None:
    """Every request and notice leaves a job row behind: the daily prune removes those that
    succeeded more than VARNA_JOBS_KEEP_DAYS ago, and keeps a recent one and a failed one."""
    import asyncio

    settings = Settings()
    ensure_schema(settings)
    jobs = build_app(settings)

    async def defer(task: str, *ticks: int) -> None:
        async with jobs.open_async():
            for tick in ticks:
                await jobs.tasks[task].defer_async(timestamp=tick)

    for tick in (1, 2, 3):  # one at a time: a checkpoint is queued once
        asyncio.run(defer(CHECKPOINT_TASK, tick))
        invoke("worker", "--once")
    engine = sa.create_engine(on_postgres)
    with engine.begin() as conn:
        old, failed, recent = conn.scalars(
            sa.text("SELECT id FROM procrastinate_jobs WHERE task_name = :task ORDER BY id"),
            {"task": CHECKPOINT_TASK},
        ).all()
        age = sa.text(
            "UPDATE procrastinate_events SET at = at - make_interval(days => :days) "
            "WHERE job_id = :job"
        )
        conn.execute(age, {"days": settings.jobs_keep_days + 1, "job": old})
        conn.execute(age, {"days": settings.jobs_keep_days + 1, "job": failed})
        conn.execute(age, {"days": settings.jobs_keep_days - 1, "job": recent})
        conn.execute(
            sa.text("UPDATE procrastinate_jobs SET status = 'failed' WHERE id = :job"),
            {"job": failed},
        )
    asyncio.run(defer(PRUNE_TASK, 0))
    invoke("worker", "--once")
    with engine.connect() as conn:
        left = conn.execute(
            sa.text(
                "SELECT id, task_name, status FROM procrastinate_jobs "
                "WHERE task_name IN (:checkpoint, :prune) ORDER BY id"
            ),
            {"checkpoint": CHECKPOINT_TASK, "prune": PRUNE_TASK},
        ).all()
    engine.dispose()
    assert [(job, status) for job, _, status in left[:2]] == [
        (failed, "failed"),
        (recent, "succeeded"),
    ]
    assert [(name, status) for _, name, status in left[2:]] == [(PRUNE_TASK, "succeeded")]


@pytest.mark.postgres
def test_a_sweep_is_queued_once_and_schema_made_once(
    demo: Path, on_postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in (
        "VARNA_RETENTION_SCHEDULE",
        "VARNA_CHECKPOINT_SCHEDULE",
        "VARNA_JOBS_PRUNE_SCHEDULE",
    ):
        monkeypatch.delenv(variable)  # the defaults
    settings = Settings()
    assert ensure_schema(settings) is True
    assert ensure_schema(settings) is False
    from datetime import UTC, datetime

    when = datetime(2031, 1, 1, tzinfo=UTC)
    assert defer_sweep(settings, at=when) is True
    assert defer_sweep(settings, at=when) is False
    jobs = build_app(settings)
    assert SWEEP_TASK in jobs.tasks
    crons = {p.task.name: p.cron for p in jobs.periodic_registry.periodic_tasks.values()}
    assert crons == {
        SWEEP_TASK: "0 3 * * *",
        CHECKPOINT_TASK: "30 3 * * *",
        STALLED_TASK: "*/5 * * * *",
        PRUNE_TASK: "45 3 * * *",
    }


def rows_of(email: str) -> dict[str, int]:
    data = json.loads(invoke("dsr", "access", "-i", f"email={email}", "-f", "json"))
    return {f"{s['key']}.{t['name']}": len(t["rows"]) for s in data["systems"] for t in s["tables"]}


@pytest.mark.postgres
def test_the_sweep_keeps_a_restricted_persons_rows(demo: Path, on_postgres: str) -> None:
    with sqlite3.connect(demo / "data" / "crm.db") as crm:
        emails = [r[0] for r in crm.execute("SELECT email FROM customers ORDER BY id")]
    before = total(planned())
    for address in emails:  # the first customer with rows that would expire by AT
        invoke("dsr", "restrict", "-i", f"email={address}", "--at", "2026-11-23", "--execute")
        if excluded(planned()):
            break
    else:
        pytest.fail("no customer of the demo has rows that expire by " + AT)
    after = planned()
    assert total(after) < before
    kept = rows_of(address)
    invoke("worker", "--once", "--sweep-now", "--at", AT)
    assert [e["rows"] for e in retention_events(on_postgres)] == [total(after)]
    assert rows_of(address) == kept


def test_worker_refuses_sqlite_state(demo: Path) -> None:
    result = runner.invoke(app, ["worker", "--once"])
    assert (result.exit_code, type(result.exception)) == (3, SystemExit), result.exception
    assert "VARNA_DATABASE_URL" in result.output
    assert "cron" in result.output


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VARNA_RETENTION_SCHEDULE", "every night"),
        ("VARNA_RETENTION_SCHEDULE", "0 3 * *"),
        ("VARNA_CHECKPOINT_SCHEDULE", "99 * * * *"),
        ("VARNA_JOBS_PRUNE_SCHEDULE", "daily"),
    ],
    ids=["words", "four-fields", "minute-99", "prune-words"],
)
def test_worker_refuses_a_bad_schedule_with_a_settings_error(
    on_postgres: str, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("VARNA_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    monkeypatch.setenv(variable, value)
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 2, result.output
    assert f"{variable} is not a cron expression" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_worker_on_postgres_refuses_to_start_without_the_shared_key(
    on_postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VARNA_AUDIT_KEY", raising=False)
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 2, result.output
    assert "VARNA_AUDIT_KEY is not set" in result.output

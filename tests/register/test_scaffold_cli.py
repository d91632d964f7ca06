"""``varna register scaffold`` as a user runs it: files, folders, live PostgreSQL features
(partitions, views, text dates) and every bad input as a clear error, never a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from dsr.chinook import load_chinook
from varna.cli.app import app
from varna.core import Varna
from varna.errors import ConnectorError
from varna.register import load_register, parse_register

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["register", "scaffold", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("url", "code", "says"),
    [
        pytest.param("sqlite:///no/such/file.db", 4, "SQLite file does not exist", id="no-file"),
        pytest.param("ftp://example.org/db", 4, "cannot scaffold from this URL", id="scheme"),
        pytest.param("just-words", 4, "cannot scaffold from this URL", id="no-url"),
        pytest.param("csv:///no/such/folder", 4, "folder does not exist", id="no-folder"),
        pytest.param(
            "postgresql+psycopg://postgres:s3cret@127.0.0.1:1/x", 4, "check that", id="down"
        ),
    ],
)
def test_bad_input_is_a_clear_error(url: str, code: int, says: str) -> None:
    exit_code, output = invoke(url)
    assert exit_code == code, output
    assert says in output
    assert "s3cret" not in output
    assert "Traceback" not in output


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "shop.db"
    with pytest.raises(ConnectorError) as caught:
        Varna().scaffold_register(f"sqlite:///{missing}")
    assert caught.value.fields == {"system": "shop", "code": "scaffold-missing-file"}
    assert not missing.exists()


def test_out_writes_a_register_and_refuses_to_overwrite(tmp_path: Path) -> None:
    db = tmp_path / "chinook.db"
    load_chinook(f"sqlite:///{db}")
    out = tmp_path / "varna.yaml"
    code, output = invoke(f"sqlite:///{db}", "--out", str(out), "--system", "store")
    assert code == 0, output
    register = load_register(out)
    assert register.systems["store"].kind == "sqlite"
    assert register.table("store", "Customer").identities["email"] == "Email"
    before = out.read_text(encoding="utf-8")
    code, output = invoke(f"sqlite:///{db}", "--out", str(out))
    assert code == 2
    assert "--force" in output
    assert out.read_text(encoding="utf-8") == before
    code, output = invoke(f"sqlite:///{db}", "--out", str(out), "--force")
    assert code == 0, output
    check = runner.invoke(app, ["register", "check", "--offline", "--format", "json", str(out)])
    findings = json.loads(check.stdout)["findings"]
    assert {f["rule"] for f in findings if f["severity"] == "error"} == {"placeholder"}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_folder_of_files(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    people = [
        {"id": str(i), "email": f"p{i}@example.se", "name": f"Anna Svensson {i}"}
        for i in range(1, 6)
    ]
    tickets = [{"id": str(i), "person_id": str(i % 5 + 1), "note": "x"} for i in range(1, 9)]
    for name, rows in (("people", people), ("tickets", tickets)):
        path = folder / f"{name}.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            if fmt == "csv":
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            else:
                handle.writelines(json.dumps(r) + "\n" for r in rows)
    code, output = invoke(f"{fmt}:///{folder}")
    assert code == 0, output
    register = parse_register(output[: output.rindex("\n", 0, output.rindex("table(s)")) + 1])
    (system,) = register.systems
    assert register.systems[system].kind == fmt
    people_table = register.table(system, "people")
    assert people_table.primary_key == ["id"]
    assert people_table.identities == {"email": "email"}
    assert register.table(system, "tickets").references["person_id"].table == "people"


@pytest.mark.postgres
def test_postgresql_partitions_views_and_text_dates(pg_url: str) -> None:
    engine = sa.create_engine(pg_url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        for statement in (
            "CREATE TABLE members (id integer PRIMARY KEY, email text UNIQUE NOT NULL, "
            "full_name text, joined text)",
            "CREATE TABLE visits (member_id integer NOT NULL REFERENCES members(id), "
            "seen_at timestamptz NOT NULL, ip text, PRIMARY KEY (member_id, seen_at)) "
            "PARTITION BY RANGE (seen_at)",
            "CREATE TABLE visits_2025 PARTITION OF visits "
            "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            "CREATE VIEW member_emails AS SELECT id, email FROM members",
            "CREATE MATERIALIZED VIEW member_count AS SELECT count(*) FROM members",
            "INSERT INTO members VALUES (1, 'a@example.se', 'Anna Svensson', '2025-01-01')",
        ):
            conn.execute(sa.text(statement))
    engine.dispose()
    result = Varna().scaffold_register(pg_url, system="club")
    draft = result.draft
    assert [t.name for t in draft.tables] == ["members", "visits"]
    left = dict(draft.left_out)
    assert "partition of 'visits'" in left["visits_2025"]
    assert "reads members" in left["member_emails"]
    assert "refreshed" in left["member_count"]
    visits = draft.table("visits")
    assert "visits_2025" in visits.notes[0]
    assert {(r.column, r.table) for r in visits.references} == {("member_id", "members")}
    members = draft.table("members")
    assert {(i.kind, i.column) for i in members.identities} == {
        ("user_id", "id"),
        ("email", "email"),
    }
    assert {f.column: f.erasure for f in members.fields}["email"] == "hash"
    assert "connection: {env: VARNA_CLUB_URL}" in result.text  # no URL, no password
    parse_register(result.text)

"""Fides' Postgres example (../shared/data/fides-postgres-example/) loaded into PostgreSQL, SQLite
or MariaDB, and the register made by importing its dataset.

- PostgreSQL: Fides' script as it is, statement by statement, into the fresh test database.
- SQLite and MariaDB: the same statements after a mechanical translation: the ``public.`` schema
  prefix goes, ``SERIAL`` becomes ``INTEGER``, ``CHARACTER VARYING`` becomes ``VARCHAR``,
  ``MONEY`` becomes ``DECIMAL(10, 2)`` with ``'$20.00'`` read as ``20.00``, and ``TIMESTAMP``
  becomes ``DATETIME`` (MariaDB gives a first ``TIMESTAMP`` column an automatic default). The
  ``ALTER SEQUENCE`` lines and the ``backup_schema`` copy at the end (which the dataset does not
  describe) are left out.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from shared_data import SHARED_DATA, shared_data
from varna.register import Register, parse_register
from varna.register.fides import load_fides_datasets, merge_systems

ROOT = Path(__file__).resolve().parents[2]
FIDES = SHARED_DATA / "fides-postgres-example"
DATASET = FIDES / "postgres_example_test_dataset.yml"
SCRIPT = FIDES / "postgres_sample.sql"
BASE = ROOT / "examples" / "fides-base.yaml"
SYSTEM = "postgres_example_test_dataset"
EMAIL = "jane@example.com"


def statements() -> Iterator[str]:
    """The script's statements, up to the backup schema, without the sequence resets."""
    buffer: list[str] = []
    for line in SCRIPT.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("--") or (not buffer and not line.strip()):
            continue
        if line.startswith("CREATE SCHEMA backup_schema"):
            return
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statement = "\n".join(buffer).rstrip().removesuffix(";")
            buffer = []
            if not statement.startswith("ALTER SEQUENCE"):
                yield statement


def portable(statement: str, *, mariadb: bool) -> str:
    out = statement.replace("public.", "")
    out = re.sub(r"\bSERIAL\b", "INTEGER", out)
    out = out.replace("CHARACTER VARYING", "VARCHAR")
    out = re.sub(r"\bMONEY\b", "DECIMAL(10, 2)", out)
    out = re.sub(r"'\$(\d+\.\d+)'", r"\1", out)
    return re.sub(r"\bTIMESTAMP\b", "DATETIME", out) if mariadb else out


def load_fides_sample(url: str) -> None:
    """Create and fill the example tables in the (empty) database at ``url``."""
    shared_data("fides-postgres-example")  # skips the test in a plain clone
    parsed = sa.make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        assert parsed.database
        with sqlite3.connect(Path(parsed.database)) as conn:
            for statement in statements():
                conn.execute(portable(statement, mariadb=False))
        return
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in statements():
            sql = statement if backend == "postgresql" else portable(statement, mariadb=True)
            cursor.execute(sql)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def fides_register(kind: str) -> Register:
    """The example register with the imported dataset as a system of ``kind``."""
    shared_data("fides-postgres-example")  # skips the test in a plain clone
    base = parse_register(BASE.read_text(encoding="utf-8"), source=BASE.name)
    imported = load_fides_datasets(
        [DATASET], register=base, kind=kind, subjects=["customer"], activities=["shop"]
    )
    text = merge_systems(BASE.read_text(encoding="utf-8"), imported, source="merged.yaml")
    return parse_register(text, source="merged.yaml")

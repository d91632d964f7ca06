"""Chinook (../shared/data/chinook/) loaded into SQLite, MariaDB or PostgreSQL for the register
``examples/chinook.yaml``, whose table and column names are those of the SQLite and MySQL scripts
(``Customer.CustomerId``).

- SQLite: the SQLite script, through ``sqlite3.executescript``.
- MariaDB: the MySQL script, statement by statement, without its ``DROP DATABASE``,
  ``CREATE DATABASE`` and ``USE`` lines, into the fresh test database.
- PostgreSQL: the project's PostgreSQL script names everything in snake_case
  (``customer.customer_id``), so it would need a second register. Instead the MySQL script is
  loaded after a mechanical translation: backticks become double quotes (quoted identifiers keep
  the PascalCase names), ``NVARCHAR`` becomes ``VARCHAR`` and ``DATETIME`` becomes ``TIMESTAMP``;
  ``N'...'`` literals are valid PostgreSQL. Same rows, same names as the register. One difference
  no test touches: MySQL reads the four ``\\ `` in track names as an escaped space, PostgreSQL
  keeps the backslash.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from shared_data import SHARED_DATA, shared_data

ROOT = Path(__file__).resolve().parents[2]
CHINOOK = SHARED_DATA / "chinook"
REGISTER = ROOT / "examples" / "chinook.yaml"
EMAIL = "joakim.johansson@yahoo.se"
CUSTOMER_ID = 51
_SKIP = re.compile(r"^\s*(DROP DATABASE|CREATE DATABASE|USE)\b", re.IGNORECASE)
_END = re.compile(r";\s*$")


def mysql_statements() -> Iterator[str]:
    """The MySQL script's statements, without the database-level ones."""
    text = (CHINOOK / "Chinook_MySql.sql").read_text(encoding="utf-8-sig")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    buffer: list[str] = []
    for line in text.splitlines():
        if not buffer and (not line.strip() or _SKIP.match(line)):
            continue
        buffer.append(line)
        if _END.search(line):
            yield "\n".join(buffer).rstrip().removesuffix(";")
            buffer = []


def postgres_statement(statement: str) -> str:
    out = statement.replace("`", '"')
    out = re.sub(r"\bNVARCHAR\b", "VARCHAR", out)
    return re.sub(r"\bDATETIME\b", "TIMESTAMP", out)


def load_chinook(url: str) -> None:
    """Create and fill the Chinook tables in the (empty) database at ``url``."""
    shared_data("chinook")  # skips the test in a plain clone
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database
        with sqlite3.connect(Path(parsed.database)) as conn:
            conn.executescript((CHINOOK / "Chinook_Sqlite.sql").read_text(encoding="utf-8-sig"))
        return
    translate = postgres_statement if parsed.get_backend_name() == "postgresql" else str
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement in mysql_statements():
            cursor.execute(translate(statement))  # no parameters: '%' in titles stays literal
        raw.commit()
    finally:
        raw.close()
        engine.dispose()

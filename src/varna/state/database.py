"""Open Varna's own state database and run its migrations.

This is the only module that creates an :class:`~sqlalchemy.Engine` for Varna's state. SQLAlchemy
errors are wrapped here into :class:`~varna.errors.StateError` with a message that names the
database (never its password), what was being done, and how to fix it.

SQLite gets WAL journaling (readers never block the writer), ``synchronous=NORMAL`` (durable at
each checkpoint, fast at each commit), foreign keys, a 30 s busy timeout and SQLAlchemy-controlled
``BEGIN`` so that :meth:`StateDB.write` can take the write lock up front (``BEGIN IMMEDIATE``).
PostgreSQL writers serialise on row locks (``SELECT ... FOR UPDATE``) taken by the caller.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from varna.errors import StateError
from varna.state.schema import metadata

if TYPE_CHECKING:  # Alembic is imported only when a schema is checked against its scripts
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_BEGIN_OPTION = "varna_sqlite_begin"
_PG_MIGRATION_LOCK = 0x7661726E61  # "varna": one migrator at a time per PostgreSQL database
_SQLITE_BUSY_TIMEOUT_S = 30.0
_SQLITE_LOCK_BUCKETS = 1024  # lock files per SQLite state: unrelated names rarely share one


Transaction = sa.Connection
"""An open transaction on Varna's own database, as the state stores hand it to their callers'
hooks (the audit event written with a state change); only ``varna.state`` runs SQL on it."""


def held(tx: Transaction, key: str) -> Any:
    """What :func:`hold` kept under ``key`` in the transaction now open on ``tx``; None when
    nothing was, or it was kept in an earlier transaction of the same connection."""
    kept = tx.info.get(key)
    if kept is None or kept[0] is not tx.get_transaction():
        return None
    return kept[1]


def hold(tx: Transaction, key: str, value: Any) -> None:
    """Keep ``value`` under ``key`` until the transaction now open on ``tx`` ends: what a
    store read or wrote in it that a later statement of the same transaction need not read
    again (the audit head it locked, the webhooks it queued for)."""
    tx.info[key] = (tx.get_transaction(), value)


_BEFORE_COMMIT = "varna.before_commit"


def before_commit(tx: Transaction, key: str, run: Callable[[], None]) -> None:
    """Run ``run`` just before the transaction now open on ``tx`` commits (as its last
    statements), once per ``key``; never when it rolls back. For work whose lock is best held
    only from there to the commit: the audit head, which every audited transaction of every
    process takes in turn, is locked and moved last (``AuditLog.append_at_commit``)."""
    hooks: dict[str, Callable[[], None]] | None = held(tx, _BEFORE_COMMIT)
    if hooks is None:
        hooks = {}
        hold(tx, _BEFORE_COMMIT, hooks)
    hooks.setdefault(key, run)


def _run_before_commit(tx: Transaction) -> None:
    hooks: dict[str, Callable[[], None]] | None = held(tx, _BEFORE_COMMIT)
    while hooks:  # a hook may add another
        run = hooks.pop(next(iter(hooks)))
        run()


def describe_url(url: sa.URL) -> str:
    """The database named for humans: backend, host and database, never user or password."""
    if url.get_backend_name() == "sqlite":
        return f"sqlite:{url.database or ':memory:'}"
    host = url.host or "localhost"
    port = f":{url.port}" if url.port else ""
    return f"{url.get_backend_name()}://{host}{port}/{url.database or ''}"


def _hint(exc: sa.exc.SQLAlchemyError, where: str) -> str:
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return "the schema is missing or old: run the state migrations (StateDB.migrate)"
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        if "locked" in text or "busy" in text:
            return "another process holds the write lock for too long; retry"
        return f"check that {where} is reachable and that VARNA_DATABASE_URL is right"
    return "see the cause above; the transaction was rolled back"


def state_error(exc: sa.exc.SQLAlchemyError, *, where: str, doing: str) -> StateError:
    """Translate a SQLAlchemy error into a :class:`StateError` that says what, where and how."""
    cause = getattr(exc, "orig", None) or exc
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return StateError(
        f"state database {where}: {doing} failed ({type(cause).__name__}: {first_line}); "
        f"{_hint(exc, where)}"
    )


def _prepare_sqlite(url: sa.URL) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def fetch_tuples(conn: sa.Connection, statement: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """Run a Core ``SELECT`` on ``conn``'s DBAPI cursor and return its rows as plain tuples.

    For hot loops over millions of rows (``verify`` reads the whole audit log): it skips
    SQLAlchemy's result rows and type processing, which costs more than the hashing, so use it
    only for columns whose driver values are already right (integers and text).
    """
    compiled = statement.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(compiled), args)
        return list(cursor.fetchall())
    except conn.dialect.loaded_dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(
            str(compiled), args, exc, conn.dialect.loaded_dbapi.Error
        ) from exc
    finally:
        cursor.close()


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=]*=(.*)$", re.MULTILINE)


def _scanned_head() -> str | None:
    """The head revision read from the scripts' text, without importing them (Alembic's
    script directory imports every migration, and Alembic with it: most of a server's
    start-up); ``None`` when the text is not the plain one-line form (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        text = script.read_text("utf-8")
        found = {m.group(1): m.group(2) for m in _REVISION_LINE.finditer(text)}
        if "revision" not in found or "down_revision" not in found:
            continue
        own = re.findall(r"[\"']([^\"']+)[\"']", found["revision"])
        if len(own) != 1:
            return None
        revisions.add(own[0])
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", found["down_revision"]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


@cache
def head_revision() -> str:
    """The newest schema revision this Varna ships (read once per process: the scripts are
    part of the installed package)."""
    scanned = _scanned_head()
    if scanned is not None:
        return scanned
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StateError("this Varna ships no state migrations: reinstall it")
    return head


@dataclass(frozen=True, slots=True)
class Revision:
    """Where a state database's schema is: its revision, the newest this Varna knows, and
    whether that newest one is known to the database (``None``: never migrated)."""

    where: str
    current: str | None
    head: str

    @property
    def status(self) -> str:
        """``"current"``, ``"empty"``, ``"older"`` or ``"newer"``."""
        if self.current == self.head:
            return "current"
        if self.current is None:
            return "empty"
        from alembic.script import ScriptDirectory
        from alembic.script.revision import RevisionError
        from alembic.util import CommandError

        script = ScriptDirectory.from_config(_alembic_config())
        try:
            known = script.get_revision(self.current) is not None
        except (CommandError, RevisionError):  # an id this Varna's migrations do not have
            known = False
        return "older" if known else "newer"


def _current_revision(conn: sa.Connection) -> str | None:
    """The revision in Alembic's version table, read without importing Alembic (which costs
    most of a server's start-up); Alembic itself reads it when the table is not plain."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    table = sa.table("alembic_version", sa.column("version_num", sa.String()))
    found = conn.execute(sa.select(table.c.version_num)).scalars().all()
    if len(found) == 1:
        return str(found[0])
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


class StateDB:
    """Varna's own database: an Engine plus transactions that say whether they write.

    Build it with :func:`open_state`. Use :meth:`read` for a consistent snapshot and :meth:`write`
    for a transaction that serialises with other writers; both roll back on error and raise
    :class:`StateError`.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.where = describe_url(engine.url)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"StateDB({self.where!r})"

    @contextmanager
    def _transaction(self, doing: str, options: dict[str, Any]) -> Iterator[sa.Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**options)
                with conn.begin():
                    yield conn
                    _run_before_commit(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise state_error(exc, where=self.where, doing=doing) from exc

    def read(self, doing: str = "read") -> AbstractContextManager[sa.Connection]:
        """A read transaction that sees one snapshot throughout (REPEATABLE READ on PostgreSQL)."""
        options = {"isolation_level": "REPEATABLE READ"} if self.dialect == "postgresql" else {}
        return self._transaction(doing, options)

    def write(self, doing: str = "write") -> AbstractContextManager[sa.Connection]:
        """A write transaction; on SQLite it holds the write lock from its first statement."""
        options = {_BEGIN_OPTION: "IMMEDIATE"} if self.dialect == "sqlite" else {}
        return self._transaction(doing, options)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the lock called ``name`` across processes and hosts until the block ends.

        For work that spans several transactions, or another database (an erasure in an
        organisation's system): PostgreSQL session-level advisory lock on a connection of its
        own; SQLite an ``flock`` on a file beside the database (one of a fixed number, chosen by
        the name's hash). Both are released when the process dies, so a crash never leaves a
        lock behind.
        """
        digest = hashlib.sha256(name.encode()).digest()
        if self.dialect == "postgresql":
            key = int.from_bytes(digest[:8], "big", signed=True)
            try:
                conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                conn.execute(sa.select(sa.func.pg_advisory_lock(key)))
            except sa.exc.SQLAlchemyError as exc:
                raise state_error(exc, where=self.where, doing=f"taking the lock {name}") from exc
            try:
                yield
            finally:
                with suppress(sa.exc.SQLAlchemyError):  # a lost session released it already
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(key)))
                conn.close()
            return
        database = self.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            yield  # one process owns an in-memory database
            return
        bucket = int.from_bytes(digest[:4], "big") % _SQLITE_LOCK_BUCKETS
        folder = Path(database).expanduser().with_name(Path(database).name + ".locks")
        folder.mkdir(mode=0o700, exist_ok=True)
        with (folder / f"{bucket:04d}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision`` with the Alembic migrations shipped in the package."""
        from alembic import command

        self._alembic(command.upgrade, revision, f"migration to {revision}")

    def downgrade(self, revision: str) -> None:
        """Downgrade the schema to ``revision`` (``"base"``: drop every Varna table)."""
        from alembic import command

        self._alembic(command.downgrade, revision, f"downgrade to {revision}")

    def _alembic(self, run: Callable[[Config, str], None], revision: str, doing: str) -> None:
        with self.write(doing) as conn:
            self._lock_migrations(conn)
            self._run_alembic(conn, run, revision)

    def _lock_migrations(self, conn: sa.Connection) -> None:
        """One migrator at a time (SQLite: the write transaction already holds the lock)."""
        if self.dialect == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))

    @staticmethod
    def _run_alembic(
        conn: sa.Connection, run: Callable[[Config, str], None], revision: str
    ) -> None:
        config = _alembic_config()
        config.attributes["connection"] = conn
        run(config, revision)

    def check_revision(self) -> Revision:
        """Where this database's schema is against the newest this Varna ships."""
        return Revision(self.where, self.revision(), head_revision())

    def open_at_head(self) -> Revision:
        """Refuse a schema this Varna cannot use; build a brand-new one.

        A database with none of Varna's tables is migrated to the newest revision (a new
        installation, the demo). A database at an older revision is refused with the command
        that upgrades it (``varna state upgrade``, after a backup); one at a revision this Varna
        does not know (written by a newer Varna) is refused too. Serialised with other
        processes starting at once by the migration lock.
        """
        head = head_revision()
        with self.read("checking the schema revision") as conn:  # the usual case: no lock
            current = _current_revision(conn)
        if current == head:
            return Revision(self.where, current, head)
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        with self.write("checking the schema revision") as conn:
            self._lock_migrations(conn)
            current = MigrationContext.configure(conn).get_current_revision()
            found = Revision(self.where, current, head)
            if found.status == "empty":
                present = set(sa.inspect(conn).get_table_names()) & set(metadata.tables)
                if present:
                    raise StateError(
                        f"state database {self.where}: it holds Varna tables "
                        f"({', '.join(sorted(present))}) but no schema revision; restore it from "
                        "a backup, or point VARNA_DATABASE_URL at an empty database"
                    )
                self._run_alembic(conn, command.upgrade, head)
                return Revision(self.where, head, head)
        if found.status == "older":
            raise StateError(
                f"state database {self.where}: its schema is at revision {current}, this Varna "
                f"needs {head}; back it up, then run `varna state upgrade`"
            )
        if found.status == "newer":
            raise StateError(
                f"state database {self.where}: its schema is at revision {current}, which this "
                f"Varna (newest {head}) does not know: it was upgraded by a newer Varna; "
                "install that version here"
            )
        return found

    def revision(self) -> str | None:
        """The Alembic revision the database is at, or ``None`` when it was never migrated."""
        with self.read("reading the schema revision") as conn:
            return _current_revision(conn)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_state(url: str) -> StateDB:
    """Open (and for SQLite, create the folder of) the state database at ``url``.

    Nothing is created in the database itself: call :meth:`StateDB.migrate` for that.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StateError(
            "VARNA_DATABASE_URL is not a SQLAlchemy URL: use e.g. sqlite:///path/state.db or "
            "postgresql+psycopg://user@host/dbname"
        ) from exc
    where = describe_url(parsed)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    connect_args: dict[str, Any] = {"timeout": _SQLITE_BUSY_TIMEOUT_S} if is_sqlite else {}
    try:
        if is_sqlite:
            _prepare_sqlite(parsed)
        engine = sa.create_engine(parsed, connect_args=connect_args, pool_pre_ping=not is_sqlite)
    except OSError as exc:
        raise StateError(
            f"state database {where}: cannot create its folder ({exc.strerror}); "
            "check the path and its permissions"
        ) from exc
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise StateError(
            f"state database {where}: unsupported URL ({exc}); use sqlite:/// or "
            "postgresql+psycopg://"
        ) from exc
    if is_sqlite:
        _install_sqlite_events(engine)
    return StateDB(engine)

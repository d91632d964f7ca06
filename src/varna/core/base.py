"""The resources every operation shares: settings, register, state, audit log, ledger, journal,
the request policy and a pool of connectors to the organisation's systems.

Each area of operations (see :mod:`varna.core`) subclasses :class:`VarnaBase`."""

from __future__ import annotations

import hmac
import os
import queue
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from varna.register import Register, load_register
from varna.settings import Settings

if TYPE_CHECKING:
    from varna.audit.log import AuditLog
    from varna.connectors.base import Connector
    from varna.dsr.journal import StateErasureJournal
    from varna.dsr.requests import Policy
    from varna.state.database import StateDB
    from varna.state.ledger import SubjectLedger

Connectors = dict[str, "Connector"]


def ledger_key(audit_key: bytes) -> bytes:
    """The key of the ledger's pseudonyms, derived from the audit key (one secret to keep).

    The label is the one earlier versions used, so pseudonyms already stored keep matching."""
    return hmac.digest(audit_key, b"varna.subjects.ledger", "sha256")


class ConnectorPool:
    """Sets of open connectors to every system, lent to one caller at a time.

    A connector keeps its transaction on itself while one is open, so a set is never shared:
    :meth:`lease` takes an idle set (or opens a new one) and puts it back when the block ends,
    whatever thread runs it. :meth:`close` closes the idle sets; a set lent out is closed when
    it comes back after that.
    """

    def __init__(self, opener: Callable[[], Connectors]) -> None:
        self._open = opener
        self._idle: queue.LifoQueue[Connectors] = queue.LifoQueue()
        self._closed = threading.Event()

    @contextmanager
    def lease(self) -> Iterator[Connectors]:
        try:
            connectors = self._idle.get_nowait()
        except queue.Empty:
            connectors = self._open()
        try:
            yield connectors
        finally:
            if self._closed.is_set():
                _close_all(connectors)
            else:
                self._idle.put(connectors)

    def close(self) -> None:
        self._closed.set()
        while True:
            try:
                _close_all(self._idle.get_nowait())
            except queue.Empty:
                return


def _close_all(connectors: Connectors) -> None:
    for connector in connectors.values():
        connector.close()


class VarnaBase:
    """The resources of one Varna: opened on first use, closed by :meth:`close`."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        register_path: Path | None = None,
        register: Register | None = None,
        environ: Mapping[str, str] | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.register_path = register_path or self.settings.register_file
        self.environ: Mapping[str, str] = environ if environ is not None else os.environ
        if policy is not None:
            self.__dict__["policy"] = policy
        if register is not None:
            self.__dict__["register"] = register

    @cached_property
    def register(self) -> Register:
        """The register, loaded from ``register_path`` on first use."""
        return load_register(self.register_path, max_bytes=self.settings.register_max_bytes)

    @cached_property
    def policy(self) -> Policy:
        """Who may move a request and which kinds need four eyes (varna.dsr.requests)."""
        from varna.dsr.requests import Policy

        return Policy()

    @property
    def base_dir(self) -> Path:
        """The register's folder: relative system paths are under it."""
        return Path(self.register_path).resolve().parent

    @cached_property
    def state(self) -> StateDB:
        """Varna's own database; a new one is created at the newest schema, an older or newer
        schema is refused (``varna state upgrade``; see :meth:`StateDB.open_at_head`)."""
        from varna.state.database import open_state

        db = open_state(self.settings.state_url)
        # pooled connections are closed when this object goes, even if nobody calls close()
        weakref.finalize(self, db.close)
        db.open_at_head()
        return db

    @cached_property
    def connector_pool(self) -> ConnectorPool:
        """The organisation's systems, opened on first use and reused (see ConnectorPool)."""
        from varna.connectors.registry import open_connectors

        opener = partial(
            open_connectors, self.register, base_dir=self.base_dir, environ=self.environ
        )
        pool = ConnectorPool(opener)
        weakref.finalize(self, pool.close)
        return pool

    def connectors(self) -> AbstractContextManager[Connectors]:
        """A set of connectors for one operation: ``with varna.connectors() as conns: ...``."""
        return self.connector_pool.lease()

    def close(self) -> None:
        """Close the connectors, the state database's pooled connections and the doors' job
        dispatchers (their queue connections), if opened."""
        for name in ("dispatcher", "notice_dispatcher", "policy_dispatcher"):
            closer = getattr(self.__dict__.get(name), "close", None)
            if callable(closer):
                closer()
        pool = self.__dict__.get("connector_pool")
        if pool is not None:
            pool.close()
        db = self.__dict__.get("state")
        if db is not None:
            db.close()

    @cached_property
    def audit(self) -> AuditLog:
        """The append-only, hash-chained audit log."""
        from varna.audit.log import AuditLog

        return AuditLog(self.state, key=self.settings.audit_key_bytes())

    @cached_property
    def ledger(self) -> SubjectLedger:
        """Requests, restrictions (Art. 18) and the suppression list (Art. 21(3))."""
        from varna.audit.pseudonym import pseudonymise
        from varna.state.ledger import SubjectLedger

        key = ledger_key(self.settings.audit_key_bytes())
        return SubjectLedger(self.state, pseudonymise=partial(pseudonymise, key=key))

    @cached_property
    def erasure_journal(self) -> StateErasureJournal:
        """Erasures under way (Art. 17), in the state database so any process can finish them."""
        from varna.dsr.journal import StateErasureJournal

        return StateErasureJournal(self.state)

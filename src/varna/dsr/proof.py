"""Proof of what a request did: audit events naming the person only by keyed pseudonyms.

Every execution appends one event per system it read or changed, with counts and content hashes
only (``varna.audit`` refuses e-mail addresses and personnummer in details). The person is the
pseudonym of the first identity given (:func:`varna.audit.pseudonymise`); the pseudonyms of the
others are listed, so the trail of one person can be found again from any of their identities.

The ``at`` a recorder is given is the "as of" time of the request (``--at``): the audit log
dates every entry with the real time and keeps a distant ``at`` as ``details["as_of"]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from varna.audit.log import AuditLog
from varna.audit.models import NewEvent
from varna.audit.pseudonym import pseudonymise
from varna.dsr.identity import Identity


class Recorder(Protocol):
    """Where executors report what they did (the audit log, or a list in tests)."""

    def record(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None: ...

    def record_each(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        details_by_target: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """One event per target, all written together (one transaction in the audit log)."""
        ...


def pseudonyms(identities: Sequence[Identity], *, key: bytes) -> list[str]:
    return list(dict.fromkeys(pseudonymise(i.kind, i.value, key=key) for i in identities))


class AuditRecorder:
    """Appends request events to the hash-chained audit log."""

    def __init__(self, log: AuditLog, *, key: bytes, actor: str) -> None:
        self._log, self._key, self._actor = log, key, actor

    def __repr__(self) -> str:
        return f"AuditRecorder({self._actor!r})"

    @property
    def log(self) -> AuditLog:
        """The log events go to: for writing them inside a state transaction
        (``append_at_commit``)."""
        return self._log

    def event(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> NewEvent:
        """The event :meth:`record` would append, to be written in the caller's transaction."""
        names = pseudonyms(identities, key=self._key)
        full = {**(details or {}), "also_known_as": names[1:]}
        subject = names[0] if names else None
        return NewEvent(at, self._actor, action, subject, target, full)

    def record(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self._write([self.event(action, identities, at=at, target=target, details=details)])

    def record_each(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        details_by_target: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """One event per target in one transaction: all are recorded or none."""
        self._write(
            [
                self.event(action, identities, at=at, target=target, details=details)
                for target, details in details_by_target.items()
            ]
        )

    def _write(self, events: list[NewEvent]) -> None:
        """Append ``events`` in one transaction of their own."""
        self._log.append_many(events)


class DeferredRecorder(AuditRecorder):
    """Keeps the events an execution reports, to be appended in the transaction that answers
    its request (:meth:`AuditLog.append_at_commit`): the proof and the answer are written
    together or not at all, in one transaction instead of one each."""

    def __init__(self, log: AuditLog, *, key: bytes, actor: str) -> None:
        super().__init__(log, key=key, actor=actor)
        self.events: list[NewEvent] = []

    def __repr__(self) -> str:
        return f"DeferredRecorder({self._actor!r}, {len(self.events)} event(s))"

    def _write(self, events: list[NewEvent]) -> None:
        self.events.extend(events)


class MemoryRecorder:
    """Keeps events in a list: for tests and dry runs."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, dict[str, Any]]] = []

    def record(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        target: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.events.append((action, target, dict(details or {})))

    def record_each(
        self,
        action: str,
        identities: Sequence[Identity],
        *,
        at: datetime,
        details_by_target: Mapping[str, Mapping[str, Any]],
    ) -> None:
        for target, details in details_by_target.items():
            self.events.append((action, target, dict(details)))

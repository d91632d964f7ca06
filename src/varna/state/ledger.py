"""What Varna remembers about people between requests, one store per role.

:class:`SubjectLedger` gathers the stores (requests, restrictions, suppressions; a consent
ledger will join them) and answers the question retention asks of all of them together: which
rows of the organisation's systems must be kept now (:meth:`SubjectLedger.pinned_rows`).
Identities are pseudonymised by the function the core builds from the installation's key, in
their normalised form, so one person is one entry however the address was typed; the stores
hold no value that identifies a person without that key.
"""

from __future__ import annotations

from collections.abc import Iterable

from varna.state.database import StateDB
from varna.state.requests import RequestStore
from varna.state.restrictions import RestrictionStore, decode_key
from varna.state.rows import Named, Pseudonymise, RowKey, pseudonyms_of
from varna.state.suppressions import SuppressionStore


class SubjectLedger:
    """Requests, restrictions and suppressions of one state database."""

    def __init__(self, state: StateDB, *, pseudonymise: Pseudonymise) -> None:
        self._state, self._pseudonymise = state, pseudonymise
        self.requests = RequestStore(state)
        self.restrictions = RestrictionStore(state, pseudonymise=pseudonymise)
        self.suppressions = SuppressionStore(state, pseudonymise=pseudonymise)

    def __repr__(self) -> str:
        return f"SubjectLedger({self._state.where!r})"

    def pseudonyms(self, identities: Iterable[Named]) -> list[str]:
        """The ledger pseudonym of each identity, without repeats, in order."""
        return pseudonyms_of(identities, self._pseudonymise)

    def pinned_rows(self) -> dict[tuple[str, str], set[RowKey]]:
        """(system, table) -> primary keys of rows kept for an active restriction (Art. 18(2))
        or a request not yet answered, read in one snapshot."""
        out: dict[tuple[str, str], set[RowKey]] = {}
        with self._state.read("reading kept rows") as conn:
            for store in (self.restrictions, self.requests):
                for system, table, key in store.pinned_rows(conn):
                    out.setdefault((system, table), set()).add(decode_key(key))
        return out

"""API keys: authenticated keys are cached per process, and a key revoked by another process
stops working in this one (SQLite: ``data_version``; PostgreSQL: ``NOTIFY``)."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from varna.state import open_state
from varna.state.api_keys import ApiKeyStore, _cache

NOW = datetime(2026, 5, 4, 12, tzinfo=UTC)

REVOKE = """
import sys
from datetime import UTC, datetime
from varna.state import open_state
from varna.state.api_keys import ApiKeyStore
with open_state(sys.argv[1]) as db:
    ApiKeyStore(db).revoke(sys.argv[2], now=datetime(2026, 5, 4, 13, tzinfo=UTC))
"""


def revoked_here_within(store: ApiKeyStore, token: str, seconds: float) -> bool:
    """Whether ``token`` stops authenticating in this process within ``seconds`` (the other
    process's revocation reaches a PostgreSQL listener asynchronously, within milliseconds)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if store.authenticate(token) is None:
            return True
        time.sleep(0.01)
    return False


def cached(store_db: object) -> bool:
    """Whether the cache is in use (PostgreSQL: once its listener is listening)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _cache(store_db).now() is not None:  # type: ignore[arg-type]
            return True
        time.sleep(0.01)
    return False


def test_a_key_revoked_by_another_process_stops_here(state_url: str) -> None:
    with open_state(state_url) as db:
        db.migrate()
        store = ApiKeyStore(db)
        key, token = store.create(
            name="crm", scopes=frozenset({"read"}), created_by="test", now=NOW
        )
        other, other_token = store.create(
            name="erp", scopes=frozenset({"read"}), created_by="test", now=NOW
        )
        assert cached(db)
        for _ in range(3):  # the first call reads the row, the others are served from the cache
            assert store.authenticate(token) == key
            assert store.authenticate(other_token) == other
        assert _cache(db).entries
        subprocess.run([sys.executable, "-c", REVOKE, state_url, key.id], check=True)
        assert revoked_here_within(store, token, 30)
        assert store.authenticate(other_token) == other


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # the secret wrong
        lambda t: "vk_000000000000_" + t.split("_", 2)[2],  # another id
        lambda t: t.replace("vk_", "xk_", 1),  # not a key
        lambda t: "vk_",  # too short
    ],
)
def test_a_wrong_key_is_refused_before_and_after_the_right_one_is_cached(
    sqlite_url: str, tamper: object
) -> None:
    with open_state(sqlite_url) as db:
        db.migrate()
        store = ApiKeyStore(db)
        key, token = store.create(name="crm", scopes=frozenset({"read"}), created_by="t", now=NOW)
        wrong = tamper(token)  # type: ignore[operator]
        assert store.authenticate(wrong) is None
        assert store.authenticate(token) == key
        assert store.authenticate(wrong) is None


def test_a_key_revoked_in_this_process_stops_at_once(state_url: str) -> None:
    with open_state(state_url) as db:
        db.migrate()
        store = ApiKeyStore(db)
        key, token = store.create(name="crm", scopes=frozenset({"read"}), created_by="t", now=NOW)
        assert store.authenticate(token) == key
        store.revoke(key.id, now=NOW)
        assert store.authenticate(token) is None


def test_the_non_blocking_lookup_knows_only_what_is_fresh(sqlite_url: str) -> None:
    with open_state(sqlite_url) as db:
        db.migrate()
        store = ApiKeyStore(db)
        key, token = store.create(name="crm", scopes=frozenset({"read"}), created_by="t", now=NOW)
        assert store.cached("not-a-key") == (True, None)
        assert store.cached(token) == (False, None)  # never checked: the caller must read
        assert store.authenticate(token) == key
        assert store.cached(token) == (True, key)
        subprocess.run([sys.executable, "-c", REVOKE, sqlite_url, key.id], check=True)
        assert store.cached(token) == (False, None)  # another process wrote: read again
        assert store.authenticate(token) is None
        assert store.cached(token) == (True, None)

"""Worker processes for the concurrency test: each builds its own Varna (as a worker on another
host would) and hammers one person; it reports what each call returned, never a value."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from varna.core import Varna
from varna.dsr.requests import Actor, Kind, Role
from varna.errors import RequestError
from varna.settings import Settings
from varna.state.restrictions import Ground

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _varna(settings: dict[str, Any]) -> Varna:
    return Varna(Settings(**settings), environ={})


def receive_and_restrict(
    settings: dict[str, Any], identity: str, rounds: int, worker: int, barrier: Any, out: Any
) -> None:
    """``rounds`` times: receive an access, a restriction and an erasure request, restrict."""
    varna = _varna(settings)
    counts: Counter[str] = Counter()
    actor = Actor(f"worker{worker}", Role.case_handler)
    try:
        barrier.wait()
        for i in range(rounds):
            now = T0 + timedelta(seconds=i)
            for kind in (Kind.access, Kind.restriction, Kind.erasure):
                got = varna.receive([identity], kind=kind, now=now, actor=actor)
                counts[f"receive.{kind.value}.{'created' if got.created else 'merged'}"] += 1
            try:
                done = varna.restrict(
                    [identity], ground=Ground.legal_claims, now=now, actor=actor, execute=True
                )
            except RequestError:  # another worker is executing the restriction request
                counts["restrict.refused"] += 1
                continue
            counts["restrict.done"] += 1
            counts["restrict.created"] += bool(done.result.created)
            counts["restrict.answered"] += done.request is not None
    finally:
        varna.close()
    out.put(dict(counts))


def erase_once(
    settings: dict[str, Any], identity: str, worker: int, barrier: Any, out: Any
) -> None:
    """Execute the approved erasure of the person, all workers at once."""
    varna = _varna(settings)
    result: dict[str, int] = {}
    try:
        barrier.wait()
        try:
            done = varna.erase(
                [identity], now=T0, actor=Actor(f"worker{worker}", Role.system), execute=True
            )
        except RequestError:
            result["refused"] = 1
        else:
            result["answered"] = int(done.request is not None)
            result["receipts"] = len(done.result.receipts)
    finally:
        varna.close()
    out.put(result)


def vouched_access(
    settings: dict[str, Any], identity: str, rounds: int, worker: int, barrier: Any, out: Any
) -> None:
    """``rounds`` times: submit an access for the person through the API as a caller who
    verified them (answered in the call, in its receipt's transaction)."""
    from varna.core.key_ops import Attested
    from varna.dsr.requests import Assurance

    varna = _varna(settings)
    counts: Counter[str] = Counter()
    key = varna.create_api_key(
        name=f"desk{worker}", scopes=["requests"], created_by="test", now=T0
    ).key
    try:
        barrier.wait()
        for i in range(rounds):
            done = varna.submit_via_api(
                key=key,
                kind=Kind.access,
                identities=[identity],
                now=T0 + timedelta(seconds=i),
                attested=Attested("checked at the desk", Assurance.staff_document),
            )
            counts[f"{done.status.record.state}.{'new' if done.status.created else 'merged'}"] += 1
    finally:
        varna.close()
    out.put(dict(counts))

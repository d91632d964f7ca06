"""Background work through procrastinate, on Varna's own PostgreSQL state database.

A larger organisation points ``VARNA_DATABASE_URL`` at PostgreSQL and runs ``varna worker`` in
as many processes or machines as it likes. The job queue is procrastinate: jobs are rows in
PostgreSQL, taken with ``FOR UPDATE SKIP LOCKED``, so each job runs once however many workers
poll; a periodic task is deferred once per tick however many workers run the scheduler (its
``periodic_defers`` table has a unique key per task and tick).

Jobs:

``varna.retention.sweep``
    The retention sweep (issue 4), deferred every ``VARNA_RETENTION_SCHEDULE`` (cron, UTC;
    default 03:00 daily) and on demand (``varna worker --sweep-now``). The tick's timestamp is
    the sweep's clock, so a job run late still sweeps as of its tick. All sweeps share one
    procrastinate ``lock``: two never run at once, and a sweep deferred while one is queued is
    not queued twice (``queueing_lock``). The job runs exactly what ``varna retention run
    --execute`` runs, honouring restrictions, and records itself in the audit log (and appends
    a signed checkpoint).

``varna.audit.checkpoint``
    A signed checkpoint of the audit log appended to ``VARNA_CHECKPOINT_FILE``, deferred every
    ``VARNA_CHECKPOINT_SCHEDULE`` (cron, UTC; default 03:30 daily), so a reset or a restored
    older copy of the state is caught by ``varna audit verify --against`` even on days nothing
    else writes a checkpoint. On several hosts, point the setting at storage each can append to,
    or give each host its own file (any one of them anchors the log).

``varna.jobs.prune``
    Removes the jobs that succeeded more than ``VARNA_JOBS_KEEP_DAYS`` days ago (default 30),
    deferred every ``VARNA_JOBS_PRUNE_SCHEDULE`` (cron, UTC; default 03:45 daily), so the
    queue's tables do not grow with every request and notice for good. Failed and cancelled
    jobs stay for staff; what every job did is in the audit log.

``varna.requests.execute``
    Carries out one data-subject request by its reference (``Varna.execute_request``): deferred
    by the privacy centre and the API when a request may go ahead, one job per request at a
    time, retried with back-off (about 16 s, 1 min, 4 min, 17 min); a request that still fails
    stays ``failed``, visible, for staff to retry.

``varna.requests.requeue_stalled``
    Every five minutes, queues again each request left ``approved`` or ``executing`` for five
    minutes (``Varna.stalled_requests``): its job was lost, or the process answering it at once
    for a caller that waited (``Prefer: wait``) died. A request still queued is not queued
    twice, and one being carried out is not run twice (the per-request lock).

``varna.notices.deliver``
    Sends the notices and webhook deliveries the moves of requests queued (``Varna.
    deliver_notices``): deferred by a door after a move (at most one waiting at a time), and again
    at the time the next webhook retry is due. All delivery runs share one lock: two never run
    at once, so no notice is sent twice.

``varna.policy.notify``
    E-mails the people the register says must hear of the newest policy version with material
    changes (``Varna.notify_policy_change``); resumable: a rerun skips those already told.

``varna.discovery.unit``
    Scans one table or file of a discovery scan fanned out by ``varna discover`` on a
    PostgreSQL state (``Varna.run_discovery_unit``): one job per unit, so any number of workers
    share a scan and each unit is scanned by one of them; the survey (labels, counts, masked
    examples, never values) is stored in ``discovery_units`` and the report merges them.

On SQLite (one small company, one machine) there is no queue: ``varna retention run --execute``
from cron or a systemd timer is the schedule (docs/retention.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import JobDeferrer

from varna.core import Varna
from varna.settings import Settings
from varna.state.queue import create_queue_schema, is_postgresql, libpq_url

SWEEP_TASK = "varna.retention.sweep"
SWEEP_LOCK = "varna-retention-sweep"
EXECUTE_TASK = "varna.requests.execute"
EXECUTE_RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=4)
"""A failed request is tried again after about 16 s, 1 min, 4 min and 17 min, then stays failed
(visible in ``varna dsr requests`` and the API) for staff to retry."""
CHECKPOINT_TASK = "varna.audit.checkpoint"
CHECKPOINT_LOCK = "varna-audit-checkpoint"
QUEUE = "varna"
NOTICES_TASK = "varna.notices.deliver"
STALLED_TASK = "varna.requests.requeue_stalled"
NOTICES_LOCK = "varna-notices"
POLICY_NOTIFY_TASK = "varna.policy.notify"
DISCOVERY_TASK = "varna.discovery.unit"
PRUNE_TASK = "varna.jobs.prune"


_services: dict[tuple[str, int, int], Varna] = {}
_services_lock = threading.Lock()


def service() -> Varna:
    """This worker process's Varna, built on the first job and kept: its register, state pool
    and open connectors serve every later job, as the web process keeps one. The settings are
    read from the environment for each job, and a changed register file (its size or time of
    change) or other settings build a new one, as a new process would."""
    settings = Settings()
    register = settings.register_file
    try:
        seen = register.stat()
        stamp = (seen.st_mtime_ns, seen.st_size)
    except OSError:
        stamp = (0, 0)  # missing: building the service reports it
    key = (settings.model_dump_json(), *stamp)
    with _services_lock:
        varna = _services.get(key)
        if varna is None:
            _services.clear()  # the one before closes its pools once no job holds it
            varna = _services[key] = Varna(settings)
        return varna


def sweep(at: datetime) -> int:
    """Run one retention sweep as of ``at`` with the settings of this process; rows swept."""
    done = service().run_retention(now=at, environ=os.environ, execute=True)
    return done.result.total if done.result is not None else 0


def checkpoint(at: datetime) -> int:
    """Append a signed checkpoint of the audit log, dated ``at``; the entry it anchors."""
    return service().write_checkpoint(now=at).checkpoint.seq


def execute(ref: str) -> str:
    """Carry out request ``ref`` with the settings of this process; the state it ends in.

    A failure marks the request failed (visible) and is raised again, so procrastinate retries
    the job; the retry sends the request back to approved first."""
    from varna.dsr.requests import SYSTEM

    return service().execute_request(ref, actor=SYSTEM, now=datetime.now(UTC)).record.state


def stalled(at: datetime) -> list[str]:
    """The requests a worker should queue again as of ``at`` (``Varna.stalled_requests``)."""
    return service().stalled_requests(now=at)


def deliver(at: datetime) -> str | None:
    """Send the pending notices and webhook deliveries as of ``at``; when the next webhook try
    is due (ISO-8601), or None."""
    varna = service()
    varna.deliver_notices(now=at)
    return varna.next_webhook_try()


def notify_policy(at: datetime) -> int:
    """E-mail the people who must hear of the newest material policy change; how many."""
    return service().notify_policy_change(now=at, execute=True).sent


def request_job(app: procrastinate.App, ref: str) -> JobDeferrer:
    """The execution job of request ``ref``: one per request at a time (its reference is its
    lock), and not queued while one is waiting (its queueing lock)."""
    return app.tasks[EXECUTE_TASK].configure(lock=f"request:{ref}", queueing_lock=ref)


def build_app(settings: Settings, *, pool: tuple[int, int] | None = None) -> procrastinate.App:
    """The procrastinate app on the state database, with Varna's tasks and schedule; ``pool``
    sizes its connection pool (least, most connections)."""
    sizes: dict[str, Any] = {} if pool is None else {"min_size": pool[0], "max_size": pool[1]}
    connector = procrastinate.PsycopgConnector(conninfo=libpq_url(settings.state_url), **sizes)
    app = procrastinate.App(connector=connector)

    @app.periodic(cron=settings.retention_schedule, periodic_id="schedule")
    @app.task(
        name=SWEEP_TASK, queue=QUEUE, lock=SWEEP_LOCK, queueing_lock=SWEEP_LOCK, pass_context=False
    )
    def retention_sweep(timestamp: int) -> int:
        return sweep(datetime.fromtimestamp(timestamp, UTC))

    @app.task(name=EXECUTE_TASK, queue=QUEUE, retry=EXECUTE_RETRY, pass_context=False)
    def execute_request(ref: str) -> str:
        # one job per request at a time: deferred with the reference as its lock (the executor
        # also holds the person's execution lock, so two requests about one person never run at
        # once either)
        return execute(ref)

    @app.periodic(cron=settings.checkpoint_schedule, periodic_id="checkpoint")
    @app.task(
        name=CHECKPOINT_TASK,
        queue=QUEUE,
        lock=CHECKPOINT_LOCK,
        queueing_lock=CHECKPOINT_LOCK,
        pass_context=False,
    )
    def audit_checkpoint(timestamp: int) -> int:
        return checkpoint(datetime.now(UTC))

    @app.task(name=NOTICES_TASK, queue=QUEUE, lock=NOTICES_LOCK, pass_context=False)
    async def deliver_notices(timestamp: int) -> None:
        # run in a thread: the delivery is blocking I/O (SMTP, HTTP) and defers a follow-up
        due = await asyncio.to_thread(deliver, datetime.now(UTC))
        if due is not None:
            task = app.tasks[NOTICES_TASK].configure(
                queueing_lock=NOTICES_LOCK + "-retry",
                schedule_at=datetime.fromisoformat(due),
            )
            with contextlib.suppress(AlreadyEnqueued):
                await task.defer_async(timestamp=int(datetime.fromisoformat(due).timestamp()))

    @app.periodic(cron="*/5 * * * *", periodic_id="stalled")
    @app.task(name=STALLED_TASK, queue=QUEUE, queueing_lock=STALLED_TASK, pass_context=False)
    async def requeue_stalled(timestamp: int) -> int:
        # a request left approved or executing (its job lost, or the process answering it at
        # once for a waiting caller died) is queued again, one queued already is not; the tick
        # is the clock, as for the sweep
        refs = await asyncio.to_thread(stalled, datetime.fromtimestamp(timestamp, UTC))
        queued = 0
        for ref in refs:
            with contextlib.suppress(AlreadyEnqueued):
                await request_job(app, ref).defer_async(ref=ref)
                queued += 1
        return queued

    @app.periodic(cron=settings.jobs_prune_schedule, periodic_id="prune")
    @app.task(name=PRUNE_TASK, queue=QUEUE, queueing_lock=PRUNE_TASK, pass_context=False)
    async def prune_jobs(timestamp: int) -> None:
        await app.job_manager.delete_old_jobs(
            nb_hours=settings.jobs_keep_days * 24, queue=QUEUE, include_failed=False
        )

    @app.task(name=DISCOVERY_TASK, queue=QUEUE, pass_context=False)
    def discovery_unit(scan_id: str, system: str, unit: str) -> bool:
        return service().run_discovery_unit(
            scan_id, system, unit, environ=os.environ, now=datetime.now(UTC)
        )

    @app.task(name=POLICY_NOTIFY_TASK, queue=QUEUE, queueing_lock=POLICY_NOTIFY_TASK)
    def policy_notify(timestamp: int) -> int:
        return notify_policy(datetime.fromtimestamp(timestamp, UTC))

    return app


class Deferrer:
    """Queues jobs from a door's process (the web server) through one procrastinate app, opened
    on first use and kept, so a request's deferral is one insert on a pooled connection rather
    than a new connection each time. Thread-safe; :meth:`close` (by ``Varna.close``) closes it."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._app: procrastinate.App | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Deferrer(open={self._app is not None})"

    def _opened(self) -> procrastinate.App:
        with self._lock:
            if self._app is None:
                app = build_app(self._settings, pool=(1, 4))
                app.open()
                self._app = app
            return self._app

    def request(self, ref: str) -> bool:
        """Queue the execution of request ``ref``; False when it is queued already."""
        try:
            request_job(self._opened(), ref).defer(ref=ref)
        except AlreadyEnqueued:
            return False
        return True

    def notices(self, at: datetime) -> bool:
        """Queue a delivery run; False when one is waiting already (it sends these too)."""
        task = self._opened().tasks[NOTICES_TASK]
        try:
            task.configure(queueing_lock=NOTICES_LOCK).defer(timestamp=int(at.timestamp()))
        except AlreadyEnqueued:
            return False
        return True

    def policy(self, at: datetime) -> bool:
        """Queue the e-mails about the newest material policy change; False if queued."""
        try:
            self._opened().tasks[POLICY_NOTIFY_TASK].defer(timestamp=int(at.timestamp()))
        except AlreadyEnqueued:
            return False
        return True

    def close(self) -> None:
        """Close the app's connections, if it was opened."""
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None


class _Dispatch:
    """A door's dispatcher: calls one method of a :class:`Deferrer`; closed with the service."""

    def __init__(self, deferrer: Deferrer, method: Callable[..., bool]) -> None:
        self._deferrer, self._method = deferrer, method

    def __call__(self, *args: object) -> None:
        self._method(*args)

    def close(self) -> None:
        self._deferrer.close()


def policy_dispatcher(settings: Settings) -> Callable[[datetime], None] | None:
    """What a door sets as ``Varna.policy_dispatcher``: on PostgreSQL, queue the policy-change
    e-mails for the workers; on SQLite, None (sent by the process that asked)."""
    if not is_postgresql(settings.state_url):
        return None
    ensure_schema(settings)
    deferrer = Deferrer(settings)
    return _Dispatch(deferrer, deferrer.policy)


def notice_dispatcher(settings: Settings) -> Callable[[], None] | None:
    """What a door sets as ``Varna.notice_dispatcher``: on PostgreSQL, queue a delivery run for
    the workers; on SQLite, None (delivered in the process that made the move)."""
    if not is_postgresql(settings.state_url):
        return None
    ensure_schema(settings)
    deferrer = Deferrer(settings)
    return _Dispatch(deferrer, lambda: deferrer.notices(datetime.now(UTC)))


def ensure_schema(settings: Settings) -> bool:
    """Create procrastinate's tables in the state database unless they are there; True if made.

    Serialised with PostgreSQL's advisory lock so workers starting together create it once
    (:func:`varna.state.queue.create_queue_schema`).
    """

    def schema() -> str:
        return build_app(settings).schema_manager.get_schema()

    return create_queue_schema(settings.state_url, schema)


def defer_sweep(settings: Settings, *, at: datetime) -> bool:
    """Queue one sweep as of ``at``; False when one is queued already (it will run)."""
    app = build_app(settings)

    async def defer() -> bool:
        async with app.open_async():
            try:
                await app.tasks[SWEEP_TASK].defer_async(timestamp=int(at.timestamp()))
            except AlreadyEnqueued:
                return False
        return True

    return asyncio.run(defer())


def defer_discovery(settings: Settings, scan_id: str, units: list[tuple[str, str]]) -> int:
    """Queue one job per (system, unit) of a discovery scan; the jobs queued."""
    ensure_schema(settings)
    app = build_app(settings)

    async def defer() -> int:
        async with app.open_async():
            task = app.tasks[DISCOVERY_TASK]
            for system, unit in units:
                await task.defer_async(scan_id=scan_id, system=system, unit=unit)
        return len(units)

    return asyncio.run(defer())


def dispatcher(settings: Settings) -> Callable[[str], None] | None:
    """What a door sets as ``Varna.dispatcher``: on a PostgreSQL state, queue the request for
    the workers (creating the queue's tables on first use); on SQLite, None (carry it out in the
    process that asked)."""
    if not is_postgresql(settings.state_url):
        return None
    ensure_schema(settings)
    deferrer = Deferrer(settings)
    return _Dispatch(deferrer, deferrer.request)


def run_worker(settings: Settings, *, once: bool = False, concurrency: int = 1) -> None:
    """Run a worker: it defers the scheduled sweeps and runs queued jobs; ``once`` stops when
    the queue is empty (tests, and a run from cron on PostgreSQL)."""
    from varna import heap

    ensure_schema(settings)
    app = build_app(settings)
    if not once:  # a long-running worker (a run of the queue once, from cron or a test, ends)
        heap.settle()
    app.run_worker(
        queues=[QUEUE],
        wait=not once,
        concurrency=concurrency,
        install_signal_handlers=not once,
        listen_notify=not once,
    )

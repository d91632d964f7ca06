"""Operations of the service for the DPO console: the overview, the request queue, one
request with its plan, the moves staff make, the audit log and the register.

Each operation takes the signed-in :class:`~varna.core.user_ops.ConsoleUser` and asks the one
permission map first (:data:`~varna.core.user_ops.PERMISSIONS`). Seeing a request's plan (which
identity reached which row of which system) is seeing personal data: it is recorded in the audit
log with who and which request (Art. 5(2), 32(1)).
"""

from __future__ import annotations

import hashlib
import json
import statistics
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from varna.core.policy_ops import PolicyOps
from varna.core.register_ops import RegisterOps
from varna.core.retention_ops import RetentionOps
from varna.core.user_ops import ConsoleUser, Permission, UserOps
from varna.dsr.requests import Assurance, Kind, State
from varna.errors import StateError, VarnaError

if TYPE_CHECKING:
    from varna.audit.models import AuditHead, VerifyReport
    from varna.core.moves import RequestDetail, RequestStatus
    from varna.dsr.found import Conflict, Found
    from varna.register.checks import Finding
    from varna.render.versions import PolicyVersion
    from varna.retention.models import RetentionPlan
    from varna.state.requests import RequestFigures, RequestTiming


class Due(StrEnum):
    """The deadline filters of the queue."""

    overdue = "overdue"
    week = "week"


class ConsoleAction(StrEnum):
    """The moves staff make from a request's page."""

    verify = "verify"
    plan = "plan"
    decide = "decide"
    approve = "approve"
    refuse = "refuse"
    extend = "extend"


#: Moves that need a reason written down (Art. 12(3)-(5); a decision on conflicting rows).
NEEDS_REASON = frozenset(
    {ConsoleAction.verify, ConsoleAction.decide, ConsoleAction.refuse, ConsoleAction.extend}
)

#: Which moves a request in each state offers (the lifecycle rules still decide).
OFFERED: dict[State, tuple[ConsoleAction, ...]] = {
    State.received: (ConsoleAction.verify, ConsoleAction.extend, ConsoleAction.refuse),
    State.verified: (ConsoleAction.plan, ConsoleAction.extend, ConsoleAction.refuse),
    State.awaiting_decision: (
        ConsoleAction.decide,
        ConsoleAction.extend,
        ConsoleAction.refuse,
    ),
    State.awaiting_approval: (
        ConsoleAction.approve,
        ConsoleAction.extend,
        ConsoleAction.refuse,
    ),
    State.failed: (ConsoleAction.approve, ConsoleAction.refuse),
}


@dataclass(frozen=True, slots=True)
class Overview:
    """What is due, and how the machinery stands."""

    today: date
    open_count: int
    overdue: tuple[RequestStatus, ...]
    due_this_week: tuple[RequestStatus, ...]
    last_retention: dict[str, Any] | None
    findings: int | None
    """Register-check findings, for users who may see the register (else None)."""
    figures: Figures | None = None
    """Requests per month and per right, time to answer, deadline compliance."""
    next_retention: datetime | None = None
    """When the worker next runs the retention sweep (``VARNA_RETENTION_SCHEDULE``)."""


@dataclass(frozen=True, slots=True)
class Figures:
    """How requests have been answered (counts only, never a person), Art. 12(3), 5(2)."""

    per_month: tuple[tuple[str, int], ...]
    """Requests received per month (``YYYY-MM``), the last twelve months, oldest first."""
    per_kind: tuple[tuple[str, int], ...]
    """Requests received per right (the kind), every kind, over all time."""
    answered: int
    """Requests closed."""
    on_time: int
    """Of those, closed on or before the deadline that held (extended or not)."""
    median_days: float | None
    """Median calendar days from receipt to closing, None before the first is closed."""

    @property
    def compliance(self) -> float | None:
        """The share of closed requests closed in time, None before the first is closed."""
        return self.on_time / self.answered if self.answered else None


def request_figures(timings: list[RequestTiming], *, today: date) -> Figures:
    """The figures of the overview from every request's timing (a pure function)."""
    months = _last_months(today, 12)
    per_month = dict.fromkeys(months, 0)
    per_kind = {k.value: 0 for k in Kind}
    waits: list[int] = []
    on_time = 0
    for record in timings:
        month = record.received_at.strftime("%Y-%m")
        if month in per_month:
            per_month[month] += 1
        per_kind[record.kind] = per_kind.get(record.kind, 0) + 1
        if record.closed_at is None:
            continue
        closed = datetime.fromisoformat(record.closed_at).date()
        waits.append((closed - record.received_at.date()).days)
        on_time += closed <= record.due
    return Figures(
        per_month=tuple(per_month.items()),
        per_kind=tuple(per_kind.items()),
        answered=len(waits),
        on_time=on_time,
        median_days=statistics.median(waits) if waits else None,
    )


def figures_from_counts(counts: RequestFigures, *, today: date) -> Figures:
    """The figures of the overview from the store's SQL aggregates (a pure function; the
    same figures as :func:`request_figures` gives from every request's timing)."""
    months = _last_months(today, 12)
    per_month = {m: counts.per_month.get(m, 0) for m in months}
    per_kind = {k.value: 0 for k in Kind} | dict(counts.per_kind)
    waits = sorted(((closed - received).days, n) for received, closed, n, _ in counts.closed)
    answered = sum(n for _, n in waits)
    return Figures(
        per_month=tuple(per_month.items()),
        per_kind=tuple(per_kind.items()),
        answered=answered,
        on_time=sum(ok for *_, ok in counts.closed),
        median_days=_weighted_median(waits, answered) if answered else None,
    )


def _weighted_median(values: list[tuple[int, int]], total: int) -> float:
    """The median of ``values`` given as sorted (value, how many) pairs of ``total`` items."""

    def nth(i: int) -> int:
        seen = 0
        for value, n in values:
            seen += n
            if i < seen:
                return value
        raise IndexError(i)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _last_months(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def next_run(schedule: str, *, after: datetime) -> datetime:
    """The next time a cron ``schedule`` (UTC) fires after ``after``."""
    from croniter import croniter  # type: ignore[import-untyped]

    found: datetime = croniter(schedule, after.astimezone(UTC)).get_next(datetime)
    return found


#: Requests on one page of the queue.
QUEUE_PAGE = 100


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue and how many requests match the filters in all."""

    requests: tuple[RequestStatus, ...]
    total: int
    page: int = 0

    @property
    def has_next(self) -> bool:
        return (self.page + 1) * QUEUE_PAGE < self.total


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One row the request reaches: where, its key, which identity reached it and how."""

    system: str
    table: str
    key: str
    reached_by: str
    theirs: bool
    weak: bool


#: What a masked value shows instead of itself.
MASK = "••••••"


@dataclass(frozen=True, slots=True)
class PreviewTable:
    """What the answer holds from one table: its columns and, per row, the values; the values
    of sensitive columns replaced by :data:`MASK` unless unmasked."""

    system: str
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sensitive: tuple[str, ...] = ()
    """Columns whose category is special (Art. 9(1), Art. 10) or restricted by the register."""
    categories: tuple[str, ...] = ()
    """The categories of the sensitive columns."""


@dataclass(frozen=True, slots=True)
class RequestCase:
    """One request as the console shows it."""

    detail: RequestDetail
    today: date
    plan: tuple[PlanRow, ...] | None = None
    """None when the user may not see personal data or the identities are not kept."""
    conflicts: tuple[Conflict, ...] = ()
    plan_note: str | None = None
    actions: tuple[ConsoleAction, ...] = ()
    error: str | None = None
    """Why the move just asked for was not made (four eyes, a rule of the lifecycle)."""
    preview: tuple[PreviewTable, ...] | None = None
    """What the answer holds, per table (with ``personal_data``; None otherwise)."""
    unmasked: bool = False
    """Whether the sensitive values are shown (``special_categories`` and a reason given)."""
    may_unmask: bool = False
    """Whether the user holds ``special_categories`` and the preview has something masked."""

    @property
    def masked_count(self) -> int:
        """How many sensitive columns the preview has, over every table."""
        return sum(len(t.sensitive) for t in self.preview or ())

    @property
    def status(self) -> RequestStatus:
        return self.detail.status


@dataclass(frozen=True, slots=True)
class AuditPage:
    """The audit log's head and, when asked, the result of verifying it (against the newest
    signed checkpoint when the checkpoint file exists) or one person's events."""

    head: AuditHead
    report: VerifyReport | None = None
    checkpoint: bool = False
    """Whether ``report`` also compared the log with the checkpoint file."""
    pseudonyms: tuple[str, ...] = ()
    """The person's pseudonyms, when browsing by identity (never the identity itself)."""
    events: tuple[dict[str, Any], ...] | None = None
    """That person's events, oldest first (None: not asked)."""
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RegisterPage:
    """The register as loaded, with its check findings."""

    controller: str
    activities: tuple[str, ...]
    systems: tuple[tuple[str, int], ...]
    """Each system with how many tables the register declares in it."""
    findings: tuple[Finding, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class RetentionPage:
    """The retention plan as of a day (counts and rules per table, never a row) and the
    sign-offs recorded for that day."""

    on: date
    plan: RetentionPlan
    plan_hash: str
    """SHA-256 of the plan's counts and rules: a sign-off names the plan it approved."""
    sign_offs: tuple[dict[str, Any], ...] = ()


def _shown(value: Any) -> str:
    """A value as the preview prints it."""
    if value is None:
        return "–"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _due(status: RequestStatus) -> date:
    return status.due


class ConsoleOps(UserOps, RegisterOps, PolicyOps, RetentionOps):
    """Operations: what the console shows and the moves it makes."""

    def console_overview(
        self, user: ConsoleUser, *, today: date, now: datetime | None = None
    ) -> Overview:
        """Open requests by deadline (overdue, due within seven days), requests per month and
        per right, the median time to answer and the share answered in time, the last and next
        retention run and, for those who may see the register, how many check findings it
        has."""
        from varna.retention.run import ACTION
        from varna.state.sessions import last_audit_event

        user.require(Permission.overview)
        open_ = self.requests(open_only=True)
        week = today + timedelta(days=7)
        last = last_audit_event(self.state, ACTION)
        if last is not None:
            details = json.loads(last["details"])
            last = {
                "at": last["at"],
                "rows": details.get("rows", 0),
                "tables": len(details.get("tables", {})),
            }
        after = now or datetime(today.year, today.month, today.day, tzinfo=UTC)
        findings = None
        if user.can(Permission.register):
            findings = self._finding_count(today)
        return Overview(
            today=today,
            open_count=len(open_),
            overdue=tuple(s for s in open_ if _due(s) < today),
            due_this_week=tuple(s for s in open_ if today <= _due(s) <= week),
            last_retention=last,
            findings=findings,
            figures=figures_from_counts(
                self.ledger.requests.figures(since_month=_last_months(today, 12)[0]),
                today=today,
            ),
            next_retention=next_run(self.settings.retention_schedule, after=after),
        )

    def _finding_count(self, today: date) -> int:
        """How many findings the register's own checks give as of ``today``: a function of the
        register and the day only, so kept until either changes (the overview is opened often)."""
        register = self.register
        memo = self.__dict__.get("_console_findings")
        if memo is not None and memo[0] is register and memo[1] == today:
            return int(memo[2])
        count = len(self.check_register(on=today))
        self.__dict__["_console_findings"] = (register, today, count)
        return count

    def console_queue(
        self,
        user: ConsoleUser,
        *,
        today: date,
        open_only: bool = True,
        kind: Kind | None = None,
        state: State | None = None,
        due: Due | None = None,
        page: int = 0,
    ) -> QueuePage:
        """One page of the requests, earliest deadline first, filtered by right, state and
        deadline (in SQL: a page costs the same with ten or ten thousand requests)."""
        from varna.core.moves import RequestStatus

        user.require(Permission.requests_read)
        due_from = due_to = None
        if due is Due.overdue:
            due_to = today - timedelta(days=1)
        elif due is Due.week:
            due_from, due_to = today, today + timedelta(days=7)
        page = max(page, 0)
        found, total = self.ledger.requests.queue_page(
            open_only=open_only,
            kind=kind.value if kind else None,
            state=state.value if state else None,
            due_from=due_from,
            due_to=due_to,
            limit=QUEUE_PAGE,
            offset=page * QUEUE_PAGE,
        )
        return QueuePage(tuple(RequestStatus(r) for r in found), total, page)

    def console_request(self, user: ConsoleUser, ref: str, *, now: datetime) -> RequestCase:
        """One request with its moves; with ``personal_data``, also its plan (which identity
        reached which row), the rows naming another person and a preview of the answer with
        special-category values masked, the view audited."""
        return self._request_case(user, ref, now=now)

    def console_unmask(
        self, user: ConsoleUser, ref: str, *, reason: str, now: datetime
    ) -> RequestCase:
        """Request ``ref`` with the special-category values of its preview shown. Only a user
        holding ``special_categories`` may, with a reason; who, which request, which columns
        and categories (never a value) and why are recorded in the audit log first
        (Art. 9, 32(1), 5(2); seed 000: health data only for staff who need it, every access
        logged)."""
        user.require(Permission.special_categories)
        reason = reason.strip()
        if len(reason) < 3:
            return replace(self._request_case(user, ref, now=now), error="reason")
        return self._request_case(user, ref, now=now, unmask_reason=reason)

    def _request_case(
        self,
        user: ConsoleUser,
        ref: str,
        *,
        now: datetime,
        unmask_reason: str | None = None,
    ) -> RequestCase:
        user.require(Permission.requests_read)
        detail = self.show(ref)
        actions: tuple[ConsoleAction, ...] = ()
        if user.can(Permission.requests_move):
            actions = OFFERED.get(State(detail.status.record.state), ())
        if not user.can(Permission.personal_data):
            return RequestCase(detail, now.date(), actions=actions)
        if self._codes().contact(ref) is None:
            note = "identities not kept"
            return RequestCase(detail, now.date(), plan_note=note, actions=actions)
        plan, conflicts, found = self._plan_rows(ref, now=now)
        masked = self._preview(found, unmask=False)
        subject = detail.status.record.audit_subject
        if unmask_reason is not None and any(t.sensitive for t in masked):
            columns = sorted(f"{t.system}.{t.table}.{c}" for t in masked for c in t.sensitive)
            categories = sorted({c for t in masked for c in t.categories})
            try:
                self.audit.append(
                    at=now,
                    actor=f"console:{user.name}",
                    action="console.request.unmasked",
                    target=f"request:{ref}",
                    subject=subject,
                    details={
                        "columns": columns,
                        "categories": categories,
                        "reason": unmask_reason,
                    },
                )
            except StateError:  # the reason names a person (an address, a personnummer)
                unmask_reason = None
                error: str | None = "reason_personal"
            else:
                error = None
        else:
            error = None
            unmask_reason = None
        self.audit.append(
            at=now,
            actor=f"console:{user.name}",
            action="console.request.viewed",
            target=f"request:{ref}",
            subject=subject,
            details={
                "what": "plan and preview",
                "rows": len(plan),
                "conflicts": len(conflicts),
                "unmasked": unmask_reason is not None,
            },
        )
        unmasked = unmask_reason is not None
        preview = self._preview(found, unmask=True) if unmasked else masked
        return RequestCase(
            detail,
            now.date(),
            plan=plan,
            conflicts=conflicts,
            actions=actions,
            error=error,
            preview=preview,
            unmasked=unmasked,
            may_unmask=user.can(Permission.special_categories) and any(t.sensitive for t in masked),
        )

    def _sensitive_categories(self) -> frozenset[str]:
        """Categories masked in previews: special ones (Art. 9(1), Art. 10) and those the
        register restricts to staff with the special permission (``security``)."""
        reg = self.register
        special = {k for k in reg.category_keys() if reg.category(k).special is not None}
        return frozenset(special | set(reg.security.restricted_categories))

    def _preview(self, found: Found, *, unmask: bool) -> tuple[PreviewTable, ...]:
        from varna.dsr.values import json_value

        sensitive_keys = self._sensitive_categories()
        tables = []
        for (system, table), rows in sorted(found.rows.items()):
            if not rows:
                continue
            spec = self.register.table(system, table)
            columns = tuple(dict.fromkeys(c for r in rows for c in r.values))
            cats = {
                c: spec.fields[c].category
                for c in columns
                if c in spec.fields and spec.fields[c].category in sensitive_keys
            }
            values = tuple(
                tuple(
                    MASK
                    if c in cats and not unmask and r.values.get(c) is not None
                    else _shown(json_value(r.values.get(c)))
                    for c in columns
                )
                for r in rows
            )
            tables.append(
                PreviewTable(
                    system,
                    table,
                    columns,
                    values,
                    sensitive=tuple(c for c in columns if c in cats),
                    categories=tuple(sorted(set(cats.values()))),
                )
            )
        return tuple(tables)

    def console_move(
        self,
        user: ConsoleUser,
        ref: str,
        action: ConsoleAction,
        *,
        now: datetime,
        reason: str = "",
    ) -> RequestCase:
        """Make one move on request ``ref`` as ``user`` and return the request as it then
        stands; a move the rules refuse (four eyes: the preparer cannot approve) comes back as
        ``error``, nothing changed. An approval carries the request out at once (or queues it)."""
        actor = user.actor  # requests_move, or AccessError
        reason = reason.strip()
        error: str | None = None
        record = self.status(ref).record
        if action in NEEDS_REASON and len(reason) < 3:
            error = "reason"
        elif (
            action is ConsoleAction.approve
            and Kind(record.kind) in self.policy.four_eyes
            and record.prepared_by == str(actor)
        ):
            error = "four_eyes"  # the rule itself is enforced by dsr.requests.check_move
        else:
            try:
                self._console_move(ref, action, actor=actor, reason=reason, now=now)
            except VarnaError as exc:
                error = str(exc)
        case = self.console_request(user, ref, now=now)
        if error is None:
            return case
        return replace(case, error=error)

    def _console_move(
        self, ref: str, action: ConsoleAction, *, actor: Any, reason: str, now: datetime
    ) -> None:
        if action is ConsoleAction.verify:
            self.verify(
                ref, method=reason, assurance=Assurance.staff_document, now=now, actor=actor
            )
        elif action is ConsoleAction.plan:
            self.plan(ref, now=now, actor=actor)
        elif action is ConsoleAction.decide:
            self.decide(ref, reason=reason, actor=actor, now=now)
        elif action is ConsoleAction.approve:
            if State(self.status(ref).record.state) is not State.failed:
                self.approve(ref, actor=actor, now=now)
            self.dispatch_request(ref, actor=actor, now=now)
        elif action is ConsoleAction.refuse:
            self.refuse(ref, reason=reason, actor=actor, now=now)
        else:
            self.extend(ref, reason=reason, actor=actor, now=now)

    def _plan_rows(
        self, ref: str, *, now: datetime
    ) -> tuple[tuple[PlanRow, ...], tuple[Conflict, ...], Found]:
        from varna.dsr.planner import RequestKind, plan_request
        from varna.dsr.traversal import collect_rows
        from varna.dsr.values import json_value

        people = self.parse_identities(list(self._contact(ref).identities), now=now)
        with self.connectors() as conns:
            found = collect_rows(
                plan_request(self.register, people, kind=RequestKind.access),
                conns,
                today=now.date(),
            )
        rows = tuple(
            PlanRow(
                r.system,
                r.table,
                ", ".join(f"{k}={json_value(v)}" for k, v in r.key.items()),
                r.reached_by,
                r.theirs,
                r.weak,
            )
            for r in found.all_rows()
        )
        return rows, tuple(found.conflicts), found

    def console_audit(self, user: ConsoleUser, *, verify: bool = False) -> AuditPage:
        """The audit log's head; with ``verify``, every entry checked now and, when the
        checkpoint file exists, the log compared with its newest valid checkpoint (no reset,
        rollback or gap since it was signed)."""
        user.require(Permission.audit)
        if not verify:
            return AuditPage(self.audit.head())
        against = self.settings.checkpoints
        has_checkpoints = against.is_file()
        report = self.verify_audit(against=against if has_checkpoints else None)
        return AuditPage(self.audit.head(), report, checkpoint=has_checkpoints)

    def console_audit_subject(
        self, user: ConsoleUser, identity: str, *, reason: str, now: datetime
    ) -> AuditPage:
        """One person's events: ``identity`` (``KIND=VALUE``, as the register's identity kinds)
        is turned into its keyed pseudonym and forgotten; only the pseudonym is looked up and
        recorded. Looking is itself recorded with who and why (Art. 5(2), 32(1))."""
        from varna.state.sessions import audit_events_about

        user.require(Permission.audit)
        reason = reason.strip()
        if len(reason) < 3:
            return AuditPage(self.audit.head(), error="reason")
        try:
            names = tuple(self._audit_names(self.parse_identities([identity.strip()], now=now)))
        except VarnaError:
            return AuditPage(self.audit.head(), error="identity")
        events = tuple(audit_events_about(self.state, names))
        try:
            self.audit.append(
                at=now,
                actor=f"console:{user.name}",
                action="console.audit.browsed",
                target="audit",
                subject=names[0],
                details={"events": len(events), "reason": reason},
            )
        except StateError:  # the reason names a person (an address, a personnummer)
            return AuditPage(self.audit.head(), error="reason_personal")
        return AuditPage(self.audit.head(), pseudonyms=names, events=events)

    def console_audit_export(self, user: ConsoleUser, stream: Any, *, now: datetime) -> int:
        """Write the whole audit log as JSON lines to ``stream`` (with the hashes that let it
        be verified away from the database); the export is recorded first."""
        user.require(Permission.audit)
        self.audit.append(
            at=now, actor=f"console:{user.name}", action="console.audit.exported", target="audit"
        )
        written: int = self.audit.export(stream, format="jsonl")
        return written

    def console_register(self, user: ConsoleUser, *, today: date) -> RegisterPage:
        """The register as loaded (read-only: it lives in git) with its findings as of today."""
        user.require(Permission.register)
        register = self.register
        return RegisterPage(
            controller=register.controller.name or "",
            activities=tuple(sorted(register.activities)),
            systems=tuple(
                (name, len(system.tables)) for name, system in sorted(register.systems.items())
            ),
            findings=tuple(self.check_register(on=today)),
        )

    def console_policy(self, user: ConsoleUser) -> list[PolicyVersion]:
        """The published versions of the policy, newest first, each with what changed against
        the one before it."""
        user.require(Permission.register)
        return list(reversed(self.policy_versions()))

    def console_retention(self, user: ConsoleUser, *, on: date) -> RetentionPage:
        """The retention plan as of the start of ``on`` (reads the systems, changes nothing)
        and the DPO's sign-offs of a plan for that day."""
        from varna.state.sessions import audit_events_of

        user.require(Permission.retention)
        plan = self._retention_plan(on)
        digest = _plan_hash(plan)
        signed = tuple(
            {"at": e["at"], "actor": e["actor"], **json.loads(e["details"])}
            for e in audit_events_of(self.state, SIGN_OFF, target=f"retention:{on.isoformat()}")
        )
        return RetentionPage(on, plan, digest, signed)

    def sign_off_retention(
        self, user: ConsoleUser, *, on: date, plan_hash: str, now: datetime
    ) -> RetentionPage:
        """Record the DPO's sign-off of the plan for ``on`` (Art. 5(1)(e), 5(2)); refused when
        the plan changed since it was shown (``plan_hash``)."""
        from varna.errors import AccessError

        user.require(Permission.retention_sign_off)
        plan = self._retention_plan(on)
        if _plan_hash(plan) != plan_hash:
            raise AccessError(
                "the retention plan changed since it was shown: look at it again before "
                "signing it off",
                reason="stale",
            )
        self.audit.append(
            at=now,
            actor=f"console:{user.name}",
            action=SIGN_OFF,
            target=f"retention:{on.isoformat()}",
            details={"plan_hash": plan_hash, "expiring_rows": plan.expiring},
        )
        return self.console_retention(user, on=on)

    def _retention_plan(self, on: date) -> RetentionPlan:
        start = datetime(on.year, on.month, on.day, tzinfo=UTC)
        return self.run_retention(now=start, environ=self.environ).plan


SIGN_OFF = "retention.plan.signed_off"


def _plan_hash(plan: RetentionPlan) -> str:
    tables = [
        {k: v for k, v in t.to_dict().items() if k != "example_primary_keys"} for t in plan.tables
    ]
    canonical = json.dumps(tables, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()

"""Operations of the service: the breach register (GDPR Art. 33 and 34).

Every personal data breach is recorded, notified or not (Art. 33(5)): when the controller became
aware of it (the 72-hour clock of Art. 33(1) starts there), its nature, the systems and tables
concerned and a time window, the categories of people and data (keys of the register), the
approximate numbers of people and records (counted through the connectors where a table and a
window are known; never a person's data in the record), the likely consequences and the measures
(Art. 33(3)(a)-(d)). The risk assessment decides: no risk, no notification; a risk, IMY is told;
a high risk, the people are told too (Art. 34(1)). A notification later than 72 hours needs its
reasons (Art. 33(1)); information may follow in phases (Art. 33(4)).

Each change is one event in the breach's history (append-only) and one entry in the audit log,
in the same transaction. The clock is computed from an injected ``now``: due at awareness + 72
hours, overdue once past it while IMY has not been told of a breach that is not assessed as
no risk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from varna.core.user_ops import UserOps
from varna.errors import BreachError, ConnectorError
from varna.state.rows import utc_iso
from varna.texts.catalog import N_

if TYPE_CHECKING:
    from varna.render.document import Document
    from varna.state.breaches import BreachEvent, BreachRow, BreachStore

#: Art. 33(1): "where feasible, not later than 72 hours after having become aware of it".
DEADLINE = timedelta(hours=72)
#: Supplements within four weeks are what the console offers (IMY's guidance on phases).
SUPPLEMENT_WEEKS = 4


class Nature(StrEnum):
    """What the breach did to the data (confidentiality, integrity, availability)."""

    confidentiality = "confidentiality"
    integrity = "integrity"
    availability = "availability"


class Risk(StrEnum):
    """The risk assessment: it decides notification (Art. 33(1)) and notices (Art. 34(1))."""

    none = "none"
    risk = "risk"
    high = "high"


class NotificationType(StrEnum):
    """IMY's form: a complete notification, the first of several, or a supplement."""

    complete = "complete"
    phases = "phases"


TEXT_FIELDS = (
    "title",
    "description",
    "how_discovered",
    "consequences",
    "measures_taken",
    "measures_proposed",
    "other_authorities",
    "processor",
)
TIME_FIELDS = ("occurred_at", "discovered_at", "window_start", "window_end")
LIST_FIELDS = ("nature", "systems", "subject_categories", "data_categories")
COUNT_FIELDS = ("people_approx", "records_approx")
BOOL_FIELDS = ("cross_border",)
#: What ``record`` and ``update`` may set; risk, notification, notices and closing have their own.
FIELDS = frozenset(TEXT_FIELDS + TIME_FIELDS + LIST_FIELDS + COUNT_FIELDS + BOOL_FIELDS)
MAX_TEXT = 4000
#: Retention anchors that date a row itself, so a time window can count by them.
WINDOW_ANCHORS = ("collected", "transaction_date", "created")


@dataclass(frozen=True, slots=True)
class Clock:
    """The 72-hour clock of a breach as of ``now``."""

    aware_at: datetime
    due: datetime
    now: datetime
    stopped: str | None
    """Why the clock no longer runs: ``notified``, ``no_risk``, ``closed`` (None: it runs)."""

    @property
    def left(self) -> timedelta:
        return self.due - self.now

    @property
    def overdue(self) -> bool:
        return self.stopped is None and self.now > self.due

    @property
    def left_text(self) -> str:
        """``71h 59m`` left, or ``-3h 10m`` past the deadline."""
        seconds = int(self.left.total_seconds())
        sign = "-" if seconds < 0 else ""
        seconds = abs(seconds)
        return f"{sign}{seconds // 3600}h {seconds % 3600 // 60:02d}m"

    def as_dict(self) -> dict[str, Any]:
        return {
            "aware_at": utc_iso(self.aware_at),
            "due": utc_iso(self.due),
            "overdue": self.overdue,
            "left_seconds": int(self.left.total_seconds()),
            "stopped": self.stopped,
        }


def clock_of(row: BreachRow, now: datetime) -> Clock:
    """The clock of breach ``row`` at ``now`` (pure)."""
    aware = datetime.fromisoformat(row.aware_at)
    stopped = None
    if row.notified_at is not None:
        stopped = "notified"
    elif row.risk == Risk.none.value:
        stopped = "no_risk"
    elif row.state == "closed":
        stopped = "closed"
    return Clock(aware, aware + DEADLINE, now, stopped)


@dataclass(frozen=True, slots=True)
class Breach:
    """One breach as it stands, with its history when asked for."""

    ref: str
    state: str
    aware_at: str
    risk: str | None
    notified_at: str | None
    record: dict[str, Any]
    version: int
    created_at: str
    updated_at: str
    events: tuple[BreachEvent, ...] = ()

    def __repr__(self) -> str:
        return f"Breach({self.ref!r}, {self.state}, risk={self.risk})"

    def get(self, key: str, default: Any = None) -> Any:
        return self.record.get(key, default)

    @property
    def must_notify(self) -> bool | None:
        """Whether IMY must be told (Art. 33(1)); None before the risk is assessed."""
        return None if self.risk is None else self.risk != Risk.none.value

    @property
    def must_tell_people(self) -> bool | None:
        """Whether the people must be told (Art. 34(1)); None before the risk is assessed."""
        return None if self.risk is None else self.risk == Risk.high.value

    def clock(self, now: datetime) -> Clock:
        from varna.state.breaches import BreachRow

        row = BreachRow(
            self.ref,
            self.version,
            self.state,
            self.aware_at,
            self.risk,
            self.notified_at,
            self.record,
            self.created_at,
            self.updated_at,
        )
        return clock_of(row, now)

    def as_dict(self, *, now: datetime | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ref": self.ref,
            "state": self.state,
            "aware_at": self.aware_at,
            "risk": self.risk,
            "notified_at": self.notified_at,
            "version": self.version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "record": self.record,
        }
        if now is not None:
            out["clock"] = self.clock(now).as_dict()
        if self.events:
            out["events"] = [e.as_dict() for e in self.events]
        return out


def _breach(row: BreachRow, events: Sequence[BreachEvent] = ()) -> Breach:
    return Breach(
        row.ref,
        row.state,
        row.aware_at,
        row.risk,
        row.notified_at,
        row.record,
        row.version,
        row.created_at,
        row.updated_at,
        tuple(events),
    )


def _time(name: str, value: Any) -> str:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise BreachError(
                f"{name}: '{value}' is not a date and time; write it as 2026-12-01T14:30+01:00",
                code="breach-field",
                field=name,
            ) from None
    if moment.tzinfo is None:
        raise BreachError(
            f"{name}: give the time zone too (2026-12-01T14:30+01:00)",
            code="breach-field",
            field=name,
        )
    return utc_iso(moment)


def pseudonym_of(actor: str) -> str:
    """A stable stand-in for a staff member's name, for readers who see no names."""
    return "staff-" + hashlib.sha256(actor.encode()).hexdigest()[:8]


class BreachOps(UserOps):
    """Operations: record, assess, notify and close breaches; the IMY notification; notices."""

    def _breaches(self) -> BreachStore:
        from varna.state.breaches import BreachStore

        self.state.open_at_head()
        return BreachStore(self.state)

    # -- checking what is given ------------------------------------------------------------

    def check_breach_fields(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The fields ``changes`` sets, checked against the register and normalised; an
        unknown field, category, system or table is refused with what to write instead."""
        out: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in FIELDS:
                raise BreachError(
                    f"'{name}' is not a field of a breach; use one of {', '.join(sorted(FIELDS))}",
                    code="breach-field",
                    field=name,
                )
            if value is None:
                out[name] = None
            elif name in TEXT_FIELDS:
                text = str(value).strip()
                if len(text) > MAX_TEXT:
                    raise BreachError(
                        f"{name}: at most {MAX_TEXT} characters", code="breach-field", field=name
                    )
                out[name] = text or None
            elif name in TIME_FIELDS:
                out[name] = _time(name, value)
            elif name in COUNT_FIELDS:
                if isinstance(value, bool) or not str(value).strip().isdigit():
                    raise BreachError(
                        f"{name}: give a whole number of 0 or more", code="breach-field", field=name
                    )
                out[name] = int(str(value).strip())
            elif name in BOOL_FIELDS:
                out[name] = (
                    value
                    if isinstance(value, bool)
                    else str(value).lower()
                    in (
                        "1",
                        "true",
                        "yes",
                        "ja",
                    )
                )
            else:
                items = [value] if isinstance(value, str) else list(value)
                items = [str(i).strip() for i in items if str(i).strip()]
                known = self._known(name)
                for item in items:
                    if item not in known:
                        raise BreachError(
                            f"{name}: '{item}' is not in the register; use one of "
                            f"{', '.join(sorted(known)[:30])}",
                            code="breach-field",
                            field=name,
                        )
                out[name] = sorted(dict.fromkeys(items))
        start, end = out.get("window_start"), out.get("window_end")
        if start and end and start > end:
            raise BreachError(
                "window_start is after window_end", code="breach-field", field="window_start"
            )
        return out

    def _known(self, name: str) -> set[str]:
        register = self.register
        if name == "nature":
            return {n.value for n in Nature}
        if name == "subject_categories":
            return set(register.subjects)
        if name == "data_categories":
            return register.category_keys()
        return {f"{s}.{t}" for s, system in register.systems.items() for t in system.tables}

    def breach_scope(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """What the register says of the tables concerned (the categories of people and data
        they hold) and, where a time window is given, how many rows each holds in it, counted
        through the connectors by the anchor that dates the row itself (``collected``,
        ``transaction_date``, ``created``); a table without one is counted whole (an upper
        bound). Counts only: no row is read."""
        from varna.connectors.base import sweeping
        from varna.connectors.predicates import Before

        register = self.register
        subjects: set[str] = set()
        categories: set[str] = set()
        counted: dict[str, int | None] = {}
        places = list(record.get("systems") or [])
        start, end = record.get("window_start"), record.get("window_end")
        for place in places:
            system_key, table_key = place.split(".", 1)
            table = register.table(system_key, table_key)
            subjects |= set(table.subjects)
            categories |= {f.category for f in table.fields.values()}
        if places:
            try:
                with self.connectors() as conns:
                    for place in places:
                        system_key, table_key = place.split(".", 1)
                        table = register.table(system_key, table_key)
                        conn = sweeping(conns[system_key])
                        column = next(
                            (c for a, c in table.anchors.items() if a in WINDOW_ANCHORS), None
                        )
                        if column is None or not (start or end):
                            counted[place] = conn.count(table_key)
                            continue
                        upper = (
                            conn.count(table_key, Before(column, datetime.fromisoformat(end)))
                            if end
                            else conn.count(table_key)
                        )
                        lower = (
                            conn.count(table_key, Before(column, datetime.fromisoformat(start)))
                            if start
                            else 0
                        )
                        counted[place] = upper - lower
            except (ConnectorError, KeyError):
                counted = {p: counted.get(p) for p in places}
        return {
            "subjects": sorted(subjects),
            "categories": sorted(categories),
            "counted": counted,
        }

    # -- changes -------------------------------------------------------------------------

    def _audit_then(self, action: str, actor: str, now: datetime, details: dict[str, Any]) -> Any:
        from varna.audit.models import NewEvent

        def then(conn: Any, row: BreachRow) -> None:
            self.audit.append_at_commit(
                conn,
                [
                    NewEvent(
                        now,
                        actor,
                        f"breach.{action}",
                        None,
                        f"breach:{row.ref}",
                        {"version": row.version, **details},
                    )
                ],
            )

        return then

    def _with_counts(self, fields: dict[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
        merged = {**before, **fields}
        if not merged.get("systems") or not (
            {"systems", "window_start", "window_end"} & set(fields)
        ):
            return fields
        scope = self.breach_scope(merged)
        counted = {k: v for k, v in scope["counted"].items() if v is not None}
        out = {
            **fields,
            "counted": counted,
            "scope_subjects": scope["subjects"],
            "scope_categories": scope["categories"],
        }
        if counted and merged.get("records_approx") is None:
            out["records_approx"] = sum(counted.values())
        if counted and merged.get("people_approx") is None:
            out["people_approx"] = sum(counted.values())
            out["people_counted_as_rows"] = True
        return out

    def record_breach(
        self,
        fields: Mapping[str, Any],
        *,
        aware_at: datetime,
        actor: str,
        now: datetime,
    ) -> Breach:
        """Record a breach the controller became aware of at ``aware_at`` (Art. 33(5))."""
        checked = self._with_counts(self.check_breach_fields(fields), {})
        if not checked.get("title"):
            raise BreachError(
                "give the breach a short title (what happened, no names)",
                code="breach-field",
                field="title",
            )
        if aware_at.tzinfo is None:
            raise BreachError("aware_at: give the time zone too", code="breach-field")
        then = self._audit_then("recorded", actor, now, {"fields": sorted(checked)})
        row = self._breaches().create(
            record=checked, aware_at=aware_at, actor=actor, now=now, then=then
        )
        return _breach(row)

    def _open(self, row: BreachRow) -> None:
        if row.state == "closed":
            raise BreachError(
                f"breach {row.ref} is closed; a closed breach is not changed",
                code="breach-closed",
            )

    def update_breach(
        self, ref: str, fields: Mapping[str, Any], *, actor: str, now: datetime
    ) -> Breach:
        """Set fields of breach ``ref`` (the others stay as they are)."""
        checked = self.check_breach_fields(fields)
        current = self.breach(ref)
        checked = self._with_counts(checked, current.record)
        then = self._audit_then("updated", actor, now, {"fields": sorted(checked)})
        row = self._breaches().change(
            ref,
            action="updated",
            changes=checked,
            actor=actor,
            now=now,
            check=self._open,
            then=then,
        )
        return _breach(row)

    def assess_breach(
        self, ref: str, risk: Risk, *, reason: str, actor: str, now: datetime
    ) -> Breach:
        """Record the risk assessment and its reasons: it decides whether IMY is told (risk or
        high risk, Art. 33(1)) and whether the people are (high risk, Art. 34(1))."""
        reason = reason.strip()
        if len(reason) < 3:
            raise BreachError(
                "give the reasons for the assessment (Art. 33(5) asks for them)",
                code="breach-reason",
            )
        changes = {"risk": risk.value, "risk_reason": reason[:MAX_TEXT]}
        then = self._audit_then("assessed", actor, now, {"risk": risk.value})
        row = self._breaches().change(
            ref,
            action="assessed",
            changes=changes,
            columns={"risk": risk.value},
            actor=actor,
            now=now,
            check=self._open,
            then=then,
        )
        return _breach(row)

    def notify_breach(
        self,
        ref: str,
        *,
        at: datetime,
        kind: NotificationType = NotificationType.complete,
        late_reason: str = "",
        imy_reference: str = "",
        actor: str,
        now: datetime,
    ) -> Breach:
        """Record that IMY was notified at ``at`` (through its e-service); after 72 hours the
        reasons for the delay are required (Art. 33(1))."""
        if at.tzinfo is None:
            raise BreachError("at: give the time zone too", code="breach-field")
        late = late_reason.strip()

        def check(row: BreachRow) -> None:
            self._open(row)
            if row.risk is None:
                raise BreachError(
                    f"assess the risk of {row.ref} first (varna breach assess)",
                    code="breach-unassessed",
                )
            if row.notified_at is not None:
                raise BreachError(
                    f"IMY was notified of {row.ref} already; add a supplement instead",
                    code="breach-notified",
                )
            if at > datetime.fromisoformat(row.aware_at) + DEADLINE and len(late) < 3:
                raise BreachError(
                    "the notification is later than 72 hours after awareness: give the reasons "
                    "for the delay (Art. 33(1))",
                    code="breach-late",
                )

        changes = {
            "notification_type": kind.value,
            "late_reason": late or None,
            "imy_reference": imy_reference.strip() or None,
        }
        then = self._audit_then("notified", actor, now, {"type": kind.value, "late": bool(late)})
        row = self._breaches().change(
            ref,
            action="notified",
            changes=changes,
            columns={"notified_at": utc_iso(at)},
            actor=actor,
            now=now,
            check=check,
            then=then,
        )
        return _breach(row)

    def supplement_breach(self, ref: str, *, text: str, actor: str, now: datetime) -> Breach:
        """Add information given to IMY later (Art. 33(4)): kept in order with its time."""
        text = text.strip()
        if len(text) < 3:
            raise BreachError("write what the supplement adds", code="breach-field")
        current = self.breach(ref)
        if current.notified_at is None:
            raise BreachError(
                f"IMY has not been notified of {ref}; notify first (varna breach notify)",
                code="breach-unnotified",
            )
        supplements = [*current.get("supplements", []), {"at": utc_iso(now), "text": text}]
        then = self._audit_then("supplemented", actor, now, {"number": len(supplements)})
        row = self._breaches().change(
            ref,
            action="supplemented",
            changes={"supplements": supplements[-50:]},
            actor=actor,
            now=now,
            check=self._open,
            then=then,
        )
        return _breach(row)

    def close_breach(self, ref: str, *, note: str, actor: str, now: datetime) -> Breach:
        """Close breach ``ref``: handled; it stays in the register (Art. 33(5))."""

        def check(row: BreachRow) -> None:
            self._open(row)
            if row.risk is None:
                raise BreachError(
                    f"assess the risk of {row.ref} before closing it", code="breach-unassessed"
                )

        then = self._audit_then("closed", actor, now, {})
        row = self._breaches().change(
            ref,
            action="closed",
            changes={"closing_note": note.strip()[:MAX_TEXT] or None, "closed_at": utc_iso(now)},
            columns={"state": "closed"},
            actor=actor,
            now=now,
            check=check,
            then=then,
        )
        return _breach(row)

    # -- reading -------------------------------------------------------------------------

    def breaches(self, *, open_only: bool = False) -> list[Breach]:
        """Every breach (or the open ones), earliest awareness first."""
        return [_breach(r) for r in self._breaches().all(open_only=open_only)]

    def breach(self, ref: str, *, history: bool = False) -> Breach:
        """Breach ``ref``, with its history when asked."""
        store = self._breaches()
        row = store.get(ref)
        if row is None:
            raise BreachError(f"no breach {ref}: see varna breach list", code="breach-unknown")
        return _breach(row, store.events(ref) if history else ())

    # -- Art. 34 notices -------------------------------------------------------------------

    def send_breach_notices(
        self,
        ref: str,
        recipients: Sequence[tuple[str, str]],
        *,
        actor: str,
        now: datetime,
    ) -> dict[str, int]:
        """E-mail the Art. 34 notice of breach ``ref`` to each (address, language) the operator
        identified, through the mailer. Only for a high risk (Art. 34(1)). The audit log and the
        breach's history get the counts and languages, never an address."""
        from varna.dsr.identity import normalise_identity
        from varna.errors import VarnaError
        from varna.mail.messages import breach_notice_message

        current = self.breach(ref)
        self._open_breach(current)
        if current.risk != Risk.high.value:
            raise BreachError(
                f"breach {ref} is not assessed as a high risk: Art. 34 notices are for a high "
                "risk only",
                code="breach-not-high",
            )
        today = now.date()
        addresses: list[tuple[str, str]] = []
        for number, (value, lang) in enumerate(recipients, start=1):
            try:
                who = normalise_identity("email", value, today=today)
            except VarnaError:
                raise BreachError(
                    f"recipient {number}: not an e-mail address", code="breach-recipient"
                ) from None
            addresses.append((who.value, lang if lang in ("sv", "en") else "sv"))
        messages = [
            breach_notice_message(
                to=address,
                sender=self._sender(),
                lang=lang,
                **self._notice_fields(current, lang),
            )
            for address, lang in dict.fromkeys(addresses)
        ]
        try:
            taken = self.mailer().send_many(messages) if messages else []
        except ConnectorError:
            taken = [False] * len(messages)
        sent = sum(1 for ok in taken if ok)
        result = {"sent": sent, "failed": len(messages) - sent}
        langs = sorted({lang for _, lang in addresses})
        before = current.get("notices", [])
        entry = {"at": utc_iso(now), **result, "languages": langs}
        then = self._audit_then("notices_sent", actor, now, {**result, "languages": langs})
        self._breaches().change(
            ref,
            action="notices_sent",
            changes={"notices": [*before, entry][-50:]},
            actor=actor,
            now=now,
            then=then,
        )
        return result

    def _open_breach(self, breach: Breach) -> None:
        if breach.state == "closed":
            raise BreachError(f"breach {breach.ref} is closed", code="breach-closed")

    def _notice_fields(self, breach: Breach, lang: str) -> dict[str, Any]:
        from varna.texts import texts_for

        t = texts_for(lang)
        dpo = self.register.controller.dpo or self.register.controller.contact
        dpo_text = ""
        if dpo is not None:
            parts = [dpo.name.get(lang) if dpo.name else "", dpo.email or "", dpo.phone or ""]
            dpo_text = ", ".join(p for p in parts if p)
        return {
            "controller": self._controller_name(lang),
            "nature": [t.gettext(NATURE_TEXTS[n]) for n in breach.get("nature", [])],
            "description": breach.get("description") or breach.get("title") or "",
            "contact": dpo_text,
            "consequences": breach.get("consequences") or "",
            "measures": " ".join(
                x for x in (breach.get("measures_taken"), breach.get("measures_proposed")) if x
            ),
        }

    # -- the IMY notification ---------------------------------------------------------------

    def imy_form(self, ref: str, *, lang: str = "sv") -> list[tuple[str, str, str]]:
        """The fields of IMY's breach e-service form, numbered, filled from breach ``ref`` and
        the register: (number, label, value); what Varna cannot know is "to fill in"."""
        from varna.documents.breach_imy import imy_fields

        return imy_fields(self.breach(ref).as_dict(), self.register, lang=lang)

    def imy_document(self, ref: str, *, lang: str = "sv") -> Document:
        """The IMY notification as a document (HTML and PDF through the writers)."""
        from varna.documents.breach_imy import imy_document

        return imy_document(self.breach(ref).as_dict(), self.register, lang=lang)

    def breach_actors_hidden(self, breach: Breach) -> Breach:
        """``breach`` with every staff name in its history replaced by a pseudonym."""
        from varna.state.breaches import BreachEvent

        events = tuple(
            BreachEvent(e.seq, e.ref, e.version, e.action, e.at, pseudonym_of(e.actor), e.changes)
            for e in breach.events
        )
        return Breach(
            breach.ref,
            breach.state,
            breach.aware_at,
            breach.risk,
            breach.notified_at,
            breach.record,
            breach.version,
            breach.created_at,
            breach.updated_at,
            events,
        )


def breach_json(breach: Breach, now: datetime) -> str:
    return json.dumps(breach.as_dict(now=now), indent=2, ensure_ascii=False)


NATURE_TEXTS: dict[str, str] = {
    "confidentiality": N_("confidentiality: data reached someone who should not have it"),
    "integrity": N_("integrity: data was changed without permission"),
    "availability": N_("availability: data was lost or could not be reached"),
}


class BreachStep(StrEnum):
    """The changes the console makes on a breach's page."""

    update = "update"
    assess = "assess"
    notify = "notify"
    supplement = "supplement"
    notices = "notices"
    close = "close"


@dataclass(frozen=True, slots=True)
class BreachPage:
    """One breach as the console shows it: the record, its clock, its history, the IMY form."""

    breach: Breach
    clock: Clock
    steps: tuple[BreachStep, ...]
    error: str | None = None


class ConsoleBreachOps(BreachOps):
    """Operations: the breach pages of the console, each asking the permission map first."""

    def console_breaches(
        self, user: Any, *, now: datetime, open_only: bool = False
    ) -> list[tuple[Breach, Clock]]:
        """Breaches with their clocks: open first, overdue first among them, then by due."""
        from varna.core.user_ops import Permission

        user.require(Permission.breaches_read)
        found = [(b, b.clock(now)) for b in self.breaches(open_only=open_only)]
        return sorted(found, key=lambda bc: (bc[0].state != "open", not bc[1].overdue, bc[1].due))

    def console_breach(
        self, user: Any, ref: str, *, now: datetime, error: str | None = None
    ) -> BreachPage:
        """One breach with its history; staff names are pseudonyms for those who cannot change
        breaches (the auditor)."""
        from varna.core.user_ops import Permission

        user.require(Permission.breaches_read)
        breach = self.breach(ref, history=True)
        steps: tuple[BreachStep, ...] = ()
        if user.can(Permission.breaches_write):
            steps = _offered(breach)
        else:
            breach = self.breach_actors_hidden(breach)
        return BreachPage(breach, breach.clock(now), steps, error)

    def console_breach_step(
        self, user: Any, ref: str, step: BreachStep, form: Mapping[str, Any], *, now: datetime
    ) -> BreachPage:
        """Make one change from the breach's page; a change the rules refuse comes back as
        ``error`` with nothing changed."""
        from varna.core.user_ops import Permission

        user.require(Permission.breaches_write)
        actor = f"console:{user.name}"
        try:
            if step is BreachStep.update:
                self.update_breach(ref, form.get("fields", {}), actor=actor, now=now)
            elif step is BreachStep.assess:
                self.assess_breach(
                    ref,
                    Risk(form.get("risk", "")),
                    reason=form.get("reason", ""),
                    actor=actor,
                    now=now,
                )
            elif step is BreachStep.notify:
                self.notify_breach(
                    ref,
                    at=form.get("at") or now,
                    kind=NotificationType(form.get("type") or "complete"),
                    late_reason=form.get("late_reason", ""),
                    imy_reference=form.get("imy_reference", ""),
                    actor=actor,
                    now=now,
                )
            elif step is BreachStep.supplement:
                self.supplement_breach(ref, text=form.get("text", ""), actor=actor, now=now)
            elif step is BreachStep.notices:
                self.send_breach_notices(ref, form.get("recipients", []), actor=actor, now=now)
            else:
                self.close_breach(ref, note=form.get("text", ""), actor=actor, now=now)
        except BreachError as exc:
            if exc.fields.get("code") == "breach-unknown":
                raise
            return self.console_breach(user, ref, now=now, error=str(exc))
        except ValueError:
            return self.console_breach(user, ref, now=now, error="choose one of the options")
        return self.console_breach(user, ref, now=now)


def _offered(breach: Breach) -> tuple[BreachStep, ...]:
    if breach.state == "closed":
        return ()
    steps = [BreachStep.update, BreachStep.assess]
    if breach.risk in (Risk.risk.value, Risk.high.value) and breach.notified_at is None:
        steps.append(BreachStep.notify)
    if breach.notified_at is not None:
        steps.append(BreachStep.supplement)
    if breach.risk == Risk.high.value:
        steps.append(BreachStep.notices)
    if breach.risk is not None:
        steps.append(BreachStep.close)
    return tuple(steps)

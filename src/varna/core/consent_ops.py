"""Operations of the service: the consent ledger (GDPR Art. 7), grants, withdrawals that do
what the policy promises, checks of current consent, and banner choices.

A grant or withdrawal is one ledger event (:mod:`varna.state.consent`) and one audit entry, in
one state transaction. Consent is *current* while its newest grant is younger than
``Settings.consent_renew_months`` and, when the caller names the notice it shows now, was given
on that notice; otherwise the person is asked again. Withdrawing consent (Art. 7(3)) plans, and
with ``execute`` carries out: the withdrawal in the ledger; the erasure, through the erasure
engine (holds respected), of the person's rows in tables processed only on the consents now
withdrawn (Art. 17(1)(b)); and, when no marketing consent is left, the suppression list
(:mod:`varna.state.suppressions`), so imported lists are screened; and the recipients of the
erased data are told (Art. 19) through the notice path of :mod:`.notice_ops`.

A newsletter carries a withdrawal link (:meth:`ConsentOps.withdrawal_link`): the person's
identities and purposes sealed (encrypted and authenticated) under the installation key, so the
URL names no address, needs no login and does not expire (Art. 7(3): as easy as giving it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from varna.core.notice_ops import NoticeOps
from varna.errors import RequestError, StateError, VerificationError

if TYPE_CHECKING:
    from varna.dsr.erasure import ErasurePlan
    from varna.dsr.executor import SystemReceipt
    from varna.dsr.objection import Screening
    from varna.state.consent import ConsentChoice, ConsentEntry, ConsentStore
    from varna.state.database import Transaction

CHANNELS = ("banner", "form", "api", "import", "link")
"""How a choice reached the ledger."""
BANNER_CATEGORIES = ("necessary", "preferences", "statistics", "marketing")
"""The cookie categories of the banner (LEK 9 kap. 28 §); necessary needs no consent."""
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
NOTICE = re.compile(r"[A-Za-z0-9_-]{8,64}")


def notice_hash(text: str, policy_version: str | None) -> str:
    """The notice version: SHA-256 of the policy version and the rendered notice text."""
    return hashlib.sha256(f"{policy_version or ''}\n{text}".encode()).hexdigest()


def _check_notice(notice: str) -> str:
    if not NOTICE.fullmatch(notice):
        raise RequestError(
            "notice: give the hash of the notice shown (8-64 letters, digits, '-' or '_')",
            field="notice",
        )
    return notice


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise RequestError(
            f"channel '{channel[:20]}' is not one of {', '.join(CHANNELS)}", field="channel"
        )
    return channel


@dataclass(frozen=True, slots=True)
class Recorded:
    """A ledger event as written."""

    id: str
    recorded_at: datetime
    purposes: tuple[str, ...]
    granted: bool


@dataclass(frozen=True, slots=True)
class ConsentStatus:
    """The state of one person's consent to one purpose at a time."""

    purpose: str
    current: bool
    """Consent is given, not withdrawn, not expired and (if asked) on the current notice."""
    state: str
    """``granted``, ``withdrawn``, ``never_asked``, ``expired`` or ``notice_changed``."""
    since: datetime | None = None
    renew_at: datetime | None = None
    entry: ConsentEntry | None = None

    def as_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "purpose": self.purpose,
            "current": self.current,
            "state": self.state,
            "since": self.since.isoformat() if self.since else None,
            "renew_at": self.renew_at.isoformat() if self.renew_at else None,
            "notice": e.notice if e else None,
            "policy_version": e.policy_version if e else None,
            "channel": e.channel if e else None,
            "event": e.event if e else None,
        }


@dataclass(slots=True)
class Withdrawal:
    """What a withdrawal planned and, with ``execute``, did."""

    purposes: tuple[str, ...]
    erasure: ErasurePlan
    tables: list[str]
    suppress: bool
    recorded: Recorded | None = None
    suppressed_new: int = 0
    notices: int = 0
    """Art. 19 notices queued to recipients of the erased data."""
    receipts: list[SystemReceipt] = field(default_factory=list)

    def describe(self) -> list[str]:
        out = [f"withdrawal of consent (GDPR Art. 7(3)) to: {', '.join(self.purposes)}"]
        rows: dict[str, int] = {}
        for row in self.erasure.rows:
            rows[f"{row.system}:{row.table}"] = rows.get(f"{row.system}:{row.table}", 0) + 1
        out += [f"  {t}: {n} row(s) held only on this consent, to erase" for t, n in rows.items()]
        if not rows:
            out.append("  no row held only on this consent")
        if self.suppress:
            out.append("  no marketing consent is left: the person goes on the suppression list")
        if self.recorded is None:
            out.append("dry run: nothing was changed; add --execute to apply it")
            return out
        out.append(f"recorded as {self.recorded.id} at {self.recorded.recorded_at.isoformat()}")
        out += [
            f"{r.system}: {r.deleted} deleted, {r.updated} anonymised, {r.kept} kept"
            for r in self.receipts
        ]
        if self.notices:
            out.append(f"{self.notices} recipient(s) of the erased data told (GDPR Art. 19)")
        return out


@dataclass(frozen=True, slots=True)
class LinkWithdrawal:
    """A withdrawal from a link, with the purposes as the page names them."""

    withdrawal: Withdrawal
    labels: tuple[str, ...]


def add_months(at: datetime, months: int) -> datetime:
    """The same time ``months`` later (the month's last day if it has no such date)."""
    from varna.law.deadlines import add_months as add_to_date

    day = add_to_date(at.date(), months)
    return datetime.combine(day, at.timetz())


class ConsentOps(NoticeOps):
    """Operations: the consent ledger."""

    @cached_property
    def consents(self) -> ConsentStore:
        """The consent ledger in the state database."""
        from varna.state.consent import ConsentStore

        return ConsentStore(self.state)

    # -- the register's purposes -------------------------------------------------------------
    def consent_purposes(self) -> dict[str, str]:
        """purpose -> the activity it belongs to, for every consent-based activity."""
        return {
            purpose: key
            for key, act in self.register.activities.items()
            for purpose in act.consent_purposes(key)
        }

    def _purposes(self, purposes: Iterable[str]) -> list[str]:
        known = self.consent_purposes()
        chosen = list(dict.fromkeys(purposes))
        if not chosen:
            raise RequestError("name at least one consent purpose", field="purposes")
        for purpose in chosen:
            if purpose not in known:
                raise RequestError(
                    f"'{purpose[:64]}' is not a consent purpose of the register (known: "
                    f"{', '.join(sorted(known)) or 'none'})",
                    field="purposes",
                    hint="declare it under activities.<key>.consent.purposes",
                )
        return chosen

    # -- writing -------------------------------------------------------------------------------
    def _write(
        self,
        subjects: list[str],
        audit_names: list[str],
        choices: Sequence[ConsentChoice],
        *,
        subject_kind: str,
        notice: str,
        policy_version: str | None,
        vendors: Sequence[str],
        channel: str,
        now: datetime,
        actor: str,
    ) -> Recorded:
        from varna.audit.models import NewEvent

        granted = any(c.granted for c in choices)
        action = f"consent.{'granted' if granted else 'withdrawn'}"
        if subject_kind == "device":
            action = "consent.banner.recorded"

        def proof(conn: Transaction, event: str) -> int:
            if subject_kind != "device" and self._consent_webhooks(
                conn, action, event, choices, channel=channel, at=now
            ):
                self.__dict__["_notices_waiting"] = True
            details = {
                "event": event,
                "choices": {c.purpose: c.granted for c in choices},
                "notice": notice,
                "policy_version": policy_version,
                "vendors": sorted(set(vendors)),
                "channel": channel,
                "also_known_as": audit_names[1:],
            }
            subject = audit_names[0] if audit_names else None
            new = NewEvent(now, actor, action, subject, "consent_records", details)
            return self.audit.append_in(conn, [new])[0].seq

        event = self.consents.record(
            subjects,
            choices,
            subject_kind=subject_kind,
            notice=_check_notice(notice),
            policy_version=policy_version[:100] if policy_version else None,
            vendors=vendors,
            channel=_check_channel(channel),
            at=now,
            actor=actor,
            proof=proof,
        )
        self._notices_queued(now=now)  # the webhook events, sent or handed to a worker
        return Recorded(event, now, tuple(c.purpose for c in choices), granted)

    def _consent_webhooks(
        self,
        conn: Transaction,
        action: str,
        event: str,
        choices: Sequence[ConsentChoice],
        *,
        channel: str,
        at: datetime,
    ) -> int:
        """Queue ``consent.granted`` / ``consent.withdrawn`` for the webhooks that want it, in
        the ledger's transaction (before its audit entry, which holds the audit head to the
        commit); how many were queued."""
        from varna.core.webhook_ops import consent_payload
        from varna.state.webhooks import WebhookStore

        purposes = [c.purpose for c in choices]
        payload = consent_payload(
            event=action, ledger_event=event, purposes=purposes, channel=channel, at=at
        )
        return WebhookStore(self.state).enqueue_in(
            conn, event=action, request_id=None, payload=payload, now=at
        )

    def record_banner_choice(
        self,
        *,
        device_id: str,
        choices: Mapping[str, bool],
        notice: str,
        policy_version: str | None,
        now: datetime,
        channel: str = "banner",
    ) -> Recorded:
        """A visitor's choice in the cookie banner, under a keyed pseudonym of the browser's
        random device id (LEK 9 kap. 28 §; GDPR Art. 7(1))."""
        from varna.audit.pseudonym import pseudonymise
        from varna.core.base import ledger_key
        from varna.state.consent import ConsentChoice

        if not DEVICE_ID.fullmatch(device_id):
            raise RequestError(
                "device_id: 16-64 letters, digits, '-' or '_' (a random id)", field="device_id"
            )
        unknown = sorted(set(choices) - set(BANNER_CATEGORIES))
        if unknown:
            raise RequestError(
                f"choices: unknown category '{unknown[0][:40]}' (known: "
                f"{', '.join(BANNER_CATEGORIES)})",
                field="choices",
            )
        if choices.get("necessary") is False:
            raise RequestError("choices: necessary cookies cannot be refused", field="choices")
        picked = [ConsentChoice(c, bool(choices.get(c, False))) for c in BANNER_CATEGORIES[1:]]
        key = self.settings.audit_key_bytes()
        subject = pseudonymise("device", device_id, key=ledger_key(key))
        audit_name = pseudonymise("device", device_id, key=key)
        return self._write(
            [subject],
            [audit_name],
            picked,
            subject_kind="device",
            notice=notice,
            policy_version=policy_version,
            vendors=(),
            channel=channel,
            now=now,
            actor="banner",
        )

    def grant_consent(
        self,
        identities: Sequence[str],
        purposes: Sequence[str],
        *,
        notice: str,
        now: datetime,
        actor: str,
        channel: str = "api",
        policy_version: str | None = None,
        vendors: Sequence[str] = (),
    ) -> Recorded:
        """Record that the person (``KIND=VALUE`` identities) gave consent to ``purposes`` on
        the notice ``notice`` (its hash)."""
        from varna.state.consent import ConsentChoice

        people = self.parse_identities(identities, now=now)
        chosen = self._purposes(purposes)
        return self._write(
            self.ledger.pseudonyms(people),
            self._audit_names(people),
            [ConsentChoice(p, True) for p in chosen],
            subject_kind="person",
            notice=notice,
            policy_version=policy_version,
            vendors=vendors,
            channel=channel,
            now=now,
            actor=actor,
        )

    def withdraw_consent(
        self,
        identities: Sequence[str],
        purposes: Sequence[str],
        *,
        now: datetime,
        actor: str,
        channel: str = "api",
        notice: str | None = None,
        execute: bool = False,
    ) -> Withdrawal:
        """Withdraw the person's consent to ``purposes`` (Art. 7(3)): the plan; with ``execute``
        the ledger entry, the erasure of data held only on it and the suppression list."""
        from varna.dsr.erasure import plan_erasure
        from varna.dsr.executor import execute_erasure
        from varna.dsr.objection import only_tables
        from varna.dsr.planner import RequestKind, plan_request
        from varna.dsr.proof import AuditRecorder
        from varna.dsr.traversal import collect_rows
        from varna.state.consent import ConsentChoice
        from varna.state.locks import execution_lock

        people = self.parse_identities(identities, now=now)
        chosen = self._purposes(purposes)
        names = self.ledger.pseudonyms(people)
        with execution_lock(self.state, names) if execute else nullcontext():
            left = self._current(names, now=now) - set(chosen)
            tables = self._consent_only_tables(set(chosen), left)
            suppress = self._ends_marketing(set(chosen), left)
            with self.connectors() as conns:
                traversal = plan_request(self.register, people, kind=RequestKind.erasure)
                found = collect_rows(traversal, conns, today=now.date())
                erasure = plan_erasure(
                    self.register,
                    only_tables(found, tables),
                    now=now,
                    hash_key=self._erasure_key(),
                )
                labels = sorted(f"{s}:{t}" for s, t in tables)
                outcome = Withdrawal(tuple(chosen), erasure, labels, suppress)
                if not execute:
                    return outcome
                outcome.recorded = self._write(
                    names,
                    self._audit_names(people),
                    [ConsentChoice(p, False) for p in chosen],
                    subject_kind="person",
                    notice=notice or "withdrawal",
                    policy_version=None,
                    vendors=(),
                    channel=channel,
                    now=now,
                    actor=actor,
                )
                known, audit_key = (
                    tuple(found.identities or people),
                    self.settings.audit_key_bytes(),
                )
                if suppress:
                    outcome.suppressed_new = self.ledger.suppressions.suppress(
                        known, at=now, source=f"consent withdrawn ({', '.join(chosen)})"[:200]
                    )
                if erasure.has_work:
                    outcome.receipts = execute_erasure(
                        erasure,
                        conns,
                        now=now,
                        journal=self.erasure_journal,
                        recorder=AuditRecorder(self.audit, key=audit_key, actor=actor),
                    )
                    reached = sorted({(row.system, row.table) for row in erasure.rows})
                    outcome.notices = self._queue_withdrawal_notices(
                        outcome.recorded.id, reached, identities=list(identities), at=now
                    )
        return outcome

    # -- the withdrawal link (a newsletter's footer, the privacy centre) ---------------------------
    def withdrawal_token(
        self, identities: Sequence[str], purposes: Sequence[str], *, now: datetime
    ) -> str:
        """The token of a withdrawal link: the identities and purposes sealed under the
        installation key (no address readable in the URL; valid until the key changes)."""
        self.parse_identities(identities, now=now)
        chosen = self._purposes(purposes)
        payload = json.dumps({"i": list(identities), "p": chosen}, separators=(",", ":"))
        return self._sealer("consent-link").seal(payload.encode()).decode()

    def withdrawal_link(
        self, identities: Sequence[str], purposes: Sequence[str], *, now: datetime, lang: str
    ) -> str:
        """The link for a newsletter's footer (``List-Unsubscribe`` too): one click on the page
        it opens withdraws the consent, without a login."""
        token = self.withdrawal_token(identities, purposes, now=now)
        return f"{self._public_url()}/{lang}/consent/withdraw/{token}"

    def _open_withdrawal_token(self, token: str) -> tuple[list[str], list[str]]:
        try:
            data = json.loads(self._sealer("consent-link").open(token.encode()))
            identities, purposes = data["i"], data["p"]
        except (StateError, ValueError, KeyError, TypeError, UnicodeError) as exc:
            raise VerificationError("this withdrawal link is not valid", reason="unknown") from exc
        return [str(i) for i in identities], [str(p) for p in purposes]

    def withdrawal_link_purposes(self, token: str, *, lang: str) -> list[tuple[str, str]]:
        """The purposes a withdrawal link withdraws, with their labels in ``lang``."""
        _, purposes = self._open_withdrawal_token(token)
        owner = self.consent_purposes()
        out = []
        for purpose in self._purposes(purposes):
            activity = self.register.activities[owner[purpose]]
            declared = activity.consent.purposes.get(purpose) if activity.consent else None
            if declared is not None and declared.label is not None:
                label = declared.label.get(lang)
            else:
                label = activity.name.get(lang)
            out.append((purpose, label))
        return out

    def withdraw_by_link(
        self, token: str, *, now: datetime, lang: str, execute: bool = True
    ) -> LinkWithdrawal:
        """Withdraw the consent a withdrawal link names (Art. 7(3)), as
        :meth:`withdraw_consent` does: the ledger entry, the erasure of data held only on it,
        the suppression list and the Art. 19 notices; with the purposes' labels in ``lang``."""
        labels = [label for _, label in self.withdrawal_link_purposes(token, lang=lang)]
        identities, purposes = self._open_withdrawal_token(token)
        done = self.withdraw_consent(
            identities, purposes, now=now, actor="person", channel="link", execute=execute
        )
        return LinkWithdrawal(done, tuple(labels))

    def _current(self, names: Sequence[str], *, now: datetime) -> set[str]:
        latest = self.consents.latest(names, list(self.consent_purposes()), at=now)
        return {p for p, e in latest.items() if self._judge(p, e, now=now, notice=None).current}

    def _consent_only_tables(self, withdrawn: set[str], left: set[str]) -> set[tuple[str, str]]:
        """Tables every activity of which rests on consent alone, with a purpose withdrawn now
        and none still given: the person's rows there have no other basis (Art. 17(1)(b))."""
        from varna.register.activities import Basis

        reg, out = self.register, set()
        for system, name, table in reg.tables():
            purposes: set[str] = set()
            only_consent = bool(table.activities)
            for key in table.activities:
                act = reg.activities.get(key)
                if act is None or {lb.basis for lb in act.legal_bases} != {Basis.consent}:
                    only_consent = False
                    break
                purposes.update(act.consent_purposes(key))
            if only_consent and purposes & withdrawn and not purposes & left:
                out.add((system, name))
        return out

    def _ends_marketing(self, withdrawn: set[str], left: set[str]) -> bool:
        """A marketing purpose is withdrawn and no marketing purpose is still given."""
        owner = self.consent_purposes()
        marketing = {p for p, a in owner.items() if self.register.activities[a].direct_marketing}
        return bool(marketing & withdrawn) and not marketing & left

    # -- reading -------------------------------------------------------------------------------
    def _judge(
        self, purpose: str, entry: ConsentEntry | None, *, now: datetime, notice: str | None
    ) -> ConsentStatus:
        if entry is None:
            return ConsentStatus(purpose, False, "never_asked")
        if not entry.granted:
            return ConsentStatus(purpose, False, "withdrawn", entry.at, None, entry)
        renew = add_months(entry.at, self.settings.consent_renew_months)
        if now >= renew:
            return ConsentStatus(purpose, False, "expired", entry.at, renew, entry)
        if notice is not None and notice != entry.notice:
            return ConsentStatus(purpose, False, "notice_changed", entry.at, renew, entry)
        return ConsentStatus(purpose, True, "granted", entry.at, renew, entry)

    def consent_status(
        self,
        identities: Sequence[str],
        purpose: str,
        *,
        at: datetime,
        notice: str | None = None,
    ) -> ConsentStatus:
        """The person's consent to ``purpose`` as it stood at ``at`` (any past time: the proof
        for a regulator); ``notice``: the hash of the notice shown now (a change asks again)."""
        people = self.parse_identities(identities, now=at)
        chosen = self._purposes([purpose])[0]
        latest = self.consents.latest(self.ledger.pseudonyms(people), [chosen], at=at)
        return self._judge(chosen, latest.get(chosen), now=at, notice=notice)

    def kept_consent_status(
        self,
        identities: Sequence[str],
        purpose: str,
        *,
        at: datetime,
        notice: str | None = None,
    ) -> ConsentStatus | None:
        """:meth:`consent_status` when this process can answer it without reading the ledger
        (an entry read before and provably unchanged since); else None. Never blocks on the
        database, so an event loop may call it."""
        people = self.parse_identities(identities, now=at)
        chosen = self._purposes([purpose])[0]
        known, entry = self.consents.kept_latest(self.ledger.pseudonyms(people), chosen, at=at)
        return self._judge(chosen, entry, now=at, notice=notice) if known else None

    def consent_statuses(
        self, checks: Sequence[tuple[Sequence[str], str]], *, at: datetime
    ) -> list[ConsentStatus]:
        """A batch of (identities, purpose) checks, in order."""
        if len(checks) > 1000:
            raise RequestError("at most 1,000 checks in one batch", field="checks")
        return [self.consent_status(ids, purpose, at=at) for ids, purpose in checks]

    def consent_history(self, identities: Sequence[str], *, until: datetime) -> list[ConsentEntry]:
        """Every grant and withdrawal of the person up to ``until``, oldest first, each with
        the audit entry that proves it (``audit_seq``; ``varna audit verify`` checks the chain)."""
        people = self.parse_identities(identities, now=until)
        return self.consents.history(self.ledger.pseudonyms(people), until=until)

    def consented_filter(self, purpose: str, *, now: datetime) -> Callable[[list[str]], set[str]]:
        """A function giving, of the pseudonyms passed, those with a current consent to
        ``purpose`` (for screening a marketing list)."""
        chosen = self._purposes([purpose])[0]

        def consented(names: list[str]) -> set[str]:
            latest = self.consents.latest_many(names, chosen, at=now)
            return {
                n for n, e in latest.items() if self._judge(chosen, e, now=now, notice=None).current
            }

        return consented

    def screen(
        self,
        rows: Iterable[Mapping[str, Any]],
        columns: Mapping[str, str],
        *,
        now: datetime,
        purpose: str | None = None,
    ) -> Screening:
        """Drop from a list everyone who objected (Art. 21(3)) or is restricted (Art. 18(2)),
        and, when the list declares a consent ``purpose``, everyone without a current consent
        to it (Art. 6(1)(a), 7(1))."""
        from varna.dsr.objection import screen

        consented = self.consented_filter(purpose, now=now) if purpose is not None else None
        return screen(rows, columns, self.ledger, today=now.date(), consented=consented)

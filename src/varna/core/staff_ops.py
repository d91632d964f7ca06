"""Operations of the service: accountability for the staff's knowledge of the policy.

The controller must be able to show that its staff know the rules (Art. 5(2), 24(1)); the DPO
monitors the training of staff (Art. 39(1)(b)); seed 004 trains every new employee on its privacy
and e-mail policies and follows up that they are kept. So Varna records which staff member was
trained on or acknowledged which published policy version and when, reminds by e-mail those who
have not acknowledged the newest version, and puts each of these in the audit log (the staff
member named by their staff name, never their address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from varna.core.execution_ops import ExecutionOps
from varna.core.policy_ops import PolicyOps
from varna.core.user_ops import ConsoleUser, Permission
from varna.errors import ConnectorError, StateError

if TYPE_CHECKING:
    from varna.audit.models import NewEvent
    from varna.state.staff import PolicyEvent, StaffMember, StaffStore


class PolicyEventKind(StrEnum):
    """What is recorded about a staff member and a policy version."""

    trained = "trained"
    acknowledged = "acknowledged"


@dataclass(frozen=True, slots=True)
class StaffLine:
    """One staff member against the newest policy version."""

    member: StaffMember
    trained: PolicyEvent | None
    """Their newest training (any version)."""
    acknowledged: PolicyEvent | None
    """Their newest acknowledgement (any version)."""
    reminded: PolicyEvent | None
    """A reminder of the newest version, if one was sent."""
    current: int

    @property
    def up_to_date(self) -> bool:
        """Acknowledged the newest version (or no version is published yet)."""
        if self.current == 0:
            return True
        return self.acknowledged is not None and self.acknowledged.version == self.current


@dataclass(frozen=True, slots=True)
class StaffStatus:
    """The staff against the newest published policy version."""

    current: int
    """The newest version's number (1, 2, ...; 0 before the first is published)."""
    label: str | None
    """Its name or effective date."""
    lines: tuple[StaffLine, ...]

    @property
    def behind(self) -> tuple[StaffLine, ...]:
        return tuple(line for line in self.lines if not line.up_to_date)


@dataclass(frozen=True, slots=True)
class Reminded:
    """What a reminder run did."""

    version: int
    sent: tuple[str, ...]
    failed: tuple[str, ...]
    no_address: tuple[str, ...]


class StaffOps(ExecutionOps, PolicyOps):
    """Operations: the staff, their policy training and acknowledgements, reminders."""

    def _staff(self) -> StaffStore:
        from varna.state.staff import StaffStore

        return StaffStore(self.state)

    def add_staff(self, name: str, *, email: str | None, actor: str, now: datetime) -> StaffMember:
        """Add a staff member to follow (``email``: where reminders go)."""
        name = name.strip()
        if not name or len(name) > 100 or any(c.isspace() for c in name):
            raise StateError(
                "a staff name is 1-100 characters without spaces, e.g. anna.berg: choose another"
            )
        if email is not None and "@" not in email:
            raise StateError("the staff member's e-mail address has no '@': check --email")
        member = self._staff().add(name, email.strip() if email else None, now=now)
        self.audit.append(at=now, actor=actor, action="staff.added", target=f"staff:{name}")
        return member

    def staff_left(self, name: str, *, actor: str, now: datetime) -> None:
        """A staff member left: kept with their history, no more reminders."""
        self._staff().leave(name, now=now)
        self.audit.append(at=now, actor=actor, action="staff.left", target=f"staff:{name}")

    def record_policy_training(
        self,
        names: list[str],
        *,
        kind: PolicyEventKind,
        actor: str,
        now: datetime,
        version: int | None = None,
    ) -> list[str]:
        """Record that each of ``names`` was trained on or acknowledged policy ``version`` (the
        newest by default); a second record of the same is ignored. Returns those recorded now."""
        current = len(self.policy_versions())
        if current == 0:
            raise StateError(
                "no policy version is published yet: `varna policy publish` first, then record "
                "who was trained on it"
            )
        chosen = current if version is None else version
        if not 1 <= chosen <= current:
            raise StateError(
                f"policy version {chosen} is not published: choose 1-{current} "
                "(`varna policy versions` lists them)"
            )
        store = self._staff()
        unknown = [n for n in names if store.get(n) is None]
        if unknown or not names:
            raise StateError(
                f"no staff member {', '.join(unknown) or '(none given)'}: add them with "
                "`varna staff add NAME` first"
            )
        done = store.record(names, version=chosen, kind=kind.value, now=now, recorded_by=actor)
        self.audit.append_many(
            _event(now, actor, f"staff.policy.{kind.value}", name, {"version": chosen})
            for name in done
        )
        return done

    def staff_status(self) -> StaffStatus:
        """Every staff member still here, against the newest published policy version."""
        versions = self.policy_versions()
        current = len(versions)
        label = None
        if versions:
            newest = versions[-1]
            label = newest.version or newest.effective_date.isoformat()
        trained: dict[str, PolicyEvent] = {}
        acknowledged: dict[str, PolicyEvent] = {}
        reminded: dict[str, PolicyEvent] = {}
        for event in self._staff().events():  # oldest first: the newest wins
            if event.kind == "trained":
                trained[event.name] = event
            elif event.kind == "acknowledged":
                acknowledged[event.name] = event
            elif event.version == current:
                reminded[event.name] = event
        lines = tuple(
            StaffLine(
                m, trained.get(m.name), acknowledged.get(m.name), reminded.get(m.name), current
            )
            for m in self._staff().members()
            if m.left_at is None
        )
        return StaffStatus(current, label, lines)

    def remind_staff(self, *, actor: str, now: datetime, lang: str = "sv") -> Reminded:
        """E-mail each staff member who has not acknowledged the newest policy version and was
        not reminded of it yet (through the request service's mailer); each reminder sent is
        recorded, so a second run sends nothing new."""
        from varna.mail.messages import staff_reminder_message

        status = self.staff_status()
        todo = [line for line in status.behind if line.reminded is None]
        no_address = tuple(line.member.name for line in todo if not line.member.email)
        sendable = [line for line in todo if line.member.email]
        if not sendable:
            return Reminded(status.current, (), (), no_address)
        mailer = self.mailer()
        messages = [
            staff_reminder_message(
                to=str(line.member.email),
                sender=self._sender(),
                controller=self._controller_name(lang),
                version=status.label or str(status.current),
                link=f"{self._public_url()}/{lang}/policy",
                lang=lang,
            )
            for line in sendable
        ]
        try:
            taken = mailer.send_many(messages)
        except ConnectorError:
            taken = [False] * len(messages)
        sent = [line.member.name for line, ok in zip(sendable, taken, strict=True) if ok]
        failed = tuple(line.member.name for line, ok in zip(sendable, taken, strict=True) if not ok)
        recorded = self._staff().record(
            sent, version=status.current, kind="reminded", now=now, recorded_by=actor
        )
        self.audit.append_many(
            _event(now, actor, "staff.policy.reminded", name, {"version": status.current})
            for name in recorded
        )
        return Reminded(status.current, tuple(sent), failed, no_address)

    # -- the console -----------------------------------------------------------------------

    def console_staff(self, user: ConsoleUser) -> StaffStatus:
        """The accountability page: the staff against the newest policy version."""
        user.require(Permission.accountability)
        return self.staff_status()

    def console_record_training(
        self, user: ConsoleUser, names: list[str], *, kind: PolicyEventKind, now: datetime
    ) -> list[str]:
        """Record, from the console, training on or acknowledgement of the newest version."""
        user.require(Permission.accountability_record)
        return self.record_policy_training(names, kind=kind, actor=f"console:{user.name}", now=now)

    def console_remind_staff(self, user: ConsoleUser, *, now: datetime, lang: str) -> Reminded:
        """Send the reminders from the console."""
        user.require(Permission.accountability_record)
        return self.remind_staff(actor=f"console:{user.name}", now=now, lang=lang)


def _event(at: datetime, actor: str, action: str, name: str, details: dict[str, int]) -> NewEvent:
    from varna.audit.models import NewEvent

    return NewEvent(at=at, actor=actor, action=action, target=f"staff:{name}", details=details)

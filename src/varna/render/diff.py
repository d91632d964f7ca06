"""The semantic difference between two registers: what a reader of the policy would notice.

Each :class:`Change` says what changed, where in the register, and whether it is *material*: a
change people must be told about before it applies (seeds 000 and 001 promise this). Material, as
the EDPB transparency guidelines (WP260 rev.01, para. 29-32) describe: a new purpose, a new
recipient or third country, a longer retention, a new category of data, a changed legal basis, and,
by the same reasoning, direct marketing or automated decisions that did not happen before. A
retention rule replaced by one of another kind cannot be ordered, so it is counted as material.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from varna.register.activities import (
    Activity,
    Bookkeeping,
    PeriodAfter,
    Retention,
    Role,
    UntilWithdrawn,
    WhileActive,
)
from varna.register.model import Register
from varna.register.types import parse_period
from varna.render.context import in_eea


@dataclass(frozen=True, slots=True)
class Change:
    """One semantic change; ``summary`` is an English sentence for the DPO."""

    kind: str
    path: str
    summary: str
    material: bool
    subjects: tuple[str, ...] = ()
    """Subject categories the change concerns (who to tell)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RegisterDiff:
    """Every change, and whom to notify when any is material."""

    changes: tuple[Change, ...]
    channels: tuple[str, ...] = field(default=())
    """The new register's ``notify_changes_by`` channels, when a change is material."""

    @property
    def material(self) -> bool:
        return any(c.material for c in self.changes)

    @property
    def notify_subjects(self) -> tuple[str, ...]:
        keys = {s for c in self.changes if c.material for s in c.subjects}
        return tuple(sorted(keys))

    def as_dict(self) -> dict[str, Any]:
        return {
            "material": self.material,
            "changes": [c.as_dict() for c in self.changes],
            "notify": {"channels": list(self.channels), "subjects": list(self.notify_subjects)},
        }


def diff_registers(old: Register, new: Register) -> RegisterDiff:
    """The semantic changes from ``old`` to ``new``, in a stable order."""
    changes = [
        *_subjects(old, new),
        *_activities(old, new),
        *_recipients(old, new),
        *_third_countries(old, new),
        *_cookies(old, new),
    ]
    material = any(c.material for c in changes)
    channels = tuple(c.value for c in new.controller.policy.notify_changes_by) if material else ()
    return RegisterDiff(tuple(changes), channels)


def _subjects(old: Register, new: Register) -> Iterator[Change]:
    for key in [k for k in new.subjects if k not in old.subjects]:
        yield Change("subject_added", f"subjects.{key}", f"new subject category '{key}'", False)
    for key in [k for k in old.subjects if k not in new.subjects]:
        yield Change(
            "subject_removed", f"subjects.{key}", f"subject category '{key}' removed", False
        )


def _activities(old: Register, new: Register) -> Iterator[Change]:
    for key, activity in new.activities.items():
        path, who = f"activities.{key}", tuple(activity.subjects)
        before = old.activities.get(key)
        if before is None:
            material = activity.role is Role.controller
            yield Change("activity_added", path, f"new purpose '{key}'", material, who)
            continue
        yield from _activity(path, before, activity)
    for key in [k for k in old.activities if k not in new.activities]:
        yield Change("activity_removed", f"activities.{key}", f"purpose '{key}' removed", False)


def _activity(path: str, old: Activity, new: Activity) -> Iterator[Change]:
    who = tuple(new.subjects)
    if old.purpose != new.purpose:
        yield Change("purpose_changed", f"{path}.purpose", "purpose reworded or changed", True, who)
    if old.role is not new.role:
        yield Change("role_changed", f"{path}.role", f"role {old.role} -> {new.role}", True, who)
    bases = {(b.basis.value, b.statute) for b in old.legal_bases}
    now = {(b.basis.value, b.statute) for b in new.legal_bases}
    if bases != now:
        summary = f"legal basis {_names(bases)} -> {_names(now)}"
        yield Change("basis_changed", f"{path}.legal_bases", summary, True, who)
    yield from _added_removed(path, "categories", old.categories, new.categories, who)
    yield from _added_removed(path, "recipients", old.recipients, new.recipients, who)
    yield from _added_removed(path, "subjects", old.subjects, new.subjects, who)
    if old.retention != new.retention:
        longer = _longer(old.retention, new.retention)
        summary = f"retention {_rule(old.retention)} -> {_rule(new.retention)}"
        kind = "retention_longer" if longer else "retention_changed"
        yield Change(kind, f"{path}.retention", summary, longer, who)
    if new.direct_marketing and not old.direct_marketing:
        yield Change("marketing_added", f"{path}.direct_marketing", "direct marketing", True, who)
    if new.automated_decision and not old.automated_decision:
        summary = "automated decision-making"
        yield Change("automated_added", f"{path}.automated_decision", summary, True, who)
    new_sources = {s.kind for s in new.sources} - {s.kind for s in old.sources}
    if new_sources:
        summary = f"new sources: {', '.join(sorted(new_sources))}"
        yield Change("sources_added", f"{path}.sources", summary, False, who)


def _added_removed(
    path: str, attr: str, old: list[str], new: list[str], who: tuple[str, ...]
) -> Iterator[Change]:
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if added:
        singular = {"categories": "category", "recipients": "recipient", "subjects": "subject"}
        summary = f"new {attr}: {', '.join(added)}"
        yield Change(f"{singular[attr]}_added", f"{path}.{attr}", summary, True, tuple(who))
    if removed:
        summary = f"{attr} removed: {', '.join(removed)}"
        yield Change(f"{attr}_removed", f"{path}.{attr}", summary, False, tuple(who))


def _recipients(old: Register, new: Register) -> Iterator[Change]:
    for key, r in new.recipients.items():
        path = f"recipients.{key}"
        before = old.recipients.get(key)
        if before is None:
            yield Change("recipient_added", path, f"new recipient '{key}'", _used(new, key))
            continue
        if before.country != r.country:
            summary = f"country {before.country or 'unstated'} -> {r.country or 'unstated'}"
            third = r.country is not None and not in_eea(r.country)
            yield Change("recipient_country_changed", f"{path}.country", summary, third)
        if before.transfer != r.transfer:
            old_m = before.transfer.mechanism if before.transfer else "none"
            new_m = r.transfer.mechanism if r.transfer else "none"
            summary = f"transfer safeguard {old_m} -> {new_m}"
            yield Change("transfer_changed", f"{path}.transfer", summary, False)
        if before.kind is not r.kind:
            summary = f"recipient role {before.kind} -> {r.kind}"
            yield Change("recipient_role_changed", f"{path}.kind", summary, False)
    for key in [k for k in old.recipients if k not in new.recipients]:
        yield Change("recipient_removed", f"recipients.{key}", f"recipient '{key}' removed", False)


def _used(register: Register, recipient: str) -> bool:
    return any(recipient in a.recipients for a in register.activities.values())


def _third_countries(old: Register, new: Register) -> Iterator[Change]:
    for country in sorted(_countries(new) - _countries(old)):
        yield Change("third_country_added", "recipients", f"new third country {country}", True)


def _countries(register: Register) -> set[str]:
    found = {r.country for r in register.recipients.values() if r.country}
    found |= {s.country for s in register.systems.values()}
    found |= {c.country for c in register.cookies.values() if c.country}
    return {c for c in found if not in_eea(c)}


def _cookies(old: Register, new: Register) -> Iterator[Change]:
    for key in [k for k in new.cookies if k not in old.cookies]:
        yield Change("cookie_service_added", f"cookies.{key}", f"new cookie service '{key}'", False)
    for key in [k for k in old.cookies if k not in new.cookies]:
        summary = f"cookie service '{key}' removed"
        yield Change("cookie_service_removed", f"cookies.{key}", summary, False)


def _names(bases: set[tuple[str, str | None]]) -> str:
    return "+".join(sorted(f"{b}({s})" if s else b for b, s in bases)) or "none"


def _rule(rule: Retention | None) -> str:
    if rule is None:
        return "unstated"
    if isinstance(rule, PeriodAfter):
        return f"{rule.period} after {rule.anchor}"
    if isinstance(rule, WhileActive):
        return f"while active ({rule.anchor})" + (f" + {rule.then}" if rule.then else "")
    if isinstance(rule, Bookkeeping):
        return f"bookkeeping {rule.years} years"
    return "until consent withdrawn" + (f" + {rule.grace}" if rule.grace else "")


def _longer(old: Retention | None, new: Retention | None) -> bool:
    """Whether ``new`` may keep data longer than ``old``; rules of different kinds count as
    longer, an unstated rule as unbounded."""
    if new is None:
        return old is not None
    if old is None:
        return False
    if type(old) is not type(new) or getattr(old, "anchor", None) != getattr(new, "anchor", None):
        return True
    return _days(new) > _days(old)


def _days(rule: Retention) -> int:
    if isinstance(rule, PeriodAfter):
        return parse_period(rule.period).approx_days
    if isinstance(rule, WhileActive):
        return parse_period(rule.then).approx_days if rule.then else 0
    if isinstance(rule, Bookkeeping):
        return rule.years * 365
    assert isinstance(rule, UntilWithdrawn)
    return parse_period(rule.grace).approx_days if rule.grace else 0

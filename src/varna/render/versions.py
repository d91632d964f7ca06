"""Published versions of the policy: what was published, when it took effect, and what changed.

:func:`publish_policy` renders the policy in every published language, hashes the text and the
register, computes the semantic changelog against the previous version's register and records a
:class:`PolicyVersion` in a :class:`VersionStore`. For now the store is a JSON-lines file beside the
register (``policy-versions.jsonl``); Varna's state database will take over behind the same
interface. Publishing the same register with the same effective date again records nothing.

Publishing is gated: a register that ``register check`` finds errors in (placeholders among them)
is refused unless forced, and every version records the check result it was published with
(:class:`CheckRecord`), including who forced it past the gate.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from varna.errors import PublishError
from varna.register.checks import Finding, Severity, run_checks
from varna.register.model import Register
from varna.render.diff import Change, diff_registers
from varna.render.policy import compose_policy
from varna.render.wording import as_lang
from varna.render.writers import to_markdown

VERSIONS_FILE = "policy-versions.jsonl"


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """The ``register check`` result a version was published with."""

    on: date
    """The date the check was made for (the effective date: adequacy decisions come and go)."""
    errors: int
    warnings: int
    notes: int
    error_rules: dict[str, int]
    """Rules that found errors, with how many each."""
    forced_by: str | None = None
    """Who published despite the errors (``--force``); None when nothing was overridden."""

    @property
    def blocking(self) -> bool:
        return self.errors > 0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "on": self.on.isoformat()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckRecord:
        return cls(**{**data, "on": date.fromisoformat(data["on"])})


def plan_check_record(findings: Sequence[Finding], *, on: date) -> CheckRecord:
    """Summarise ``findings`` for the version record (pure)."""
    by = Counter(f.severity for f in findings)
    rules = Counter(f.rule for f in findings if f.severity is Severity.error)
    return CheckRecord(
        on=on,
        errors=by[Severity.error],
        warnings=by[Severity.warning],
        notes=by[Severity.info],
        error_rules=dict(sorted(rules.items())),
    )


def gate_publish(record: CheckRecord, *, force: bool, actor: str | None) -> CheckRecord:
    """Refuse a register with check errors unless ``force``; a forced record names ``actor``."""
    if not record.blocking:
        return record
    if not force:
        rules = ", ".join(f"{rule} ({n})" for rule, n in record.error_rules.items())
        raise PublishError(
            f"register check finds {record.errors} error(s): {rules}; a policy is not published "
            "while the register has errors or placeholders. Fix them (see varna register check), "
            "or pass --force to publish anyway (the override is recorded in the audit log)"
        )
    if not actor:
        raise PublishError("a forced publication must name who forced it")
    return CheckRecord(
        record.on,
        record.errors,
        record.warnings,
        record.notes,
        record.error_rules,
        forced_by=actor,
    )


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One published version of the policy."""

    version: str | None
    effective_date: date
    published_at: datetime
    register_hash: str
    """SHA-256 of the register's canonical JSON: the same register, the same hash."""
    content_hashes: dict[str, str]
    """SHA-256 of the rendered policy text (Markdown), by language."""
    changes: tuple[Change, ...]
    """The semantic changelog against the previous version (empty for the first)."""
    material: bool
    notify_channels: tuple[str, ...]
    notify_subjects: tuple[str, ...]
    register: dict[str, Any]
    """The register as published, so the next version can be diffed against it."""
    check: CheckRecord | None = field(default=None)
    """The check result it was published with (None for versions published before the gate)."""

    def to_json(self) -> str:
        data = asdict(self)
        data["effective_date"] = self.effective_date.isoformat()
        data["published_at"] = self.published_at.isoformat()
        data["check"] = self.check.to_dict() if self.check else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> PolicyVersion:
        data = json.loads(line)
        data["effective_date"] = date.fromisoformat(data["effective_date"])
        data["published_at"] = datetime.fromisoformat(data["published_at"])
        data["changes"] = tuple(
            Change(**{**c, "subjects": tuple(c["subjects"])}) for c in data["changes"]
        )
        for key in ("notify_channels", "notify_subjects"):
            data[key] = tuple(data[key])
        check = data.pop("check", None)
        return cls(**data, check=CheckRecord.from_dict(check) if check else None)

    def previous_register(self) -> Register:
        return Register.model_validate(self.register)


class VersionStore(Protocol):
    """Where published versions are kept, oldest first."""

    def versions(self) -> list[PolicyVersion]: ...

    def append(self, version: PolicyVersion) -> None: ...


class JsonlVersionStore:
    """Versions as JSON lines in one file (append-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, register_path: Path) -> JsonlVersionStore:
        return cls(register_path.parent / VERSIONS_FILE)

    def versions(self) -> list[PolicyVersion]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [PolicyVersion.from_json(line) for line in lines if line.strip()]

    def append(self, version: PolicyVersion) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(version.to_json() + "\n")


@dataclass(frozen=True, slots=True)
class PublishResult:
    version: PolicyVersion
    created: bool
    """False when this register and date were already the latest published version."""


def register_hash(register: Register) -> str:
    """SHA-256 of the register's canonical JSON (keys sorted, no whitespace)."""
    return _sha256(_canonical(register.model_dump(mode="json")))


def publish_policy(
    register: Register,
    *,
    store: VersionStore,
    now: datetime,
    effective: date | None = None,
    force: bool = False,
    actor: str | None = None,
) -> PublishResult:
    """Record a version of ``register``'s policy taking effect on ``effective`` (default: the
    register's ``controller.policy.effective_date``).

    Refused (:class:`PublishError`) while ``register check`` finds errors, unless ``force``; the
    version records the check result and, when forced, ``actor``. Recording the override in the
    audit log is the caller's part (:meth:`varna.core.Varna.publish_policy` does it)."""
    policy = register.controller.policy
    day = effective or policy.effective_date
    if day is None:
        raise PublishError(
            "no effective date: pass --effective YYYY-MM-DD or set controller.policy.effective_date"
        )
    if day != policy.effective_date:
        update = {"policy": policy.model_copy(update={"effective_date": day})}
        register = register.model_copy(
            update={"controller": register.controller.model_copy(update=update)}
        )
    check = plan_check_record(run_checks(register, on=day), on=day)
    check = gate_publish(check, force=force, actor=actor)
    digest = register_hash(register)
    history = store.versions()
    latest = history[-1] if history else None
    if latest is not None and latest.register_hash == digest and latest.effective_date == day:
        return PublishResult(latest, created=False)
    same_label = latest is not None and policy.version and latest.version == policy.version
    if same_label and latest is not None and latest.register_hash != digest:
        raise PublishError(
            f"the register changed since version {policy.version} was published: "
            "give controller.policy.version a new label"
        )
    diff = diff_registers(latest.previous_register(), register) if latest else None
    hashes = {
        str(lang): _sha256(to_markdown(compose_policy(register, as_lang(lang)).document))
        for lang in policy.languages
    }
    version = PolicyVersion(
        version=policy.version,
        effective_date=day,
        published_at=now,
        register_hash=digest,
        content_hashes=hashes,
        changes=diff.changes if diff else (),
        material=diff.material if diff else False,
        notify_channels=diff.channels if diff else (),
        notify_subjects=diff.notify_subjects if diff else (),
        register=register.model_dump(mode="json"),
        check=check,
    )
    store.append(version)
    return PublishResult(version, created=True)


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

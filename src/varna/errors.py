"""Every exception Varna raises, in one tree.

::

    VarnaError
    ├── SettingsError            a setting is missing or malformed
    ├── RegisterError            the register cannot be used
    │   └── RegisterLoadError    YAML or schema problems, each with file:line and key path
    ├── LawError
    │   └── InvalidIdentityNumber   a personnummer or organisationsnummer is wrong
    ├── StateError               Varna's own database
    │   └── AuditChainBroken     ``verify`` found tampering (carries the findings)
    ├── ConnectorError           an organisation's system could not be reached or read
    │   └── ConstraintViolation  a system refused a change (names the constraint and the fix)
    ├── RequestError             a data-subject request cannot be carried out as asked
    │   └── VerificationError    a proof of identity was not accepted
    ├── AccessError              a console user cannot sign in or lacks a permission
    ├── PluginError              an entry point could not be loaded or gave something unusable
    └── DiscoveryError           a discovery scan cannot run as asked

Messages never contain personal data: they name the locator and the kind of value, not the value.
The CLI and the web app each translate these into exit codes and HTTP statuses in one table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class VarnaError(Exception):
    """Base of every error Varna raises on purpose.

    ``fields`` holds what the message says as data (system, table, column, constraint, file,
    line, key path, code, ...), never personal data, so a door maps an error without parsing its
    message: the web layer puts them into the problem details it answers with."""

    def __init__(self, message: str = "", /, **fields: object) -> None:
        super().__init__(message)
        self.fields: dict[str, object] = {k: v for k, v in fields.items() if v is not None}


class SettingsError(VarnaError):
    """A setting (``VARNA_*``) is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a register file: where, what, and how to fix it."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str | None = None
    code: str = "invalid-register"

    @property
    def location(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where} {self.path}" if self.path else where

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class RegisterError(VarnaError):
    """The register cannot be used."""


class RegisterLoadError(RegisterError):
    """The register file is not valid YAML or does not match the schema.

    ``problems`` lists every problem found, not only the first.
    """

    def __init__(self, problems: Sequence[Problem], *, what: str = "register") -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        count = len(lines)
        head = f"{what} has {count} problem{'s' if count != 1 else ''}"
        super().__init__(
            "\n".join([head, *lines]),
            problems=[
                {
                    "file": p.file,
                    "line": p.line,
                    "key_path": p.path,
                    "code": p.code,
                    "message": p.message,
                    "hint": p.hint,
                }
                for p in self.problems
            ],
        )


class LawError(VarnaError):
    """A legal rule cannot be applied to the input."""


class InvalidIdentityNumber(LawError, ValueError):
    """An identity number is malformed or fails its check digit.

    The message names the kind of number and the reason, never the number itself.
    """


class UnknownCountryCode(LawError, ValueError):
    """A country code is not an ISO 3166-1 alpha-2 code."""


class StateError(VarnaError):
    """Varna's own database cannot be used."""


class AuditChainBroken(StateError):
    """``verify`` found entries that were changed, deleted, inserted or reordered."""

    def __init__(self, findings: Sequence[str]) -> None:
        self.findings = tuple(findings)
        super().__init__(
            f"audit log fails verification: {len(self.findings)} finding(s)",
            findings=len(self.findings),
        )


class ConnectorError(VarnaError):
    """An organisation's system could not be reached or read."""


class RequestError(VarnaError):
    """A data-subject request cannot be carried out as asked (an unknown identity kind, a
    malformed identity, a plan that no longer matches the register).

    The message names the kind of identity, never its value.
    """


class VerificationError(RequestError):
    """A person's proof of identity was not accepted: a wrong, expired or used code, too many
    tries, or too many codes asked for. ``reason`` names which (``wrong``, ``expired``,
    ``used``, ``locked``, ``rate_limited``, ``unknown``); the message never holds the address."""

    def __init__(self, message: str, *, reason: str, retry_after: int | None = None) -> None:
        super().__init__(message, reason=reason, retry_after=retry_after)
        self.reason = reason
        self.retry_after = retry_after


class AccessError(VarnaError):
    """A console user cannot sign in, or may not do what they asked. ``reason`` names why
    (``credentials``, ``code``, ``backoff``, ``permission``, ``four_eyes``, ``user``); the
    message never says whether a name exists."""

    def __init__(self, message: str, *, reason: str, retry_after: int | None = None) -> None:
        super().__init__(message, reason=reason, retry_after=retry_after)
        self.reason = reason
        self.retry_after = retry_after


class RenderError(VarnaError):
    """A document could not be written (a Typst compilation failed)."""


class PublishError(VarnaError):
    """A policy version cannot be published as asked."""


class DemoError(VarnaError):
    """The demo cannot be built where asked."""


class ConstraintViolation(ConnectorError):
    """A system refused a change: a foreign key, unique, NOT NULL or check constraint, a trigger,
    a lock or a login. Carries the system, table and constraint (never a row's values) and the
    fix, usually the reference to declare in the register."""

    def __init__(
        self,
        message: str,
        *,
        system: str,
        table: str | None,
        constraint: str | None,
        kind: str,
        hint: str,
    ) -> None:
        super().__init__(
            message, system=system, table=table, constraint=constraint, kind=kind, hint=hint
        )
        self.system = system
        self.table = table
        self.constraint = constraint
        self.kind = kind
        self.hint = hint


class PluginError(VarnaError):
    """An entry point (``varna.connectors``, ``varna.checks``, ``varna.renderers``) could not be
    loaded or gave something unusable."""


class DiscoveryError(VarnaError):
    """A discovery scan cannot run as asked (an unknown detector label, an unreadable input
    record). The message names the record's position or id, never its text."""


class BreachError(RequestError):
    """A change of the breach register cannot be made as asked: an unknown breach, field or
    category, a notice without a high risk (Art. 34(1)), a late notification without reasons
    (Art. 33(1)), a change of a closed breach. ``code`` names which; never personal data."""

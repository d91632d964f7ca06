"""The door for identity verifiers: the contract every verifier keeps and how they are found.

A verifier proves that the person asking controls an identity (an e-mail address, a personnummer
through an e-ID) before Varna acts on a request (GDPR Art. 12(6)). The e-mail code is the
built-in one; an e-ID (BankID, Freja+) is a plug-in that implements the same two steps:

1. ``start(request)`` begins a proof for request ``request.ref`` and returns a :class:`Challenge`:
   an opaque random id the person's browser holds (never an address or a number), when it stops
   working, and what the person does next (``prompt``: type a code, open an app, follow a link).
2. ``complete(challenge_id, response, now=...)`` checks the person's answer (a typed code, or
   nothing for an e-ID whose result is collected from its provider) and returns a
   :class:`Verification`: the request, the method, the assurance level reached and the identity
   attributes it proved (``{"email": ...}``, ``{"personnummer": ...}``).

Every refusal is a :class:`varna.errors.VerificationError` with a ``reason`` (``wrong``,
``expired``, ``used``, ``locked``, ``rate_limited``, ``unknown``, ``pending``, ``cancelled``);
no other exception leaves a verifier. Messages and reprs never hold the identity's value.

A distribution offers verifiers through the entry-point group ``varna.verifiers``: the entry
point is a callable returning ``{name: factory}``; ``factory(context)`` builds the verifier from
a :class:`VerifierContext` (the state, keys, the mailer). Varna's own ``email_code`` comes
through the same door (``builtin`` in Varna's ``pyproject.toml``). docs/verifiers.md is the
guide; tests/verify/test_contract.py is the contract every registered verifier must pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from varna.dsr.requests import Assurance
from varna.errors import PluginError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "varna.verifiers"

PROMPTS = frozenset({"code", "app", "redirect"})
"""What the person does next: type a code sent to them, open an e-ID app (QR code or autostart
token in ``Challenge.data``), or follow a link to the provider (``Challenge.data["url"]``)."""


@dataclass(frozen=True, slots=True, repr=False)
class VerificationRequest:
    """What a verifier is asked to prove: that the person asking request ``ref`` controls the
    identity ``kind=value``. ``client`` is the requester's address (an IP), for rate limits; a
    verifier keeps it, if at all, only as a keyed hash."""

    ref: str
    kind: str
    value: str
    now: datetime
    lang: str = "sv"
    client: str = "unknown"

    def __repr__(self) -> str:
        return f"VerificationRequest({self.ref}, {self.kind}=***)"


@dataclass(frozen=True, slots=True)
class Challenge:
    """A proof under way. ``id`` is random and opaque; ``data`` holds what the person's device
    needs (an autostart token, a QR payload, a URL), never personal data."""

    id: str
    verifier: str
    ref: str
    expires_at: datetime
    prompt: str
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, repr=False)
class Verification:
    """A proof that succeeded: who it was for (``ref``), how (``method``, in words for staff
    and the audit log), how strong (``assurance``) and which identities it proved
    (``attributes``: kind -> value, normalised as the register's identity kinds are)."""

    ref: str
    verifier: str
    method: str
    assurance: Assurance
    attributes: Mapping[str, str]
    at: datetime

    @property
    def proven(self) -> frozenset[str]:
        """The identity kinds proven (never their values)."""
        return frozenset(self.attributes)

    def __repr__(self) -> str:
        kinds = ", ".join(sorted(self.attributes))
        return f"Verification({self.ref}, {self.verifier}, {self.assurance.name}, [{kinds}])"


@runtime_checkable
class Verifier(Protocol):
    """What every verifier is. ``name`` is its stable key (``email_code``, ``bankid``);
    ``assurance`` the level a success reaches; ``proves`` the identity kinds it can prove."""

    name: str
    assurance: Assurance
    proves: frozenset[str]

    def start(self, request: VerificationRequest) -> Challenge:
        """Begin a proof; raise VerificationError (``rate_limited``, ``unknown``) if it cannot."""
        ...

    def complete(
        self, challenge: str, response: Mapping[str, str], *, now: datetime
    ) -> Verification:
        """Check the person's answer to ``challenge``; raise VerificationError if not proven."""
        ...


@dataclass(frozen=True, slots=True)
class VerifierContext:
    """What Varna lends a verifier: its state database (a ``varna.state.database.StateDB``), a
    key per purpose derived from the installation key, a way to send e-mail, the sender and the
    controller's name per language, and the pseudonym of an identity (for rate limits per
    identity without keeping it)."""

    state: Any
    key: Callable[[str], bytes]
    send: Callable[[EmailMessage], None]
    sender: str
    controller: Callable[[str], str]
    pseudonym: Callable[[str, str], str]


Factory = Callable[[VerifierContext], Verifier]


def _entry_points() -> list[EntryPoint]:
    """The entry points of the group, the built-in first, then by name."""
    from importlib.metadata import entry_points

    return sorted(entry_points(group=GROUP), key=lambda ep: (ep.name != "builtin", ep.name))


def load_factories() -> dict[str, Factory]:
    """Every verifier factory, by name, from the entry points of ``varna.verifiers``."""
    out: dict[str, Factory] = {}
    for ep in _entry_points():
        try:
            found = ep.load()()
        except Exception as exc:
            raise PluginError(
                f"entry point '{ep.name}' of group '{GROUP}' ({ep.value}) failed to load "
                f"({type(exc).__name__}); uninstall or fix the plugin"
            ) from exc
        if not isinstance(found, Mapping):
            raise PluginError(
                f"entry point '{ep.name}' of group '{GROUP}' must return a mapping of "
                "verifier name -> factory"
            )
        for name, factory in found.items():
            if name in out and out[name] is not factory:
                raise PluginError(
                    f"entry point '{ep.name}' of group '{GROUP}' repeats the verifier '{name}'"
                )
            if not callable(factory):
                raise PluginError(f"verifier '{name}' of entry point '{ep.name}' is not callable")
            out[name] = factory
    return out


def check_verifier(name: str, verifier: object) -> Verifier:
    """``verifier`` if it keeps the contract's shape, else a PluginError naming what is wrong."""
    if not isinstance(verifier, Verifier):
        raise PluginError(f"verifier '{name}' lacks start/complete or name/assurance/proves")
    if verifier.name != name:
        raise PluginError(f"verifier registered as '{name}' calls itself '{verifier.name}'")
    if not isinstance(verifier.assurance, Assurance) or verifier.assurance is Assurance.none:
        raise PluginError(f"verifier '{name}' must reach an assurance above none")
    if not verifier.proves:
        raise PluginError(f"verifier '{name}' must prove at least one identity kind")
    return verifier


def builtin_verifiers() -> dict[str, Factory]:
    """Varna's own verifiers (the ``builtin`` entry point of ``varna.verifiers``)."""
    from varna.verify.email import EmailCodeVerifier

    return {EmailCodeVerifier.name: EmailCodeVerifier}

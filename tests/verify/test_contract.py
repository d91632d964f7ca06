"""The contract every verifier keeps (varna.verify.plugins), run against every verifier registered
in the entry-point group ``varna.verifiers``: the built-in e-mail code and a plug-in installed
by this test as a distribution of its own (its ``.dist-info`` on the path).

A verifier joins the table below with the identity it proves and how the person reads the
secret it sends; a registered verifier without a row fails the first test.
"""

from __future__ import annotations

import mailbox
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from varna.core import Varna
from varna.dsr.requests import Assurance, Kind
from varna.errors import PluginError, VerificationError
from varna.settings import Settings
from varna.verify.plugins import (
    PROMPTS,
    Challenge,
    VerificationRequest,
    check_verifier,
    load_factories,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
HERE = Path(__file__).resolve().parent
REASONS = {"wrong", "expired", "used", "locked", "rate_limited", "unknown", "pending", "cancelled"}


def install_plugin(root: Path, entry: str, *, name: str = "varna-letter-test") -> Path:
    """A distribution named ``name`` whose ``varna.verifiers`` entry point is ``entry``."""
    info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[varna.verifiers]\nletters = {entry}\n")
    return root


@pytest.fixture
def plugin_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(HERE))  # the plug-in's code
    monkeypatch.syspath_prepend(str(install_plugin(tmp_path / "site", "letter_plugin:verifiers")))


@dataclass
class World:
    varna: Varna
    outbox: Path
    ref: str
    read: set[str] = field(default_factory=set)


@pytest.fixture
def world(
    demo_company: Callable[[int], Path], tmp_path: Path, plugin_installed: None
) -> Iterator[World]:
    demo_company(10)
    outbox = tmp_path / "outbox"
    varna = Varna(Settings(smtp_url=f"maildir:{outbox}"))
    ref = varna.receive(["email=someone@example.org"], kind=Kind.access, now=NOW).ref
    yield World(varna, outbox, ref)
    varna.close()


def _mailed_code(world: World, _: Challenge) -> str:
    box = mailbox.Maildir(world.outbox, create=False)
    [new] = set(box.keys()) - world.read  # the message this challenge sent
    world.read.add(new)
    match = re.search(r"\b(\d{6})\b", box[new].get("Subject", ""))
    assert match
    return match.group(1)


def _posted_code(_: World, challenge: Challenge) -> str:
    import letter_plugin

    return next(x.code for x in letter_plugin.POST if x.challenge == challenge.id)


@dataclass(frozen=True)
class Harness:
    """How the test plays the person for one verifier: what to prove, how to read the secret."""

    kind: str
    value: str
    secret: Callable[[World, Challenge], str]
    other_kind: str


HARNESS: dict[str, Harness] = {
    "email_code": Harness("email", "someone@example.org", _mailed_code, "personnummer"),
    "letter_code": Harness("personnummer", "196408233234", _posted_code, "email"),
}


def names() -> list[str]:
    return ["email_code", "letter_code"]


def ask(world: World, harness: Harness, *, kind: str | None = None) -> VerificationRequest:
    return VerificationRequest(
        world.ref, kind or harness.kind, harness.value, NOW, lang="en", client="192.0.2.7"
    )


def wrong(secret: str) -> str:
    return secret[:-1] + str((int(secret[-1]) + 1) % 10)


def test_every_registered_verifier_is_under_contract(plugin_installed: None) -> None:
    registered = set(load_factories())
    assert registered == set(names())
    assert registered <= set(HARNESS), "a verifier needs a row in HARNESS"


@pytest.mark.parametrize("name", names())
def test_the_shape(world: World, name: str) -> None:
    verifier = world.varna.verifier(name)
    assert verifier.name == name
    assert verifier.assurance > Assurance.none
    assert verifier.proves
    assert HARNESS[name].kind in verifier.proves


@pytest.mark.parametrize("name", names())
def test_start_gives_an_opaque_challenge(world: World, name: str) -> None:
    harness, verifier = HARNESS[name], world.varna.verifier(name)
    first, second = verifier.start(ask(world, harness)), verifier.start(ask(world, harness))
    assert first.id != second.id
    assert len(first.id) >= 16
    for challenge in (first, second):
        assert harness.value not in challenge.id
        assert harness.value not in repr(challenge)
        assert all(harness.value not in v for v in challenge.data.values())
        assert (challenge.verifier, challenge.ref) == (name, world.ref)
        assert challenge.expires_at > NOW
        assert challenge.prompt in PROMPTS
    assert harness.value not in repr(ask(world, harness))


@pytest.mark.parametrize("name", names())
def test_a_right_answer_proves_once(world: World, name: str) -> None:
    harness, verifier = HARNESS[name], world.varna.verifier(name)
    challenge = verifier.start(ask(world, harness))
    secret = harness.secret(world, challenge)
    proof = verifier.complete(challenge.id, {"code": secret}, now=NOW + timedelta(minutes=1))
    assert (proof.ref, proof.verifier, proof.assurance) == (world.ref, name, verifier.assurance)
    assert proof.proven
    assert proof.proven <= verifier.proves
    assert proof.method
    assert harness.value not in repr(proof)
    with pytest.raises(VerificationError) as again:
        verifier.complete(challenge.id, {"code": secret}, now=NOW + timedelta(minutes=2))
    assert again.value.reason == "used"


@pytest.mark.parametrize("name", names())
@pytest.mark.parametrize(
    ("case", "reasons"),
    [
        pytest.param("wrong", {"wrong", "locked"}, id="wrong-answer"),
        pytest.param("empty", {"wrong", "locked"}, id="empty-answer"),
        pytest.param("unknown", {"unknown"}, id="unknown-challenge"),
        pytest.param("expired", {"expired"}, id="expired"),
    ],
)
def test_a_bad_answer_is_a_verification_error(
    world: World, name: str, case: str, reasons: set[str]
) -> None:
    harness, verifier = HARNESS[name], world.varna.verifier(name)
    challenge = verifier.start(ask(world, harness))
    secret = harness.secret(world, challenge)
    ident, response, at = challenge.id, {"code": wrong(secret)}, NOW + timedelta(minutes=1)
    if case == "empty":
        response = {}
    elif case == "unknown":
        ident = challenge.id + "x"
    elif case == "expired":
        response, at = {"code": secret}, NOW + timedelta(days=60)
    with pytest.raises(VerificationError) as refused:
        verifier.complete(ident, response, now=at)
    assert refused.value.reason in reasons & REASONS
    assert harness.value not in str(refused.value)
    # a refused answer never spends the right one (except by time)
    if case != "expired":
        verifier.complete(challenge.id, {"code": secret}, now=NOW + timedelta(minutes=2))


@pytest.mark.parametrize("name", names())
def test_a_kind_it_cannot_prove_is_refused_at_start(world: World, name: str) -> None:
    harness, verifier = HARNESS[name], world.varna.verifier(name)
    assert harness.other_kind not in verifier.proves
    with pytest.raises(VerificationError):
        verifier.start(ask(world, harness, kind=harness.other_kind))


@pytest.mark.parametrize("name", names())
def test_too_many_tries_lock_the_challenge(world: World, name: str) -> None:
    harness, verifier = HARNESS[name], world.varna.verifier(name)
    challenge = verifier.start(ask(world, harness))
    secret = harness.secret(world, challenge)
    reasons = []
    for minute in range(1, 8):
        try:
            at = NOW + timedelta(minutes=minute)
            verifier.complete(challenge.id, {"code": wrong(secret)}, now=at)
        except VerificationError as exc:
            reasons.append(exc.reason)
        if reasons[-1] == "locked":
            break
    assert reasons[-1] == "locked"
    assert len(reasons) <= 5
    with pytest.raises(VerificationError, match="too many"):
        verifier.complete(challenge.id, {"code": secret}, now=NOW + timedelta(minutes=9))


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        pytest.param("letter_plugin:repeats_builtin", "repeats", id="repeats-builtin"),
        pytest.param("letter_plugin:not_a_mapping", "must return a mapping", id="not-a-mapping"),
        pytest.param("letter_plugin:nothing_here", "failed to load", id="missing"),
    ],
)
def test_a_broken_plugin_is_a_plugin_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, error: str
) -> None:
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.syspath_prepend(str(install_plugin(tmp_path / "broken", entry, name="broken")))
    with pytest.raises(PluginError, match=error):
        load_factories()


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        pytest.param(object(), "lacks start", id="no-methods"),
        pytest.param("renamed", "calls itself", id="wrong-name"),
        pytest.param("weak", "above none", id="no-assurance"),
        pytest.param("vague", "at least one", id="proves-nothing"),
    ],
)
def test_check_verifier_refuses_what_breaks_the_contract(bad: object, error: str) -> None:
    from letter_plugin import LetterCodeVerifier

    class Bent(LetterCodeVerifier):
        def __init__(self) -> None:
            pass

    made = Bent()
    if bad == "renamed":
        made.name = "other"
    elif bad == "weak":
        made.assurance = Assurance.none
    elif bad == "vague":
        made.proves = frozenset()
    target = made if isinstance(bad, str) else bad
    with pytest.raises(PluginError, match=error):
        check_verifier("letter_code", target)

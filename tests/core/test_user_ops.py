"""Console users and sign-in on SQLite and PostgreSQL: argon2id hashes, a TOTP code that works
once, backoff after failures, rotation, idle and absolute session ends, disabling, and the one
permission map."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from varna.core import Varna
from varna.core.user_ops import (
    PERMISSIONS,
    ConsoleRole,
    ConsoleUser,
    Permission,
    backoff,
    needs_two_factor,
)
from varna.errors import AccessError

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def secret_of(otpauth: str) -> str:
    return pyotp.parse_uri(otpauth).secret


def code_at(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def add(varna: Varna, name: str, role: ConsoleRole, **options: bool) -> str | None:
    made = varna.add_user(name=name, role=role, password=PASSWORD, actor="test", now=NOW, **options)
    return None if made.otpauth is None else secret_of(made.otpauth)


def test_password_is_kept_as_argon2id_with_owasp_parameters(varna: Varna) -> None:
    add(varna, "anna", ConsoleRole.case_handler)
    (user,) = varna.console_users()
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in repr(user)
    assert user.password_hash not in repr(user)
    assert "password_hash" not in user.as_dict()
    assert user.as_dict()["two_factor"] is True


def test_sign_in_with_password_then_code_rotates_the_session(varna: Varna) -> None:
    secret = add(varna, "anna", ConsoleRole.case_handler)
    assert secret is not None
    first = varna.sign_in("anna", PASSWORD, now=NOW)
    assert first.needs_code
    pending = varna.console_session(first.session_id, now=NOW)
    assert pending is not None
    assert not pending.complete
    done = varna.confirm_sign_in(first.session_id, code_at(secret, NOW), now=NOW)
    assert done.session_id != first.session_id
    assert varna.console_session(first.session_id, now=NOW) is None  # the old id is dead
    live = varna.console_session(done.session_id, now=NOW)
    assert live is not None
    assert live.complete
    assert live.user.role is ConsoleRole.case_handler
    actions = [e.action for e in varna.audit.iter_events()]
    assert actions[-1] == "console.signed_in"


def test_a_code_works_once(varna: Varna) -> None:
    secret = add(varna, "anna", ConsoleRole.dpo)
    assert secret is not None
    code = code_at(secret, NOW)
    varna.confirm_sign_in(varna.sign_in("anna", PASSWORD, now=NOW).session_id, code, now=NOW)
    again = varna.sign_in("anna", PASSWORD, now=NOW + timedelta(seconds=5))
    with pytest.raises(AccessError) as caught:
        varna.confirm_sign_in(again.session_id, code, now=NOW + timedelta(seconds=5))
    assert caught.value.reason == "code"


@pytest.mark.parametrize(
    ("name", "password", "reason"),
    [
        pytest.param("anna", "wrong password!!", "credentials", id="wrong-password"),
        pytest.param("nobody", PASSWORD, "credentials", id="unknown-name"),
        pytest.param("", PASSWORD, "credentials", id="empty-name"),
    ],
)
def test_a_wrong_sign_in_says_the_same_whatever_was_wrong(
    varna: Varna, name: str, password: str, reason: str
) -> None:
    add(varna, "anna", ConsoleRole.dpo)
    with pytest.raises(AccessError) as caught:
        varna.sign_in(name, password, now=NOW)
    assert caught.value.reason == reason
    assert str(caught.value) == "the name or the password is wrong"


def test_failures_make_the_next_attempt_wait(varna: Varna) -> None:
    add(varna, "anna", ConsoleRole.dpo)
    for _ in range(3):
        with pytest.raises(AccessError):
            varna.sign_in("anna", "wrong password!!", now=NOW)
    with pytest.raises(AccessError) as caught:
        varna.sign_in("anna", PASSWORD, now=NOW + timedelta(seconds=1))  # right, but too soon
    assert caught.value.reason == "backoff"
    assert caught.value.retry_after == 4
    later = varna.sign_in("anna", PASSWORD, now=NOW + timedelta(seconds=6))
    assert later.needs_code


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(1, 0), (2, 0), (3, 5), (4, 10), (5, 20), (12, 900), (40, 900)],
)
def test_backoff_doubles_up_to_fifteen_minutes(failures: int, wait: int) -> None:
    assert backoff(failures) == timedelta(seconds=wait)


def signed_in(varna: Varna, name: str, role: ConsoleRole) -> str:
    secret = add(varna, name, role)
    assert secret is not None
    first = varna.sign_in(name, PASSWORD, now=NOW)
    return varna.confirm_sign_in(first.session_id, code_at(secret, NOW), now=NOW).session_id


@pytest.mark.parametrize(
    ("steps", "alive"),
    [
        pytest.param([14], True, id="used-within-15-min"),
        pytest.param([16], False, id="idle-16-min"),
        pytest.param([10, 20, 30, 40], True, id="used-every-10-min"),
        pytest.param([60 * 11, 60 * 12 + 1], False, id="past-12-hours-even-if-used"),
    ],
)
def test_a_session_ends_when_idle_or_too_old(varna: Varna, steps: list[int], alive: bool) -> None:
    session = signed_in(varna, "anna", ConsoleRole.dpo)
    found = None
    for minutes in steps:
        found = varna.console_session(session, now=NOW + timedelta(minutes=minutes))
        if found is None:
            break
    assert (found is not None) is alive


def test_disabling_a_user_ends_their_sessions(varna: Varna) -> None:
    session = signed_in(varna, "anna", ConsoleRole.dpo)
    varna.disable_user("anna", actor="test", now=NOW)
    assert varna.console_session(session, now=NOW) is None
    with pytest.raises(AccessError):
        varna.sign_in("anna", PASSWORD, now=NOW)


def test_reset_2fa_gives_a_new_secret_and_ends_sessions(varna: Varna) -> None:
    session = signed_in(varna, "anna", ConsoleRole.dpo)
    old = varna.totp_secret("anna")
    made = varna.reset_two_factor("anna", actor="test", now=NOW)
    assert made.otpauth is not None
    assert secret_of(made.otpauth) != old
    assert varna.console_session(session, now=NOW) is None


@pytest.mark.parametrize(
    ("options", "role", "message"),
    [
        pytest.param({"two_factor": False}, ConsoleRole.case_handler, "needs a TOTP", id="no-2fa"),
        pytest.param(
            {"special_categories": True}, ConsoleRole.engineer, "only for roles", id="art9-engineer"
        ),
    ],
)
def test_user_add_refuses_what_the_map_forbids(
    varna: Varna, options: dict[str, bool], role: ConsoleRole, message: str
) -> None:
    with pytest.raises(AccessError, match=message):
        add(varna, "anna", role, **options)


def test_an_engineer_may_sign_in_without_a_code(varna: Varna) -> None:
    assert add(varna, "eve", ConsoleRole.engineer, two_factor=False) is None
    done = varna.sign_in("eve", PASSWORD, now=NOW)
    assert not done.needs_code
    found = varna.console_session(done.session_id, now=NOW)
    assert found is not None
    assert found.complete


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        pytest.param("anna berg", PASSWORD, "user name", id="space-in-name"),
        pytest.param("anna", "short", "12-256", id="short-password"),
    ],
)
def test_bad_names_and_passwords_are_refused(
    varna: Varna, name: str, password: str, message: str
) -> None:
    with pytest.raises(AccessError, match=message):
        varna.add_user(name=name, role=ConsoleRole.dpo, password=password, actor="test", now=NOW)


def test_a_name_is_added_once(varna: Varna) -> None:
    add(varna, "anna", ConsoleRole.dpo)
    with pytest.raises(AccessError, match="already a user"):
        add(varna, "anna", ConsoleRole.auditor)


@pytest.mark.parametrize("role", list(ConsoleRole))
def test_every_role_that_sees_people_needs_two_factors(role: ConsoleRole) -> None:
    sees = bool(PERMISSIONS[role] & {Permission.requests_read, Permission.personal_data})
    assert needs_two_factor(role) is sees
    assert Permission.special_categories not in PERMISSIONS[role]  # granted per user only


@pytest.mark.parametrize(
    ("role", "flag", "has_art9"),
    [
        (ConsoleRole.dpo, True, True),
        (ConsoleRole.dpo, False, False),
        (ConsoleRole.case_handler, True, True),
        (ConsoleRole.auditor, True, False),  # sees pseudonyms only, never Art. 9 data
    ],
)
def test_special_categories_is_per_user_and_needs_personal_data(
    role: ConsoleRole, flag: bool, has_art9: bool
) -> None:
    assert ConsoleUser("x", role, flag).can(Permission.special_categories) is has_art9


def test_the_demo_login_gets_a_new_password_each_start(varna: Varna) -> None:
    first = varna.prepare_demo_site(now=NOW).login
    second = varna.prepare_demo_site(now=NOW + timedelta(minutes=1)).login
    assert first is not None
    assert second is not None
    assert first.password != second.password
    assert first.totp_secret == second.totp_secret
    with pytest.raises(AccessError):
        varna.sign_in(first.name, first.password, now=NOW + timedelta(minutes=2))
    done = varna.sign_in(second.name, second.password, now=NOW + timedelta(minutes=2))
    code = code_at(second.totp_secret, NOW + timedelta(minutes=2))
    varna.confirm_sign_in(done.session_id, code, now=NOW + timedelta(minutes=2))

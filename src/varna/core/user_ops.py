"""Operations of the service: console users, their roles and permissions, and sign-in.

**Roles and permissions** are one table, :data:`PERMISSIONS` (documented in docs/console.md);
every console operation asks :meth:`ConsoleUser.require` before it reads or moves anything, so
the web console, the API and any later door are held to the same map.

**Sign-in** is a password (argon2id with OWASP's parameters: 19 MiB, 2 passes, 1 lane) and,
for every role that can see personal data, a TOTP code (RFC 6238, 30 s, one step of drift,
each step usable once). Failed attempts make the next one wait (5 s doubling to 15 min). A
session starts anew at each stage (rotation: an id seen before sign-in is never the signed-in
one), ends after ``console_idle_minutes`` without use and after ``console_session_hours`` in
any case. The browser holds the session id; the state holds only its hash. Every sign-in, failed
sign-in, sign-out and change of a user is in the audit log (Art. 5(2), 32(1)(b)).
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from varna.core.execution_ops import ExecutionOps
from varna.dsr.requests import Actor, Role
from varna.errors import AccessError

if TYPE_CHECKING:
    from collections.abc import Callable

    from argon2 import PasswordHasher

    from varna.state.api_keys import ApiKey
    from varna.state.sessions import SessionRecord, SessionStore
    from varna.state.users import UserRecord, UserStore


class ConsoleRole(StrEnum):
    """What a console user is there to do."""

    admin = "admin"
    dpo = "dpo"
    case_handler = "case_handler"
    auditor = "auditor"
    engineer = "engineer"


class Permission(StrEnum):
    """What a console page or operation needs."""

    overview = "overview"
    """The overview: counts and deadlines, no person."""
    requests_read = "requests_read"
    """The request queue and each request's moves, people shown as pseudonyms."""
    personal_data = "personal_data"
    """The plan of a request: which identity reached which row of which system."""
    requests_move = "requests_move"
    """Verify, plan, decide, approve, refuse, extend (four eyes still holds)."""
    audit = "audit"
    """Verify the audit log."""
    register = "register"
    """The register and its check findings."""
    retention = "retention"
    """The retention plan as of a date (counts and rules, no row) and its sign-offs."""
    retention_sign_off = "retention_sign_off"
    """Sign the retention plan off (the DPO's decision, recorded in the audit log)."""
    users = "users"
    """Console users and API keys."""
    accountability = "accountability"
    """Which staff member was trained on or acknowledged which policy version."""
    accountability_record = "accountability_record"
    """Record training and acknowledgements; remind the staff of a new version."""
    breaches_read = "breaches_read"
    """The breach register and its clocks; staff names in its history as pseudonyms."""
    breaches_write = "breaches_write"
    """Record, assess, notify IMY of and close breaches; send Art. 34 notices."""
    special_categories = "special_categories"
    """Art. 9 data unmasked; granted per user, never by role alone."""


#: THE permission map: which role may do what. ``special_categories`` is added per user.
PERMISSIONS: Mapping[ConsoleRole, frozenset[Permission]] = {
    ConsoleRole.admin: frozenset(
        {
            Permission.overview,
            Permission.requests_read,
            Permission.audit,
            Permission.register,
            Permission.retention,
            Permission.users,
            Permission.accountability,
            Permission.accountability_record,
            Permission.breaches_read,
            Permission.breaches_write,
        }
    ),
    ConsoleRole.dpo: frozenset(
        {
            Permission.overview,
            Permission.requests_read,
            Permission.personal_data,
            Permission.requests_move,
            Permission.audit,
            Permission.register,
            Permission.retention,
            Permission.retention_sign_off,
            Permission.accountability,
            Permission.accountability_record,
            Permission.breaches_read,
            Permission.breaches_write,
        }
    ),
    ConsoleRole.case_handler: frozenset(
        {
            Permission.overview,
            Permission.requests_read,
            Permission.personal_data,
            Permission.requests_move,
        }
    ),
    ConsoleRole.auditor: frozenset(
        {
            Permission.overview,
            Permission.requests_read,
            Permission.audit,
            Permission.register,
            Permission.retention,
            Permission.accountability,
            Permission.breaches_read,
        }
    ),
    ConsoleRole.engineer: frozenset(
        {Permission.overview, Permission.register, Permission.retention}
    ),
}

#: Who a console user acts as when moving a request (:mod:`varna.dsr.requests`).
ACTS_AS: Mapping[ConsoleRole, Role] = {
    ConsoleRole.dpo: Role.dpo,
    ConsoleRole.case_handler: Role.case_handler,
}

#: Pseudonyms are personal data too (Recital 26): a role that sees requests needs two factors.
SEES_PEOPLE = frozenset({Permission.requests_read, Permission.personal_data})

#: argon2id as OWASP's Password Storage Cheat Sheet recommends (m=19 MiB, t=2, p=1).
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1

MIN_PASSWORD = 12
MAX_PASSWORD = 256
FREE_FAILURES = 2
"""Failed sign-ins in a row before the next must wait: 5 s, then doubling, at most 15 min."""
MAX_BACKOFF = timedelta(minutes=15)
PENDING_LIFETIME = timedelta(minutes=5)
"""How long a password-only session waits for its TOTP code."""
TOTP_INTERVAL = 30
TOUCH_EVERY = timedelta(seconds=10)
"""Sessions record their last use at most this often (idle logout is in minutes)."""


#: The REST API's scopes a console session carries, by what its user may do (never ``admin``:
#: that scope would grant every other one).
API_SCOPES: Mapping[Permission, str] = {
    Permission.requests_read: "read",
    Permission.requests_move: "requests",
    Permission.breaches_read: "breaches_read",
    Permission.breaches_write: "breaches",
}


def needs_two_factor(role: ConsoleRole) -> bool:
    """Whether the role can see personal data, so a TOTP code is required."""
    return bool(PERMISSIONS[role] & SEES_PEOPLE)


def backoff(failures: int) -> timedelta:
    """How long sign-in waits after ``failures`` failed attempts in a row."""
    if failures <= FREE_FAILURES:
        return timedelta(0)
    return min(MAX_BACKOFF, timedelta(seconds=5 * 2 ** (failures - FREE_FAILURES - 1)))


@cache
def password_hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
        type=Type.ID,
    )


@cache
def _decoy_hash() -> str:
    """A hash to verify against when the name is unknown, so both take as long."""
    return password_hasher().hash("not a password of anyone " * 2)


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    """A signed-in console user: who, their role, and what they may do."""

    name: str
    role: ConsoleRole
    special_categories: bool = False

    @property
    def permissions(self) -> frozenset[Permission]:
        granted = PERMISSIONS[self.role]
        if self.special_categories and Permission.personal_data in granted:
            granted = granted | {Permission.special_categories}
        return granted

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Raise AccessError (``permission``) unless the user holds ``permission``."""
        if not self.can(permission):
            raise AccessError(
                f"the role {self.role.value} may not do this (it needs {permission.value}; "
                "see docs/console.md)",
                reason="permission",
            )

    @property
    def actor(self) -> Actor:
        """Who the user is when moving a request; only roles that may move requests have one."""
        self.require(Permission.requests_move)
        return Actor(self.name, ACTS_AS[self.role])


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user just added or given a new second factor; ``otpauth`` is shown this once."""

    user: UserRecord
    otpauth: str | None


@dataclass(frozen=True, slots=True)
class SignIn:
    """A sign-in step that succeeded: the new session's id (for the cookie) and whether the
    TOTP code is still owed."""

    session_id: str
    user: ConsoleUser
    needs_code: bool


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A live session: whose, whether it is complete, and its stored hash."""

    user: ConsoleUser
    complete: bool
    id_hash: str


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class UserOps(ExecutionOps):
    """Operations: console users, sign-in and sessions."""

    clock: Callable[[], datetime] = staticmethod(_utcnow)
    """What time it is for the console (a test sets a fixed clock)."""

    def _users(self) -> UserStore:
        from varna.state.users import UserStore

        return UserStore(self.state)

    def _sessions(self) -> SessionStore:
        from varna.state.sessions import SessionStore

        return SessionStore(self.state)

    # -- users -----------------------------------------------------------------------------------

    def add_user(
        self,
        *,
        name: str,
        role: ConsoleRole,
        password: str,
        actor: str,
        now: datetime,
        special_categories: bool = False,
        two_factor: bool = True,
    ) -> NewUser:
        """Add a console user. Roles that see personal data always get a TOTP secret; the
        ``otpauth://`` URI for the authenticator app is returned this once."""
        _check_name(name)
        _check_password(password)
        if not two_factor and needs_two_factor(role):
            raise AccessError(
                f"the role {role.value} sees personal data, so it needs a TOTP second factor "
                "(leave out --no-2fa)",
                reason="user",
            )
        if special_categories and Permission.personal_data not in PERMISSIONS[role]:
            raise AccessError(
                f"special_categories is only for roles that see personal data, not {role.value}",
                reason="user",
            )
        secret = _new_secret() if two_factor else None
        user = self._users().add(
            name=name,
            role=role.value,
            special_categories=special_categories,
            password_hash=password_hasher().hash(password),
            totp_sealed=None if secret is None else self._seal_secret(secret),
            now=now,
        )
        self.audit.append(
            at=now,
            actor=actor,
            action="console.user.added",
            target=f"user:{name}",
            details={
                "role": role.value,
                "special_categories": special_categories,
                "two_factor": two_factor,
            },
        )
        return NewUser(user, None if secret is None else self._otpauth(name, secret))

    def console_users(self) -> list[UserRecord]:
        """Every console user (never a hash or a secret), by name."""
        return self._users().listing()

    def disable_user(self, name: str, *, actor: str, now: datetime) -> UserRecord:
        """Disable a user; their sessions end at once."""
        user = self._users().disable(name, now=now)
        self.audit.append(
            at=now, actor=actor, action="console.user.disabled", target=f"user:{name}", details={}
        )
        return user

    def reset_two_factor(self, name: str, *, actor: str, now: datetime) -> NewUser:
        """Give a user a new TOTP secret (a lost phone); their sessions end."""
        secret = _new_secret()
        user = self._users().update(name, totp_sealed=self._seal_secret(secret), totp_step=0)
        self._sessions().end_all(name)
        self.audit.append(
            at=now,
            actor=actor,
            action="console.user.second_factor_reset",
            target=f"user:{name}",
            details={},
        )
        return NewUser(user, self._otpauth(name, secret))

    def totp_secret(self, name: str) -> str | None:
        """The TOTP secret of ``name`` (for the demo's printed login only)."""
        user = self._users().get(name)
        if user is None or user.totp_sealed is None:
            return None
        return self._open_secret(user.totp_sealed)

    # -- sign-in ---------------------------------------------------------------------------------

    def sign_in(
        self, name: str, password: str, *, now: datetime, previous: str | None = None
    ) -> SignIn:
        """Check a name and password. The same AccessError whether the name is unknown, disabled
        or the password wrong; while backing off, an AccessError with ``retry_after``. The
        browser's ``previous`` session, if any, ends: a session id never survives a sign-in."""
        users = self._users()
        if previous:
            self.sign_out(previous, now=now)
        user = users.get(name) if 0 < len(name) <= 100 else None
        if user is not None and user.locked_until is not None and _at(user.locked_until) > now:
            wait = math.ceil((_at(user.locked_until) - now).total_seconds())
            raise AccessError(
                f"too many failed sign-ins: try again in {wait} s",
                reason="backoff",
                retry_after=wait,
            )
        ok = _verify(user.password_hash if user is not None else _decoy_hash(), password)
        if user is None or not ok or not user.active:
            if user is not None:
                self._failed(user, now=now, step="password")
            raise AccessError("the name or the password is wrong", reason="credentials")
        if password_hasher().check_needs_rehash(user.password_hash):
            users.update(name, password_hash=password_hasher().hash(password))
        console_user = _console_user(user)
        if user.totp_sealed is None and needs_two_factor(console_user.role):
            raise AccessError(
                "this user has no second factor yet: an admin runs varna user reset-2fa",
                reason="credentials",
            )
        stage = "password" if user.totp_sealed is not None else "full"
        _, session_id = self._sessions().start(name, stage=stage, now=now)
        if stage == "full":
            self._signed_in(name, now=now)
        return SignIn(session_id, console_user, needs_code=stage == "password")

    def confirm_sign_in(self, session_id: str, code: str, *, now: datetime) -> SignIn:
        """Check the TOTP code owed by a password-only session; on success that session ends
        and a new, complete one starts (its id is returned)."""
        sessions = self._sessions()
        pending = sessions.get(session_id)
        if (
            pending is None
            or pending.stage != "password"
            or now - _at(pending.created_at) > PENDING_LIFETIME
        ):
            raise AccessError("sign in again: the first step expired", reason="expired")
        user = self._users().get(pending.user_name)
        if user is None or not user.active or user.totp_sealed is None:
            sessions.end(pending.id_hash)
            raise AccessError("sign in again: the first step expired", reason="expired")
        if user.locked_until is not None and _at(user.locked_until) > now:
            wait = math.ceil((_at(user.locked_until) - now).total_seconds())
            raise AccessError(
                f"too many failed sign-ins: try again in {wait} s",
                reason="backoff",
                retry_after=wait,
            )
        step = _matching_step(self._open_secret(user.totp_sealed), code.strip(), now=now)
        if step is None or not self._users().accept_step(user.name, step):
            self._failed(user, now=now, step="code")
            raise AccessError("the code is wrong or was used already", reason="code")
        sessions.end(pending.id_hash)
        _, new_id = sessions.start(user.name, stage="full", now=now)
        self._signed_in(user.name, now=now)
        return SignIn(new_id, _console_user(user), needs_code=False)

    def console_session(self, session_id: str, *, now: datetime) -> ConsoleSession | None:
        """The live session ``session_id`` is, or None (unknown, idle too long, too old, or its
        user disabled); a session found too old or idle is ended and the end audited."""
        sessions = self._sessions()
        found = sessions.get(session_id)
        if found is None:
            return None
        user = self._users().get(found.user_name)
        ended = self._expiry(found, now=now)
        if ended is None and (user is None or not user.active):
            ended = "disabled"
        if ended is not None or user is None:
            sessions.end(found.id_hash)
            if found.stage == "full":
                self.audit.append(
                    at=now,
                    actor=f"console:{found.user_name}",
                    action="console.session.ended",
                    target=f"user:{found.user_name}",
                    details={"why": ended},
                )
            return None
        if now - _at(found.last_seen) >= TOUCH_EVERY:
            sessions.touch(found.id_hash, now=now)
        return ConsoleSession(_console_user(user), found.stage == "full", found.id_hash)

    def session_api_key(self, session_id: str, *, now: datetime) -> ApiKey | None:
        """The REST API's view of a complete console session: a key named after the user, with
        the scopes :data:`API_SCOPES` gives their permissions, acting as the user (so four eyes
        holds between the console and the API). None without a complete session."""
        from varna.core.session_key import SessionKey

        found = self.console_session(session_id, now=now)
        if found is None or not found.complete:
            return None
        user = found.user
        scopes = frozenset(s for p, s in API_SCOPES.items() if user.can(p))
        acts_as = user.actor if user.can(Permission.requests_move) else None
        return SessionKey(
            f"session:{found.id_hash[:12]}",
            user.name,
            scopes,
            "",
            f"console:{user.name}",
            None,
            acts_as=acts_as,
        )

    def sign_out(self, session_id: str, *, now: datetime) -> None:
        """End the session ``session_id`` (nothing if it already ended)."""
        sessions = self._sessions()
        found = sessions.get(session_id)
        if found is None:
            return
        sessions.end(found.id_hash)
        self.audit.append(
            at=now,
            actor=f"console:{found.user_name}",
            action="console.signed_out",
            target=f"user:{found.user_name}",
            details={},
        )

    # -- inside ----------------------------------------------------------------------------------

    def _expiry(self, found: SessionRecord, *, now: datetime) -> str | None:
        idle = timedelta(minutes=self.settings.console_idle_minutes)
        lifetime = timedelta(hours=self.settings.console_session_hours)
        if now - _at(found.created_at) > lifetime:
            return "lifetime"
        if now - _at(found.last_seen) > idle:
            return "idle"
        if found.stage != "full" and now - _at(found.created_at) > PENDING_LIFETIME:
            return "pending"
        return None

    def _failed(self, user: UserRecord, *, now: datetime, step: str) -> None:
        wait = backoff(user.failures + 1)
        self._users().record_failure(user.name, locked_until=now + wait if wait else None)
        self.audit.append(
            at=now,
            actor=f"console:{user.name}",
            action="console.sign_in.failed",
            target=f"user:{user.name}",
            details={"step": step, "failures": user.failures + 1},
        )

    def _signed_in(self, name: str, *, now: datetime) -> None:
        self.audit.append(
            at=now,
            actor=f"console:{name}",
            action="console.signed_in",
            target=f"user:{name}",
            details={},
        )

    def _seal_secret(self, secret: str) -> str:
        return self._sealer("totp").seal(secret.encode()).decode()

    def _open_secret(self, sealed: str) -> str:
        return self._sealer("totp").open(sealed.encode()).decode()

    def _otpauth(self, name: str, secret: str) -> str:
        import pyotp

        issuer = f"Varna {self.register.controller.name or ''}".strip()[:60]
        return pyotp.TOTP(secret, interval=TOTP_INTERVAL).provisioning_uri(
            name=name, issuer_name=issuer
        )


def _console_user(user: UserRecord) -> ConsoleUser:
    return ConsoleUser(user.name, ConsoleRole(user.role), user.special_categories)


def _new_secret() -> str:
    import pyotp

    return pyotp.random_base32(32)


def _verify(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError
    from argon2.exceptions import VerificationError as Mismatch

    try:
        return password_hasher().verify(password_hash, password[:MAX_PASSWORD])
    except (Mismatch, InvalidHashError):
        return False


def _matching_step(secret: str, code: str, *, now: datetime) -> int | None:
    """The TOTP step (now, or one either side for clock drift) whose code ``code`` is."""
    import pyotp

    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=TOTP_INTERVAL)
    current = int(now.timestamp()) // TOTP_INTERVAL
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _check_name(name: str) -> None:
    if not name or len(name) > 100 or not all(c.isalnum() or c in "._-@" for c in name):
        raise AccessError(
            "a user name is 1-100 letters, digits or . _ - @ (e.g. anna.berg)", reason="user"
        )


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccessError(
            f"a password is {MIN_PASSWORD}-{MAX_PASSWORD} characters (a passphrase of a few "
            "words is good)",
            reason="user",
        )

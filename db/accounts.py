"""Officer accounts: passwords (argon2id), sign-in with lockout, roles, resets.

Why argon2id with these parameters: a stolen laptop's database is encrypted, but a copied
database with its key (or a leaked backup) must not give away officers' passwords cheaply.
argon2id is memory-hard; ``time_cost=3, memory_cost=64 MiB, parallelism=2`` (RFC 9106's
low-memory profile with two lanes) takes about 150–250 ms per verification on this 2-core
machine (bench/accounts.py) — slow for an attacker, unnoticed by an officer signing in.

Lockout: after ``lockout_attempts`` wrong passwords (setting, 5) an account is locked for
``lockout_minutes`` (setting, 15). Unknown user names are locked the same way (their failures are
counted under a hash of the name) and verify against a dummy hash, so neither the message nor
the time taken tells an attacker whether a user name exists. Every attempt is audited.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from db import audit, settings
from db.actor import ROLES, SYSTEM, Actor
from db.errors import PermissionDenied, StationError
from db.models import Officer, Setting
from db.permissions import can, require
from db.station import StationDB
from db.text import nfc
from db.types import OfficerInfo, Settings, SignIn
from db.vntime import now_utc
from resources.i18n import N_

UNUSABLE_PASSWORD = "!"  # officers made before accounts existed cannot sign in
UNKNOWN_KEY = "accounts.unknown_failures"
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
PASSWORD_ENV = "ENROLLMENT_STATION_PASSWORD"
USER_ENV = "ENROLLMENT_STATION_USER"

#: The real parameters (see the module docstring); tests swap in a fast hasher with
#: :func:`use_hasher` and check these once.
REAL_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2)
#: A hash of nobody's password with :data:`REAL_HASHER`'s parameters (tests check they match).
REAL_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=2$8kliTtgOurXLLa5/KPx9mA$tzj/hgKl3QpF8QoadwAFPnrkKHBAudUOabq5WAHPHaA"
)
_hasher = REAL_HASHER
_dummy: dict[int, str] = {}


class SignInFailed(StationError):
    """Wrong user name or password (which of the two is never said)."""

    message = N_("Wrong user name or password.")


class AccountLocked(StationError):
    """Too many wrong passwords; ``minutes`` until the next try is allowed."""

    message = N_(
        "Too many wrong passwords. Signing in is locked for {minutes} minutes; a supervisor can "
        "reset the password."
    )

    def __init__(self, *, minutes: int) -> None:
        super().__init__(minutes=minutes)
        self.minutes = minutes


class PasswordRejected(StationError):
    """A new password does not meet the rules (too short, same as the old one)."""

    message = N_("The new password is too short or the same as the old one.")


class AccountError(StationError):
    """An account change that cannot be made (duplicate user name, last administrator...)."""

    message = N_("This change to the accounts cannot be made.")


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the password hasher (tests use fast parameters); returns the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _dummy_verify(password: str) -> None:
    """Spend the time of a real verification, so unknown names answer as slowly.

    The real parameters' dummy hash is a constant: built on first use, it cost an unknown name
    one hash more than a known one in every fresh process (a CLI sign-in), which told them apart.
    """
    if _same_parameters(_hasher, REAL_HASHER):
        _verify(REAL_DUMMY_HASH, password)
        return
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash("not a password of anyone")
    _verify(_dummy[key], password)


def _same_parameters(a: PasswordHasher, b: PasswordHasher) -> bool:
    return (a.time_cost, a.memory_cost, a.parallelism, a.hash_len, a.salt_len) == (
        b.time_cost, b.memory_cost, b.parallelism, b.hash_len, b.salt_len)  # fmt: skip


def normalize_username(username: str) -> str:
    return nfc(username).strip().lower()


def _info(o: Officer) -> OfficerInfo:
    return OfficerInfo(o.id, o.username, o.full_name, o.role, o.active, o.must_change_password,
                       o.locked_until, o.created_at)  # fmt: skip


def _actor(o: Officer) -> Actor:
    return Actor(o.id, o.username, o.full_name, o.role)


def _check_password(s: Session, password: str) -> None:
    minimum = settings.load_in(s).min_password_length
    if len(password) < minimum:
        raise PasswordRejected(
            N_("A password needs at least {minimum} characters."), minimum=minimum
        )


def _by_name(s: Session, username: str) -> Officer | None:
    """The account of that name that can sign in here. User names are unique per station
    (DESIGN §12): headquarters also holds the laptops' officers, named in their enrollments,
    without a usable password; those are found only when no account of ours has the name."""
    return s.scalar(
        select(Officer)
        .where(Officer.username == normalize_username(username))
        .order_by((Officer.password_hash == UNUSABLE_PASSWORD), Officer.id)
        .limit(1)
    )


# --- accounts ------------------------------------------------------------------------------


def has_accounts(db: StationDB) -> bool:
    """Whether anyone can sign in (else the GUI asks for the first administrator)."""
    with db.Session() as s:
        return bool(s.scalar(select(func.count()).select_from(Officer).where(
            Officer.active.is_(True), Officer.password_hash != UNUSABLE_PASSWORD,
            Officer.role == "admin")))  # fmt: skip


def _create(
    s: Session, db: StationDB, username: str, full_name: str, role: str, password: str,
    temporary: bool,
) -> Officer:  # fmt: skip
    name = normalize_username(username)
    if not USERNAME_RE.match(name):
        raise AccountError(
            N_("A user name is 2–60 letters a–z, digits, dots, dashes or underscores.")
        )
    if role not in ROLES:
        raise AccountError(N_("The role must be officer, supervisor or administrator."))
    if not nfc(full_name).strip():
        raise AccountError(N_("The officer's full name is needed."))
    _check_password(s, password)
    existing = _by_name(s, name)
    if existing is not None and existing.password_hash != UNUSABLE_PASSWORD:
        raise AccountError(N_("This user name is already taken."))
    if existing is not None and existing.station_id != db.station_id:
        existing = None  # another station's officer (held for its records) stays as it is
    officer = existing or Officer(station_id=db.station_id, username=name)
    officer.full_name, officer.role = nfc(full_name).strip(), role
    officer.password_hash = hash_password(password)
    officer.must_change_password, officer.active = temporary, True
    officer.failed_logins, officer.locked_until = 0, None
    if existing is None:
        s.add(officer)
    s.flush()
    return officer


def create_first_admin(db: StationDB, username: str, full_name: str, password: str) -> Actor:
    """The station's first administrator (setup only: refused once an administrator exists)."""
    with db.Session.begin() as s:
        if s.scalar(select(func.count()).select_from(Officer).where(
                Officer.role == "admin", Officer.password_hash != UNUSABLE_PASSWORD)):  # fmt: skip
            raise AccountError(N_("This station already has an administrator."))
        officer = _create(s, db, username, full_name, "admin", password, temporary=False)
        actor = _actor(officer)
        audit.append(s, db.station_id, actor, "officer.create", "officer", officer.id,
                     "first administrator")  # fmt: skip
        return actor


def create_officer(
    db: StationDB, actor: Actor, username: str, full_name: str, role: str, password: str,
    *, temporary: bool = True,
) -> OfficerInfo:  # fmt: skip
    """A new account (administrator); its temporary password must be changed at first sign-in."""
    require(actor, "officer.manage")
    with db.Session.begin() as s:
        officer = _create(s, db, username, full_name, role, password, temporary)
        audit.append(s, db.station_id, actor, "officer.create", "officer", officer.id,
                     f"role {role}")  # fmt: skip
        return _info(officer)


def list_officers(
    db: StationDB, actor: Actor, *, include_disabled: bool = True
) -> list[OfficerInfo]:
    require(actor, "officer.list")
    stmt = select(Officer).where(Officer.password_hash != UNUSABLE_PASSWORD).order_by(
        Officer.role, Officer.username)  # fmt: skip
    if not include_disabled:
        stmt = stmt.where(Officer.active.is_(True))
    with db.Session() as s:
        return [_info(o) for o in s.scalars(stmt)]


def _target(s: Session, username: str) -> Officer:
    officer = _by_name(s, username)
    if officer is None or officer.password_hash == UNUSABLE_PASSWORD:
        raise AccountError(N_("No officer has this user name."))
    return officer


def set_active(db: StationDB, actor: Actor, username: str, active: bool) -> OfficerInfo:
    """Disable (or enable again) an account; never one's own, never the last administrator."""
    require(actor, "officer.manage")
    with db.Session.begin() as s:
        officer = _target(s, username)
        if officer.id == actor.officer_id and not active:
            raise AccountError(N_("You cannot disable your own account."))
        if not active and officer.role == "admin":
            admins = s.scalar(select(func.count()).select_from(Officer).where(
                Officer.role == "admin", Officer.active.is_(True),
                Officer.password_hash != UNUSABLE_PASSWORD))  # fmt: skip
            if (admins or 0) <= 1:
                raise AccountError(N_("The last administrator cannot be disabled."))
        officer.active = active
        audit.append(s, db.station_id, actor, "officer.enable" if active else "officer.disable",
                     "officer", officer.id)  # fmt: skip
        return _info(officer)


def disable_officer(db: StationDB, actor: Actor, username: str) -> OfficerInfo:
    return set_active(db, actor, username, False)


def reset_password(db: StationDB, actor: Actor, username: str, temporary_password: str) -> None:
    """Give an account a temporary password (and lift its lock).

    Administrators reset anyone's; supervisors only officers' — a supervisor who could reset an
    administrator's password could take over the station.
    """
    require(actor, "officer.reset_password")
    with db.Session.begin() as s:
        officer = _target(s, username)
        if not can(actor, "officer.manage") and officer.role != "officer":
            raise PermissionDenied(N_("A supervisor can reset only officers' passwords."))
        _check_password(s, temporary_password)
        officer.password_hash = hash_password(temporary_password)
        officer.must_change_password = True
        officer.failed_logins, officer.locked_until = 0, None
        audit.append(s, db.station_id, actor, "officer.reset_password", "officer", officer.id)


def change_password(db: StationDB, actor: Actor, old: str, new: str) -> None:
    """One's own password (also ends a temporary password)."""
    require(actor, "password.change_own")
    with db.Session.begin() as s:
        officer = s.get(Officer, actor.officer_id)
        if officer is None or not _verify(officer.password_hash, old):
            audit.append(s, db.station_id, actor, "password.change.failed", "officer",
                         actor.officer_id, "wrong current password")  # fmt: skip
            failed = True
        else:
            failed = False
            _check_password(s, new)
            if new == old:
                raise PasswordRejected(N_("The new password must differ from the old one."))
            officer.password_hash = hash_password(new)
            officer.must_change_password = False
            audit.append(s, db.station_id, actor, "password.change", "officer", officer.id)
    if failed:
        raise SignInFailed(N_("The current password is not right."))


# --- signing in ----------------------------------------------------------------------------


def _unknown_state(s: Session) -> tuple[Setting, dict[str, list[object]]]:
    row = s.get(Setting, UNKNOWN_KEY)
    if row is None:
        row = Setting(key=UNKNOWN_KEY, value={})
        s.add(row)
    return row, dict(row.value or {})


def _name_key(name: str) -> str:
    return hashlib.sha256(("es-user:" + name).encode()).hexdigest()[:20]


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)


def sign_in(
    db: StationDB, username: str, password: str, *, purpose: str = "signin",
    now: datetime | None = None,
) -> SignIn:  # fmt: skip
    """Check a user name and password; the signed-in officer, or SignInFailed / AccountLocked.

    ``purpose`` names the audit action ("signin", or "unlock" for the idle lock screen);
    failures are audited as ``<purpose>.failed`` and count towards the lockout either way.

    Race-free: each attempt is counted (``failed_logins + 1``) under the write lock *before*
    its password is checked, and decided under it again after; an attempt that finds as many
    attempts counted as the lockout allows locks the account instead of being checked. So 50
    parallel guesses get at most ``lockout_attempts`` verifications, and a right password that
    was checked while the account got locked is refused like any other.
    """
    now = now or now_utc()
    name = normalize_username(username)
    with db.Session() as s:
        st = settings.load_in(s)
        officer = _by_name(s, name)
        stored = officer.password_hash if officer is not None else None
        usable = officer is not None and officer.active and stored != UNUSABLE_PASSWORD
    if not usable:
        return _unknown(db, name, password, purpose, now, st, officer.id if officer else None)
    assert officer is not None and stored is not None
    mine = _count_attempt(db, officer.id, purpose, now, st)
    ok = _verify(stored, password)
    with db.Session.begin() as s:
        o = s.get(Officer, officer.id)
        assert o is not None
        locked_meanwhile = o.locked_until is not None and o.locked_until > now
        if ok and not locked_meanwhile:
            # Forget this attempt and the failures before it, not those counted since.
            o.failed_logins, o.locked_until = max(0, o.failed_logins - mine), None
            if _hasher.check_needs_rehash(stored):
                o.password_hash = hash_password(password)
            audit.append(s, db.station_id, _actor(o), purpose, "officer", o.id, now=now)
            return SignIn(_actor(o), o.must_change_password)
        if ok:
            audit.append(s, db.station_id, SYSTEM, purpose + ".refused", "officer", o.id,
                         "account locked", now=now)  # fmt: skip
        else:
            audit.append(s, db.station_id, SYSTEM, purpose + ".failed", "officer", o.id,
                         f"wrong password ({o.failed_logins})", now=now)  # fmt: skip
            if not locked_meanwhile and o.failed_logins >= st.lockout_attempts:
                _lock(s, db, o, now, st)
                locked_meanwhile = True
    if locked_meanwhile:
        raise AccountLocked(minutes=st.lockout_minutes)
    raise SignInFailed()


def _count_attempt(
    db: StationDB, officer_id: int, purpose: str, now: datetime, st: Settings
) -> int:
    """Count one attempt (atomically); its number, or AccountLocked when it may not be tried."""
    with db.Session.begin() as s:
        counted = s.execute(_counting(officer_id, now)).scalar()
        o = s.get(Officer, officer_id)
        assert o is not None
        if counted is None:  # locked
            audit.append(s, db.station_id, SYSTEM, purpose + ".refused", "officer", officer_id,
                         "account locked", now=now)  # fmt: skip
            minutes = _minutes_left(o.locked_until or now, now)
        elif counted > st.lockout_attempts:  # more attempts at once than the lockout allows
            _lock(s, db, o, now, st)
            minutes = st.lockout_minutes
        else:
            return int(counted)
    raise AccountLocked(minutes=minutes)


def _counting(officer_id: int, now: datetime) -> Any:
    """Count one attempt unless the account is locked: ``failed_logins + 1``, atomically."""
    return (
        update(Officer)
        .where(Officer.id == officer_id,
               or_(Officer.locked_until.is_(None), Officer.locked_until <= now))
        .values(failed_logins=Officer.failed_logins + 1)
        .returning(Officer.failed_logins)
    )  # fmt: skip


#: No officer has this id: an unknown name runs a real account's statements against it.
NOBODY = -1


def _lock(s: Session, db: StationDB, o: Officer, now: datetime, st: Settings) -> None:
    o.failed_logins, o.locked_until = 0, now + timedelta(minutes=st.lockout_minutes)
    audit.append(s, db.station_id, SYSTEM, "account.locked", "officer", o.id,
                 f"{st.lockout_minutes} min", now=now)  # fmt: skip


def _unknown(
    db: StationDB, name: str, password: str, purpose: str, now: datetime, st: Settings,
    officer_id: int | None,
) -> SignIn:  # fmt: skip
    """A name nobody can sign in as: counted and locked like a real one, never revealed.

    The same steps as a real account's attempt (count under the write lock, one verification
    against a hash of the real parameters, decide under the lock), so it takes as long.
    """
    key = _name_key(name)
    span = timedelta(minutes=st.lockout_minutes)
    with db.Session.begin() as s:
        s.execute(_counting(NOBODY, now)).scalar()  # a real attempt's statements, same cost
        s.get(Officer, NOBODY)
        row, state = _unknown_state(s)
        count, until = _entry(state, key)
        locked = until is not None and until > now
        if not locked:
            count += 1
            locked = count > st.lockout_attempts  # more at once than the lockout allows
            state[key] = [0, (now + span).isoformat()] if locked else [count, None]
            row.value = _bounded(state)
    if locked:
        audit.record(db, SYSTEM, purpose + ".refused", None, None, "unknown or disabled account")
        raise AccountLocked(minutes=_minutes_left(until or now + span, now))
    _dummy_verify(password)
    with db.Session.begin() as s:
        s.get(Officer, NOBODY)
        row, state = _unknown_state(s)
        count, until = _entry(state, key)
        lock = until is None and count >= st.lockout_attempts
        if lock:
            state[key] = [0, (now + span).isoformat()]
            row.value = _bounded(state)
        detail = "disabled account" if officer_id is not None else "unknown user name"
        audit.append(s, db.station_id, SYSTEM, purpose + ".failed",
                     "officer" if officer_id else None, officer_id, detail, now=now)  # fmt: skip
    if lock or until is not None:
        raise AccountLocked(minutes=st.lockout_minutes)
    raise SignInFailed()


def _entry(state: dict[str, list[object]], key: str) -> tuple[int, datetime | None]:
    """An unknown name's (failures, locked until) in the stored state."""
    count, until = state.get(key) or (0, None)
    return int(str(count)), datetime.fromisoformat(str(until)) if until else None


def _bounded(state: dict[str, list[object]]) -> dict[str, list[object]]:
    """At most 200 names remembered (the oldest forgotten): a flood of names stays small."""
    return dict(list(state.items())[-200:]) if len(state) > 200 else state


def sign_out(db: StationDB, actor: Actor, reason: str = "signout") -> None:
    audit.record(db, actor, reason, "officer", actor.officer_id)


def unlock_officer(db: StationDB, actor: Actor, username: str) -> OfficerInfo:
    """Lift a sign-in lockout now (the officer remembers the password after all), without
    changing the password. The same rule as a reset: a supervisor unlocks only officers."""
    require(actor, "officer.reset_password")
    with db.Session.begin() as s:
        officer = _target(s, username)
        if not can(actor, "officer.manage") and officer.role != "officer":
            raise PermissionDenied(N_("A supervisor can unlock only officers' accounts."))
        officer.failed_logins, officer.locked_until = 0, None
        audit.append(s, db.station_id, actor, "officer.unlock", "officer", officer.id)
        return _info(officer)

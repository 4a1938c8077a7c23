"""Every action the code records reads as words, and the trail names its officers and subjects
for the reader (resolved when listed: the events themselves hold ids only).

The first test reads the source: each call that writes an event (``audit.append``,
``audit.record``, the service's ``_trace``, the lifecycle's ``_audit``) and the action it
passes — a literal, a choice of literals, or one of the few built from a parameter, whose
values are listed here (a new one fails the test until it is listed and labelled).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db import accounts, audit
from db.actor import Actor
from db.errors import PermissionDenied
from db.labels import ACTIONS
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from resources import i18n
from tests.conftest import ROOT, TEST_PASSWORD
from tests.db.enrollment_fixtures import people, received

__all__ = ["people"]

#: writer → (index of the action argument, prefix the writer puts before it)
WRITERS = {"append": (3, ""), "record": (2, ""), "_trace": (0, ""), "_audit": (3, "enrollment.")}
#: Actions built from a parameter: the parameter's name → every value it takes.
PARAMETERS = {
    "purpose": {"signin", "unlock"},  # accounts.sign_in(purpose=...)
    "reason": {"signout"},  # accounts.sign_out(reason=...)
    "how": {"print", "save"},  # station_setup.record_sheet(how)
}
#: The writers' own bodies pass their parameter through: not a call site.
PASS_THROUGH = {("db/audit.py", "record"), ("db/service.py", "_trace"),
                ("db/hub/service.py", "_trace"), ("db/enrollment.py", "_audit")}  # fmt: skip


def _values(node: ast.expr, where: str) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, where) | _values(node.orelse, where)
    if isinstance(node, ast.Name):
        assert node.id in PARAMETERS, f"{where}: action from {node.id!r}: list its values"
        return PARAMETERS[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in _values(node.left, where) for b in _values(node.right, where)}
    if isinstance(node, ast.JoinedStr):
        found = {""}
        for part in node.values:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            found = {a + b for a in found for b in _values(inner, where)}
        return found
    raise AssertionError(f"{where}: an action this test cannot read ({ast.dump(node)})")


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"))


def recorded_actions() -> Iterator[tuple[str, str]]:
    """(action, file:line) of every event the code under db/ can write."""
    for path in sorted((ROOT / "db").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = _tree(path)
        inside = {}
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef):
                for node in ast.walk(fn):
                    inside.setdefault(id(node), fn.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name not in WRITERS:
                continue
            if name in ("append", "record") and not (
                isinstance(f, ast.Attribute) and getattr(f.value, "id", None) == "audit"
            ) and not (rel == "db/audit.py" and isinstance(f, ast.Name)):
                continue  # list.append, other records
            if (rel, inside.get(id(node))) in PASS_THROUGH:
                continue
            index, prefix = WRITERS[name]
            where = f"{rel}:{node.lineno}"
            args = list(node.args)
            assert len(args) > index, f"{where}: the action is not where a writer takes it"
            for value in _values(args[index], where):
                yield prefix + value, where


def test_every_action_the_code_records_has_words() -> None:
    found = dict(recorded_actions())
    assert len(found) > 40  # the scan sees the code (sign-ins, enrollments, accounts...)
    assert {"signin.failed", "unlock.refused", "enrollment.send_back", "pdf.save",
            "recovery_sheet.save", "officer.unlock"} <= set(found)  # fmt: skip
    missing = {a: w for a, w in found.items() if a not in ACTIONS}
    assert missing == {}
    catalog = i18n.catalogue("vi")
    untranslated = {a for a in found if catalog.gettext(ACTIONS[a]) == ACTIONS[a]}
    assert untranslated == set()


def test_every_purpose_passed_to_sign_in_is_listed() -> None:
    passed = set()
    for pkg in ("db", "gui"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            for node in ast.walk(_tree(path)):
                for kw in getattr(node, "keywords", []):
                    if kw.arg in PARAMETERS and isinstance(kw.value, ast.Constant):
                        passed.add((kw.arg, kw.value.value))
    assert all(value in PARAMETERS[name] for name, value in passed), passed


def test_the_trail_names_officers_and_subjects_for_its_reader(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    e = received(station, people[0], at, officer=actors["officer"].officer_id)
    boss = StationService(station, actors["supervisor"])
    boss.for_review(e.uuid)
    duc = StationService(station, actors["officer"])
    duc.resident(people[1])
    rows = boss.audit_events(limit=50)
    view = next(r for r in rows if r.action == "enrollment.view")
    assert view.officer_name == "Quàng Văn Thanh" and view.officer == "boss"
    assert view.subject == f"{e.receipt_no} · {e.resident_name}"
    looked = next(r for r in rows if r.action == "resident.view")
    assert looked.officer_name == "Lò Văn Đức" and looked.subject
    created = next(r for r in rows if r.action == "officer.create" and r.entity_id)
    assert created.subject in {"Vì Văn Quản", "Quàng Văn Thanh", "Lò Văn Đức"}
    # the names are looked up, never written into the trail
    with station.Session() as s:
        stored = " ".join(str(d) for d in s.scalars(select(AuditEvent.details)))
    assert e.resident_name not in stored and "Quàng Văn Thanh" not in stored
    assert "subject" not in view.to_json() and "officer_name" not in view.to_json()
    # one action exactly, or all that start with it
    exact = boss.audit_events(action="enrollment.view", exact=True)
    assert {r.action for r in exact} == {"enrollment.view"}
    assert {r.action for r in boss.audit_events(action="signin")} <= {
        "signin", "signin.failed", "signin.refused"}  # fmt: skip


def test_details_that_depend_on_the_action_read_right(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    e = received(station, people[0], at, officer=actors["officer"].officer_id)
    boss = StationService(station, actors["supervisor"])
    boss.for_review(e.uuid)
    boss.tally(at.date())
    rows = boss.audit_events(limit=20)
    view = next(r for r in rows if r.action == "enrollment.view")
    assert view.details_text() == "mở khi duyệt hồ sơ"  # not "bước: Kiểm tra" (a step)
    tally = next(r for r in rows if r.action == "tally.view")
    assert tally.details_text() == "12/03/2026"


def test_unlocking_an_account_lifts_the_lockout_and_is_audited(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    for _i in range(5):  # the fifth locks the account
        with pytest.raises((accounts.SignInFailed, accounts.AccountLocked)):
            accounts.sign_in(station, "duc", "sai mật khẩu")
    with pytest.raises(accounts.AccountLocked):
        accounts.sign_in(station, "duc", TEST_PASSWORD)
    boss = StationService(station, actors["supervisor"])
    with pytest.raises(PermissionDenied):
        boss.unlock_officer("admin")  # a supervisor unlocks officers only
    info = boss.unlock_officer("duc")
    assert info.locked_until is None
    assert accounts.sign_in(station, "duc", TEST_PASSWORD).actor.username == "duc"
    unlocked = boss.audit_events(action="officer.unlock", exact=True)
    assert len(unlocked) == 1 and unlocked[0].subject == "Lò Văn Đức"
    assert audit.verify(station).ok

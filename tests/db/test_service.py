"""Every public method of the station service, with the permission it needs: refused to a role
without it, and leaving an audit event when a role with it calls it."""

from __future__ import annotations

import inspect
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.actor import SYSTEM, Actor
from db.enrollment import create_draft
from db.errors import PermissionDenied
from db.models import AuditEvent, Resident
from db.permissions import can
from db.service import ANY, NOT_PERSONAL, PERMISSIONS, StationService
from db.station import StationDB
from db.types import NewPrint
from db.vntime import today_local
from resources import path as resource_path
from tests.conftest import TEST_PASSWORD
from tests.db.enrollment_fixtures import captured, jpeg_bytes, received
from tests.fingers import print_png


@pytest.fixture
def people(station: StationDB) -> list[int]:
    """Residents enough for every method as every role (each call takes fresh ones)."""
    from db.demo.synth import rows_for_import
    from db.models import Resident
    from db.register.importer import import_rows

    import_rows(station, rows_for_import(150), file_name="test-register")
    with station.Session() as s:
        return list(s.scalars(select(Resident.id).order_by(Resident.id)))

Prepared = Callable[[StationService], Callable[[], object]]


def calls(station: StationDB, people: list[int], staff: dict[str, Actor]) -> dict[str, Prepared]:
    """For each method: make the data it needs, then the call itself (only the call is
    measured), so the same entry runs for any role."""
    person = iter(people)
    n = count(1)
    officer = StationService(station, staff["officer"])
    admin = StationService(station, staff["admin"])
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)

    def draft() -> str:  # an unfinished enrollment nobody owns (any role with the right may act)
        return create_draft(station, next(person), actor=SYSTEM).uuid

    def resident() -> str:
        with station.Session() as s:
            return str(s.scalar(select(Resident.uuid).where(Resident.id == next(person))))

    def two_residents() -> str:
        return f"{resident()} {resident()}"

    def officers_draft() -> str:
        return officer.start_enrollment(next(person)).uuid

    def waiting() -> str:
        return received(station, next(person), at, officer=staff["officer"].officer_id).uuid

    def approved() -> str:  # its slip number
        uuid = waiting()
        info = StationService(station, staff["supervisor"]).approve(uuid)
        return str(info.receipt_no)

    def card_ready() -> str:
        slip = approved()
        StationService(station, staff["supervisor"]).cards_arrived([slip])
        return slip

    def returned() -> str:
        uuid = waiting()
        StationService(station, staff["supervisor"]).send_back(uuid, "ảnh mờ")
        return uuid

    def laptop_identity(commune: str) -> Callable[[], str]:
        """A mobile laptop's identity file (its own station, made once per commune)."""
        made: list[bytes] = []

        def make() -> str:
            if not made:
                from db.station import create_station
                from db.sync.identity import identity_file

                where = Path(tempfile.mkdtemp(prefix="laptop-"))
                laptop, _key = create_station(where / "st", name="Tổ lưu động",
                                              commune=commune, kind="mobile")  # fmt: skip
                made.append(identity_file(laptop))
                laptop.close()
            return made[0].decode()

        return make

    cha_to = laptop_identity("Chà Tở")

    def a_backup() -> str:
        """A backup of this station (made by the program: any role may then try the restore)."""
        from db.backup import backup_station

        return str(backup_station(station, SYSTEM, files).path)

    def refusing_hub() -> str:
        """A paired hub (a station's keys under kind "hub": the hub's own needs PostgreSQL)
        behind a local server that refuses every bundle: the upload is audited all the same."""
        import http.server
        import threading

        from sqlalchemy import update

        from db.models import Station
        from db.station import create_station
        from db.sync.identity import identity_file

        where = Path(tempfile.mkdtemp(prefix="hub-"))
        other, _key = create_station(where / "st", name="Máy chủ huyện", commune="Nậm Pồ")
        with other.Session.begin() as s:
            s.execute(update(Station).values(kind="hub"))
        admin.pair_station(identity_file(other))
        other.close()

        class Refusing(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # the library's name
                self.rfile.read(int(self.headers["Content-Length"]))
                body = b'{"reason": "not_a_bundle"}'
                self.send_response(422)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    def upload_refused(s: StationService, url: str) -> None:
        from db.sync.refusal import Refused

        with pytest.raises(Refused):
            s.sync_upload(url)

    def paired_laptop() -> str:
        from db.sync.identity import read_identity

        data = cha_to().encode()
        admin.pair_station(data)
        return read_identity(data).station_id

    files = Path(tempfile.mkdtemp(prefix="sync-"))

    def laptop_bundle() -> str:
        """A return bundle from a second laptop paired both ways, holding one enrollment."""
        from db import accounts
        from db.station import create_station
        from db.sync import identity, outgoing, pairing

        if not made_bundle:
            where = Path(tempfile.mkdtemp(prefix="laptop-"))
            team, _key = create_station(where / "st", name="Tổ lưu động 2", commune="Nà Bủng",
                                        kind="mobile", slip_series="NB2")  # fmt: skip
            boss = accounts.create_first_admin(team, "admin", "Vì Văn Quản", TEST_PASSWORD)
            admin.pair_station(identity.identity_file(team))
            pairing.pair(team, admin.identity_file(), actor=boss)
            outgoing.export(team, files / "bundle.esb")
            team.close()
            made_bundle.append(str(files / "bundle.esb"))
        return made_bundle[0]

    made_bundle: list[str] = []

    def a_case() -> str:
        from db.models import SyncCase, new_uuid

        uuid = new_uuid()
        with station.Session.begin() as s:
            s.add(SyncCase(uuid=uuid, kind="same_person", origin_station_id="x",
                           subject_uuid=new_uuid(), details={}))  # fmt: skip
        return uuid

    def a_visit() -> str:  # planned for today by this station's team
        from db.visits import plan

        return plan(station, SYSTEM, [resident()], today_local(), station.station_id,
                    "home").planned[0]  # fmt: skip

    def account() -> str:
        name = f"can.bo.{next(n)}"
        admin.create_officer(name, "Lò Thị Hương", "officer", "tạm thời 123")
        return name

    def new_password(s: StationService) -> Callable[[], object]:
        def change() -> None:  # and back, so the account signs in as before
            s.change_password(TEST_PASSWORD, TEST_PASSWORD + " mới")
            s.change_password(TEST_PASSWORD + " mới", TEST_PASSWORD)

        return change

    def on(make: Callable[[], str], act: Callable[[StationService, str], object]) -> Prepared:
        def prepare(s: StationService) -> Callable[[], object]:
            made = make()
            return lambda: act(s, made)

        return prepare

    def plain(act: Callable[[StationService], object]) -> Prepared:
        return lambda s: lambda: act(s)

    return {
        "station": plain(lambda s: s.station()),
        "data_folder": plain(lambda s: s.data_folder()),
        "settings": plain(lambda s: s.settings()),
        "change_setting": plain(lambda s: s.change_setting("idle_lock_minutes", 7)),
        "audit_health": plain(lambda s: s.audit_health()),
        "lock_screen": plain(lambda s: s.lock_screen()),
        "unlock": plain(lambda s: s.unlock(s.actor.username, TEST_PASSWORD)),
        "sign_out": plain(lambda s: s.sign_out()),
        "change_password": new_password,
        "warm_search": plain(lambda s: s.warm_search()),
        "register_changed": plain(lambda s: s.register_changed()),
        "search": plain(lambda s: s.search("a")),
        "resident": plain(lambda s: s.resident(people[0])),
        "add_person": plain(lambda s: s.add_person({"full_name": "Giàng A " + "A" * next(n)})),
        "likely_same_people": plain(lambda s: s.likely_same_people(
            {"full_name": "Giàng A Sếnh", "birth_date": "1976", "village": "Nà Hỳ 1"})),
        "form_choices": plain(lambda s: s.form_choices()),
        "start_enrollment": on(lambda: str(next(person)), lambda s, r: s.start_enrollment(int(r))),
        "save_step": on(draft, lambda s, u: s.save_step(u, "details", {"values": {}})),
        "attach_portrait": on(draft, lambda s, u: s.attach_portrait(u, jpeg_bytes(), 480, 640,
                                                                     {})),
        "record_exception": on(draft, lambda s, u: s.record_exception(u, "missing_fingers")),
        "discard": on(draft, lambda s, u: s.discard(u)),
        "drafts": plain(lambda s: s.drafts()),
        "resume": on(draft, lambda s, u: s.resume(u)),
        "enrollment": on(waiting, lambda s, u: s.enrollment(u)),
        "portrait": on(waiting, lambda s, u: s.portrait(u)),
        "submit": on(lambda: captured(station, next(person)).uuid, lambda s, u: s.submit(u)),
        "correct": on(returned, lambda s, u: s.correct(u)),
        "received_today": plain(lambda s: s.received_today()),
        "find_enrollment": on(waiting, lambda s, u: s.find_enrollment(u)),
        "waiting": plain(lambda s: s.waiting()),
        "for_review": on(waiting, lambda s, u: s.for_review(u)),
        "approve": on(waiting, lambda s, u: s.approve(u)),
        "send_back": on(waiting, lambda s, u: s.send_back(u, "sai ngày sinh")),
        "tally": plain(lambda s: s.tally(at.date())),
        "day_enrollments": plain(lambda s: s.day_enrollments(at.date())),
        "renewals": plain(lambda s: s.renewals(3, at.date())),
        "slip": on(waiting, lambda s, u: s.slip(u)),
        "information_sheet": on(officers_draft, lambda s, u: s.information_sheet(u, "a4")),
        "pdf_saved": plain(lambda s: s.pdf_saved("tally")),
        "recovery_sheet_kept": plain(lambda s: s.recovery_sheet_kept("print")),
        "backup": plain(lambda s: s.backup(files)),
        "backup_state": plain(lambda s: s.backup_state()),
        "prepare_restore": on(a_backup, lambda s, f: s.prepare_restore(Path(f))),
        "import_register": plain(lambda s: s.import_register(
            resource_path("sample_register.csv"))),
        "officers": plain(lambda s: s.officers()),
        "create_officer": plain(lambda s: s.create_officer(f"moi.{next(n)}", "Lò Thị Hương",
                                                           "officer", "tạm thời 123")),
        "set_officer_active": on(account, lambda s, u: s.set_officer_active(u, False)),
        "reset_password": on(account, lambda s, u: s.reset_password(u, "tạm thời 456")),
        "audit_events": plain(lambda s: s.audit_events()),
        "verify_audit": plain(lambda s: s.verify_audit()),
        "on_wait": plain(lambda s: s.on_wait(None)),
        "take_over": on(officers_draft, lambda s, u: s.take_over(u)),
        "discard_untouched": on(draft, lambda s, u: s.discard_untouched(u)),
        "unlock_officer": on(account, lambda s, u: s.unlock_officer(u)),
        "record_print": on(draft, lambda s, u: s.record_print(u, 2, "flat", print_png(), "png",
                                                               70)),
        "record_prints": on(draft, lambda s, u: s.record_prints(
            u, [NewPrint(f, "slap", print_png(), "png", 65) for f in (2, 3, 4, 5)])),
        "record_finger_condition": on(draft, lambda s, u: s.record_finger_condition(
            u, [7], "flat", "missing", "cụt từ nhỏ")),
        "clear_finger": on(draft, lambda s, u: s.clear_finger(u, 7, "flat")),
        "fingerprint_images": on(waiting, lambda s, u: s.fingerprint_images(u)),
        "identity_file": plain(lambda s: s.identity_file()),
        "own_identity": plain(lambda s: s.own_identity()),
        "preview_identity": on(laptop_identity("Mường Chà"),
                               lambda s, f: s.preview_identity(f.encode())),
        "pair_station": on(laptop_identity("Mường Chà"), lambda s, f: s.pair_station(f.encode())),
        "unpair_station": on(paired_laptop, lambda s, u: s.unpair_station(u)),
        "paired_stations": plain(lambda s: s.paired_stations()),
        "sync_export": on(paired_laptop, lambda s, u: s.sync_export(
            files / f"packet-{next(n)}.esb", for_station=u)),
        "sync_receipt": on(paired_laptop, lambda s, u: s.sync_receipt(
            u, files / f"receipt-{next(n)}.esb")),
        "sync_import": on(laptop_bundle, lambda s, f: s.sync_import(Path(f))),
        "sync_upload": on(refusing_hub, upload_refused),
        "sync_state": plain(lambda s: s.sync_state()),
        "coverage": plain(lambda s: s.coverage()),
        "coverage_sheet": plain(lambda s: s.coverage_sheet(s.coverage())),
        "coverage_list": plain(lambda s: s.coverage_list("not_yet")),
        "coverage_list_sheet": plain(lambda s: s.coverage_list_sheet(
            s.coverage_list("enrolled", "aged_6_13", home_visits_only=True))),
        "renewals_sheet": plain(lambda s: s.renewals_sheet(s.renewals())),
        "sync_cases": plain(lambda s: s.sync_cases()),
        "visit_teams": plain(lambda s: s.visit_teams()),
        "flag_for_visit": on(resident,
                             lambda s, u: s.flag_for_visit(u, "elderly", "đau chân")),
        "visit_candidates": plain(lambda s: s.visit_candidates()),
        "plan_visits": on(resident, lambda s, u: s.plan_visits(
            [u], today_local(), station.station_id, "fetch")),
        "visits": plain(lambda s: s.visits(today_local())),
        "todays_visits": plain(lambda s: s.todays_visits()),
        "record_visit_outcome": on(a_visit, lambda s, u: s.record_visit_outcome(u, "refused")),
        "start_visit_enrollment": on(a_visit, lambda s, u: s.start_visit_enrollment(u)),
        "visit_sheet": plain(lambda s: s.visit_sheet(today_local())),
        "card": on(card_ready, lambda s, u: s.card(u)),
        "cards_arrived": on(approved, lambda s, u: s.cards_arrived([u])),
        "deliver_card": on(card_ready, lambda s, u: s.deliver_card(u, "hq")),
        "cards_waiting": plain(lambda s: s.cards_waiting()),
        "cards_expected": plain(lambda s: s.cards_expected()),
        "card_list_sheet": plain(lambda s: s.card_list_sheet("waiting", s.cards_waiting())),
        "cards_handed_over": plain(lambda s: s.cards_handed_over(today_local())),
        "register_quality": plain(lambda s: s.register_quality()),
        "mark_same_person": on(two_residents, lambda s, u: s.mark_same_person(*u.split())),
        "mark_resident": on(resident, lambda s, u: s.mark_resident(u, "deceased")),
        "dismiss_pair": on(two_residents, lambda s, u: s.dismiss_pair(*u.split())),
        "fix_resident": on(resident, lambda s, u: s.fix_resident(u, "household_no", "HK-9")),
        "resolve_sync_case": on(a_case, lambda s, u: s.resolve_sync_case(u, "Đã gọi điện, "
                                                                         "trùng người")),
    }


def events(station: StationDB) -> int:
    with station.Session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def public_methods() -> set[str]:
    return {n for n, f in inspect.getmembers(StationService, inspect.isfunction)
            if not n.startswith("_") and n != "allowed"}  # fmt: skip


def test_every_public_method_declares_its_permission() -> None:
    assert public_methods() == set(PERMISSIONS)
    known = {a for role in ("officer", "supervisor", "admin") for a in _actions(role)}
    for name, permission in PERMISSIONS.items():
        assert permission in (ANY, NOT_PERSONAL) or permission in known, name


def _actions(role: str) -> frozenset[str]:
    from db.permissions import ROLE_ACTIONS

    return ROLE_ACTIONS[role]


def test_each_method_refuses_a_role_without_its_permission_and_audits_for_one_with_it(
    station: StationDB, people: list[int], actors: dict[str, Actor]
) -> None:
    table = calls(station, people, actors)
    assert set(table) == set(PERMISSIONS), "a service method has no call in this test"
    checked = 0
    for name, permission in sorted(PERMISSIONS.items()):
        prepare = table[name]
        roles = ("officer", "supervisor", "admin")
        if permission not in (ANY, NOT_PERSONAL):
            lacking = [r for r in roles if not can(actors[r], permission)]
            for role in lacking:
                call = prepare(StationService(station, actors[role]))
                before = events(station)
                with pytest.raises(PermissionDenied):
                    call()
                assert events(station) == before, f"{name}: a refused call left an event"
            allowed = [r for r in roles if can(actors[r], permission)]
        else:
            allowed = list(roles)
        assert allowed, name
        role = allowed[0]
        call = prepare(StationService(station, actors[role]))
        before = events(station)
        call()
        if permission == NOT_PERSONAL:
            assert events(station) == before, f"{name} reads nothing personal: no event"
        else:
            assert events(station) > before, f"{name} as {role} left no audit event"
        checked += 1
    assert checked == len(PERMISSIONS)
    # what all of that wrote to the trail reads in Vietnamese in the audit view
    from db.labels import ACTIONS, audit_details

    with station.Session() as s:
        rows = s.execute(select(AuditEvent.action, AuditEvent.details)).all()
    assert {a for a, _d in rows} - set(ACTIONS) == set()
    ids = re.compile(r"[A-Z]+-\d{4}-\d{6}|\d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d")
    assert {d for _a, d in rows if d and audit_details(d) == d and not ids.fullmatch(d)} == set()


def test_unlock_by_a_supervisor_is_a_new_bound_service_and_an_officer_is_refused(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    from db import accounts

    accounts.create_officer(station, actors["admin"], "senh", "Giàng A Sếnh", "officer",
                            TEST_PASSWORD, temporary=False)  # fmt: skip
    duc = StationService(station, actors["officer"])
    assert duc.unlock("duc", TEST_PASSWORD) is duc
    boss = duc.unlock("boss", TEST_PASSWORD)
    assert boss is not duc and boss.actor.username == "boss" and duc.actor.username == "duc"
    with pytest.raises(PermissionDenied):
        duc.unlock("senh", TEST_PASSWORD)


def test_the_gui_imports_only_the_service_the_access_the_types_and_the_errors() -> None:
    """gui/ reaches the core through db.service (and db.access before sign-in), never around
    it; function-level imports count too."""
    import ast

    from tests.conftest import ROOT

    allowed = {"db.service", "db.access", "db.types", "db.errors", "db.actor", "db.vntime",
               "db.labels", "db.corrections"}  # fmt: skip
    found: dict[str, set[str]] = {}
    for path in Path(ROOT, "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if node.module != "db" else [f"db.{a.name}" for a in
                                                                   node.names]  # fmt: skip
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name == "db" or name.startswith("db."):
                    found.setdefault(name, set()).add(path.name)
    assert found, "the GUI uses the core"
    assert {m: f for m, f in found.items() if m not in allowed} == {}


def test_no_import_cycles_counting_function_level_imports() -> None:
    import grimp

    graph = grimp.build_graph("db", "gui", "capture", "printing", "resources")
    modules = sorted(graph.modules)
    index, low, stack, on, cycles = {}, {}, [], set(), []
    counter = count()

    def visit(m: str) -> None:  # Tarjan's strongly connected components
        index[m] = low[m] = next(counter)
        stack.append(m)
        on.add(m)
        for n in graph.find_modules_directly_imported_by(m):
            if n not in graph.modules:
                continue
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in on:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            group = []
            while True:
                n = stack.pop()
                on.discard(n)
                group.append(n)
                if n == m:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    import sys

    sys.setrecursionlimit(10_000)
    for m in modules:
        if m not in index:
            visit(m)
    assert cycles == []

"""One decision per enrollment, whoever races for it; a draft is its officer's; a supervisor does
not approve their own capture while another supervisor could (db/review.py, db/enrollment.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import accounts, review, tally
from db import enrollment as en
from db.actor import Actor
from db.errors import AlreadyDecided, IllegalTransition, PermissionDenied
from db.models import AuditEvent, Enrollment
from db.service import StationService
from db.station import StationDB, create_station
from resources import i18n
from resources.problems import describe
from tests.conftest import ROOT, TEST_PASSWORD
from tests.db.enrollment_fixtures import (
    captured,
    jpeg_bytes,
    make_staff,
    people,
    received,
    staff_actors,
)

__all__ = ["people", "staff_actors"]

AT = datetime(2026, 3, 12, 2, tzinfo=UTC)


def _second_supervisor(db: StationDB, admin: Actor) -> Actor:
    i = accounts.create_officer(db, admin, "hoa", "Lò Thị Hoa", "supervisor", TEST_PASSWORD,
                                temporary=False)  # fmt: skip
    return Actor(i.id, i.username, i.full_name, i.role)


def _decisions(db: StationDB, uuid: str) -> int:
    with db.Session() as s:
        found = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity_id == uuid,
            AuditEvent.action.in_(("enrollment.approve", "enrollment.send_back"))))  # fmt: skip
    return int(found or 0)


def test_two_supervisors_deciding_the_same_forty_at_once_decide_each_once(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    other = _second_supervisor(station, staff_actors["admin"])
    uuids = [received(station, p, AT, officer=staff_actors["duc"].officer_id).uuid
             for p in people[:40]]  # fmt: skip
    start = threading.Barrier(2)
    lost: dict[str, list[BaseException]] = {"approve": [], "send_back": []}

    def decide(actor: Actor, how: str) -> None:
        service = StationService(station, actor)
        start.wait()
        for uuid in uuids:
            try:
                if how == "approve":
                    service.approve(uuid)
                else:
                    service.send_back(uuid, "ảnh mờ, chụp lại")
            except IllegalTransition as exc:
                lost[how].append(exc)

    threads = [threading.Thread(target=decide, args=(staff_actors["boss"], "approve")),
               threading.Thread(target=decide, args=(other, "send_back"))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(_decisions(station, u) == 1 for u in uuids)
    assert len(lost["approve"]) + len(lost["send_back"]) == 40
    assert all(isinstance(e, AlreadyDecided) for e in lost["approve"] + lost["send_back"])
    with station.Session() as s:
        statuses = list(s.scalars(select(Enrollment.status).where(Enrollment.uuid.in_(uuids))))
    assert set(statuses) <= {"approved", "returned"} and len(statuses) == 40
    assert statuses.count("returned") == 40 - len(lost["send_back"])


def test_the_loser_is_told_who_decided(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    other = _second_supervisor(station, staff_actors["admin"])
    uuid = received(station, people[0], AT, officer=staff_actors["duc"].officer_id).uuid
    StationService(station, staff_actors["boss"]).approve(uuid)
    with pytest.raises(AlreadyDecided) as lost:
        StationService(station, other).send_back(uuid, "sai ngày sinh")
    i18n.set_language("vi")
    try:
        text = describe(lost.value)
    finally:
        i18n.set_language("en")
    assert text == ("Hồ sơ này đã được quyết định bởi Quàng Văn Thanh: đã duyệt. "
                    "Không có gì được ghi lại.")  # fmt: skip
    assert _decisions(station, uuid) == 1


def test_a_move_from_a_stale_read_is_refused_by_its_condition(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    """The conditional update itself: a session that read "submitted" before another decided
    cannot move the enrollment (whatever isolation the database gives)."""
    uuid = received(station, people[0], AT, officer=staff_actors["duc"].officer_id).uuid
    with station.Session() as stale:
        e = stale.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
        assert e is not None and e.status == "submitted"
        review.approve(station, uuid, actor=staff_actors["boss"])
        with pytest.raises(IllegalTransition, match="changed this enrollment meanwhile"):
            en._move(e, "returned")
        stale.rollback()
    assert en.get(station, uuid).status == "approved"


_DECIDE = """
import sys
from pathlib import Path
from db.actor import Actor
from db.errors import IllegalTransition
from db.service import StationService
from db.station import open_station
db = open_station(Path(sys.argv[1]), passphrase=lambda confirm: "cụm mật khẩu thử")
officer_id, name, how = int(sys.argv[2]), sys.argv[3], sys.argv[4]
service = StationService(db, Actor(officer_id, name, name, "supervisor"))
sys.stdin.readline()
won = 0
for uuid in sys.argv[5:]:
    try:
        service.approve(uuid) if how == "approve" else service.send_back(uuid, "chụp lại")
        won += 1
    except IllegalTransition:
        pass
print(won)
"""


@pytest.mark.real_scrypt  # its subprocesses read the key file with the real costs
def test_two_processes_deciding_the_same_enrollments_decide_each_once(tmp_path: Path) -> None:
    db, _key = create_station(tmp_path / "st", name="Công an xã Nà Hỳ", commune="Nà Hỳ",
                              key_store="keyfile", passphrase=lambda c: "cụm mật khẩu thử")
    with db:
        staff = make_staff(db)
        other = _second_supervisor(db, staff["admin"])
        from db.demo.synth import rows_for_import
        from db.register.importer import import_rows

        import_rows(db, rows_for_import(20), file_name="test-register")
        with db.Session() as s:
            from db.models import Resident

            ids = list(s.scalars(select(Resident.id)))
        uuids = [received(db, r, AT, officer=staff["duc"].officer_id).uuid for r in ids]
        children = [
            subprocess.Popen([sys.executable, "-c", _DECIDE, str(db.data_dir),
                              str(a.officer_id), a.username, how, *uuids], cwd=ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for a, how in ((staff["boss"], "approve"), (other, "send_back"))
        ]
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        won = [int(child.communicate(timeout=120)[0]) for child in children]
        assert sum(won) == 20
        assert all(_decisions(db, u) == 1 for u in uuids)


# --- ownership -----------------------------------------------------------------------------


def test_an_officer_cannot_touch_another_officers_draft(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    senh = StationService(station, staff_actors["senh"])
    draft = duc.start_enrollment(people[0]).uuid
    attempts = {
        "save": lambda: senh.save_step(draft, "details", {"values": {}}),
        "portrait": lambda: senh.attach_portrait(draft, jpeg_bytes(), 480, 640, {}),
        "exception": lambda: senh.record_exception(draft, "missing_fingers"),
        "resume": lambda: senh.resume(draft),
        "discard": lambda: senh.discard(draft),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied, match="Lò Văn Đức"):
            attempt()
        assert en.get(station, draft).status == "draft", name
    duc.attach_portrait(draft, jpeg_bytes(), 480, 640, {})
    with pytest.raises(PermissionDenied):
        senh.submit(draft)
    assert en.get(station, draft).status == "captured"
    with pytest.raises(PermissionDenied):  # an officer cannot take it over either
        senh.take_over(draft)


def test_a_supervisor_takes_a_draft_over_explicitly_and_it_is_audited(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    boss = StationService(station, staff_actors["boss"])
    draft = duc.start_enrollment(people[0]).uuid
    with pytest.raises(PermissionDenied):
        boss.save_step(draft, "details", {"values": {}})
    taken = boss.take_over(draft)
    assert taken.officer_id == staff_actors["boss"].officer_id
    boss.save_step(draft, "details", {"values": {}})
    with pytest.raises(PermissionDenied, match="Quàng Văn Thanh"):
        duc.save_step(draft, "details", {"values": {}})
    with station.Session() as s:
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "enrollment.take_over"))
    assert event is not None and event.entity_id == draft
    assert event.details == f"from officer #{staff_actors['duc'].officer_id}"


# --- four eyes -----------------------------------------------------------------------------


def test_a_supervisor_cannot_approve_their_own_capture_while_another_could(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    other = _second_supervisor(station, staff_actors["admin"])
    boss = staff_actors["boss"]
    own = received(station, people[0], AT, officer=boss.officer_id).uuid
    with pytest.raises(PermissionDenied, match="another supervisor must approve"):
        StationService(station, boss).approve(own)
    StationService(station, boss).send_back(own, "tự thấy ảnh mờ")  # sending back is allowed
    mine = received(station, people[1], AT, officer=boss.officer_id).uuid
    assert StationService(station, other).approve(mine).status == "approved"


def test_the_only_supervisor_may_self_approve_marked_in_the_trail_and_counted(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    boss = staff_actors["boss"]
    other = _second_supervisor(station, staff_actors["admin"])
    StationService(station, staff_actors["admin"]).set_officer_active(other.username, False)
    own = received(station, people[0], AT, officer=boss.officer_id).uuid
    theirs = received(station, people[1], AT, officer=staff_actors["duc"].officer_id).uuid
    service = StationService(station, boss)
    service.approve(own)
    service.approve(theirs)
    with station.Session() as s:
        details = dict(s.execute(select(AuditEvent.entity_id, AuditEvent.details).where(
            AuditEvent.action == "enrollment.approve")).all())  # fmt: skip
    assert details == {own: "self-approved (only supervisor)", theirs: None}
    t = tally.compute_tally(station, AT.date())
    assert (t.approved, t.self_approved) == (2, 1)
    assert tally.tally_to_json(t)["self_approved"] == 1
    from printing import build_tally
    from tests.printing.pdfcheck import pdf_text

    i18n.set_language("vi")
    try:
        text = pdf_text(build_tally(t))
    finally:
        i18n.set_language("en")
    assert "Do chính giám sát viên thu nhận duyệt" in text


def test_captured_fixture_is_unowned_so_any_officer_may_finish_it(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    """Enrollments the program made itself (demo, migrations) belong to nobody."""
    e = captured(station, people[0])
    assert StationService(station, staff_actors["senh"]).submit(e.uuid).status == "submitted"

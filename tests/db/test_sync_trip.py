"""Whole trips between real stations (issue 12): HQ and two laptops in one process.

Round trip with receipts and decisions travelling back; exports repeated, bundles imported
twice, in reverse and interleaved order, a laptop that never gets a receipt; the same person
enrolled on two stations; field persons; conflicting corrections."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from db import enrollment as en
from db import fingerprints
from db.actor import SYSTEM
from db.dc01 import add_resident
from db.demo.synth import rows_for_import
from db.models import (
    Enrollment,
    Fingerprint,
    OriginAuditEvent,
    Portrait,
    Resident,
    ResidentAlias,
    SyncCase,
)
from db.register.importer import import_rows
from db.review import approve, send_back
from db.sync import status
from tests.db.enrollment_fixtures import jpeg_bytes
from tests.db.sync_fixtures import Station, Trip, trip
from tests.fingers import take_ten

__all__ = ["trip"]


def cases(st: Station) -> list[tuple[str, str]]:
    with st.db.Session() as s:
        return sorted(s.execute(select(SyncCase.kind, SyncCase.subject_uuid)).all())


def held(st: Station, origin: Station) -> int:
    return st.count(Enrollment.station_id == origin.db.station_id)


def test_a_full_round_trip_carries_work_home_and_decisions_back(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    with team.db.Session() as s:  # the work packet brought the register and HQ's officers
        assert s.scalar(select(func.count()).select_from(Resident)) == 40
    made = team.enroll(3)
    assert status.state(team.db).pending == 3
    result = hq.take(team.export())
    assert (result.counts["enrollment_added"], result.conflicts, result.refused) == (3, 0, 0)
    with hq.db.Session() as s, team.db.Session() as t:
        for uuid in made:
            here = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
            there = t.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
            assert here is not None and there is not None
            assert (here.status, here.receipt_no, here.content_hash) == (
                "submitted", there.receipt_no, there.content_hash)
            assert here.receipt_no.startswith("L1-")
            portrait = s.scalar(select(Portrait.jpeg).where(Portrait.enrollment_id == here.id))
            assert portrait == t.scalar(select(Portrait.jpeg).where(
                Portrait.enrollment_id == there.id))  # fmt: skip
            prints = s.scalar(select(func.count()).select_from(Fingerprint).where(
                Fingerprint.enrollment_id == here.id, Fingerprint.image.is_not(None)))
            assert prints == 10
        assert s.scalar(select(func.count()).select_from(OriginAuditEvent)) > 10
    # the receipt: only then are they acknowledged, and the next export leaves them out
    assert status.state(team.db).pending == 3
    team.take(trip.receipt(team))
    state = status.state(team.db)
    assert (state.pending, state.acknowledged, state.days_since_receipt) == (0, 3, 0)
    # the supervisor decides at HQ; the decisions travel back in the next work packet
    approve(hq.db, made[0], actor=SYSTEM)
    send_back(hq.db, made[1], note="Ảnh bị mờ, chụp lại", actor=SYSTEM)
    team.take(hq.export(team.db.station_id))
    with team.db.Session() as t:
        got = dict(t.execute(select(Enrollment.uuid, Enrollment.status)).all())
        note = t.scalar(select(Enrollment.review_note).where(Enrollment.uuid == made[1]))
    assert [got[u] for u in made] == ["approved", "returned", "submitted"]
    assert note == "Ảnh bị mờ, chụp lại"
    # an export after the receipt holds no enrollment again, and changes nothing at HQ
    again = hq.take(team.export())
    assert (again.added - again.counts.get("audit_added", 0), again.conflicts) == (0, 0)
    assert held(hq, team) == 3


def test_exports_without_receipts_in_any_order_never_duplicate(trip: Trip) -> None:
    hq, t1, t2 = trip.hq, trip.team1, trip.team2
    t1.enroll(2)
    first = t1.export()
    t1.enroll(2, first=2)
    second = t1.export()  # no receipt came: the first two again, plus two new
    t2.enroll(1, first=10)
    other = t2.export()
    # newest first, then the other laptop, then the oldest: interleaved and reversed
    r = hq.take(second)
    assert r.counts["enrollment_added"] == 4
    assert hq.take(other).counts["enrollment_added"] == 1
    old = hq.take(first)  # older than one taken: holds nothing new, so nothing at all
    assert (old.added, old.conflicts, old.reason) == (0, 0, "replay")
    assert hq.take(second).reason == "replay"  # the very same file again
    assert (held(hq, t1), held(hq, t2)) == (4, 1)
    # the laptop never got a receipt and exports once more: still no duplicates
    third = hq.take(t1.export())
    assert (third.counts["enrollment_unchanged"], third.conflicts) == (4, 0)
    assert held(hq, t1) == 4
    # HQ → field the same way: an older work packet after a newer one brings nothing back
    stale = hq.export(t1.db.station_id)
    fresh = hq.export(t1.db.station_id)
    assert t1.take(fresh).reason is None
    assert t1.take(stale).reason == "replay"


def test_a_re_export_of_an_enrollment_hq_approved_is_a_no_op(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    (uuid,) = team.enroll(1)
    hq.take(team.export())
    approve(hq.db, uuid, actor=SYSTEM)
    result = hq.take(team.export())  # the laptop still has it as submitted
    assert result.counts["enrollment_unchanged"] == 1 and result.conflicts == 0
    with hq.db.Session() as s:
        assert s.scalar(select(Enrollment.status).where(Enrollment.uuid == uuid)) == "approved"


def test_the_same_person_enrolled_at_hq_and_in_the_field_is_one_case(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    with hq.db.Session() as s:
        first = s.scalar(select(Resident.id).order_by(Resident.id).limit(1))
    at_hq = en.submit(hq.db, _captured(hq, int(first or 0)), actor=SYSTEM)
    (field,) = team.enroll(1)
    result = hq.take(team.export())
    assert result.cases == ["same_person"]
    with hq.db.Session() as s:
        case = s.scalar(select(SyncCase))
        assert case is not None and (case.subject_uuid, case.other_uuid) == (field, at_hq.uuid)
    assert hq.count() == 2  # both kept
    names = [c.kind for c in status.cases(hq.db)]
    assert names == ["same_person"]
    status.resolve(hq.db, status.cases(hq.db)[0].uuid, "Hủy hồ sơ ở trụ sở", officer_uuid=None)
    assert status.cases(hq.db) == []


def test_field_persons_are_linked_to_the_register_or_proposed(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    rows = [row for _line, row in rows_for_import(42)]
    known, new = rows[40], rows[41]  # neither is in the 40 residents the laptop holds
    ids = [add_resident(team.db, dict(r), actor=team.admin) for r in (known, new)]
    import_rows(hq.db, enumerate([known], start=2), file_name="register-2")  # HQ learns one
    for rid in ids:
        uuid = en.submit(team.db, _captured(team, rid), actor=SYSTEM).uuid
        assert uuid
    before = hq_residents = _residents(hq)
    result = hq.take(team.export())
    assert sorted(result.cases) == ["field_person", "field_person_match"]
    hq_residents = _residents(hq)
    assert hq_residents == before + 1  # the known one linked, the new one proposed
    with hq.db.Session() as s:
        alias = s.scalar(select(ResidentAlias))
        assert alias is not None
        linked = s.get(Resident, alias.resident_id)
        assert linked is not None and linked.full_name == known["full_name"]
        by_resident = dict(s.execute(select(Enrollment.resident_id, func.count()).group_by(
            Enrollment.resident_id)).all())  # fmt: skip
        assert by_resident[alias.resident_id] == 1
        proposed = s.scalar(select(Resident).where(Resident.station_id == team.db.station_id))
        assert proposed is not None and "DC01" in (proposed.review_flags or "")


def test_two_corrections_of_one_field_are_a_case_and_of_two_fields_merge(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    with hq.db.Session() as s:
        a, b = list(s.scalars(select(Resident.id).order_by(Resident.id).limit(2)))
        name_a = s.get(Resident, a).full_name  # type: ignore[union-attr]
    fix = {"full_name": {"from": name_a, "to": name_a + " A"}}
    en.submit(hq.db, _captured(hq, a, corrections=fix), actor=SYSTEM)
    en.submit(hq.db, _captured(hq, b, corrections={"phone": {"from": "", "to": "0912345678"}}),
              actor=SYSTEM)  # fmt: skip
    other = {"full_name": {"from": name_a, "to": name_a + " B"}}
    en.submit(team.db, _captured(team, a, corrections=other), actor=SYSTEM)
    en.submit(team.db, _captured(team, b, corrections={"hometown": {"from": "x", "to": "y"}}),
              actor=SYSTEM)  # fmt: skip
    result = hq.take(team.export())
    kinds = sorted(result.cases)
    assert kinds.count("correction") == 1  # the phone and the hometown merge
    (case,) = [c for c in status.cases(hq.db) if c.kind == "correction"]
    assert case.details["field"] == "full_name" and case.details["base"] == name_a
    assert sorted(case.details["values"].values()) == [name_a + " A", name_a + " B"]


def _residents(st: Station) -> int:
    with st.db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(Resident)) or 0)


def _captured(st: Station, rid: int, corrections: dict[str, object] | None = None) -> str:
    e = en.create_draft(st.db, rid, place="hq", actor=SYSTEM, now=datetime.now(UTC))
    en.save_step(st.db, e.uuid, "details", {"values": {}, "corrections": corrections or {}},
                 actor=SYSTEM)  # fmt: skip
    en.attach_portrait(st.db, e.uuid, jpeg_bytes(), 480, 640, {"passed": True}, actor=SYSTEM)
    take_ten(st.db, e.uuid)
    assert fingerprints is not None
    return e.uuid


def test_the_daily_tally_prints_the_head_hq_holds_for_each_laptop(trip: Trip) -> None:
    import io

    from pypdf import PdfReader

    from db.tally import compute_tally, tally_to_json
    from db.vntime import today_local
    from printing import build_tally
    from resources.i18n import set_language

    hq, team = trip.hq, trip.team1
    team.enroll(2)
    hq.take(team.export())
    with hq.db.Session() as s:
        from db.models import PairedStation

        peer = s.get(PairedStation, team.db.station_id)
        assert peer is not None
        head = (peer.audit_seq, peer.audit_hash)
    with team.db.Session() as s:
        from db.models import AuditEvent

        mine = s.execute(select(AuditEvent.seq, AuditEvent.hash).where(
            AuditEvent.seq == head[0])).one()  # fmt: skip
    assert tuple(mine) == head  # HQ holds exactly the laptop's own event
    tally = compute_tally(hq.db, today_local())
    assert tally.total == 2
    assert [(h.name, h.seq, h.held) for h in tally.laptops] == [("Tổ lưu động 1", head[0], 2)]
    assert tally_to_json(tally)["laptops"][0]["audit_head"] == head[1]
    set_language("vi")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build_tally(tally))).pages)
    assert "Máy lưu động" in text and f"#{head[0]}" in text and str(head[1])[:4] in text


def test_a_laptop_restored_from_an_old_backup_resumes_its_chain_and_slips(trip: Trip) -> None:
    from sqlalchemy import text

    from db import audit
    from db.models import SlipCounter

    hq, team = trip.hq, trip.team1
    team.enroll(2)
    hq.take(team.export())
    with team.db.engine.begin() as conn:  # the state of a backup taken before the last work
        last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar()
        conn.execute(text("DELETE FROM audit_event WHERE seq > :s"), {"s": int(last) - 30})
        conn.execute(text("UPDATE slip_counter SET last = last - 1"))
        conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": audit.CHECKPOINT_KEY})
    team.take(hq.export(team.db.station_id))  # the work packet brings the trail back
    assert audit.verify(team.db).ok
    with team.db.Session() as s:
        assert s.scalar(select(func.max(SlipCounter.last))) == 2  # no number issued twice
    team.enroll(1, first=5)
    result = hq.take(team.export())  # goes on from HQ's head: no fork
    assert result.counts["enrollment_added"] == 1
    with hq.db.Session() as s:
        slips = sorted(s.scalars(select(Enrollment.receipt_no)))
    assert len(set(slips)) == 3


def test_images_of_long_acknowledged_enrollments_are_pruned_only_when_set(trip: Trip) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from db import settings
    from db.models import SyncAck

    hq, team = trip.hq, trip.team1
    made = team.enroll(2)
    hq.take(team.export())
    team.take(trip.receipt(team))
    with team.db.Session.begin() as s:  # acknowledged 40 days ago
        s.execute(update(SyncAck).values(acked_at=datetime.now(UTC) - timedelta(days=40)))
    team.take(trip.receipt(team))  # the setting is off: nothing goes
    assert en.portrait_jpeg(team.db, made[0]) is not None
    settings.change(team.db, team.admin, "prune_images_days", 30)
    team.take(trip.receipt(team))
    assert en.portrait_jpeg(team.db, made[0]) is None
    with team.db.Session() as s:
        assert s.scalar(select(func.count()).select_from(Fingerprint).where(
            Fingerprint.image.is_not(None))) == 0
        assert s.scalar(select(func.count()).select_from(Enrollment)) == 2  # records stay
    assert status.state(team.db).acknowledged == 2
    assert en.portrait_jpeg(hq.db, made[0]) is not None  # HQ holds them

"""The hub takes communes' bundles on a real PostgreSQL (DESIGN §12): three commune HQs and two
laptops going through their HQ; everything arrives once, the order does not matter, a
rewritten commune chain is refused, and the hashes are the ones the stations hold."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models import Enrollment, EnrollmentEvent, OriginAuditEvent, Resident, Station
from db.review import approve
from db.sync.refusal import Refused
from tests.db.hub_fixtures import commune, district, hub

__all__ = ["commune", "district", "hub"]


def _count(db: object, model: object, *where: object) -> int:
    with db.Session() as s:  # type: ignore[attr-defined]
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _hashes(db: object) -> dict[str, str]:
    with db.Session() as s:  # type: ignore[attr-defined]
        return dict(s.execute(select(Enrollment.uuid, Enrollment.content_hash).where(
            Enrollment.content_hash.is_not(None))).all())  # fmt: skip


def test_everything_arrives_once_with_the_stations_hashes(district) -> None:  # type: ignore[no-untyped-def]
    hub, communes, laptops = district
    files = [c.export(hub.db.station_id) for c in communes]
    results = [hub.take(f) for f in files]
    assert [r.counts.get("enrollment_added") for r in results] == [2 + 2, 1, 1]
    assert results[0].counts.get("resident_added") == 30
    assert _count(hub.db, Enrollment) == 6
    for c in communes:
        held = _hashes(c.db)
        mine = {u: h for u, h in _hashes(hub.db).items() if u in held}
        assert mine == held  # the very hashes, laptops' enrollments included
    with hub.db.Session() as s:
        laps = {st.id: st.hq_id
                for st in s.scalars(select(Station).where(Station.kind == "mobile"))}
    assert laps == {lap.db.station_id: communes[0].db.station_id for lap in laptops}
    # every chain: the HQs' own and the laptops' as HQ holds them
    for st in [*communes, *laptops]:
        assert _count(hub.db, OriginAuditEvent, OriginAuditEvent.station_id == st.db.station_id) > 0
    # again, and in another order: nothing changes
    before = _count(hub.db, Enrollment), _count(hub.db, Resident)
    for f in reversed(files):
        again = hub.take(f)
        assert again.added == 0
    assert (_count(hub.db, Enrollment), _count(hub.db, Resident)) == before


def test_the_receipt_lets_the_commune_send_only_what_is_new(district) -> None:  # type: ignore[no-untyped-def]
    hub, communes, _laptops = district
    hq = communes[0]
    first = hub.take(hq.export(hub.db.station_id))
    assert first.counts["enrollment_added"] == 4
    taken = hq.take(hub.receipt_for(hq))
    assert taken.counts.get("enrollment_acknowledged") == 4
    assert taken.counts.get("resident_acknowledged") == 30
    hq.enroll(2, first=5)
    with hq.db.Session() as s:
        uuid = s.scalar(select(Enrollment.uuid).where(Enrollment.status == "submitted"))
    from db.actor import SYSTEM

    approve(hq.db, uuid, actor=SYSTEM)
    second = hub.take(hq.export(hub.db.station_id))
    assert second.counts.get("enrollment_added") == 2
    assert second.counts.get("enrollment_unchanged", 0) == 0  # acknowledged: not sent again
    assert second.counts.get("resident_added", 0) == 0 and "resident_unchanged" not in second.counts
    assert second.counts.get("event_added") == 1
    with hub.db.Session() as s:
        assert s.scalar(select(Enrollment.status).where(Enrollment.uuid == uuid)) == "approved"
        assert s.scalar(select(func.count()).select_from(EnrollmentEvent)) >= 1


@pytest.mark.parametrize("rehash", [False, True], ids=["edited", "rewritten"])
def test_a_rewritten_commune_chain_is_refused(commune, rehash: bool) -> None:  # type: ignore[no-untyped-def]
    from db import audit
    from db.models import AuditEvent

    hub, hq = commune
    hub.take(hq.export(hub.db.station_id))
    hq.take(hub.receipt_for(hq))
    hq.enroll(1, first=1)
    with hq.db.Session.begin() as s:
        rows = list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        # an event the hub holds, rewritten with the chain after it; or a new one, edited
        at = 2 if rehash else len(rows) - 1
        rows[at].details = "nothing happened"
        prev = rows[at - 1].hash
        for ev in rows[at:] if rehash else ():
            ev.prev_hash = prev
            ev.hash = audit.event_hash(ev.seq, ev.uuid, ev.station_id, audit.at_text(ev.at),
                                       audit.hashed_officer(ev.hash_v, ev.officer_id,
                                                            ev.officer_uuid),
                                       ev.action, ev.entity, ev.entity_id, ev.details, prev)
            prev = ev.hash
    with pytest.raises(Refused) as refused:
        hub.take(hq.export(hub.db.station_id))
    assert refused.value.code == ("chain_fork" if rehash else "chain_altered")


def test_a_laptop_belongs_to_the_commune_that_brought_it(district) -> None:  # type: ignore[no-untyped-def]
    hub, communes, laptops = district
    hub.take(communes[0].export(hub.db.station_id))
    other = communes[1]
    with other.db.Session.begin() as s:  # another commune claims the first one's laptop
        s.add(Station(id=laptops[0].db.station_id, name="Tổ lưu động 1", commune="Nà Bủng",
                      kind="mobile", slip_code="NHL1"))  # fmt: skip
    with pytest.raises(Refused) as refused:
        hub.take(other.export(hub.db.station_id))
    assert refused.value.code == "foreign_record"


def test_a_communes_bundles_in_reverse_order_change_nothing_more(commune) -> None:  # type: ignore[no-untyped-def]
    hub, hq = commune
    first = hq.export(hub.db.station_id)
    hq.enroll(2, first=1)
    second = hq.export(hub.db.station_id)  # no receipt between: it holds the first one's too
    assert hub.take(second).counts["enrollment_added"] == 1 + 2
    held = _count(hub.db, Enrollment), _count(hub.db, Resident), _count(hub.db, OriginAuditEvent)
    older = hub.take(first)
    assert (older.added, older.reason) == (0, "replay")
    assert (_count(hub.db, Enrollment), _count(hub.db, Resident),
            _count(hub.db, OriginAuditEvent)) == held  # fmt: skip


def test_one_person_enrolled_by_a_commune_and_its_laptop_is_one_case_as_at_the_commune(
    commune, tmp_path  # type: ignore[no-untyped-def]
) -> None:
    """Both enrollments reach the hub in one bundle, so in one batch of the merge: the later
    still sees the earlier, and the case is the one the commune has, once."""
    from db.models import SyncCase
    from tests.db.hub_fixtures import make_station, pair_both

    hub, hq = commune
    lap = make_station(tmp_path, "Tổ lưu động 1", "mobile", "NBL1")
    pair_both(hq, lap)
    lap.take(hq.export(lap.db.station_id))
    lap.enroll(1, first=20)  # the person HQ enrolled (the laptop did not know)
    assert hq.take(lap.export()).cases == ["same_person"]

    def cases(db: object) -> list[tuple[str, str, str]]:
        with db.Session() as s:  # type: ignore[attr-defined]
            return sorted((k, a, b) for k, a, b in s.execute(select(
                SyncCase.kind, SyncCase.subject_uuid, SyncCase.other_uuid)))  # fmt: skip

    assert hub.take(hq.export(hub.db.station_id)).cases == ["same_person"]
    assert cases(hub.db) == cases(hq.db)
    assert hub.take(hq.export(hub.db.station_id)).cases == []
    lap.db.close()

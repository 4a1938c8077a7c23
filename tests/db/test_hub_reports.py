"""The hub's reports on a real PostgreSQL: each commune's tally and coverage are the very
figures the commune's own station computes, the district's their sum; the search speaks the
stations' query language across communes; the same person held by two communes is listed;
communes are their official codes, however they were typed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.coverage import coverage
from db.models import Resident
from db.register.importer import import_rows
from db.tally import compute_tally, tally_to_json
from db.text import sort_key
from db.vntime import today_local
from tests.db.enrollment_fixtures import received
from tests.db.hub_fixtures import district, hub, make_commune, pair_with_hub

__all__ = ["district", "hub"]

COUNTS = ("total", "approved", "pending_approval", "returned", "exceptions", "home_visits",
          "vneid_requests", "finger_conditions", "by_place", "cards")  # fmt: skip


@pytest.fixture
def merged(district):  # type: ignore[no-untyped-def]
    hub, communes, laptops = district
    for c in communes:
        hub.take(c.export(hub.db.station_id))
    return hub, communes, laptops


def test_each_communes_tally_is_its_own_and_the_district_their_sum(merged) -> None:  # type: ignore[no-untyped-def]
    hub, communes, _laptops = merged
    day = today_local()
    found = hub.service.tally(day)
    assert [c.code for c, _t in found.communes] == sorted(c.code for c, _t in found.communes)
    by_hq = {c.hqs[0]: t for c, t in found.communes}
    for c in communes:
        own = tally_to_json(compute_tally(c.db, day))
        assert {k: by_hq[c.db.station_id][k] for k in COUNTS} == {k: own[k] for k in COUNTS}
    assert found.district["total"] == sum(t["total"] for _c, t in found.communes) == 6
    one = hub.service.tally(day, commune="Na Bung")  # no marks: the folded name
    assert [c.name for c, _t in one.communes] == ["Nà Bủng"]


def test_each_communes_coverage_is_its_own_and_the_district_their_sum(merged) -> None:  # type: ignore[no-untyped-def]
    hub, communes, _laptops = merged
    day = today_local()
    found = hub.service.coverage(day)
    by_hq = {c.hqs[0]: r for c, r in found.communes}
    for c in communes:
        assert by_hq[c.db.station_id].total == coverage(c.db, day).total
        own = coverage(c.db, day)
        assert by_hq[c.db.station_id].villages == own.villages
        assert (by_hq[c.db.station_id].by_ethnicity, by_hq[c.db.station_id].by_sex) == (
            own.by_ethnicity, own.by_sex)
    assert found.district.must_hold == sum(r.total.must_hold for _c, r in found.communes)
    assert found.district.enrolled == sum(r.total.enrolled for _c, r in found.communes) > 0
    assert found.district.under_6 == sum(r.total.under_6 for _c, r in found.communes)


def test_search_speaks_the_stations_language_across_communes(merged) -> None:  # type: ignore[no-untyped-def]
    hub, communes, _laptops = merged
    with communes[2].db.Session() as s:
        r = s.scalar(select(Resident).where(Resident.personal_id.is_not(None))
                     .order_by(Resident.id).limit(1))  # fmt: skip
    assert r is not None
    words = r.search_name.split()
    short = [" ".join(w[:n] for w in words) for n in (2, 3, 4)]  # prefixes as index terms too
    last_letter = " ".join([*words[:-1], words[-1][:1]])
    for query in (r.full_name, " ".join(reversed(words)), *short, last_letter,
                  f"{r.search_name} {r.birth_year}"):  # fmt: skip
        found = hub.service.search(query)
        assert r.uuid in [h.hit.uuid for h in found.hits], query
        assert {h.commune for h in found.hits if h.hit.uuid == r.uuid} == {"Chà Tở"}
    by_id = hub.service.search(str(r.personal_id))
    assert [h.hit.uuid for h in by_id.hits] == [r.uuid]
    assert hub.service.search(r.full_name).hits[0].hit.rank == 0  # the exact name first


def test_the_same_person_in_two_communes_is_listed(merged, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hub, communes, _laptops = merged
    a, b = communes[0], communes[1]
    with a.db.Session() as s:
        person = s.scalar(select(Resident).where(Resident.personal_id.is_not(None))
                          .order_by(Resident.id.desc()).limit(1))  # fmt: skip
    assert person is not None
    row = {"full_name": person.full_name, "personal_id": person.personal_id,
           "birth_date": person.birth_date.strftime("%d/%m/%Y") if person.birth_date
           else str(person.birth_year), "sex": "Nam" if person.sex == "M" else "Nữ",
           "village": "Bản Mới"}  # moved: the other commune's register has them too
    import_rows(b.db, iter([(2, row)]), file_name="moved")
    with b.db.Session() as s:
        moved = s.scalar(select(Resident.id).where(Resident.personal_id == person.personal_id))
    assert moved is not None
    received(a.db, person.id, datetime.now(UTC))
    received(b.db, moved, datetime.now(UTC))
    for c in (a, b):
        hub.take(c.export(hub.db.station_id))
    found = [d for d in hub.service.duplicates() if d.personal_id == person.personal_id]
    assert len(found) == 1 and found[0].enrolled
    assert {m.commune for m in found[0].members} == {"Nà Hỳ", "Nà Bủng"}


def test_communes_are_their_official_codes(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one = make_commune(tmp_path, "Công an xã Nà Hỳ", "Nà Hỳ", "NH", 5, 1)
    again = make_commune(tmp_path, "Trạm xã Na Hy (cài lại)", "xa na hy", "NHB", 5, 2)
    for c in (one, again):
        pair_with_hub(hub, c)
        c.enroll(1)
        hub.take(c.export(hub.db.station_id))
    from db.hub.reports import communes

    found = communes(hub.db)
    assert [(c.code, c.name, len(c.hqs)) for c in found] == [("03169", "Nà Hỳ", 2)]
    assert hub.service.tally(today_local()).district["total"] == 2


def test_the_stations_sort_key_orders_as_vi_icu(hub) -> None:  # type: ignore[no-untyped-def]
    """Given name first (the key's order), each way: our key and PostgreSQL's "vi-x-icu"."""
    names = ["Lò Văn Ân", "Lò Văn An", "Lò Văn Ăn", "Giàng A Dế", "Giàng A Đế", "Vì Thị Ơn",
             "Vì Thị Ôn", "Vì Thị On", "Lường Văn Ưng", "Lường Văn Ung", "Hà Thị Hoà",
             "Hà Thị Hòa", "Hà Thị Hóa", "Nguyễn Thị Bích", "Nguyễn Thị Bịch", "Sùng A Dơ"]
    given_first = {n: " ".join([n.split()[-1], *n.split()[1:-1], n.split()[0]]) for n in names}
    with hub.db.engine.connect() as conn:
        icu = [r[0] for r in conn.execute(text(
            "SELECT n FROM unnest(CAST(:names AS text[])) AS t(n) "
            "ORDER BY n COLLATE \"vi-x-icu\""), {"names": list(given_first.values())})]
    back = {v: k for k, v in given_first.items()}
    assert [back[n] for n in icu] == sorted(names, key=sort_key)

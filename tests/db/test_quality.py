"""The register-quality report (issue 14, "sạch, sống"): every injected defect found on a demo
register, nothing on the clean one; the supervisor's actions (same person, deceased / moved
away and back, not the same person, a field fixed), audited, refused to an officer; a dismissed
pair is not proposed again; a joined duplicate's ID number and name find the kept resident."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.actor import Actor
from db.coverage import coverage
from db.demo.synth import rows_for_import
from db.errors import InvalidInput, PermissionDenied
from db.models import AuditEvent, QualityDismissal, Resident, ResidentAlias
from db.quality import loose_name, report
from db.register.importer import import_rows
from db.register.validate import content_hash
from db.sameperson import PersonKey, likely_same
from db.search import Searcher
from db.service import StationService
from db.station import StationDB
from tests.db.enrollment_fixtures import make_staff
from tests.quality_defects import alarms, found, inject

ON = date(2026, 12, 1)


@pytest.fixture
def register(station: StationDB) -> StationDB:
    import_rows(station, rows_for_import(300), file_name="test-register")
    return station


@pytest.fixture
def staff(register: StationDB) -> dict[str, Actor]:
    return make_staff(register)


def _resident(db: StationDB, uuid: str) -> Resident:
    with db.Session() as s:
        r = s.scalar(select(Resident).where(Resident.uuid == uuid))
        assert r is not None
        s.expunge(r)
        return r


def test_clean_register_has_no_findings_and_every_injected_defect_is_found(
    register: StationDB,
) -> None:
    clean = report(register, ON)
    assert alarms(clean) == 0 and clean.examined == 300
    injected = inject(register, 3, ON)
    result = report(register, ON)
    assert found(result, injected) == {k: (3, 3) for k in found(result, injected)}
    assert [d.weak for d in result.duplicates if d.kind == "variant"] == [True] * 3
    assert not any(d.weak for d in result.duplicates if d.kind != "variant")
    # the strict groups are exactly DESIGN §6's rule, the one of db/sameperson
    for d in result.duplicates:
        if not d.weak:
            a, b = (PersonKey.of(r.personal_id, r.full_name, r.birth_year, r.birth_date,
                                 r.village) for r in d.residents[:2])  # fmt: skip
            assert likely_same(a, b)
    assert result.to_json()["counts"]["implausible_age"] == 3


def test_loose_names_fold_spelling_variants() -> None:
    assert loose_name("nguyen thi thuy") == loose_name("nguyen thi thui")
    assert loose_name("sung a chu") == loose_name("sung a chuu")
    assert loose_name("giang a ky") == loose_name("giang a ci")
    assert loose_name("lo van an") != loose_name("lo van anh")


def test_actions_audited_and_refused_to_an_officer(register: StationDB,
                                                  staff: dict[str, Actor]) -> None:  # fmt: skip
    injected = inject(register, 2, ON)
    officer = StationService(register, staff["duc"])
    boss = StationService(register, staff["boss"])
    keep, dup = injected.pairs["two_ids"][0]
    for call in (officer.register_quality, lambda: officer.mark_same_person(keep, dup),
                 lambda: officer.mark_resident(keep, "deceased"),
                 lambda: officer.dismiss_pair(keep, dup),
                 lambda: officer.fix_resident(keep, "village", "Nà Hỳ 2")):  # fmt: skip
        with pytest.raises(PermissionDenied):
            call()
    before = coverage(register, ON).total.not_applicable

    dup_pid = _resident(register, dup).personal_id
    boss.mark_same_person(keep, dup)
    assert _resident(register, dup).life_status == "duplicate"
    with register.Session() as s:
        alias = s.get(ResidentAlias, dup)
        assert alias is not None and alias.resident_id == _resident(register, keep).id
    found_now = report(register, ON)
    assert not any({keep, dup} <= {r.uuid for r in d.residents} for d in found_now.duplicates)
    # the duplicate's ID number and its name find the kept resident, never the stale record
    searcher = Searcher(register)
    assert [h.uuid for h in searcher.search(dup_pid or "").hits] == [keep]
    by_name = [h.uuid for h in searcher.search(_resident(register, keep).full_name).hits]
    assert keep in by_name and dup not in by_name
    # and a DC01 form for the person finds the kept record, never the joined one
    from db.dc01 import likely_matches

    d = _resident(register, dup)
    birth = d.birth_date.strftime("%d/%m/%Y") if d.birth_date else str(d.birth_year)
    form = {"full_name": d.full_name, "personal_id": dup_pid, "birth_date": birth,
            "sex": d.sex, "village": d.village}  # fmt: skip
    assert likely_matches(register, form) == [_resident(register, keep).id]

    dead = injected.singles["implausible_age"][0]
    boss.mark_resident(dead, "deceased")
    assert coverage(register, ON).total.not_applicable == before + 2
    with pytest.raises(InvalidInput):
        boss.mark_resident(dead, "moved_away")  # clear the mark first
    boss.mark_resident(dead, "clear")
    boss.mark_resident(dead, "moved_away")
    assert _resident(register, dead).life_status == "moved_away"
    boss.mark_resident(dup, "clear")  # the join undone
    with register.Session() as s:
        assert s.get(ResidentAlias, dup) is None

    with register.Session() as s:
        actions = [a for (a,) in s.execute(select(AuditEvent.action).where(
            AuditEvent.action.like("register.%")).order_by(AuditEvent.seq))]  # fmt: skip
    assert actions == ["register.same_person", "register.mark", "register.mark",
                       "register.mark", "register.mark"]


def test_dismissed_pair_is_not_proposed_again(register: StationDB,
                                              staff: dict[str, Actor]) -> None:  # fmt: skip
    injected = inject(register, 1, ON)
    boss = StationService(register, staff["boss"])
    a, b = injected.pairs["no_id"][0]
    assert any({a, b} <= {r.uuid for r in d.residents} for d in report(register, ON).duplicates)
    boss.dismiss_pair(b, a)
    boss.dismiss_pair(a, b)  # twice: one record
    with register.Session() as s:
        rows = s.scalars(select(QualityDismissal)).all()
        assert [(d.a_uuid, d.b_uuid) for d in rows] == [tuple(sorted((a, b)))]
        assert rows[0].by_uuid is not None
    assert not any({a, b} <= {r.uuid for r in d.residents}
                   for d in boss.register_quality(ON).duplicates)  # fmt: skip
    with pytest.raises(InvalidInput):
        boss.dismiss_pair(a, a)


def test_fix_a_field_like_the_import(register: StationDB, staff: dict[str, Actor]) -> None:
    injected = inject(register, 1, ON)
    boss = StationService(register, staff["boss"])
    uuid = injected.singles["no_village"][0]
    old = _resident(register, uuid)
    boss.fix_resident(uuid, "village", "  Huổi  Cơ Mông ")
    boss.fix_resident(uuid, "full_name", "LÒ VĂN PHÓNG")
    boss.fix_resident(uuid, "birth", "1970")
    r = _resident(register, uuid)
    assert (r.village, r.village_key, r.full_name, r.search_name) == (
        "Huổi Cơ Mông", "huoi co mong", "Lò Văn Phóng", "lo van phong")
    assert (r.birth_year, r.birth_date) == (1970, None)
    assert r.content_hash != old.content_hash
    values = {c.key: getattr(r, c.key) for c in Resident.__table__.columns}
    assert r.content_hash == content_hash(values)  # what a re-import would compute
    assert r.match_key == "lo van phong|1970|huoi co mong"
    assert "year digits do not match birth year" in (r.review_flags or "")
    assert [h.uuid for h in Searcher(register).search("lo van phong 1970").hits] == [uuid]
    with register.Session() as s:
        details = list(s.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "register.correct").order_by(AuditEvent.seq)))  # fmt: skip
    assert details == ["field village", "field full_name", "field birth"]
    other = _resident(register, injected.singles["missing_id"][0])
    taken = _resident(register, injected.singles["no_village"][0]).personal_id
    with pytest.raises(InvalidInput):
        boss.fix_resident(other.uuid, "personal_id", taken or "")
    with pytest.raises(InvalidInput):
        boss.fix_resident(uuid, "full_name", "Lò Văn 2")
    with pytest.raises(InvalidInput):
        boss.fix_resident(uuid, "phone", "0912345678")
    with pytest.raises(InvalidInput):
        boss.fix_resident(uuid, "birth", "31/02/1970")


def test_an_enrollment_of_a_joined_record_counts_for_the_kept_one(
    register: StationDB, staff: dict[str, Actor]
) -> None:
    from datetime import UTC, datetime

    from db.coverage_lists import coverage_list
    from tests.db.enrollment_fixtures import received

    injected = inject(register, 1, ON)
    keep, dup = injected.pairs["two_ids"][0]
    received(register, _resident(register, dup).id, datetime.now(UTC))
    before = coverage(register, ON).total
    StationService(register, staff["boss"]).mark_same_person(keep, dup)
    after = coverage(register, ON).total
    # the person is still enrolled, once: the stale record is no longer counted at all
    assert after.enrolled == before.enrolled
    assert after.not_applicable == before.not_applicable + 1
    assert after.not_yet == before.not_yet - 1
    enrolled = {r.uuid for r in coverage_list(register, ON, "enrolled", "must_hold").rows}
    assert keep in enrolled and dup not in enrolled


def test_the_pass_reads_ahead_and_stops_with_the_pass() -> None:
    """The rows come whole and in order from the reading thread; a pass that stops early
    stops the reader (no thread left behind); a failed read is raised in the pass."""
    import sqlite3
    import threading

    from db.quality import _read_ahead

    raw = sqlite3.connect(":memory:", check_same_thread=False)
    raw.execute("CREATE TABLE t (n INTEGER)")
    raw.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2500)])
    assert [r[0] for r in _read_ahead(raw, "SELECT n FROM t ORDER BY n", batch=100)] == list(
        range(2500))
    rows = _read_ahead(raw, "SELECT n FROM t ORDER BY n", batch=10)
    assert next(rows) == (0,)
    rows.close()  # the pass stopped: the reader is joined, not left blocked on a full queue
    assert not any(t.name == "quality-reader" for t in threading.enumerate())
    with pytest.raises(sqlite3.OperationalError):
        list(_read_ahead(raw, "SELECT n FROM missing_table"))

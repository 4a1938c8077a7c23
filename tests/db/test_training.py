"""Training stations (issue 12): ``init --training`` makes one, ``training seed`` fills only
such a station — synthetic residents through the real import, submitted enrollments through the
real lifecycle (slip numbers, content hashes, audit, exceptions) — a real station refuses it,
and a training station never pairs with a real one. Its slips say so."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import accounts, audit
from db.actor import SYSTEM, Actor
from db.documents import slip_for
from db.errors import InvalidInput, PermissionDenied
from db.models import AuditEvent, Enrollment, Fingerprint, Portrait, Resident
from db.station import StationDB, create_station
from db.sync import pairing
from db.sync.identity import identity_file, read_identity
from db.tally import compute_tally
from db.training import NotATrainingStation, seed
from db.vntime import to_local
from printing import build_slip, build_tally
from resources.problems import describe
from tests.cli_runner import run
from tests.conftest import TEST_PASSWORD
from tests.printing.pdfcheck import pdf_text

MARK = "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ"
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 16:00 in Vietnam, a Friday


def training_station(tmp_path: Path, name: str = "tap-huan", kind: str = "hq",
                     series: str | None = None) -> StationDB:  # fmt: skip
    db, _key = create_station(tmp_path / name, name=f"Trạm {name}", commune="Nà Hỳ", kind=kind,
                              slip_series=series, training=True)  # fmt: skip
    return db


def staff(db: StationDB) -> tuple[Actor, Actor]:
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    info = accounts.create_officer(db, admin, "duc", "Lò Văn Đức", "officer", TEST_PASSWORD,
                                   temporary=False)  # fmt: skip
    return admin, Actor(info.id, info.username, info.full_name, info.role)


def count(db: StationDB, model: object) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def test_seed_fills_a_training_station_through_the_real_lifecycle(tmp_path: Path) -> None:
    db = training_station(tmp_path)
    admin, officer = staff(db)
    assert db.info().training
    first = seed(db, residents=20, actor=admin, rng_seed=1)
    assert (first.residents, first.enrollments) == (20, 0)
    report = seed(db, enrollments=10, days=3, actor=admin, now=NOW, rng_seed=2)
    assert (report.enrollments, report.wanted) == (10, 10)
    with db.Session() as s:
        rows = s.scalars(select(Enrollment)).all()
        assert {e.status for e in rows} == {"submitted"}
        assert all(e.content_hash and e.receipt_no for e in rows)
        assert len({e.receipt_no for e in rows}) == 10
        assert len({e.resident_id for e in rows}) == 10
        assert {e.officer_id for e in rows} == {officer.officer_id}  # spread among officers
        days = {to_local(e.submitted_at).date() for e in rows if e.submitted_at}
        assert days <= {to_local(NOW - timedelta(days=d)).date() for d in range(3)}
        assert max(e.submitted_at for e in rows if e.submitted_at) <= NOW
        # slip numbers follow the order of receipt
        ordered = sorted(rows, key=lambda e: e.submitted_at or NOW)
        assert [e.receipt_no for e in ordered] == sorted(e.receipt_no or "" for e in rows)
        assert sum(bool(e.has_exception) for e in rows) == report.exceptions
        for p in s.scalars(select(Portrait)):
            assert p.jpeg[:2] == b"\xff\xd8" and 30_000 <= len(p.jpeg) <= 80_000
            assert p.bedridden == (p.exception_reason == "bedridden")
        per = s.execute(select(Fingerprint.enrollment_id, func.count())
                        .group_by(Fingerprint.enrollment_id)).all()  # fmt: skip
        assert {n for _e, n in per} == {10}  # a print or a condition for every finger
        wsq = s.scalars(select(Fingerprint.image_format).where(Fingerprint.image.is_not(None)))
        assert set(wsq) == {"wsq"}
    # each step of each enrollment is in the trail, and the seed itself, by the administrator
    assert audit.verify(db).ok
    with db.Session() as s:
        submits = s.scalar(select(func.count()).where(AuditEvent.action == "enrollment.submit"))
        seeded = s.scalars(select(AuditEvent.details).where(AuditEvent.action == "training.seed")
                           .order_by(AuditEvent.seq)).all()  # fmt: skip
    assert submits == 10
    assert seeded == ["20 residents, 0 enrollments", "0 residents, 10 enrollments"]
    # again: only people without an open enrollment, and no more than there are
    more = seed(db, enrollments=100, actor=admin, now=NOW)
    assert more.enrollments == 20 - 10 and more.wanted == 100
    assert seed(db, enrollments=5, actor=admin, now=NOW).enrollments == 0
    db.close()


def test_a_real_station_refuses_the_seed_before_writing(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    before = count(station, Resident), count(station, AuditEvent)
    with pytest.raises(NotATrainingStation) as caught:
        seed(station, residents=10, enrollments=5, actor=actors["admin"])
    assert "trạm tập huấn" in describe(caught.value)
    assert (count(station, Resident), count(station, AuditEvent)) == before
    assert not station.info().training


def test_only_an_administrator_seeds(tmp_path: Path) -> None:
    db = training_station(tmp_path)
    _admin, officer = staff(db)
    with pytest.raises(PermissionDenied):
        seed(db, residents=5, actor=officer)
    with pytest.raises(InvalidInput):
        seed(db, residents=-1, actor=SYSTEM)
    assert count(db, Resident) == 0
    db.close()


def test_a_training_stations_slip_and_tally_say_so(tmp_path: Path) -> None:
    db = training_station(tmp_path)
    admin, _officer = staff(db)
    seed(db, residents=6, enrollments=3, days=1, actor=admin, now=NOW)
    with db.Session() as s:
        uuid = s.scalars(select(Enrollment.uuid)).first()
    assert uuid is not None
    for layout in ("a5", "roll80"):
        data = slip_for(db, uuid, layout=layout)
        assert data.training
        assert MARK in pdf_text(build_slip(data))
    tally = compute_tally(db, to_local(NOW).date())
    assert tally.training and tally.total == 3
    assert MARK in pdf_text(build_tally(tally))
    db.close()


def test_a_training_station_pairs_only_with_training_stations(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    hq = training_station(tmp_path, "hq-tap-huan", series="TH")
    laptop = training_station(tmp_path, "laptop-tap-huan", kind="mobile", series="TL1")
    real_laptop, _key = create_station(tmp_path / "real-laptop", name="Tổ lưu động 1",
                                       commune="Nà Hỳ", kind="mobile", slip_series="NL1")
    hq_admin, _o = staff(hq)
    laptop_admin = accounts.create_first_admin(laptop, "admin", "Lò Văn Lả", TEST_PASSWORD)
    real_admin = accounts.create_first_admin(real_laptop, "admin", "Cà Văn Ún", TEST_PASSWORD)
    # the flag travels in the signed identity file, only when set (old files still verify)
    assert json.loads(identity_file(hq))["training"] is True
    assert "training" not in json.loads(identity_file(real_laptop))
    assert read_identity(identity_file(hq)).training
    assert not read_identity(identity_file(station)).training
    doc = json.loads(identity_file(hq))
    doc.pop("training")  # removing it breaks the signature
    with pytest.raises(InvalidInput):
        read_identity(json.dumps(doc).encode())

    def refused(db: StationDB, data: bytes, actor: Actor) -> str:
        with pytest.raises(InvalidInput) as caught:
            pairing.pair(db, data, actor=actor)
        return describe(caught.value)

    assert "chỉ ghép với trạm tập huấn" in refused(hq, identity_file(real_laptop), hq_admin)
    assert "Trạm hq-tap-huan là trạm tập huấn" in refused(real_laptop, identity_file(hq),
                                                          real_admin)  # fmt: skip
    assert "là trạm tập huấn" in refused(station, identity_file(laptop), actors["admin"])
    assert pairing.pair(hq, identity_file(laptop), actor=hq_admin).active
    assert pairing.pair(laptop, identity_file(hq), actor=laptop_admin).active
    assert [p.name for p in pairing.paired(real_laptop)] == []
    for db in (hq, laptop, real_laptop):
        db.close()


def test_init_training_and_seed_from_the_command_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    for name, extra in (("train", ["--training"]), ("real", [])):
        out = run(cli_env, "--data-dir", str(tmp_path / name), "init", "--station",
                  f"Trạm {name}", "--commune", "Nà Hỳ", "--admin", "admin", *extra)
        assert out.returncode == 0, out.stderr
        assert ("TRẠM TẬP HUẤN" in out.stdout) == bool(extra)
    train, real = ["--data-dir", str(tmp_path / "train")], ["--data-dir", str(tmp_path / "real")]
    out = run(admin, *train, "training", "seed", "--residents", "8", "--enrollments", "3",
              "--days", "2", "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {"residents": 8, "enrollments": 3, "exceptions": got["exceptions"],
                   "wanted": 3}  # fmt: skip
    out = run(admin, *train, "training", "seed", "--enrollments", "1", "--quiet")
    assert out.returncode == 0 and "Đã nạp trạm tập huấn" in out.stdout
    out = run(admin, *real, "training", "seed", "--residents", "8")
    assert out.returncode == 2
    assert "không phải trạm tập huấn" in out.stderr and "Traceback" not in out.stderr
    status = json.loads(run(admin, *train, "sync", "status", "--json").stdout)
    assert status["training"] is True

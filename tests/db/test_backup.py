"""Backups and restore (issue 16): real SQLCipher stations, real backup files on disk."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from db import audit, backup_file, keys
from db.access import finish_restore, plan_restore
from db.actor import SYSTEM, Actor
from db.backup import backup_state, backup_station
from db.backup_file import BackupError
from db.errors import AwaitingHeadquarters, KeyMissing, PermissionDenied, StationError, WrongKey
from db.models import Setting
from db.restore import cancel
from db.restored import RESTORED_KEY
from db.station import DB_FILE, StationDB, create_station, open_station, recover_interrupted
from printing.keytext import format_key_groups
from tests.conftest import MemoryKeyring
from tests.db.enrollment_fixtures import received

# --- helpers ----------------------------------------------------------------------------------


def dump(db: StationDB) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in rowid order (what "equal record by record" compares)."""
    with db.engine.connect() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 AND "
                    "name NOT LIKE 'resident_fts%' ORDER BY name"
                )
            )
        ]
        out = {}
        for t in tables:
            order = "rowid" if t != "alembic_version" else "version_num"
            out[t] = [tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY {order}'))]
    return out


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.parent.glob(f".{data_dir.name}.*"))


@pytest.fixture
def filled(station: StationDB, actors: dict[str, Actor]) -> StationDB:
    from db import settings
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    settings.upgrade(station)  # as every opening does (db/access.open_from_args)
    import_rows(station, rows_for_import(40), file_name="register")
    with station.Session() as s:
        from db.models import Resident

        ids = list(s.scalars(select(Resident.id).order_by(Resident.id)))
    for rid in ids[:3]:
        received(station, rid, datetime.now(UTC), officer=actors["officer"].officer_id)
    return station


@pytest.fixture
def drive(tmp_path: Path) -> Path:
    usb = tmp_path / "usb"
    usb.mkdir()
    return usb


# --- writing ----------------------------------------------------------------------------------


def test_a_backup_is_encrypted_verified_and_recorded(
    filled: StationDB, drive: Path, actors: dict[str, Actor]
) -> None:
    report = backup_station(filled, actors["supervisor"], drive)
    assert report.path.parent == drive and report.path.suffix == ".esbak"
    assert [p.name for p in drive.iterdir()] == [report.path.name]  # no partial left
    assert not list(filled.data_dir.glob(".backup-*"))  # nor the temporary copy
    with zipfile.ZipFile(report.path) as zf:
        names = set(zf.namelist())
        db_bytes = zf.read("station.db")
        manifest = json.loads(zf.read("manifest.json"))
    assert names == {"station.db", "station.json", "manifest.json", "manifest.mac"}  # keyring
    assert db_bytes[:16] != b"SQLite format 3\x00"
    assert manifest["station"]["id"] == filled.station_id
    assert manifest["counts"]["enrollment"] == report.counts["enrollment"] == 3
    assert manifest["counts"]["resident"] == 40
    # not one personal byte in clear anywhere in the file (the register's names, ID numbers)
    whole = report.path.read_bytes()
    with filled.Session() as s:
        from db.models import Resident

        r = s.scalars(select(Resident).limit(1)).one()
    for secret in (r.full_name, r.personal_id):
        assert secret and secret.encode() not in whole
    state = backup_state(filled, 3)
    assert state.last_file == report.path.name and not state.due and state.days == 0
    last = audit.show(filled, actors["admin"], action="station.backup")
    assert len(last) == 1 and last[0].officer == "boss"


def test_an_officer_cannot_back_up(
    station: StationDB, drive: Path, actors: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        backup_station(station, actors["officer"], drive)
    assert list(drive.iterdir()) == []


def test_a_missing_folder_is_refused_with_a_clear_error(station: StationDB, tmp_path: Path) -> None:
    with pytest.raises(StationError, match="does not exist"):
        backup_station(station, SYSTEM, tmp_path / "not-plugged-in")


def test_a_key_file_station_carries_its_wrapped_key_never_the_raw_one(
    tmp_path: Path, drive: Path
) -> None:
    db, key = create_station(
        tmp_path / "st",
        name="Tổ lưu động",
        commune="Nà Hỳ",
        key_store="keyfile",
        passphrase=lambda _c: "mật khẩu trạm 1",
    )
    with db:
        report = backup_station(db, SYSTEM, drive)
    whole = report.path.read_bytes()
    with zipfile.ZipFile(report.path) as zf:
        assert zf.read("station.key") == (tmp_path / "st" / "station.key").read_bytes()
    for form in (key, key.hex().encode(), format_key_groups(key).encode()):
        assert form not in whole


def test_backup_during_concurrent_writes_is_one_consistent_snapshot(
    filled: StationDB, drive: Path, tmp_path: Path, actors: dict[str, Actor]
) -> None:
    """Officers keep saving while the backup runs: the copy holds a whole state of the
    database (the audit chain unbroken, every count as in one moment), not a mix."""
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    import_rows(filled, rows_for_import(3000), file_name="bigger")  # an export that takes time
    stop, wrote, errors = threading.Event(), [0], []

    def writer() -> None:
        try:
            while not stop.is_set():
                with filled.Session.begin() as s:  # a change and its trace, together
                    audit.append(
                        s, filled.station_id, actors["officer"], "resident.view", "resident", "1"
                    )
                    s.add(Setting(key=f"test.write.{wrote[0]}", value={"n": wrote[0]}))
                wrote[0] += 1
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while wrote[0] < 5:  # the writer is going
            threading.Event().wait(0.01)
        before = wrote[0]
        report = backup_station(filled, SYSTEM, drive)
        during = wrote[0] - before
    finally:
        stop.set()
        thread.join()
    assert not errors and during > 0  # writes went on while the backup ran
    plan = plan_restore(report.path, tmp_path / "copy")  # proves counts, HMACs, quick check
    copy = finish_restore(plan)
    with copy:
        with copy.Session() as s:
            events = s.scalar(
                text("SELECT count(*) FROM audit_event WHERE action = 'resident.view'")
            )
            marks = s.scalar(text("SELECT count(*) FROM setting WHERE key LIKE 'test.write.%'"))
        assert events == marks  # each change with its own trace: one moment's state
        result = audit.verify(copy)
        assert result.ok, result


def test_a_failing_drive_leaves_no_half_backup(
    filled: StationDB, drive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import backup

    def broken(*_a: Any, **_k: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_write_zip", broken)
    with pytest.raises(OSError):
        backup_station(filled, SYSTEM, drive)
    assert list(drive.iterdir()) == []
    assert not list(filled.data_dir.glob(".backup-*"))
    assert backup_state(filled, 3).last_at is None


# --- restoring --------------------------------------------------------------------------------


def test_restore_round_trip_is_equal_record_by_record(
    filled: StationDB, drive: Path, actors: dict[str, Actor]
) -> None:
    data_dir = filled.data_dir
    before = dump(filled)
    report = backup_station(filled, actors["admin"], drive)
    received(filled, 38, datetime.now(UTC))  # work after the backup: gone after the restore
    with filled.Session.begin() as s:
        s.execute(text("UPDATE resident SET village = 'Bản khác' WHERE id = 1"))
    filled.close()
    plan = plan_restore(report.path, data_dir)
    info = plan.info
    assert info.counts["enrollment"] == 3 and info.station_id == filled.station_id
    assert plan.replaces and not plan.recovered
    restored = finish_restore(plan)
    with restored:
        after = dump(restored)
        head = report_head(report.path)
        after["audit_event"] = [r for r in after["audit_event"] if r[0] <= head]
        after["setting"] = [r for r in after["setting"] if r[0] != "backup.last"]
        assert after == before
        trail = audit.show(restored, actors["admin"], action="station.restore")
        assert len(trail) == 1 and trail[0].officer == "system"
        assert backup_state(restored, 3).last_file == report.path.name
        assert audit.verify(restored).ok
    assert leftovers(data_dir) == []  # the replaced database went once the restored one opened


def report_head(path: Path) -> int:
    head = backup_file.read_manifest(path).audit_head
    return head[0] if head else 0


@pytest.mark.parametrize("cut", ["half", "last_byte", "first_kb"])
def test_a_truncated_backup_is_refused_and_nothing_changes(
    filled: StationDB, drive: Path, tmp_path: Path, cut: str
) -> None:
    report = backup_station(filled, SYSTEM, drive)
    whole = report.path.read_bytes()
    size = {"half": len(whole) // 2, "last_byte": len(whole) - 1, "first_kb": 1024}[cut]
    bad = tmp_path / "cut.esbak"
    bad.write_bytes(whole[:size])
    db_file = filled.data_dir / DB_FILE
    filled.close()
    was = digest(db_file)
    with pytest.raises(BackupError, match="damaged or incomplete"):
        plan_restore(bad, filled.data_dir)
    assert digest(db_file) == was and leftovers(filled.data_dir) == []
    with pytest.raises(BackupError):
        plan_restore(bad, tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()


def _rewrite(src: Path, dst: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, change.get(item.filename, zin.read(item.filename)))


def test_a_damaged_or_altered_backup_is_refused(
    filled: StationDB, drive: Path, tmp_path: Path
) -> None:
    report = backup_station(filled, SYSTEM, drive)
    with zipfile.ZipFile(report.path) as zf:
        db_bytes = bytearray(zf.read("station.db"))
        manifest = json.loads(zf.read("manifest.json"))
    db_bytes[len(db_bytes) // 2] ^= 0xFF  # one flipped bit on a failing drive
    flipped = tmp_path / "flipped.esbak"
    _rewrite(report.path, flipped, {"station.db": bytes(db_bytes)})
    filled.close()
    with pytest.raises(BackupError, match="damaged or incomplete"):
        plan_restore(flipped, filled.data_dir)
    manifest["counts"]["enrollment"] = 99  # a description edited to look like another backup
    edited = tmp_path / "edited.esbak"
    _rewrite(report.path, edited, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match="altered"):
        plan_restore(edited, filled.data_dir)
    assert leftovers(filled.data_dir) == []


def test_another_stations_backup_is_refused(filled: StationDB, drive: Path, tmp_path: Path) -> None:
    other, _key = create_station(tmp_path / "other", name="Công an xã Chà Tở", commune="Chà Tở")
    with other:
        theirs = backup_station(other, SYSTEM, drive)
    filled.close()
    was = digest(filled.data_dir / DB_FILE)
    with pytest.raises(BackupError, match="another station"):
        plan_restore(theirs.path, filled.data_dir)
    assert digest(filled.data_dir / DB_FILE) == was


@pytest.mark.parametrize("field,value", [("program", "99.0.0"), ("schema", "9999")])
def test_a_backup_from_a_newer_program_is_refused(
    station: StationDB, drive: Path, tmp_path: Path, field: str, value: str
) -> None:
    report = backup_station(station, SYSTEM, drive)
    with zipfile.ZipFile(report.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest[field] = value
    newer = tmp_path / "newer.esbak"
    _rewrite(report.path, newer, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupError, match="newer version"):
        plan_restore(newer, tmp_path / "new")


def test_the_recovery_sheet_restores_on_a_new_machine_with_an_empty_keyring(
    filled: StationDB,
    drive: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The laptop is gone: a new computer, nothing in its keyring and no keyring that protects
    secrets at all. The backup and the key typed from the sheet bring the station back; the
    key then goes into a new key file under a passphrase chosen now."""
    from db.engine import engine_key

    key = engine_key(filled.engine)  # what the recovery sheet prints
    before = dump(filled)
    report = backup_station(filled, SYSTEM, drive)
    filled.close()
    memory_keyring.store.clear()
    monkeypatch.setattr(keys, "keyring_usable", lambda: False)
    new_home = tmp_path / "new-machine" / "station"
    with pytest.raises(KeyMissing, match="recovery sheet"):
        plan_restore(report.path, new_home)  # the keyring store has no key here
    typo = format_key_groups(key).replace(" ", "")[:-1] + "A"
    with pytest.raises(WrongKey):
        plan_restore(report.path, new_home, recovery_key=typo.lower())
    plan = plan_restore(report.path, new_home, recovery_key=format_key_groups(key).lower())
    assert plan.recovered
    restored = finish_restore(plan, passphrase=lambda _confirm: "mật khẩu mới 2026")
    restored.close()
    config = json.loads((new_home / "station.json").read_text())
    assert config["key_store"] == "keyfile" and (new_home / "station.key").exists()
    again = open_station(new_home, passphrase=lambda _c: "mật khẩu mới 2026")
    with again:
        after = dump(again)
        head = backup_file.read_manifest(report.path).audit_head
        after["audit_event"] = [r for r in after["audit_event"] if r[0] <= (head or (0,))[0]]
        after["setting"] = [r for r in after["setting"] if r[0] != "backup.last"]
        assert after == before


def test_a_key_file_station_restores_on_a_new_machine_with_its_passphrase(
    tmp_path: Path, drive: Path
) -> None:
    def phrase(_c: bool) -> str:
        return "mật khẩu trạm 1"

    db, _key = create_station(
        tmp_path / "st", name="Tổ lưu động", commune="Nà Hỳ", key_store="keyfile", passphrase=phrase
    )
    with db:
        report = backup_station(db, SYSTEM, drive)
    with pytest.raises(WrongKey):
        plan_restore(report.path, tmp_path / "new" / "st", passphrase=lambda _c: "sai rồi 12345")
    assert leftovers(tmp_path / "new" / "st") == []
    plan = plan_restore(report.path, tmp_path / "new" / "st", passphrase=phrase)
    finish_restore(plan).close()
    with open_station(tmp_path / "new" / "st", passphrase=phrase) as again:
        assert again.station_id == db.station_id


def test_the_replaced_database_is_put_back_when_the_restored_one_does_not_open(
    filled: StationDB, drive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import restore

    report = backup_station(filled, SYSTEM, drive)
    received(filled, 39, datetime.now(UTC))  # the newer work that must not be lost
    expected = dump(filled)
    filled.close()
    plan = plan_restore(report.path, filled.data_dir)

    def fails(*_a: Any, **_k: Any) -> StationDB:
        raise StationError()

    monkeypatch.setattr(restore, "open_station", fails)
    with pytest.raises(StationError):
        finish_restore(plan)
    monkeypatch.undo()
    with open_station(filled.data_dir) as back:
        assert dump(back) == expected
    assert leftovers(filled.data_dir) == []


def test_a_restore_killed_halfway_is_undone_at_the_next_start(
    filled: StationDB, drive: Path
) -> None:
    """A kill after the database was moved aside and before the restored one was put in
    place: the next opening puts the replaced one back."""
    expected = dump(filled)
    filled.close()
    aside = filled.data_dir.parent / f".{filled.data_dir.name}.replaced-x1"
    aside.mkdir()
    for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"):
        if (filled.data_dir / name).exists():
            os.replace(filled.data_dir / name, aside / name)
    with open_station(filled.data_dir) as back:
        assert dump(back) == expected
    assert not aside.exists() and not recover_interrupted(filled.data_dir)


def test_restore_is_refused_while_the_station_is_open(filled: StationDB, drive: Path) -> None:
    report = backup_station(filled, SYSTEM, drive)
    plan = plan_restore(report.path, filled.data_dir)
    with filled.engine.connect() as conn:  # another window holds the database open
        conn.execute(text("SELECT count(*) FROM resident")).scalar()
        with pytest.raises(StationError, match="open in another window"):
            finish_restore(plan)
    assert leftovers(filled.data_dir) == []
    with filled.Session() as s:  # untouched
        assert s.scalar(text("SELECT count(*) FROM enrollment")) == 3


def test_a_cancelled_plan_leaves_nothing(filled: StationDB, drive: Path) -> None:
    report = backup_station(filled, SYSTEM, drive)
    plan = plan_restore(report.path, filled.data_dir)
    cancel(plan)
    assert leftovers(filled.data_dir) == []


def test_the_desk_reminder_follows_the_setting(
    station: StationDB, drive: Path, actors: dict[str, Actor]
) -> None:
    now = datetime.now(UTC)
    assert not backup_state(station, 3, now=now).due  # a new station is not nagged at once
    assert backup_state(station, 3, now=now + timedelta(days=3, minutes=1)).due
    backup_station(station, SYSTEM, drive)
    at = backup_state(station, 3).last_at
    assert at is not None
    then = backup_state(station, 3, now=at + timedelta(days=2))
    assert not then.due and then.days == 2
    assert backup_state(station, 3, now=at + timedelta(days=3)).due
    assert not backup_state(station, 7, now=at + timedelta(days=4)).due


# --- a laptop restored from an older backup (DESIGN §11) ------------------------------------


def later(monkeypatch: pytest.MonkeyPatch, *, seconds: int) -> None:
    """HQ's clock ``seconds`` on (the packet's header time), without sleeping."""
    from db.sync import outgoing

    class Later(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Any:
            return datetime.now(tz) + timedelta(seconds=seconds)

    monkeypatch.setattr(outgoing, "datetime", Later)


def test_a_restored_laptop_waits_for_hq_then_resumes_its_chain_and_slips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func

    from db.models import Enrollment
    from tests.db.sync_fixtures import make_station, pair_both

    hq = make_station(tmp_path, "Công an xã Nà Hỳ", "hq", "NH")
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    import_rows(hq.db, rows_for_import(20), file_name="register")
    team = make_station(tmp_path, "Tổ lưu động 1", "mobile", "L1")
    pair_both(hq, team)
    team.take(hq.export(team.db.station_id))
    team.enroll(2)
    hq.take(team.export())
    drive = tmp_path / "drive"
    drive.mkdir()
    report = backup_station(team.db, SYSTEM, drive)
    team.enroll(1, first=2)  # after the backup: HQ gets it, the backup does not have it
    hq.take(team.export())
    old_packet = hq.export(team.db.station_id)  # made before the restore
    team.db.close()
    plan = plan_restore(report.path, team.db.data_dir)
    team.db = finish_restore(plan)
    with team.db.Session() as s:
        assert s.get(Setting, RESTORED_KEY) is not None
    audit.record(team.db, team.admin, "user.sign_in", "officer", team.admin.officer_id)
    with pytest.raises(AwaitingHeadquarters):
        team.enroll(1, first=5)  # its number could be one HQ has already
    with pytest.raises(AwaitingHeadquarters):
        team.export()
    team.take(old_packet)  # a packet older than the restore does not lift the mark
    with team.db.Session() as s:
        assert s.get(Setting, RESTORED_KEY) is not None
    later(monkeypatch, seconds=5)  # HQ makes a new packet, after the restore
    team.take(hq.export(team.db.station_id))
    with team.db.Session() as s:
        assert s.get(Setting, RESTORED_KEY) is None
    assert audit.verify(team.db).ok
    from db import enrollment as en

    with team.db.Session() as s:  # the one captured while waiting: kept, submitted now
        waiting = s.scalar(select(Enrollment.uuid).where(Enrollment.status == "captured"))
    assert waiting is not None
    en.submit(team.db, waiting, actor=SYSTEM)
    result = hq.take(team.export())  # HQ accepts: the chain goes on from its head, no fork
    assert result.counts["enrollment_added"] == 1
    with hq.db.Session() as s:
        slips = list(
            s.scalars(
                select(Enrollment.receipt_no).where(Enrollment.station_id == team.db.station_id)
            )
        )
        assert (
            s.scalar(
                select(func.count())
                .select_from(Enrollment)
                .where(Enrollment.station_id == team.db.station_id)
            )
            == 4
        )
    assert len(set(slips)) == 4  # no number issued twice
    assert audit.verify(team.db).ok
    for st in (hq, team):
        st.db.close()


def test_a_full_drive_is_said_before_anything_is_written(
    filled: StationDB, drive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    from collections import namedtuple

    Usage = namedtuple("Usage", "total used free")
    real = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda p: Usage(8 << 30, 8 << 30, 1 << 20)
                        if Path(p) == drive else real(p))  # fmt: skip
    with pytest.raises(StationError, match="not enough free space"):
        backup_station(filled, SYSTEM, drive)
    assert list(drive.iterdir()) == []
    assert not list(filled.data_dir.glob(".backup-*"))


def test_a_damaged_key_file_is_replaced_from_the_backup_with_its_passphrase(
    tmp_path: Path, drive: Path
) -> None:
    def phrase(_c: bool) -> str:
        return "mật khẩu trạm 1"

    db, _key = create_station(tmp_path / "st", name="Tổ lưu động", commune="Nà Hỳ",
                              key_store="keyfile", passphrase=phrase)  # fmt: skip
    with db:
        report = backup_station(db, SYSTEM, drive)
    (tmp_path / "st" / "station.key").write_text("hỏng")
    plan = plan_restore(report.path, tmp_path / "st", passphrase=phrase)
    assert plan.replaces and not plan.own_key
    finish_restore(plan, passphrase=phrase).close()
    with open_station(tmp_path / "st", passphrase=phrase) as again:
        assert again.station_id == db.station_id


def test_the_recovery_sheet_stores_the_key_again_without_losing_any_work(
    filled: StationDB, tmp_path: Path, memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The database is intact but its key store is gone: no backup is needed (and none of the
    work since the last one is lost)."""
    from db.access import recover_key
    from db.engine import engine_key

    key = format_key_groups(engine_key(filled.engine))
    before = dump(filled)
    filled.close()
    memory_keyring.store.clear()
    monkeypatch.setattr(keys, "keyring_usable", lambda: False)
    with pytest.raises(KeyMissing):
        open_station(filled.data_dir)
    other, other_key = create_station(tmp_path / "other", name="Khác", commune="Chà Tở",
                                      key_store="keyring")
    other.close()
    with pytest.raises(WrongKey, match="does not belong"):
        recover_key(filled.data_dir, format_key_groups(other_key))
    db = recover_key(filled.data_dir, key.lower(), passphrase=lambda _c: "mật khẩu mới 2026")
    with db:
        trail = audit.show(db, SYSTEM, action="station.key_recovered")
        assert len(trail) == 1
    with open_station(filled.data_dir, passphrase=lambda _c: "mật khẩu mới 2026") as again:
        after = dump(again)
    after["audit_event"] = after["audit_event"][: len(before["audit_event"])]
    assert after == before

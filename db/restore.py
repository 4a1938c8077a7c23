"""Restoring a station from a backup (``main.py restore FILE``, Trạm → Khôi phục, first run).

In two steps, so a person sees what a backup holds before anything is replaced:

1. :func:`plan_restore` reads the manifest (another station's backup, or one written by a newer
   program, is refused), finds the key — the station's own key store here, the backup's key
   file and passphrase, the keyring, or the key typed from the recovery sheet —, checks the
   manifest's MAC, and copies the database out into a hidden folder beside the station, where
   it is proved whole (db/backup.py's ``check_copy``: page HMACs, quick check, every count).
2. :func:`restore` swaps it in: the station's current database is moved aside, the restored one
   put in its place and opened (migrated if older); only when it has opened is the replaced one
   deleted. If the opening fails, the old one is put back.

A mobile laptop that has a headquarters is marked *restored*: HQ may hold work the backup does
not (bundles sent after it), so until HQ's next work packet it issues no slip number and sends
no bundle; that packet brings back its trail and last numbers (db/sync/apply.py re-chains what
was logged since the restore after HQ's head), so no slip number is reused and HQ's chain of
the laptop never forks (DESIGN §11).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from db import keys
from db.actor import SYSTEM
from db.backup_file import (
    CONFIG_MEMBER,
    DB_MEMBER,
    KEY_MEMBER,
    MAC,
    BackupError,
    Manifest,
    copy_member,
    mac,
    read_manifest,
)
from db.errors import KeyMissing, StationExists, WrongKey
from db.restored import RESTORED_KEY
from db.station import (
    ASIDE,
    CONFIG_FILE,
    DB_FILE,
    DB_FILES,
    KEY_FILE,
    StationDB,
    _read_config,
    _store_for,
    _work_dirs,
    _write_config,
    open_station,
    recover_interrupted,
    station_exists,
)
from db.types import BackupInfo
from resources.i18n import N_

log = logging.getLogger(__name__)

WORK = ".restore-"


@dataclass(slots=True)
class RestorePlan:
    """A backup read, its key found and its database proved whole, waiting to be swapped in."""

    backup: Path
    manifest: Manifest
    data_dir: Path
    work: Path
    key: bytes
    replaces: bool  # a station is here now (the same one)
    recovered: bool  # the key came from the recovery sheet: the key store is made anew
    own_key: bool = False  # the key came from the station's own store here: it stays

    @property
    def info(self) -> BackupInfo:
        return describe(self.backup, self.manifest)


def describe(path: Path, manifest: Manifest) -> BackupInfo:
    st = manifest.station
    return BackupInfo(path=path, station_id=manifest.station_id, station_name=str(st["name"]),
                      commune=str(st.get("commune") or ""), kind=str(st.get("kind") or "hq"),
                      training=bool(st.get("training")), created_at=manifest.created_at,
                      program=str(manifest.data.get("program", "")), counts=manifest.counts,
                      size=path.stat().st_size, key_store=manifest.key_store)  # fmt: skip


def read_info(path: Path) -> BackupInfo:
    """What a backup says it holds (not yet proved: :func:`plan_restore` proves it)."""
    return describe(path, read_manifest(path))


def newer_backups(info: BackupInfo, *, limit: int = 50) -> list[BackupInfo]:
    """Backups of the same station beside ``info``'s file, made after it, newest first (the
    administrator is told before restoring an older one by mistake)."""
    from db.backup_file import SUFFIX

    found = []
    try:
        others = sorted(info.path.parent.glob(f"*{SUFFIX}"))[:limit]
    except OSError:
        return []
    for other in others:
        if other == info.path:
            continue
        try:
            theirs = read_info(other)
        except (BackupError, OSError):
            continue
        if theirs.station_id == info.station_id and theirs.created_at > info.created_at:
            found.append(theirs)
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def _clear_leftovers(data_dir: Path) -> None:
    recover_interrupted(data_dir)
    for work in _work_dirs(data_dir, WORK):
        shutil.rmtree(work, ignore_errors=True)
    if (data_dir / DB_FILE).exists():
        for aside in _work_dirs(data_dir, ASIDE):
            shutil.rmtree(aside, ignore_errors=True)


def _backup_key(path: Path, manifest: Manifest, work: Path,
                passphrase: keys.PassphraseProvider) -> bytes:  # fmt: skip
    """The key from what the backup itself carries: its wrapped key file (the passphrase), or
    this computer's keyring (the same computer, the station folder lost)."""
    if manifest.key_store == "keyfile" and KEY_MEMBER in manifest.files:
        copy_member(path, KEY_MEMBER, work / KEY_FILE, manifest.files[KEY_MEMBER])
        return keys.KeyFileStore(work / KEY_FILE, passphrase).get_key(manifest.station_id)
    try:
        return keys.KeyringStore().get_key(manifest.station_id)
    except KeyMissing:
        raise KeyMissing(N_("The key of this backup is not on this computer. Restore it with "
                            "the key from the recovery sheet kept in the safe.")) from None


def plan_restore(
    path: Path,
    data_dir: Path,
    *,
    key: bytes | None = None,
    recovered: bool = False,
    passphrase: keys.PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> RestorePlan:
    """Read and prove the backup at ``path`` for ``data_dir`` (see the module's note).

    ``key``: the station key when the caller has it (the open station's, or typed from the
    recovery sheet with ``recovered=True``); else it is found as the station would find it.
    """
    manifest = read_manifest(path)
    replaces = station_exists(data_dir)
    if replaces:
        config = _read_config(data_dir)
        if config.get("station_id") != manifest.station_id:
            raise BackupError(N_("This backup is of another station ({name}). Nothing was "
                                 "changed."), name=str(manifest.station["name"]))  # fmt: skip
    elif data_dir.is_dir() and any(data_dir.iterdir()):
        raise StationExists(N_("The folder {path} is not empty and holds no station: choose "
                               "an empty folder to restore into."), path=str(data_dir))  # fmt: skip
    data_dir.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _clear_leftovers(data_dir)
    from db.backup import enough_space

    enough_space(data_dir.parent, int(manifest.files[DB_MEMBER]["size"]))
    work = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}{WORK}", dir=data_dir.parent))
    try:
        own = replaces and (key is not None and not recovered)
        if key is None and replaces:
            try:
                key = _store_for(config["key_store"], data_dir, passphrase).get_key(
                    manifest.station_id)  # fmt: skip
                own = True
            except KeyMissing:  # its key file is lost or damaged: the backup's may serve
                if KEY_MEMBER not in manifest.files:
                    raise
        if key is None:
            key = _backup_key(path, manifest, work, passphrase)
        if keys.key_check(key) != manifest.key_check:
            raise WrongKey(N_("This key does not open this backup. Nothing was changed."))
        try:
            with zipfile.ZipFile(path) as zf:
                sealed = zf.read(MAC).decode("ascii").strip()
        except (KeyError, zipfile.BadZipFile, OSError, UnicodeDecodeError):
            raise BackupError() from None
        import hmac

        if not hmac.compare_digest(sealed, mac(key, manifest.raw)):
            raise BackupError(N_("This backup's description was altered after it was written. "
                                 "Nothing was changed."))  # fmt: skip
        copy_member(path, DB_MEMBER, work / DB_FILE, manifest.files[DB_MEMBER])
        from db.backup import check_copy

        check_copy(work / DB_FILE, key, manifest.counts)
        copy_member(path, CONFIG_MEMBER, work / f"{CONFIG_FILE}.backup",
                    manifest.files[CONFIG_MEMBER])  # fmt: skip
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return RestorePlan(path, manifest, data_dir, work, key, replaces, recovered, own)


def cancel(plan: RestorePlan) -> None:
    """Forget a plan: its proved copy is removed; the station was never touched."""
    shutil.rmtree(plan.work, ignore_errors=True)


def _key_files(plan: RestorePlan, passphrase: keys.PassphraseProvider) -> list[str]:
    """Write into the work folder the key store files to install; their names."""
    work, sid = plan.work, plan.manifest.station_id
    if plan.recovered:  # the key store the computer offers now: its keyring, or a new key file
        kind = "keyring" if keys.keyring_usable() else "keyfile"
        _store_for(kind, work, passphrase).store_key(sid, plan.key)
        _write_config(work, sid, kind, plan.key)
        return [CONFIG_FILE, *([KEY_FILE] if kind == "keyfile" else [])]
    if plan.own_key:
        return []  # the station's own configuration and key stay
    os.replace(work / f"{CONFIG_FILE}.backup", work / CONFIG_FILE)
    config = json.loads((work / CONFIG_FILE).read_text("utf-8"))
    if config.get("key_store") == "keyfile" and not (work / KEY_FILE).exists():
        copy_member(plan.backup, KEY_MEMBER, work / KEY_FILE, plan.manifest.files[KEY_MEMBER])
    return [CONFIG_FILE, *([KEY_FILE] if (work / KEY_FILE).exists() else [])]


def restore(
    plan: RestorePlan,
    *,
    passphrase: keys.PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> StationDB:
    """Swap the proved copy in (the station must be closed); returns the restored station,
    open. The replaced database is deleted only once the restored one has opened."""
    data_dir, work = plan.data_dir, plan.work
    try:
        installed = [DB_FILE, *_key_files(plan, passphrase)]
    except BaseException:
        cancel(plan)
        raise
    aside: Path | None = None
    if plan.replaces:
        try:
            _ensure_closed(data_dir / DB_FILE, plan.key)
        except BaseException:
            cancel(plan)
            raise
        aside = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}{ASIDE}", dir=data_dir.parent))
        moved = [n for n in (*DB_FILES, *installed[1:]) if (data_dir / n).exists()]
        for name in moved:
            os.replace(data_dir / name, aside / name)
        for name in installed:
            os.replace(work / name, data_dir / name)
        shutil.rmtree(work, ignore_errors=True)
    else:
        for name in os.listdir(work):
            if name not in installed:
                (work / name).unlink()
        if data_dir.is_dir():
            data_dir.rmdir()  # empty (checked by the plan)
        os.rename(work, data_dir)
    try:
        db = open_station(data_dir, key=plan.key)
        _after(db, plan)
    except BaseException:
        _undo(plan, aside, installed)
        raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    log.info("station restored from a backup")
    return db


def _ensure_closed(path: Path, key: bytes) -> None:
    """Refuse while another program window has the station open: swapping its database under
    it would send its next save into the replaced file. An exclusive lock cannot be had while
    any connection holds the database open in WAL mode."""
    from sqlcipher3 import dbapi2 as sqlcipher

    from db.engine import PAGE_SIZE
    from db.errors import StationError

    if not path.exists():
        return
    conn = sqlcipher.connect(str(path), timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlcipher.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StationError(N_("The station is open in another window of the program: "
                                  "close it, then restore. Nothing was changed.")) from None
    except sqlcipher.DatabaseError:
        pass  # a damaged database: nobody can be using it
    finally:
        conn.close()


def _undo(plan: RestorePlan, aside: Path | None, installed: list[str]) -> None:
    data_dir = plan.data_dir
    if aside is None:
        shutil.rmtree(data_dir, ignore_errors=True)
        return
    for name in (*DB_FILES, *installed):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(data_dir / name)
    for name in os.listdir(aside):
        os.replace(aside / name, data_dir / name)
    shutil.rmtree(aside, ignore_errors=True)


def _after(db: StationDB, plan: RestorePlan) -> None:
    """What the restored station records of its restore: the trail, the backup as its last
    one, and on a laptop with a headquarters the *restored* mark (see the module's note). By
    the program itself: the accounts of the restored database are not those of the moment."""
    from sqlalchemy import select

    from db import audit, settings
    from db.backup import LAST_KEY
    from db.models import PairedStation, Setting, Station
    from db.vntime import now_utc

    settings.upgrade(db)
    m = plan.manifest
    created = m.created_at.astimezone(UTC).isoformat()
    with db.Session.begin() as s:
        st = s.get(Station, db.station_id)
        hq = s.scalar(select(PairedStation.station_id).where(
            PairedStation.kind == "hq", PairedStation.unpaired_at.is_(None)).limit(1))  # fmt: skip
        rows = {LAST_KEY: {"at": created, "file": plan.backup.name,
                           "size": plan.backup.stat().st_size}}  # fmt: skip
        if st is not None and st.kind == "mobile" and hq is not None:
            head = m.audit_head
            rows[RESTORED_KEY] = {"seq": head[0] if head else 0, "backup_at": created,
                                  "restored_at": now_utc().isoformat()}
        for key, value in rows.items():
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value
        audit.append(s, db.station_id, SYSTEM, "station.restore", "station", db.station_id,
                     f"backup of {created[:16]}, {m.counts.get('enrollment', 0)} enrollments")


def recover_key_store(
    data_dir: Path, key: bytes,
    passphrase: keys.PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> StationDB:  # fmt: skip
    """The key typed from the recovery sheet, for a station whose database is intact but whose
    key store is lost (the keyring emptied, the key file damaged, its passphrase forgotten):
    the database is opened with it, then the key is stored anew — this computer's keyring, or a
    new key file under a passphrase chosen now. Nothing else changes; audited."""
    from db import audit

    config = _read_config(data_dir)
    if keys.key_check(key) != config.get("key_check"):
        raise WrongKey(N_("This key does not belong to this station. Nothing was changed."))
    db = open_station(data_dir, key=key)
    try:
        kind = "keyring" if keys.keyring_usable() else "keyfile"
        _store_for(kind, data_dir, passphrase).store_key(db.station_id, key)
        _write_config(data_dir, db.station_id, kind, key)
        audit.record(db, SYSTEM, "station.key_recovered", "station", db.station_id, kind)
    except BaseException:
        db.close()
        raise
    log.info("station key stored anew from the recovery sheet (%s)", kind)
    return db

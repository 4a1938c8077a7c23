"""Backing the station up (Trạm → Sao lưu, ``main.py backup --to DIR``).

The database is copied from one consistent snapshot while the station stays open: one read
transaction counts every table, reads the audit head and runs SQLCipher's documented
``sqlcipher_export()`` into an attached database keyed with the station key (WAL lets officers
go on saving meanwhile; they are simply not in this backup). The copy is checked before it is
packed — no SQLite header, SQLCipher's page HMACs, SQLite's quick check, every table's count
equal to the snapshot's — then written beside its final name, fsynced, renamed, and read back
from the drive to compare its hash. Nothing in clear touches the disk: the copy is ciphertext
and the temporary one sits in the station's own private folder.

The file's layout is db/backup_file.py's; restoring is db/restore.py's.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from db import audit
from db.actor import Actor
from db.backup_file import (
    CHUNK,
    CONFIG_MEMBER,
    DB_MEMBER,
    FORMAT,
    KEY_MEMBER,
    MAC,
    MANIFEST,
    SUFFIX,
    VERSION,
    BackupError,
    mac,
    member_digest,
    read_manifest,
)
from db.engine import PAGE_SIZE, SQLITE_MAGIC, engine_key
from db.errors import InvalidInput
from db.models import AuditEvent, Setting, Station
from db.permissions import require
from db.station import CONFIG_FILE, DB_FILE, KEY_FILE, StationDB
from db.types import BackupReport, BackupState
from db.vntime import now_utc
from resources.i18n import N_
from resources.private_files import fsync_dir

log = logging.getLogger(__name__)

LAST_KEY = "backup.last"
#: The station's own temporary copies (``.backup-….db``); a killed backup's are cleared.
TEMP_PREFIX = ".backup-"

#: Told the stage reached: "export", "check", "write", "verify".
Progress = Callable[[str], None]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _snapshot_export(db: StationDB, target: Path) -> tuple[dict[str, int], Any, str]:
    """Export the database into ``target`` from one read snapshot; returns that snapshot's
    table counts, audit head and schema version."""
    raw = db.engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        level = conn.isolation_level
        conn.isolation_level = None  # our own BEGIN / COMMIT: one snapshot for all of it
        cur = conn.cursor()
        attached = False
        try:
            cur.execute("ATTACH DATABASE ? AS backup KEY ?", (str(target), db.engine.url.password))
            attached = True
            cur.execute(f"PRAGMA backup.cipher_page_size = {PAGE_SIZE}")
            cur.execute("BEGIN")
            try:
                counts = _counts(cur, "main")
                head = cur.execute("SELECT seq, hash FROM main.audit_event ORDER BY seq DESC "
                                   "LIMIT 1").fetchone()  # fmt: skip
                version = str(cur.execute("SELECT version_num FROM main.alembic_version")
                              .fetchone()[0])  # fmt: skip
                cur.execute("SELECT sqlcipher_export('backup')")
                cur.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    cur.execute("ROLLBACK")
                raise
        finally:
            if attached:
                with contextlib.suppress(Exception):
                    cur.execute("DETACH DATABASE backup")
            cur.close()
            conn.isolation_level = level
    finally:
        raw.close()
    return counts, (list(head) if head else None), version


def _counts(cur: Any, schema: str) -> dict[str, int]:
    tables = [r[0] for r in cur.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND rootpage > 0 "
        "ORDER BY name").fetchall()]  # fmt: skip
    return {t: int(cur.execute(f"SELECT count(*) FROM {schema}.{_quote(t)}").fetchone()[0])
            for t in tables}  # fmt: skip


def check_copy(path: Path, key: bytes, counts: dict[str, int]) -> None:
    """Open the copy at ``path`` read-only with ``key`` and prove it whole: ciphertext from the
    first byte, every page's HMAC, SQLite's quick check, and ``counts`` table by table.
    :class:`BackupError` otherwise (the file is never modified)."""
    from sqlcipher3 import dbapi2 as sqlcipher

    with path.open("rb") as fh:
        if fh.read(16) == SQLITE_MAGIC:
            raise BackupError(N_("The backup copy is not encrypted. It was not kept."))
    try:
        conn = sqlcipher.connect(path.as_uri() + "?mode=ro", uri=True)
    except sqlcipher.Error:
        raise BackupError() from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
        cur = conn.cursor()
        if cur.execute("PRAGMA cipher_integrity_check").fetchall():
            raise BackupError()
        if [r[0] for r in cur.execute("PRAGMA quick_check").fetchall()] != ["ok"]:
            raise BackupError()
        if _counts(cur, "main") != counts:
            raise BackupError(N_("The backup copy does not hold what the station holds. It was "
                                 "not kept; try again."))  # fmt: skip
    except sqlcipher.DatabaseError:
        raise BackupError() from None
    finally:
        conn.close()


def _station_fields(db: StationDB) -> dict[str, Any]:
    with db.Session() as s:
        st = s.get(Station, db.station_id)
        assert st is not None
        return {"id": st.id, "name": st.name, "commune": st.commune, "province": st.province,
                "kind": st.kind, "slip_code": st.slip_code, "training": bool(st.training)}


def file_name(station: dict[str, Any], at: datetime) -> str:
    """``saoluu-NH-20261202-1405.esbak``: ASCII (a FAT-formatted drive), sorted by time."""
    from db.text import fold
    from db.vntime import VN_TZ

    code = station.get("slip_code") or fold(str(station.get("name") or "tram")).replace(" ", "")
    code = "".join(c for c in code if c.isalnum())[:12] or "tram"
    return f"saoluu-{code}-{at.astimezone(VN_TZ):%Y%m%d-%H%M%S}{SUFFIX}"


def _clear_temporaries(data_dir: Path) -> None:
    for old in data_dir.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            old.unlink()


def enough_space(where: Path, need: int) -> None:
    """Refuse at once, before writing, when ``where`` cannot hold ``need`` bytes (and a margin):
    a full drive is said as such, not as a failure halfway."""
    import shutil

    free = shutil.disk_usage(where).free
    if free < need + 16 * 1024 * 1024:
        raise InvalidInput(N_("There is not enough free space in {path}: {need} MB are needed, "
                              "{free} MB are free."), path=str(where),
                           need=(need >> 20) + 16, free=free >> 20)  # fmt: skip


def _write_zip(partial: Path, members: list[tuple[str, bytes | Path]],
               manifest_of: Callable[[dict[str, dict[str, Any]]], bytes],
               key: bytes) -> bytes:  # fmt: skip
    """Write the members, hashing each as it streams (the copy is read once here), then the
    manifest ``manifest_of`` makes of those hashes and its MAC; fsynced. Returns the manifest."""
    import hashlib

    files: dict[str, dict[str, Any]] = {}
    with partial.open("xb") as fh:
        with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            for name, content in members:
                digest, size = hashlib.sha256(), 0
                if isinstance(content, Path):
                    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
                    with content.open("rb") as src, zf.open(info, "w", force_zip64=True) as out:
                        while block := src.read(CHUNK):
                            digest.update(block)
                            size += len(block)
                            out.write(block)
                else:
                    digest.update(content)
                    size = len(content)
                    zf.writestr(name, content)
                files[name] = {"size": size, "sha256": digest.hexdigest()}
            manifest = manifest_of(files)
            zf.writestr(MANIFEST, manifest)
            zf.writestr(MAC, mac(key, manifest))
        fh.flush()
        os.fsync(fh.fileno())
    return manifest


def backup_station(
    db: StationDB, actor: Actor, target_dir: Path, *, progress: Progress | None = None
) -> BackupReport:
    """Write a verified backup of the station into ``target_dir``; records it (and audits it)
    as the station's last backup. Nothing is left behind when it fails."""
    from resources.version import version

    require(actor, "backup")
    started = time.perf_counter()
    if not target_dir.is_dir():
        raise InvalidInput(N_("The folder {path} does not exist: choose a folder or plug the "
                              "drive in."), path=str(target_dir))  # fmt: skip
    tell = progress or (lambda _stage: None)
    key = engine_key(db.engine)
    config_bytes = (db.data_dir / CONFIG_FILE).read_bytes()
    config = json.loads(config_bytes)
    _clear_temporaries(db.data_dir)
    for old in target_dir.glob(f".saoluu-*{SUFFIX}.partial"):  # a backup killed while writing
        with contextlib.suppress(OSError):
            old.unlink()
    need = sum(f.stat().st_size for f in db.data_dir.glob(f"{DB_FILE}*"))
    for where in (db.data_dir, target_dir):
        enough_space(where, need)
    copy = db.data_dir / f"{TEMP_PREFIX}{secrets.token_hex(6)}.db"
    created = now_utc()
    station = _station_fields(db)
    final = target_dir / file_name(station, created)
    partial = target_dir / f".{final.name}.partial"
    renamed = False
    try:
        tell("export")
        counts, head, schema_version = _snapshot_export(db, copy)
        tell("check")
        check_copy(copy, key, counts)
        members: list[tuple[str, bytes | Path]] = [(DB_MEMBER, copy), (CONFIG_MEMBER, config_bytes)]
        if config.get("key_store") == "keyfile" and (db.data_dir / KEY_FILE).exists():
            members.append((KEY_MEMBER, (db.data_dir / KEY_FILE).read_bytes()))

        def manifest_of(files: dict[str, dict[str, Any]]) -> bytes:
            return json.dumps({
                "format": FORMAT, "version": VERSION, "program": version(),
                "schema": schema_version, "created_at": created.astimezone(UTC).isoformat(),
                "station": station, "key_store": config.get("key_store"),
                "key_check": config.get("key_check"), "counts": counts, "audit_head": head,
                "files": files,
            }, ensure_ascii=False, indent=1).encode("utf-8")  # fmt: skip

        tell("write")
        partial.unlink(missing_ok=True)
        manifest = _write_zip(partial, members, manifest_of, key)
        written = json.loads(manifest)["files"][DB_MEMBER]
        size, sha = int(written["size"]), str(written["sha256"])
        os.replace(partial, final)
        renamed = True
        fsync_dir(target_dir)
        tell("verify")
        read_back = read_manifest(final)
        if read_back.raw != manifest or member_digest(final, DB_MEMBER) != (size, sha):
            raise BackupError(N_("The backup read back from the drive differs from what was "
                                 "written: the drive may be failing. Try another one."))
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
            if renamed:  # a copy that failed its reading back is not a backup
                final.unlink(missing_ok=True)
        raise
    finally:
        with contextlib.suppress(OSError):
            copy.unlink(missing_ok=True)
            for extra in (Path(f"{copy}-journal"), Path(f"{copy}-wal"), Path(f"{copy}-shm")):
                extra.unlink(missing_ok=True)
    total = final.stat().st_size
    with db.Session.begin() as s:
        row = s.get(Setting, LAST_KEY)
        value = {"at": created.astimezone(UTC).isoformat(), "file": final.name, "size": total}
        if row is None:
            s.add(Setting(key=LAST_KEY, value=value))
        else:
            row.value = value
        audit.append(s, db.station_id, actor, "station.backup", "station", db.station_id,
                     f"{counts.get('enrollment', 0)} enrollments, {total} bytes")  # fmt: skip
    log.info("backup written (%d bytes)", total)
    return BackupReport(final, total, counts, created, time.perf_counter() - started)


def backup_state(db: StationDB, warn_days: int, *, now: datetime | None = None) -> BackupState:
    """The last backup and whether it is older than ``warn_days`` (a station never backed up
    is due once it is ``warn_days`` old: a new station is not nagged on its first morning)."""
    from sqlalchemy import func, select

    now = now or now_utc()
    from db.restored import restored_mark

    with db.Session() as s:
        row = s.get(Setting, LAST_KEY)
        first = s.scalar(select(func.min(AuditEvent.at)))
        awaiting = restored_mark(s) is not None
    last_at: datetime | None = None
    name: str | None = None
    if row is not None:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            last_at = datetime.fromisoformat(str(row.value["at"]))
            name = str(row.value.get("file") or "") or None
    since = last_at or (first.replace(tzinfo=UTC) if first is not None else now)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    due = now - since >= timedelta(days=warn_days)
    days = (now - last_at).days if last_at is not None else None
    return BackupState(last_at, name, due, days, awaiting)

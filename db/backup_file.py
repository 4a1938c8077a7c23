"""The backup file (``.esbak``): what it holds and how it is read back.

One ZIP file, stored (not compressed: the database is ciphertext), so that it is one thing to
copy to a removable drive and a truncated copy is caught at once (ZIP's directory is at the
end). Its members:

- ``manifest.json``: the station (id, name, commune, kind), the program version and schema
  that wrote it, when, the key store and key check, the row count of every table in the
  snapshot, the audit chain's head, and the size and SHA-256 of every other member;
- ``manifest.mac``: HMAC-SHA256 of the manifest under the station key: a manifest edited to
  pass as another station's, or with other counts, is refused before anything is replaced;
- ``station.db``: the SQLCipher database, encrypted with the station key (never a plaintext
  byte of it: checked, it has no SQLite header);
- ``station.json`` and, for a station whose key is in a key file, ``station.key`` (the key
  wrapped under the station passphrase, never the raw key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db import schema
from db.errors import StationError
from resources.i18n import N_

FORMAT = "enrollment-station-backup"
VERSION = 1
SUFFIX = ".esbak"
MANIFEST = "manifest.json"
MAC = "manifest.mac"
DB_MEMBER = "station.db"
CONFIG_MEMBER = "station.json"
KEY_MEMBER = "station.key"
#: The tables whose counts a person is shown before restoring (the others are checked only).
SHOWN = ("resident", "enrollment", "officer", "audit_event")
MANIFEST_MAX = 1024 * 1024
CHUNK = 1024 * 1024


class BackupError(StationError):
    """A backup file that cannot be used: damaged, truncated, not a backup, or not for here."""

    message = N_("This backup file is damaged or incomplete. Nothing was changed.")


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a backup says of itself (read before the key is known; trusted after its MAC)."""

    raw: bytes
    data: dict[str, Any]

    @property
    def station_id(self) -> str:
        return str(self.data["station"]["id"])

    @property
    def station(self) -> dict[str, Any]:
        return dict(self.data["station"])

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(str(self.data["created_at"]))

    @property
    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.data["counts"].items()}

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        return dict(self.data["files"])

    @property
    def key_check(self) -> str:
        return str(self.data["key_check"])

    @property
    def key_store(self) -> str:
        return str(self.data["key_store"])

    @property
    def audit_head(self) -> tuple[int, str] | None:
        head = self.data.get("audit_head")
        return (int(head[0]), str(head[1])) if head else None


def mac(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, b"enrollment-station backup v1\x00" + manifest, hashlib.sha256).hexdigest()


def version_tuple(text: str) -> tuple[int, ...]:
    """``"0.16.2"`` → ``(0, 16, 2)``; the leading numbers only (``"1.2.dev3"`` → ``(1, 2)``)."""
    parts: list[int] = []
    for piece in text.split("."):
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m.group()))
        if m.group() != piece:
            break
    return tuple(parts)


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``, checked for shape and for this program: a file
    that is not a whole backup, or one written by a newer program, is refused here."""
    from resources.version import version

    try:
        with zipfile.ZipFile(path) as zf:
            sizes = {i.filename: i.file_size for i in zf.infolist()}
            if sizes.get(MANIFEST, MANIFEST_MAX + 1) > MANIFEST_MAX:
                raise BackupError(N_("This file is not a station backup. Nothing was changed."))
            raw = zf.read(MANIFEST)
            data = json.loads(raw.decode("utf-8"))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            missing = N_("The backup file {file} does not exist.")
            raise BackupError(missing, file=path.name) from None
        raise BackupError() from None
    except (ValueError, KeyError):
        raise BackupError() from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(N_("This file is not a station backup. Nothing was changed."))
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise _newer(data)
    manifest = Manifest(raw, data)
    try:
        manifest.station_id, manifest.created_at, manifest.counts, manifest.key_check  # noqa: B018
        files = manifest.files
        if DB_MEMBER not in files or CONFIG_MEMBER not in files:
            raise KeyError(DB_MEMBER)
        for name, meta in files.items():
            if sizes.get(name) != int(meta["size"]):
                raise BackupError()
    except (KeyError, TypeError, ValueError):
        raise BackupError() from None
    backup_schema, ours = str(data.get("schema", "")), schema.HEAD
    theirs_v, ours_v = version_tuple(str(data.get("program", ""))), version_tuple(version())
    if backup_schema > ours or (theirs_v and ours_v and theirs_v > ours_v):
        raise _newer(data)
    return manifest


def _newer(data: dict[str, Any]) -> BackupError:
    return BackupError(N_("This backup was written by a newer version of the program "
                          "({version}): install that version or a newer one to restore it. "
                          "Nothing was changed."), version=str(data.get("program", "?")))


def copy_member(path: Path, name: str, target: Path, expect: dict[str, Any]) -> None:
    """Copy member ``name`` of the backup to ``target`` (fsynced), checking its size and hash
    as it streams: a member altered or cut short is refused and ``target`` removed."""
    import os

    digest, size = hashlib.sha256(), 0
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as src, target.open("xb") as out:
            while block := src.read(CHUNK):
                digest.update(block)
                size += len(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, OSError, EOFError):
        target.unlink(missing_ok=True)
        raise BackupError() from None
    if size != int(expect["size"]) or digest.hexdigest() != expect["sha256"]:
        target.unlink(missing_ok=True)
        raise BackupError()


def member_digest(path: Path, name: str) -> tuple[int, str]:
    """The size and SHA-256 of member ``name`` as the file on disk holds it."""
    digest, size = hashlib.sha256(), 0
    with zipfile.ZipFile(path) as zf, zf.open(name) as src:
        while block := src.read(CHUNK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()

"""Files only the station's own user may read: 0600 files in 0700 directories.

Why: the database, its WAL, the key file, the logs and every PDF the program writes (a slip
names a person; the recovery sheet holds the raw database key) sit in a laptop's home directory,
which other accounts on a shared commune computer can often read (Debian's homes were 0755 until
bookworm). The process umask is 077 from the start (``main.py``), every write here is created
private and atomic, and an existing station is tightened when it is opened.

On Windows these modes mean little; a station's files live in the user's profile
(``%LOCALAPPDATA%``), which NTFS permissions keep to that user and the administrators (README).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"


def restrict_umask() -> None:
    """New files and directories of this process are its user's only (set once at start)."""
    if POSIX:
        os.umask(0o077)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700, and make it 0700 if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _chmod(path, DIR_MODE)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as a 0600 file, atomically (a reader or a crash sees the old
    file or the new one, never half of it, and never a moment when it is world-readable)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600 whatever the umask
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _chmod(path, FILE_MODE)
    return path


def create_private(path: Path) -> None:
    """Create an empty 0600 file if there is none (so that SQLite, which gives its -wal and
    -shm files the database file's mode, makes them private too)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def tighten(directory: Path) -> None:
    """Make ``directory`` 0700 and the files in it 0600 (stations made by older versions)."""
    if not POSIX or not directory.is_dir():
        return
    _chmod(directory, DIR_MODE)
    for entry in directory.iterdir():
        with contextlib.suppress(OSError):
            mode = entry.lstat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                _chmod(entry, FILE_MODE)
            elif stat.S_ISDIR(mode) and stat.S_IMODE(mode) & 0o077:
                _chmod(entry, DIR_MODE)


def fsync_dir(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (POSIX; Windows has no directory fsync)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _chmod(path: Path, mode: int) -> None:
    if POSIX:
        with contextlib.suppress(PermissionError):  # not ours (a shared parent): leave it
            os.chmod(path, mode)
    elif sys.platform == "win32":  # pragma: no cover - NTFS ACLs protect the profile
        pass

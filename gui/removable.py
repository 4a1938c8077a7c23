"""The removable drives (USB sticks, memory cards) mounted now: where a sync file is written or
read without the officer hunting through folders.

Pure Python, no Qt (the sync dialog lists what this returns). Linux: a mount of a real block
device (``/dev/...``) whose disk says it is removable (``/sys/block/<disk>/removable`` is 1), or
that the desktop mounted under ``/media`` or ``/run/media`` (many USB disks say 0 there). The
parser takes the texts as arguments so tests need no stick. Windows: every drive letter whose
type is ``DRIVE_REMOVABLE``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DESKTOP_MOUNTS = ("/media/", "/run/media/")
DRIVE_REMOVABLE = 2  # GetDriveTypeW


@dataclass(frozen=True)
class Drive:
    label: str  # the volume's name as the officer sees it ("KINGSTON", "E:")
    path: Path  # where to write and read


def _unescape(field: str) -> str:
    """/proc/self/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def disk_of(device: str) -> str:
    """The whole disk of a partition's name: sdb1 → sdb, mmcblk0p1 → mmcblk0, nvme0n1p2 →
    nvme0n1 (a disk without partitions is itself)."""
    name = os.path.basename(device)
    m = re.fullmatch(r"((?:mmcblk|nvme\d+n|loop)\d+)p\d+", name)
    if m:
        return m.group(1)
    m = re.fullmatch(r"([a-z]+)\d+", name)
    return m.group(1) if m and not name.startswith(("mmcblk", "nvme", "loop")) else name


def parse_linux(mounts: str, removable: Mapping[str, str]) -> list[Drive]:
    """The removable drives in the text of /proc/self/mounts; ``removable`` maps a disk's name
    (``sdb``) to the text of its /sys/block/<disk>/removable."""
    found: dict[Path, Drive] = {}
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3 or not parts[0].startswith("/dev/"):
            continue
        device, where = _unescape(parts[0]), _unescape(parts[1])
        disk = disk_of(device)
        if disk.startswith(("loop", "ram", "zram", "sr")):
            continue  # snaps and images, memory, optical discs (read-only)
        flagged = removable.get(disk, "").strip() == "1"
        if not (flagged or where.startswith(DESKTOP_MOUNTS)):
            continue
        path = Path(where)
        found.setdefault(path, Drive(path.name or where, path))
    return sorted(found.values(), key=lambda d: (d.label.casefold(), str(d.path)))


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace")
    except OSError:
        return ""


def linux_drives(proc: Path = Path("/proc/self/mounts"), sys_block: Path = Path("/sys/block")
                 ) -> list[Drive]:  # fmt: skip
    mounts = _read(proc)
    flags: dict[str, str] = {}
    try:
        disks = list(sys_block.iterdir())
    except OSError:
        disks = []
    for disk in disks:
        flags[disk.name] = _read(disk / "removable")
    # a mount may name its device through a link (/dev/disk/by-uuid/…): name the disk itself
    lines = []
    for line in mounts.splitlines():
        parts = line.split(" ")
        if parts and parts[0].startswith("/dev/disk/"):
            parts[0] = os.path.realpath(_unescape(parts[0]))
        lines.append(" ".join(parts))
    return [d for d in parse_linux("\n".join(lines), flags) if _usable(d.path)]


def _usable(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.R_OK)


def windows_drives(kernel32: Any = None) -> list[Drive]:
    """Drive letters of removable type, each with its volume name when it has one."""
    import ctypes

    k = kernel32 if kernel32 is not None else getattr(ctypes, "windll").kernel32  # noqa: B009
    mask = int(k.GetLogicalDrives())
    out = []
    for i in range(26):
        if not mask & (1 << i):
            continue
        root = f"{chr(ord('A') + i)}:\\"
        if int(k.GetDriveTypeW(root)) != DRIVE_REMOVABLE:
            continue
        name = ctypes.create_unicode_buffer(261)
        ok = k.GetVolumeInformationW(root, name, 261, None, None, None, None, 0)
        letter = root[:2]
        out.append(Drive(f"{name.value} ({letter})" if ok and name.value else letter, Path(root)))
    return out


def removable_drives(system: Callable[[], list[Drive]] | None = None) -> list[Drive]:
    """The removable drives mounted now (none found is an empty list, never an error)."""
    try:
        if system is not None:
            return system()
        return windows_drives() if os.name == "nt" else linux_drives()
    except (OSError, AttributeError, ValueError):
        return []

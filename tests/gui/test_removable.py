"""The removable drives listed from the texts of /proc/self/mounts and /sys/block (no stick)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from gui.removable import Drive, disk_of, parse_linux, removable_drives, windows_drives

MOUNTS = r"""sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
/dev/nvme0n1p1 /boot/efi vfat rw,relatime 0 0
/dev/loop3 /snap/core22/1380 squashfs ro,nodev,relatime 0 0
tmpfs /run/user/1000 tmpfs rw,nosuid,nodev 0 0
/dev/sdb1 /media/duc/KINGSTON vfat rw,nosuid,nodev,relatime,uid=1000 0 0
/dev/sdc1 /run/media/duc/USB\040CONG\040AN vfat rw,nosuid,nodev 0 0
/dev/mmcblk0p1 /mnt/the\040nho vfat rw 0 0
/dev/sda1 /home ext4 rw,relatime 0 0
/dev/sr0 /media/duc/CDROM iso9660 ro 0 0
"""
FLAGS = {"nvme0n1": "0\n", "sda": "0\n", "sdb": "1\n", "sdc": "0\n", "mmcblk0": "1\n",
         "sr0": "1\n", "loop3": "0\n"}  # fmt: skip


def test_removable_drives_are_found_in_the_mount_table() -> None:
    drives = parse_linux(MOUNTS, FLAGS)
    assert drives == [
        Drive("KINGSTON", Path("/media/duc/KINGSTON")),  # flagged removable
        Drive("the nho", Path("/mnt/the nho")),  # a memory card mounted by hand (flagged)
        Drive("USB CONG AN", Path("/run/media/duc/USB CONG AN")),  # mounted by the desktop
    ]  # not the system disks, snaps, tmpfs or the CD


def test_partitions_name_their_disk() -> None:
    assert [disk_of(d) for d in ("/dev/sdb1", "/dev/sdb", "/dev/mmcblk0p1", "/dev/nvme0n1p2",
                                 "/dev/nvme0n1", "/dev/vda3")] == [
        "sdb", "sdb", "mmcblk0", "nvme0n1", "nvme0n1", "vda"]  # fmt: skip


def test_nothing_mounted_is_an_empty_list() -> None:
    assert parse_linux("", {}) == []
    assert removable_drives(lambda: (_ for _ in ()).throw(OSError("no /proc"))) == []


class FakeKernel32:
    """GetLogicalDrives / GetDriveTypeW / GetVolumeInformationW of a PC with C:, E: (a stick
    named CONGAN) and F: (a card without a name)."""

    types: ClassVar[dict[str, int]] = {"C:\\": 3, "E:\\": 2, "F:\\": 2}

    def GetLogicalDrives(self) -> int:
        return (1 << 2) | (1 << 4) | (1 << 5)

    def GetDriveTypeW(self, root: str) -> int:
        return self.types[root]

    def GetVolumeInformationW(self, root: str, buffer: object, *rest: object) -> int:
        if root == "E:\\":
            buffer.value = "CONGAN"  # type: ignore[attr-defined]
            return 1
        return 0


def test_windows_removable_letters() -> None:
    assert windows_drives(FakeKernel32()) == [Drive("CONGAN (E:)", Path("E:\\")),
                                              Drive("F:", Path("F:\\"))]  # fmt: skip

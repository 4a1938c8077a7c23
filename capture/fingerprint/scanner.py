"""The fingerprint scanner interface: open, capture a finger or a slap, close.

Every backend (``simulator``, ``sbi``, ``folder``; a vendor SDK through ctypes later, see
ARCHITECTURE.md "Fingerprints") implements :class:`Scanner`. One thread owns a scanner (the
GUI's scanner worker): ``capture`` blocks until the print is taken, the timeout passes, the
finger is lifted too early, or ``cancel`` is set. States are reported through ``on_state`` so
the step can say "place the finger", "hold still", "finger lifted".

Images are 8-bit grey at 500 ppi, ridges dark on light (as scanners and WSQ deliver them).
A device that returns fingers already segmented (SBI does) fills ``Scan.fingers`` itself; a
backend that gets one slap image cuts it with :func:`capture.fingerprint.segment.segment_slap`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

import numpy as np

from capture.errors import CaptureError
from capture.fingerprint.fingers import Placement
from resources.i18n import N_

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for a finger (an elder at the bedside needs time to be helped)."""


class ScanState(StrEnum):
    WAITING = "waiting"  # place the finger(s) on the glass
    READING = "reading"  # a finger is on the glass: hold still
    LIFTED = "lifted"  # lifted before the print was taken
    DONE = "done"


@dataclass(frozen=True)
class DeviceInfo:
    """What the backend says about the device (shown to the officer, kept with the prints)."""

    backend: str  # "simulator" | "sbi" | "folder" | a vendor name
    model: str = ""
    serial: str = ""
    offers_slaps: bool = False


@dataclass(frozen=True)
class ScannedFinger:
    finger: int
    image: np.ndarray  # grey uint8, 500 ppi
    device_score: int | None = None  # the device's own quality score (SBI ``qualityScore``)


@dataclass(frozen=True)
class Scan:
    """The result of one placement: each finger found (a missing one is absent)."""

    placement: Placement
    fingers: dict[int, ScannedFinger]
    slap: np.ndarray | None = None  # the whole slap image when the device gave one
    extra: dict[str, str] = field(default_factory=dict)  # e.g. SBI's signed data, kept as is


class ScannerError(CaptureError):
    message = N_("The fingerprint scanner cannot be used.")


class ScannerNotFound(ScannerError):
    message = N_("No fingerprint scanner was found: check that it is plugged in and its "
                 "service is running.")  # fmt: skip


class ScannerDisconnected(ScannerError):
    message = N_("The fingerprint scanner stopped answering (unplugged?): reconnect it, or "
                 "take the prints from the scanner's image folder.")  # fmt: skip


class ScanTimeout(ScannerError):
    message = N_("No finger was placed within {seconds} seconds.")


class FingerLifted(ScannerError):
    message = N_("The finger was lifted too early: place it again and hold still.")


class ScanCancelled(ScannerError):
    message = N_("The capture was cancelled.")


StateCallback = Callable[[ScanState], None]
PreviewCallback = Callable[[np.ndarray], None]


class Scanner(ABC):
    """Open / capture / close. Not thread-safe: one thread owns a scanner."""

    backend: ClassVar[str] = ""

    @property
    @abstractmethod
    def is_open(self) -> bool: ...

    @abstractmethod
    def open(self) -> DeviceInfo:
        """Find and open the device; ScannerNotFound when there is none."""

    @abstractmethod
    def capture(
        self,
        placement: Placement,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        skip: Collection[int] = (),
        on_state: StateCallback | None = None,
        on_preview: PreviewCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Scan:
        """Take one placement. ``skip``: fingers of a slap not to expect (recorded missing).

        Raises ScanTimeout, FingerLifted, ScanCancelled, ScannerDisconnected.
        """

    @abstractmethod
    def close(self) -> None:
        """Release the device (safe to call twice)."""

    @property
    def offers_slaps(self) -> bool:
        return False

    def __enter__(self) -> Scanner:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

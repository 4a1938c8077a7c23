"""Which scanner a station uses, from its settings (``fingerprint_scanner``, ``_folder``).

- ``sbi``: a MOSIP SBI device service on 127.0.0.1 (most ID scanners' drivers ship one);
- ``folder``: the scanner vendor's own tool saving images into a folder;
- ``simulator``: synthetic prints (the demo station);
- ``auto``: an SBI device if one answers, else the folder when one is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from pathlib import Path

from capture.fingerprint.fingers import Placement
from capture.fingerprint.scanner import (
    DEFAULT_TIMEOUT,
    DeviceInfo,
    PreviewCallback,
    Scan,
    Scanner,
    ScannerNotFound,
    StateCallback,
)

KINDS = ("auto", "sbi", "folder", "simulator")


class AutoScanner(Scanner):
    """The first backend that opens: SBI, then the image folder (when set)."""

    backend = "auto"

    def __init__(self, candidates: list[Callable[[], Scanner]]) -> None:
        self._candidates = candidates
        self._inner: Scanner | None = None

    @property
    def is_open(self) -> bool:
        return self._inner is not None and self._inner.is_open

    @property
    def offers_slaps(self) -> bool:
        return self._inner is not None and self._inner.offers_slaps

    def open(self) -> DeviceInfo:
        last: Exception = ScannerNotFound()
        for make in self._candidates:
            scanner = make()
            try:
                info = scanner.open()
            except ScannerNotFound as exc:
                last = exc
                continue
            self._inner = scanner
            return info
        raise last

    def capture(
        self, placement: Placement, *, timeout: float = DEFAULT_TIMEOUT,
        skip: Collection[int] = (), on_state: StateCallback | None = None,
        on_preview: PreviewCallback | None = None, cancel: threading.Event | None = None,
    ) -> Scan:  # fmt: skip
        if self._inner is None:
            raise ScannerNotFound()
        return self._inner.capture(placement, timeout=timeout, skip=skip, on_state=on_state,
                                   on_preview=on_preview, cancel=cancel)  # fmt: skip

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
            self._inner = None


def folder_scanner(folder: str | Path) -> Scanner:
    from capture.fingerprint.folder import FolderScanner

    return FolderScanner(Path(folder))


def scanner_factory(kind: str, folder: str = "", *, demo_delay: float = 0.4
                    ) -> Callable[[], Scanner]:  # fmt: skip
    """A factory of the station's scanner (a new, unopened one each call)."""

    def sbi() -> Scanner:
        from capture.fingerprint.sbi import SbiScanner

        return SbiScanner()

    def simulator() -> Scanner:
        from capture.fingerprint.simulator import SimulatedScanner

        return SimulatedScanner(delay=demo_delay)

    if kind == "sbi":
        return sbi
    if kind == "simulator":
        return simulator
    if kind == "folder":
        return lambda: folder_scanner(folder)
    candidates: list[Callable[[], Scanner]] = [sbi]
    if folder:
        candidates.append(lambda: folder_scanner(folder))
    return lambda: AutoScanner(candidates)

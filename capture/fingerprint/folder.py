"""The image-folder backend: take the next print a scanner's own tool saves into a folder.

Many scanners come with a capture tool that saves each print as a BMP, PNG or WSQ file into a
folder; some stations have only that (no SBI service, no SDK), and it is the fallback when a
scanner's service stops answering mid-step (the step offers it). The officer takes the print
in the vendor's tool; the station waits for the file.

- :meth:`FolderScanner.open` notes the files already there: they are never taken (yesterday's
  prints). A file counts as new when its name was not there or its size or modification
  time changed since it was seen, so a tool that overwrites the same ``finger.bmp`` each time
  works too.
- :meth:`FolderScanner.capture` polls the folder every :data:`POLL_SECONDS` (no file-watching
  dependency; a USB stick or a network share does not always deliver change events anyway)
  for files ending ``.bmp``, ``.png`` or ``.wsq`` (any case; hidden files and the tool's
  temporary names are not), takes the oldest new one once its size and time have stayed
  the same for :data:`SETTLE_SECONDS` (the tool may still be writing it), and reads it with
  :func:`capture.fingerprint.storage.load_print`.
- A new file that cannot be read is not an error at once: a tool may pause while writing,
  so it is read again when it changes. Once it has stayed unchanged and unreadable for
  :data:`GRACE_SECONDS`, ``capture`` raises that file's
  :class:`~capture.errors.ImageReadError` (the officer sees "the file is cut short", "not a
  fingerprint image", … and the step offers to try again), and the file is marked seen: the
  next capture waits for another file rather than failing on it again.
- The folder gone (a USB stick pulled, a share dropped) or unreadable: ScannerDisconnected.
  No folder when opening: ScannerNotFound. ``timeout``: ScanTimeout. ``cancel`` set:
  ScanCancelled (checked between polls, so within :data:`POLL_SECONDS`).
- The tool gives no quality score: ``device_score`` is None.
- Slaps are off by default (``offers_slaps`` is False: a folder tool usually saves one
  finger); ``slaps=True`` takes a slap image and cuts it with
  :func:`capture.fingerprint.segment.segment_slap`.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from capture.errors import ImageReadError
from capture.fingerprint.fingers import Placement
from capture.fingerprint.scanner import (
    DEFAULT_TIMEOUT,
    DeviceInfo,
    PreviewCallback,
    Scan,
    ScanCancelled,
    ScannedFinger,
    Scanner,
    ScannerDisconnected,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
    StateCallback,
)
from capture.fingerprint.storage import load_print

log = logging.getLogger(__name__)

EXTENSIONS = frozenset({".bmp", ".png", ".wsq"})
POLL_SECONDS = 0.15
SETTLE_SECONDS = 0.3
"""A file whose size and time have not changed for this long is read."""
GRACE_SECONDS = 3.0
"""A settled file that cannot be read is reported once it has stayed unchanged this long (a
tool may pause while writing); a change before that and it is read again."""


@dataclass(frozen=True)
class _Seen:
    size: int
    mtime_ns: int


@dataclass
class _Watch:
    """A new file being watched: its last state and since when it has had it."""

    state: _Seen
    since: float
    failed: bool = False  # read once and failed: wait for a change or the grace time


class FolderScanner(Scanner):
    """Prints from the files a scanner tool saves into ``folder``."""

    backend = "folder"

    def __init__(
        self,
        folder: str | Path,
        *,
        slaps: bool = False,
        poll: float = POLL_SECONDS,
        settle: float = SETTLE_SECONDS,
        grace: float = GRACE_SECONDS,
    ) -> None:
        self.folder = Path(folder)
        self._slaps = slaps
        self._poll = poll
        self._settle = settle
        self._grace = max(grace, settle)
        self._seen: dict[str, _Seen] = {}
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def offers_slaps(self) -> bool:
        return self._slaps

    def open(self) -> DeviceInfo:
        if not self.folder.is_dir():
            raise ScannerNotFound()
        try:
            self._seen = self._listing()
        except OSError as exc:
            raise ScannerNotFound() from exc
        self._open = True
        log.info("image folder opened (%d files already there are ignored)", len(self._seen))
        return DeviceInfo(self.backend, model="image folder", offers_slaps=self._slaps)

    def close(self) -> None:
        self._open = False

    def _listing(self) -> dict[str, _Seen]:
        """The print files in the folder now (OSError when the folder cannot be listed)."""
        found = {}
        with os.scandir(self.folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(".") or Path(name).suffix.lower() not in EXTENSIONS:
                    continue
                try:
                    if not entry.is_file():
                        continue
                    st = entry.stat()
                except OSError:  # removed between the listing and the look
                    continue
                found[name] = _Seen(st.st_size, st.st_mtime_ns)
        return found

    def _look(self) -> dict[str, _Seen]:
        if not self.folder.is_dir():
            raise ScannerDisconnected()
        try:
            return self._listing()
        except OSError as exc:
            raise ScannerDisconnected() from exc

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
        if not self._open:
            raise RuntimeError("the image folder is not open")
        if placement.is_slap and not self._slaps:
            raise ValueError("this image folder is not set up for slaps")
        report = on_state or (lambda _state: None)
        report(ScanState.WAITING)
        name, image = self._next_print(time.monotonic() + timeout, timeout, report, cancel)
        scan = self._scan(placement, image, skip, name)
        report(ScanState.DONE)
        return scan

    def _next_print(
        self,
        deadline: float,
        timeout: float,
        report: StateCallback,
        cancel: threading.Event | None,
    ) -> tuple[str, np.ndarray]:
        """Poll until a new file has settled and been read."""
        watching: dict[str, _Watch] = {}
        while True:
            if cancel is not None and cancel.is_set():
                raise ScanCancelled()
            now = time.monotonic()
            files = self._look()
            new = {n: s for n, s in files.items() if self._seen.get(n) != s}
            for n in set(watching) - set(new):
                del watching[n]  # gone, or renamed by the tool
            for n, s in new.items():
                if n not in watching or watching[n].state != s:
                    if not watching:
                        report(ScanState.READING)
                    watching[n] = _Watch(s, now)
            for n, w in sorted(watching.items(), key=lambda item: item[1].state.mtime_ns):
                image = self._try(n, w, now)
                if image is not None:
                    return n, image
            if now >= deadline:
                raise ScanTimeout(seconds=f"{timeout:g}")
            wait = min(self._poll, max(0.0, deadline - now))
            if cancel is not None:
                cancel.wait(wait)
            else:
                time.sleep(wait)

    def _try(self, name: str, watch: _Watch, now: float) -> np.ndarray | None:
        """Read a file that has settled. None: not settled yet, or it failed to read but may
        still be completed (a tool that pauses while writing); the read is tried again when
        it changes or once :attr:`grace` has passed. ImageReadError: unchanged for ``grace``
        and still unreadable."""
        quiet = now - watch.since
        if quiet < self._settle or watch.state.size == 0 or (watch.failed and quiet < self._grace):
            return None
        try:
            image = load_print(self.folder / name)
        except ImageReadError:
            if quiet < self._grace:
                watch.failed = True
                return None
            self._seen[name] = watch.state  # do not fail on it again
            log.warning("image folder: a new file cannot be read")
            raise
        self._seen[name] = watch.state
        return image

    def _scan(
        self, placement: Placement, image: np.ndarray, skip: Collection[int], name: str
    ) -> Scan:
        extra = {"file": name}
        if not placement.is_slap:
            finger = placement.fingers[0]
            return Scan(placement, {finger: ScannedFinger(finger, image)}, extra=extra)
        segment = importlib.import_module("capture.fingerprint.segment")  # another part
        cut = segment.segment_slap(image, placement.fingers, skip)
        fingers = {
            f: (v if isinstance(v, ScannedFinger) else ScannedFinger(f, v))
            for f, v in dict(cut).items()
        }
        return Scan(placement, fingers, slap=image, extra=extra)

"""The image-folder backend against a real folder, with a thread playing the scanner's tool."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture.errors import ImageReadError
from capture.fingerprint import storage
from capture.fingerprint.fingers import Impression, Placement
from capture.fingerprint.folder import FolderScanner
from capture.fingerprint.scanner import (
    ScanCancelled,
    ScannerDisconnected,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
)
from tests.capture.other_prints import make_print

RIGHT_INDEX = Placement((2,), Impression.FLAT)


def _png(image: np.ndarray) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and float(np.corrcoef(a.ravel(), b.ravel())[0, 1]) > 0.9


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Ảnh vân tay"  # a Vietnamese folder name, as officers name them
    path.mkdir()
    return path


@pytest.fixture
def later() -> Iterator[Callable[[float, Callable[[], object]], None]]:
    """``later(seconds, action)``: run ``action`` in a thread after a while (the tool)."""
    threads: list[threading.Thread] = []

    def schedule(delay: float, action: Callable[[], object]) -> None:
        def run() -> None:
            time.sleep(delay)
            action()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        threads.append(thread)

    yield schedule
    for thread in threads:
        thread.join(10)


def _save(path: Path, data: bytes) -> Callable[[], None]:
    """What most tools do: write a temporary name, then rename."""

    def action() -> None:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    return action


def test_takes_the_next_new_file_not_the_old_ones(folder: Path, later: Callable) -> None:
    old, new = make_print("whorl", 1), make_print("loop", 2)
    (folder / "hôm qua.png").write_bytes(_png(old))
    (folder / "ghi chú.txt").write_text("not a print")
    states: list[ScanState] = []
    with FolderScanner(folder, poll=0.05, settle=0.1) as scanner:
        assert scanner.is_open and not scanner.offers_slaps
        later(0.2, _save(folder / "ngón trỏ phải.png", _png(new)))
        later(0.1, lambda: (folder / "notes.tmp").write_bytes(b"x"))
        scan = scanner.capture(RIGHT_INDEX, timeout=20, on_state=states.append)
    assert not scanner.is_open
    assert list(scan.fingers) == [2] and scan.placement == RIGHT_INDEX
    got = scan.fingers[2]
    assert got.finger == 2 and got.device_score is None and got.image.dtype == np.uint8
    assert _same(got.image, new) and not _same(got.image, old)
    assert scan.extra["file"] == "ngón trỏ phải.png"
    assert states[0] is ScanState.WAITING and states[-1] is ScanState.DONE
    assert ScanState.READING in states


def test_a_file_still_being_written_is_waited_for(folder: Path, later: Callable) -> None:
    data, fmt = storage.encode(make_print("arch", 3))
    assert fmt == "wsq"
    target = folder / "FINGER.WSQ"

    def slow_writer() -> None:
        with target.open("wb") as fh:
            fh.write(data[:3000])
            fh.flush()
            time.sleep(0.6)  # longer than the settle time below would allow
            fh.write(data[3000:])

    with FolderScanner(folder, poll=0.05, settle=0.2) as scanner:
        later(0.1, slow_writer)
        scan = scanner.capture(RIGHT_INDEX, timeout=20)
    assert _same(scan.fingers[2].image, make_print("arch", 3))


def test_the_same_name_overwritten_is_a_new_print(folder: Path, later: Callable) -> None:
    first, second = make_print("loop", 4), make_print("whorl", 5)
    target = folder / "finger.bmp"
    target.write_bytes(cv2.imencode(".bmp", first)[1].tobytes())
    with FolderScanner(folder, poll=0.05, settle=0.1) as scanner:
        later(0.2, _save(target, cv2.imencode(".bmp", second)[1].tobytes()))
        scan = scanner.capture(RIGHT_INDEX, timeout=20)
        assert _same(scan.fingers[2].image, second)
        with pytest.raises(ScanTimeout) as err:  # taken once: not again
            scanner.capture(RIGHT_INDEX, timeout=0.4)
    assert err.value.fields == {"seconds": "0.4"}


def test_an_unreadable_file_is_reported_then_skipped(folder: Path, later: Callable) -> None:
    good = make_print("loop", 6)
    with FolderScanner(folder, poll=0.05, settle=0.1, grace=0.3) as scanner:
        later(0.1, _save(folder / "hỏng.bmp", b"BM" + b"\x00" * 60))
        with pytest.raises(ImageReadError):
            scanner.capture(RIGHT_INDEX, timeout=20)
        later(0.1, _save(folder / "tốt.png", _png(good)))
        scan = scanner.capture(RIGHT_INDEX, timeout=20)  # the bad one is not taken again
    assert _same(scan.fingers[2].image, good)


def test_timeout_and_cancel(folder: Path, later: Callable) -> None:
    with FolderScanner(folder, poll=0.05) as scanner:
        with pytest.raises(ScanTimeout, match=r"0\.3 seconds"):
            scanner.capture(RIGHT_INDEX, timeout=0.3)
        cancel = threading.Event()
        later(0.2, cancel.set)
        with pytest.raises(ScanCancelled):
            scanner.capture(RIGHT_INDEX, timeout=30, cancel=cancel)


def test_the_folder_pulled_out_mid_capture(folder: Path, later: Callable) -> None:
    with FolderScanner(folder, poll=0.05) as scanner:
        later(0.2, lambda: shutil.rmtree(folder))
        with pytest.raises(ScannerDisconnected):
            scanner.capture(RIGHT_INDEX, timeout=30)


def test_no_folder_is_no_scanner(tmp_path: Path) -> None:
    with pytest.raises(ScannerNotFound):
        FolderScanner(tmp_path / "không có").open()
    (tmp_path / "a file").write_text("x")
    with pytest.raises(ScannerNotFound):
        FolderScanner(tmp_path / "a file").open()
    scanner = FolderScanner(tmp_path)
    with pytest.raises(RuntimeError):
        scanner.capture(RIGHT_INDEX, timeout=0.1)  # not opened
    info = scanner.open()
    assert info.backend == "folder" and not info.offers_slaps
    with pytest.raises(ValueError):
        scanner.capture(Placement((2, 3, 4, 5), Impression.SLAP), timeout=0.1)
    scanner.close()
    scanner.close()  # twice is fine

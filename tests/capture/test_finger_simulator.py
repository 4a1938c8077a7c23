"""The simulated scanner behaves as its docstring says: prints that score like real ones,
slaps with their fingers cut out, degraded and missing fingers, unplugging, cancel, timeout."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from capture.fingerprint.fingers import SLAPS, Impression, Placement, capture_plan
from capture.fingerprint.quality import assess_finger
from capture.fingerprint.scanner import (
    FingerLifted,
    ScanCancelled,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
)
from capture.fingerprint.simulator import SimulatedScanner, finger_pattern, slap_order

RIGHT_SLAP = Placement(SLAPS[0], Impression.SLAP)
THUMBS = Placement(SLAPS[2], Impression.SLAP)


def flat(finger: int) -> Placement:
    return Placement((finger,), Impression.FLAT)


def opened(**options: object) -> SimulatedScanner:
    scanner = SimulatedScanner(seed=7, **options)  # type: ignore[arg-type]
    info = scanner.open()
    assert info.backend == "simulator" and scanner.is_open
    return scanner


def test_device_info_and_closing() -> None:
    scanner = SimulatedScanner(seed=7, offers_slaps=False)
    assert not scanner.is_open
    info = scanner.open()
    assert info.serial == "SIM-0007" and info.offers_slaps is False
    assert scanner.offers_slaps is False
    scanner.close()
    scanner.close()  # twice is fine
    assert not scanner.is_open
    with pytest.raises(ScannerError):
        scanner.capture(flat(2))
    with pytest.raises(ScannerNotFound):
        SimulatedScanner(present=False).open()
    with SimulatedScanner(seed=1) as s:
        assert s.is_open
    assert not s.is_open


def test_each_attempt_is_a_new_impression_of_the_same_finger() -> None:
    scanner = opened()
    scans = [scanner.capture(flat(2)) for _ in range(3)]
    images = [s.fingers[2].image for s in scans]
    for s, img in zip(scans, images, strict=True):
        assert set(s.fingers) == {2} and s.slap is None
        assert img.shape == (500, 500) and img.dtype == np.uint8
        assert s.fingers[2].device_score is None
    assert not np.array_equal(images[0], images[1])
    scores = [assess_finger(img).score for img in images]
    assert all(v >= 60 for v in scores), scores
    again = opened().capture(flat(2)).fingers[2].image
    assert np.array_equal(again, images[0])  # the same seed, the same person


def test_patterns_per_finger() -> None:
    patterns = [finger_pattern(7, f) for f in range(1, 11)]
    assert patterns == [finger_pattern(7, f) for f in range(1, 11)]
    many = [finger_pattern(s, f) for s in range(40) for f in range(1, 11)]
    assert {"whorl", "arch", "right_loop", "left_loop"} <= set(many)
    right = [p for s in range(40) for f in (2, 3, 4, 5) if "loop" in (p := finger_pattern(s, f))]
    assert right.count("right_loop") > right.count("left_loop")  # ulnar loops


def test_a_slap_comes_whole_and_cut_into_fingers() -> None:
    scanner = opened()
    scan = scanner.capture(RIGHT_SLAP)
    assert scan.slap is not None and scan.slap.shape == (1000, 1600)
    assert set(scan.fingers) == {2, 3, 4, 5}
    for f, sf in scan.fingers.items():
        assert sf.finger == f and sf.device_score is None
        assert assess_finger(sf.image).score >= 60, f
    assert slap_order((7, 8, 9, 10)) == [10, 9, 8, 7]
    assert slap_order((1, 6)) == [6, 1]


def test_degraded_and_missing_fingers() -> None:
    scanner = opened(degraded={3: ("faded", 1.0)}, missing={5})
    scan = scanner.capture(RIGHT_SLAP, skip={4})
    assert set(scan.fingers) == {2, 3}  # 4 skipped, 5 missing
    q = assess_finger(scan.fingers[3].image)
    assert q.score <= 40 and q.reasons[0].code == "faded"
    assert assess_finger(scan.fingers[2].image).score >= 60
    again = assess_finger(scanner.capture(flat(3)).fingers[3].image)
    assert again.score <= 40  # every attempt
    blank = assess_finger(scanner.capture(flat(5)).fingers[5].image)
    assert blank.score <= 5 and blank.reasons[0].code == "no_finger"
    with pytest.raises(ValueError):
        SimulatedScanner(degraded={3: ("burnt", 1.0)})


def test_thumbs_and_rolled_prints() -> None:
    scanner = opened()
    scan = scanner.capture(THUMBS)
    assert scan.slap is not None and scan.slap.shape == (1000, 1000)
    assert set(scan.fingers) == {1, 6}
    rolled = scanner.capture(Placement((1,), Impression.ROLLED)).fingers[1].image
    assert rolled.shape == (500, 640)
    assert len(capture_plan(slaps=True, rolled=False)) == 3
    with pytest.raises(ValueError):
        opened(offers_slaps=False).capture(RIGHT_SLAP)


def test_unplugged_once_then_reopened() -> None:
    scanner = opened(disconnect_after=2)
    scanner.capture(flat(2))
    scanner.capture(flat(3))
    with pytest.raises(ScannerDisconnected):
        scanner.capture(flat(4))
    assert not scanner.is_open
    with pytest.raises(ScannerError):
        scanner.capture(flat(4))
    scanner.open()
    assert set(scanner.capture(flat(4)).fingers) == {4}
    scanner.capture(flat(5))  # plugged back in for good


def test_finger_lifted_once() -> None:
    scanner = opened(lift_on={2})
    states: list[ScanState] = []
    with pytest.raises(FingerLifted):
        scanner.capture(flat(2), on_state=states.append)
    assert states[-1] is ScanState.LIFTED
    assert set(scanner.capture(flat(2)).fingers) == {2}


def test_states_and_preview_frames_with_a_delay() -> None:
    scanner = opened(delay=0.05)
    states: list[ScanState] = []
    frames: list[np.ndarray] = []
    scan = scanner.capture(flat(2), on_state=states.append, on_preview=frames.append)
    assert states == [ScanState.WAITING, ScanState.READING, ScanState.DONE]
    assert len(frames) >= 3
    assert np.array_equal(frames[-1], scan.fingers[2].image)
    assert frames[0].std() < frames[-1].std()  # the finger presses onto the glass


def test_cancel_and_timeout() -> None:
    scanner = opened(delay=5.0)
    cancel = threading.Event()
    timer = threading.Timer(0.05, cancel.set)
    timer.start()
    try:
        with pytest.raises(ScanCancelled):
            scanner.capture(flat(2), cancel=cancel)
    finally:
        timer.cancel()
    with pytest.raises(ScanCancelled):
        scanner.capture(flat(2), cancel=cancel)  # already set: at once
    states: list[ScanState] = []
    with pytest.raises(ScanTimeout) as err:
        scanner.capture(flat(2), timeout=0.05, on_state=states.append)
    assert states == [ScanState.WAITING]
    assert str(err.value) == "No finger was placed within 0.05 seconds."

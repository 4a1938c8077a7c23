"""The live preview's tracker and the ``hint`` of assess(): same verdicts, found where it was."""

from __future__ import annotations

import numpy as np
import pytest

from capture.detect import rotate
from capture.quality import assess
from capture.report import Box, Mode, QualityReport, Severity
from capture.tracking import FaceTracker


def _verdicts(r: QualityReport) -> list[tuple[str, bool, Severity]]:
    """The blocking verdicts (the ``eyes`` warning may flicker behind glasses: CALIBRATION)."""
    return [(c.id, c.passed, c.severity) for c in r.checks if c.severity is Severity.FAIL]


def test_hint_gives_the_same_verdict_as_cold(good: np.ndarray, astronaut: np.ndarray) -> None:
    for img in (good, astronaut):
        cold = assess(img)
        warm = assess(img, hint=cold)
        assert warm.face is not None and cold.face is not None
        assert abs(warm.face.box.cx - cold.face.box.cx) < 0.1 * cold.face.box.w
        assert warm.accepted == cold.accepted
        assert warm.check("face_count").value == cold.check("face_count").value == 1


def test_hint_box_and_stale_hint(good: np.ndarray, chelsea: np.ndarray) -> None:
    cold = assess(good)
    assert cold.face is not None
    assert assess(good, hint=cold.face.box).face is not None
    # a hint where there is no face any more: searched cold, "no face" as without a hint
    r = assess(chelsea, hint=Box(10, 10, 80, 80))
    assert r.face is None and not r.check("face_count").passed
    # the face moved far from the hint (across a wide frame): found by the cold search
    h, w = good.shape[:2]
    left = np.full((h, 2 * w, 3), 228, np.uint8)
    right = left.copy()
    left[:, :w], right[:, w:] = good, good
    r = assess(right, hint=assess(left))
    assert r.face is not None and r.face.box.x > w


def test_hint_from_a_preview_of_another_size(good: np.ndarray) -> None:
    import cv2

    preview = cv2.resize(good, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    r = assess(good, hint=assess(preview))
    cold = assess(good)
    assert r.face is not None and cold.face is not None
    assert abs(r.face.box.w - cold.face.box.w) < 0.15 * cold.face.box.w


def test_hint_still_counts_a_second_face(two_faces: np.ndarray, good: np.ndarray) -> None:
    hint = assess(good)  # the left face is where the single face was
    c = assess(two_faces, hint=hint).check("face_count")
    assert not c.passed and c.value == 2


def test_tracker_follows_a_moving_face(good: np.ndarray) -> None:
    tracker = FaceTracker()
    cold = assess(good)
    for dx in range(0, 60, 12):  # the person shifts a little between frames
        r = tracker.assess(np.roll(good, dx, axis=1))
        assert r.face is not None and r.accepted == cold.accepted
        assert abs(r.face.box.cx - (cold.face.box.cx + dx)) < 0.1 * cold.face.box.w
    assert tracker.last is r


def test_tracker_counts_a_newcomer_within_recount_frames(
    good: np.ndarray, two_faces: np.ndarray
) -> None:
    tracker = FaceTracker(recount_every=4)
    tracker.assess(good)
    counts = [tracker.assess(two_faces).check("face_count").value for _ in range(4)]
    assert counts[-1] == 2
    # and keeps counting the second face between recounts
    assert [tracker.assess(two_faces).check("face_count").value for _ in range(3)] == [2, 2, 2]
    # the second person leaves: back to one face at once (its neighbourhood is empty)
    assert tracker.assess(good).check("face_count").value == 1


def test_tracker_loses_the_face_and_resets(good: np.ndarray, chelsea: np.ndarray) -> None:
    tracker = FaceTracker()
    assert tracker.assess(good).face is not None
    assert tracker.assess(chelsea).face is None and tracker.last is None
    assert tracker.assess(good).face is not None


def test_tracker_bedridden_keeps_the_rotation(good: np.ndarray) -> None:
    tracker = FaceTracker(Mode.BEDRIDDEN)
    img = rotate(good, 90)
    first = tracker.assess(img)
    again = tracker.assess(img)
    assert first.rotation == again.rotation == 270
    assert _verdicts(first) == _verdicts(again)
    tracker.mode = Mode.NORMAL  # switching mode starts afresh
    assert tracker.last is None
    assert not tracker.assess(img).check("orientation").passed


def test_tracker_rejects_a_bad_recount() -> None:
    with pytest.raises(ValueError):
        FaceTracker(recount_every=0)

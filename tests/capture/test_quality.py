"""assess() on real faces and the hard cases made from them: each check fails and passes."""

from __future__ import annotations

import numpy as np
import pytest

from capture.detect import rotate
from capture.quality import assess
from capture.report import CHECK_IDS, Mode, Severity


def _check(img: np.ndarray, check_id: str, mode: Mode = Mode.NORMAL):
    return assess(img, mode).check(check_id)


def test_good_portrait_is_accepted_with_all_checks(good: np.ndarray) -> None:
    r = assess(good)
    assert r.accepted
    assert tuple(c.id for c in r.checks) == CHECK_IDS
    assert r.rotation == 0 and not r.bedridden and r.face is not None
    for c in r.checks:
        assert c.severity in (Severity.FAIL, Severity.WARN)
        assert c.instruction.vi and c.instruction.en and c.instruction.vi != c.instruction.en
    d = r.to_dict()
    assert d["accepted"] is True and len(d["checks"]) == 10
    assert set(d["checks"][0]["instruction"]) == {"vi", "en"}


@pytest.mark.parametrize("name", ["chelsea", "coffee"])
def test_no_face_in_cat_or_coffee(name: str, request: pytest.FixtureRequest) -> None:
    r = assess(request.getfixturevalue(name))
    assert not r.accepted and r.face is None
    assert r.check("face_count").value == 0 and not r.check("face_count").passed


def test_two_faces_fail_one_face_passes(two_faces: np.ndarray, good: np.ndarray) -> None:
    c = _check(two_faces, "face_count")
    assert not c.passed and c.value == 2 and "2" in c.instruction.en
    assert _check(good, "face_count").passed


def test_face_too_far_fails_face_size(far: np.ndarray, good: np.ndarray) -> None:
    c = _check(far, "face_size")
    assert not c.passed and c.severity is Severity.FAIL and c.value < 60
    assert "closer" in c.instruction.en
    assert _check(good, "face_size").passed


def test_face_at_edge_fails_framing(at_edge: np.ndarray, good: np.ndarray) -> None:
    c = _check(at_edge, "framing")
    assert not c.passed and "above the head" in c.instruction.en
    assert _check(good, "framing").passed


def test_head_roll(tilted: np.ndarray, astronaut: np.ndarray) -> None:
    c = _check(tilted, "head_roll")
    assert not c.passed and abs(c.value) > 8
    ok = _check(astronaut, "head_roll")
    assert ok.passed and ok.measured and abs(ok.value) <= 8


@pytest.mark.parametrize(
    ("sigma", "passed", "severity"), [(1, True, None), (2, False, "warn"), (3, False, "fail")]
)
def test_sharpness_on_blur(
    blurred: dict[int, np.ndarray], sigma: int, passed: bool, severity: str | None
) -> None:
    c = _check(blurred[sigma], "sharpness")
    assert c.passed is passed
    if severity:
        assert c.severity.value == severity


def test_sharp_face_passes(good: np.ndarray) -> None:
    assert _check(good, "sharpness").passed


def test_too_dark_says_too_dark_not_no_face(dark: np.ndarray, pitch_dark: np.ndarray) -> None:
    for img in (dark, pitch_dark):
        r = assess(img)
        assert not r.accepted
        assert not r.check("exposure").passed
        assert r.primary is not None
        assert "dark" in r.primary.instruction.en.lower()
        assert "tối" in r.primary.instruction.vi
        assert "No face found" not in r.check("face_count").instruction.en


def test_too_bright_fails_exposure(bright: np.ndarray, good: np.ndarray) -> None:
    c = _check(bright, "exposure")
    assert not c.passed and "bright" in c.instruction.en.lower()
    assert _check(good, "exposure").passed


def test_side_light_fails_lighting(side_lit: np.ndarray, good: np.ndarray) -> None:
    r = assess(side_lit)
    c = r.check("lighting")
    assert not c.passed and c.value < 0.5 and "left" in c.instruction.en
    assert r.primary is not None and r.primary.id == "lighting"
    assert _check(good, "lighting").passed


def test_busy_background_fails_normal_warns_bedridden(
    busy_background: np.ndarray, good: np.ndarray
) -> None:
    c = _check(busy_background, "background")
    assert not c.passed and c.severity is Severity.FAIL
    b = _check(busy_background, "background", Mode.BEDRIDDEN)
    assert not b.passed and b.severity is Severity.WARN
    assert _check(good, "background").passed


def test_eyes_warn_when_covered(eyes_covered: np.ndarray, astronaut: np.ndarray) -> None:
    c = _check(eyes_covered, "eyes")
    assert not c.passed and c.severity is Severity.WARN
    assert _check(astronaut, "eyes").passed


@pytest.mark.parametrize("turned", [90, 180, 270])
def test_bedridden_finds_rotated_face(good: np.ndarray, turned: int) -> None:
    img = rotate(good, turned)  # the camera held above a person lying down
    r = assess(img, Mode.BEDRIDDEN)
    assert r.rotation == (360 - turned) % 360
    assert r.bedridden and r.to_dict()["bedridden"] is True
    assert r.check("orientation").passed and r.check("face_count").passed
    assert r.frame_size == (good.shape[1], good.shape[0])


@pytest.mark.parametrize("turned", [90, 180, 270])
def test_true_face_beats_false_faces_in_other_rotations(astronaut: np.ndarray, turned: int) -> None:
    # the astronaut upside down is also "a face" to the cascade; the verified one must win
    r = assess(rotate(astronaut, turned), Mode.BEDRIDDEN)
    assert r.rotation == (360 - turned) % 360


def test_normal_mode_rotated_face_fails_orientation(good: np.ndarray) -> None:
    c = _check(rotate(good, 90), "orientation")
    assert not c.passed and c.value == 270 and "bedridden" in c.instruction.en
    assert _check(good, "orientation").passed


def test_grey_and_bgra_frames_are_accepted(good: np.ndarray) -> None:
    import cv2

    assert assess(cv2.cvtColor(good, cv2.COLOR_BGR2GRAY)).face is not None
    assert assess(cv2.cvtColor(good, cv2.COLOR_BGR2BGRA)).face is not None


@pytest.mark.parametrize("bad", [np.zeros((0, 0, 3), np.uint8), np.zeros((4, 4), np.float32)])
def test_not_a_frame_is_a_value_error(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        assess(bad)

"""The fingerprint score on real synthetic prints: good ones pass, each degradation fails with
its own first reason, the score falls with the strength, rotation and shifts cost nothing."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from capture.fingerprint import synth
from capture.fingerprint.features import analyse, foreground_mask
from capture.fingerprint.quality import DEFAULT_THRESHOLD, REASONS, FingerQuality, assess_finger

PATTERNS = synth.PATTERNS
FIRST_REASON = {
    "faded": "faded",
    "dry": "dry",
    "wet": "wet",
    "smudged": "smudged",
    "partial": "partial",
    "scarred": "scar",
    "noise": "noisy",
}
STRENGTHS = np.linspace(0.0, 1.0, 9)


@cache
def good(pattern: str = "right_loop", seed: int = 1) -> np.ndarray:
    img = synth.make_print(pattern, seed=seed)
    img.setflags(write=False)
    return img


def score(img: np.ndarray) -> FingerQuality:
    return assess_finger(img)


@cache
def good_score(pattern: str = "right_loop", seed: int = 1) -> int:
    return score(good(pattern, seed)).score


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Rank correlation, ties given their mean rank."""

    def ranks(v: np.ndarray) -> np.ndarray:
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(len(v), dtype=float)
        for value in np.unique(v):
            same = v == value
            r[same] = r[same].mean()
        return r

    rx, ry = ranks(np.asarray(x, float)), ranks(np.asarray(y, float))
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("seed", [1, 2])
def test_good_prints_of_every_pattern_pass(pattern: str, seed: int) -> None:
    q = score(good(pattern, seed))
    assert q.score >= 60, (q.score, q.features)
    assert q.passed() and q.passed(DEFAULT_THRESHOLD)
    assert not [r for r in q.reasons if r.code != "rotated"]


@pytest.mark.parametrize("kind", synth.DEGRADATIONS)
@pytest.mark.parametrize("pattern", ["right_loop", "whorl"])
def test_full_strength_degradation_fails_with_its_reason(kind: str, pattern: str) -> None:
    q = score(synth.degrade(good(pattern), kind, 1.0, seed=1))
    assert q.score <= 40, (kind, q.score)
    assert not q.passed()
    assert q.reasons and q.reasons[0].code == FIRST_REASON[kind], (kind, q.reasons)


@pytest.mark.parametrize("kind", synth.DEGRADATIONS)
def test_score_falls_with_the_strength(kind: str) -> None:
    img = good("left_loop", 2)
    scores = [score(synth.degrade(img, kind, s, seed=2)).score for s in STRENGTHS]
    assert spearman(STRENGTHS, np.array(scores)) <= -0.8, (kind, scores)
    assert scores[0] >= 60 and scores[-1] <= 40


@pytest.mark.parametrize("degrees", [-30, -15, 15, 30, 90, 180, 270])
@pytest.mark.parametrize("pattern", ["arch", "whorl"])
def test_a_turned_finger_keeps_its_score(degrees: int, pattern: str) -> None:
    """Bedridden mode: the scanner lies any way on the bed."""
    base = good_score(pattern)
    turned = score(synth.rotate(good(pattern), degrees))
    assert abs(turned.score - base) <= 10, (degrees, base, turned.score)


def test_turning_is_advised_but_costs_nothing() -> None:
    q = score(synth.rotate(good("tented_arch"), 90))
    assert q.score >= 60
    assert [r.code for r in q.reasons] == ["rotated"]
    assert "rotated" not in [r.code for r in score(good("tented_arch")).reasons]


@pytest.mark.parametrize("shift", [(40, 0), (-40, 0), (0, 30), (0, -30), (30, -25)])
def test_a_shifted_finger_keeps_its_score(shift: tuple[int, int]) -> None:
    base = good_score()
    moved = score(synth.translate(good(), *shift))
    assert abs(moved.score - base) <= 10, (shift, base, moved.score)


@pytest.mark.parametrize("level", [0, 128, 238, 255])
def test_blank_glass_is_no_finger(level: int) -> None:
    rng = np.random.default_rng(level)
    glass = np.clip(rng.normal(level, 1.5, (500, 500)), 0, 255).astype(np.uint8)
    q = score(glass)
    assert q.score <= 5
    assert [r.code for r in q.reasons] == ["no_finger"]
    assert not foreground_mask(glass).any()


@pytest.mark.parametrize("period", [(7.0, 8.0), (9.0, 10.0), (11.0, 12.0)])
def test_ridge_periods_of_real_fingers_pass(period: tuple[float, float]) -> None:
    assert score(synth.make_print("right_loop", seed=4, period=period)).score >= 60


@pytest.mark.parametrize("background", [230.0, 255.0, 185.0, 200.0])
def test_white_and_grey_glass_pass(background: float) -> None:
    assert score(synth.make_print("whorl", seed=1, background=background)).score >= 60


@pytest.mark.parametrize("size", [(400, 500), (640, 480), (480, 640)])
def test_other_image_sizes(size: tuple[int, int]) -> None:
    assert score(synth.make_print("left_loop", seed=6, size=size)).score >= 60


def test_a_tight_crop_is_not_partial() -> None:
    q = score(good()[50:450, 100:400])  # 400×300: the finger fills the picture
    assert q.score >= 60 and "partial" not in [r.code for r in q.reasons]


def test_a_dark_scanner_frame_is_not_the_finger() -> None:
    img = good().copy()
    img[:25], img[-30:], img[:, :20], img[:, -22:] = 8, 12, 5, 10
    q = score(img)
    assert q.score >= 60
    mask = foreground_mask(img)
    assert not mask[:25].any() and not mask[:, :20].any()
    assert abs(q.score - good_score()) <= 10


def test_foreground_mask_covers_the_finger_only() -> None:
    img = good()
    mask = foreground_mask(img)
    assert mask.shape == img.shape and mask.dtype == bool
    assert not mask[:, :40].any() and not mask[:, -40:].any()
    assert mask[200:300, 200:300].all()
    assert 0.3 < mask.mean() < 0.7
    assert foreground_mask(img, block=16).shape == img.shape


def test_features_are_reported_and_reasons_speak_both_languages() -> None:
    q = score(synth.degrade(good(), "faded", 1.0, seed=1))
    d = q.to_dict()
    assert set(d) == {"score", "passed", "reasons", "features"}
    assert d["passed"] is False and d["score"] == q.score
    first = d["reasons"][0]
    assert first["code"] == "faded" and first["en"] == REASONS["faded"]
    assert first["vi"] == "Vân tay mờ: ấn mạnh hơn, làm ẩm đầu ngón tay"
    for key in ("area", "period", "u_clarity", "u_coherence", "u_contrast", "darkness"):
        assert key in d["features"]
    assert 8.0 <= d["features"]["period"] <= 11.5  # the generator's 8–11 px ridges, measured


def test_block_features_measure_the_ridges() -> None:
    b = analyse(good())
    fg = b.foreground
    assert np.nanmedian(b.period[fg]) == pytest.approx(9.5, abs=1.0)
    assert np.median(b.coherence[fg]) > 0.8 and np.median(b.clarity[fg]) > 0.5
    assert np.isnan(b.period[~fg]).all()


def test_odd_inputs() -> None:
    with pytest.raises(ValueError):
        assess_finger(np.zeros((500, 500, 3), np.uint8))
    tiny = assess_finger(np.zeros((20, 20), np.uint8))
    assert tiny.score == 0 and [r.code for r in tiny.reasons] == ["no_finger"]
    assert score(good().astype(np.float64)).score == good_score()

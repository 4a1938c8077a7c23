"""The second synthetic generator (tests/capture/other_prints.py): sanity only, no scores."""

from __future__ import annotations

import numpy as np
import pytest

from tests.capture.other_prints import DEGRADATIONS, PATTERNS, degrade, make_print


def _ridge_period(image: np.ndarray) -> float:
    """The dominant period (px) of a 128×128 patch in the middle of the finger, from the peak
    of its 2-D spectrum."""
    dark = image < np.percentile(image, 50)
    ys, xs = np.nonzero(dark)
    cy, cx = int(np.median(ys)), int(np.median(xs))
    patch = image[cy - 64 : cy + 64, cx - 64 : cx + 64].astype(np.float64)
    patch = (patch - patch.mean()) * np.outer(np.hanning(128), np.hanning(128))
    power = np.abs(np.fft.fftshift(np.fft.fft2(patch, (512, 512)))) ** 2  # padded: finer bins
    fy, fx = np.mgrid[-256:256, -256:256]
    radius = np.hypot(fx, fy)
    power[radius < 16] = 0  # the pressure gradient, not ridges
    peak = np.unravel_index(int(np.argmax(power)), power.shape)
    return 512.0 / float(radius[peak])


@pytest.mark.parametrize("pattern", PATTERNS)
def test_prints_look_like_prints(pattern: str) -> None:
    img = make_print(pattern, seed=3)
    assert img.shape == (500, 500) and img.dtype == np.uint8
    assert np.array_equal(img, make_print(pattern, seed=3))  # deterministic
    assert not np.array_equal(img, make_print(pattern, seed=4))
    corners = np.concatenate([img[:20, :20].ravel(), img[:20, -20:].ravel()])
    assert 205 <= float(np.median(corners)) <= 255  # light glass around the finger
    assert float(np.percentile(img, 2)) < 120  # dark ridges
    assert 7.5 <= _ridge_period(img) <= 12.0


def test_size_and_period_are_chosen() -> None:
    img = make_print("whorl", seed=1, size=(480, 640))
    assert img.shape == (480, 640)
    assert 8.0 <= _ridge_period(make_print("arch", seed=2, period=9.0)) <= 10.5
    backgrounds = {round(float(np.median(make_print("loop", s)[:30, :30]))) for s in range(6)}
    assert len(backgrounds) > 2 and all(205 <= b <= 252 for b in backgrounds)
    with pytest.raises(ValueError):
        make_print("tented", 0)


@pytest.mark.parametrize("kind", DEGRADATIONS)
def test_degradations_grow_with_strength(kind: str) -> None:
    img = make_print("loop", seed=5)
    assert np.array_equal(degrade(img, kind, 0.0), img)
    changes = []
    for s in (0.25, 0.5, 1.0):
        out = degrade(img, kind, s, seed=2)
        assert out.shape == img.shape and out.dtype == np.uint8
        assert np.array_equal(out, degrade(img, kind, s, seed=2))
        changes.append(float(np.mean(np.abs(out.astype(np.int16) - img))))
    assert 0 < changes[0] < changes[2], changes
    with pytest.raises(ValueError):
        degrade(img, "burnt", 0.5)

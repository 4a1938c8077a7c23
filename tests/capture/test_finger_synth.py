"""The synthetic print generator: deterministic, ridges dark on light at 500 ppi periods,
degradations that leave strength 0 alone, slaps laid out as on a ten-print card."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from capture.fingerprint import synth
from capture.fingerprint.features import analyse


@cache
def loop() -> np.ndarray:
    img = synth.make_print("right_loop", seed=1)
    img.setflags(write=False)
    return img


def test_a_print_is_grey_ridges_dark_on_light_and_deterministic() -> None:
    img = loop()
    assert img.shape == (500, 500) and img.dtype == np.uint8
    assert np.array_equal(img, synth.make_print("right_loop", seed=1))
    assert not np.array_equal(img, synth.make_print("right_loop", seed=2))
    glass = np.median(np.concatenate([img[:10].ravel(), img[:, :10].ravel()]))
    centre = img[200:300, 200:300]
    assert glass > 225
    assert np.percentile(centre, 10) < 110 < np.percentile(centre, 90)  # ridges and valleys
    assert synth.make_print("loop", seed=1).shape == (500, 500)
    # the ridges themselves (make_print keeps them in a cache) grow the same from the seed
    theta = synth.orientation_field("whorl", (128, 128), seed=3)
    per = synth.period_map((128, 128), seed=3)
    assert np.array_equal(synth.grow_ridges(theta, per, 3), synth.grow_ridges(theta, per, 3))


def test_ridge_period_follows_the_request() -> None:
    for lo, hi in ((7.0, 8.0), (11.0, 12.0)):
        b = analyse(synth.make_print("arch", seed=3, period=(lo, hi)))
        measured = float(np.nanmedian(b.period[b.foreground]))
        assert lo - 0.75 <= measured <= hi + 0.75, (lo, hi, measured)


def test_shapes_and_backgrounds() -> None:
    img = synth.make_print("whorl", seed=1, size=(400, 640), background=190.0)
    assert img.shape == (400, 640)
    assert abs(float(np.median(img[:8])) - 190.0) < 5


def test_orientation_fields_differ_by_pattern() -> None:
    fields = {p: synth.orientation_field(p, (200, 200), seed=0) for p in synth.PATTERNS}
    for p, f in fields.items():
        assert f.shape == (200, 200) and f.min() >= 0 and f.max() < np.pi, p
    assert not np.allclose(fields["left_loop"], fields["right_loop"])
    with pytest.raises(ValueError):
        synth.orientation_field("spiral", (100, 100))


@pytest.mark.parametrize("kind", synth.DEGRADATIONS)
def test_degradations(kind: str) -> None:
    img = loop()
    assert np.array_equal(synth.degrade(img, kind, 0.0), img)
    full = synth.degrade(img, kind, 1.0, seed=4)
    assert full.shape == img.shape and full.dtype == np.uint8
    assert not np.array_equal(full, img)
    assert np.array_equal(full, synth.degrade(img, kind, 1.0, seed=4))


def test_degradations_look_like_their_names() -> None:
    img = loop()
    centre = (slice(150, 350), slice(150, 350))
    base = img[centre].astype(float)
    assert synth.degrade(img, "faded", 1.0)[centre].mean() > base.mean() + 40  # lighter
    assert synth.degrade(img, "wet", 1.0)[centre].mean() < base.mean() - 20  # darker
    assert synth.degrade(img, "smudged", 1.0)[centre].std() < base.std() / 3  # blurred
    noisy = synth.degrade(img, "noise", 1.0).astype(float)
    assert np.abs(np.diff(noisy, axis=1)).mean() > 2 * np.abs(np.diff(img.astype(float), 1)).mean()
    with pytest.raises(ValueError):
        synth.degrade(img, "burnt", 0.5)


def test_rotate_and_translate() -> None:
    img = loop()
    assert np.array_equal(synth.rotate(img, 90), np.rot90(img))
    turned = synth.rotate(img, 20)
    assert turned.shape == img.shape and abs(int(turned[0, 0]) - int(img[0, 0])) < 10
    moved = synth.translate(img, 30, -10)
    assert np.array_equal(moved[100:400, 130:400], img[110:410, 100:370])


def test_a_slap_of_four_and_of_two_thumbs() -> None:
    tips = [synth.make_print(p, seed=i) for i, p in
            enumerate(("right_loop", "whorl", "right_loop", "arch"))]
    four = synth.slap(tips, seed=1)
    assert four.image.shape == (1000, 1600) and four.image.dtype == np.uint8
    assert len(four.boxes) == 4 and len(four.tilts) == 4
    xs = [x for x, _, _, _ in four.boxes]
    assert xs == sorted(xs)
    for (x0, _, w0, _), (x1, _, _, _) in zip(four.boxes, four.boxes[1:], strict=False):
        assert x0 + w0 <= x1 + 5  # side by side, not on top of each other
    middle, little = four.boxes[1], four.boxes[3]
    assert middle[1] < little[1]  # the middle finger reaches highest, the little one lowest
    assert four.tilts[0] > 0 > four.tilts[3]  # fanned out
    thumbs = synth.slap(tips[:2], seed=1)
    assert thumbs.image.shape == (1000, 1000) and len(thumbs.boxes) == 2
    gap = synth.slap(tips[:3], seed=1, slots=[0, 1, 3], n_slots=4)
    assert gap.image.shape == (1000, 1600) and gap.boxes[2][0] > 1100
    with pytest.raises(ValueError):
        synth.slap(tips + tips[:1])

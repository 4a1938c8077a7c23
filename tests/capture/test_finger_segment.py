"""Slap segmentation on synthetic slaps: fingertips as long ellipses of concentric ridges
(period 9 px, dark on light) on a 1600×1000 glass, tilted like a hand's fingers fan out, cut
by a crease, one missing, touching, and the whole slap turned as on a bed."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from capture.fingerprint.fingers import SLAPS
from capture.fingerprint.segment import (
    LATERAL,
    MIN_OUTPUT,
    segment_slap,
    segment_slap_detailed,
)

GLASS = 232  # the platen's grey
H, W = 1000, 1600


@dataclass(frozen=True)
class Tip:
    """A synthetic finger: ``centre`` of its fingertip ellipse, ``width``, ``tilt`` (degrees,
    clockwise from up), ``reach``: how far it runs below the fingertip (×width)."""

    centre: tuple[float, float]
    width: float
    tilt: float
    reach: float = 1.4


# Where a right hand's fingers lie, tips up (index … little, left to right): the middle finger
# reaches furthest, the little finger is shortest, the fingers fan out from the palm.
RIGHT_HAND = (
    Tip((330, 360), 290, -7),
    Tip((700, 260), 300, -2),
    Tip((1060, 320), 285, 3),
    Tip((1390, 480), 245, 9, 1.2),
)
THUMBS_LAYOUT = (Tip((520, 420), 360, 6), Tip((1080, 420), 360, -6))  # left thumb, right thumb


def draw(tips: dict[int, Tip], shape: tuple[int, int] = (H, W), seed: int = 1,
         crease: bool = True) -> np.ndarray:  # fmt: skip
    """Fingers with concentric ridges (a core below the tip), a light crease at the end of
    the distal phalanx, on a slightly noisy glass (drawn once per layout)."""
    return _draw(tuple(sorted(tips.items())), shape, seed, crease).copy()


@functools.cache
def _draw(tips: tuple[tuple[int, Tip], ...], shape: tuple[int, int], seed: int,
          crease: bool) -> np.ndarray:  # fmt: skip
    rng = np.random.default_rng(seed)
    img = np.full(shape, float(GLASS), np.float32)
    for _f, tip in tips:
        a = math.radians(tip.tilt)
        up = (math.sin(a), -math.cos(a))  # towards the fingertip
        ends = [(tip.centre[0] + t * up[0] - s * up[1], tip.centre[1] + t * up[1] + s * up[0])
                for t in (0.7 * tip.width, -tip.reach * tip.width)
                for s in (-0.6 * tip.width, 0.6 * tip.width)]  # fmt: skip
        x0 = max(0, int(min(e[0] for e in ends)))
        x1 = min(shape[1], int(max(e[0] for e in ends)) + 1)
        y0 = max(0, int(min(e[1] for e in ends)))
        y1 = min(shape[0], int(max(e[1] for e in ends)) + 1)
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        dx, dy = xx - tip.centre[0], yy - tip.centre[1]
        along = dx * up[0] + dy * up[1]
        side = dy * up[0] - dx * up[1]
        half, cap = tip.width / 2, 0.65 * tip.width
        inside = np.where(along >= 0, (side / half) ** 2 + (along / cap) ** 2 <= 1,
                          (np.abs(side) <= half * (1 + 0.04 * along / tip.width))
                          & (along >= -tip.reach * tip.width))  # fmt: skip
        core = (tip.centre[0] - 0.2 * tip.width * up[0], tip.centre[1] - 0.2 * tip.width * up[1])
        ridges = 128 + 78 * np.cos((2 * math.pi / 9.0) * np.hypot(xx - core[0], yy - core[1]))
        if crease:
            ridges[np.abs(along - (cap - 1.25 * tip.width)) < 7] = GLASS
        window = img[y0:y1, x0:x1]
        window[inside] = ridges[inside]
    img += rng.normal(0, 2.0, shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def hand(fingers: tuple[int, ...], layout: tuple[Tip, ...] = RIGHT_HAND) -> dict[int, Tip]:
    """The layout's tips named left to right by the placement's fingers (see LATERAL)."""
    order = sorted(fingers, key=LATERAL.index)
    return dict(zip(order, layout, strict=True))


def turned(img: np.ndarray, where: dict[int, tuple[float, float]], quarter_turns: int) -> tuple[
        np.ndarray, dict[int, tuple[float, float]]]:  # fmt: skip
    """The slap turned by 90° steps counter-clockwise (np.rot90) and where its points went."""
    out = img
    for _ in range(quarter_turns % 4):
        w = out.shape[1]
        out = np.rot90(out)
        where = {f: (y, w - 1 - x) for f, (x, y) in where.items()}
    return np.ascontiguousarray(out), where


def centres(tips: dict[int, Tip]) -> dict[int, tuple[float, float]]:
    return {f: t.centre for f, t in tips.items()}


def check(result: dict, truth: dict[int, tuple[float, float]], width: float = 245) -> None:
    """Each finger found, and its fingertip box centred on that finger's tip."""
    assert sorted(result) == sorted(truth)
    for f, seg in result.items():
        assert math.dist(seg.centre, truth[f]) < 0.35 * width, (f, seg.centre, truth[f])


@pytest.mark.parametrize("fingers", SLAPS)
def test_each_slap_names_its_fingers_left_to_right(fingers: tuple[int, ...]) -> None:
    tips = hand(fingers, THUMBS_LAYOUT if len(fingers) == 2 else RIGHT_HAND)
    check(segment_slap_detailed(draw(tips), fingers), centres(tips))


def test_convention_right_index_left_and_left_index_right() -> None:
    """The right hand's index is the leftmost finger, the left hand's the rightmost; the
    left thumb is on the left (NIST SlapSeg III's layout, fingertips up)."""
    assert [f for f in LATERAL if f in SLAPS[0]] == [2, 3, 4, 5]
    assert [f for f in LATERAL if f in SLAPS[1]] == [10, 9, 8, 7]
    assert [f for f in LATERAL if f in SLAPS[2]] == [6, 1]


@pytest.mark.parametrize("quarter_turns", [1, 2, 3])
def test_a_slap_turned_on_the_bed(quarter_turns: int) -> None:
    tips = hand(SLAPS[0])
    img, where = turned(draw(tips), centres(tips), quarter_turns)
    res = segment_slap_detailed(img, SLAPS[0])
    check(res, where)
    up = {0: 0.0, 1: 270.0, 2: 180.0, 3: 90.0}[quarter_turns]  # the slap's "up" after turning
    for f, seg in res.items():
        tilt = (seg.angle - up - tips[f].tilt + 180) % 360 - 180
        assert abs(tilt) < 8, (f, seg.angle)


def test_a_slap_at_an_odd_angle() -> None:
    """Turned 35° inside a bigger glass: no border cuts the fingers, the arc of the tips and
    the room before the border tell which way they point."""
    tips = hand(SLAPS[1])
    img = draw(tips)
    size = (1500, 1800)
    rot = cv2.getRotationMatrix2D((W / 2, H / 2), 35, 1.0)
    rot[:, 2] += ((size[1] - W) / 2, (size[0] - H) / 2)
    out = cv2.warpAffine(img, rot, (size[1], size[0]), borderValue=GLASS)
    where = {f: tuple(rot @ np.array([*t.centre, 1.0])) for f, t in tips.items()}
    check(segment_slap_detailed(out, SLAPS[1]), where)


def test_fingers_cut_by_the_border_at_the_palm() -> None:
    """Fingers run off the glass at the bottom (as on a real slap scanner); turned upside
    down the border still says where the palm is."""
    long = {f: Tip((t.centre[0], t.centre[1] + 60), t.width, t.tilt * 0.4, 3.0)
            for f, t in hand(SLAPS[0]).items()}  # fmt: skip
    img = draw(long)
    assert (img[-1] < 200).sum() > 400  # the fingers do reach the bottom edge
    check(segment_slap_detailed(img, SLAPS[0]), centres(long))
    img2, where = turned(img, centres(long), 2)
    check(segment_slap_detailed(img2, SLAPS[0]), where)


def test_a_missing_finger_is_named_by_the_gap_it_leaves() -> None:
    tips = hand(SLAPS[0])
    without_ring = {f: t for f, t in tips.items() if f != 4}
    img = draw(without_ring)
    check(segment_slap_detailed(img, SLAPS[0]), centres(without_ring))  # not expected, found
    check(segment_slap_detailed(img, SLAPS[0], skip={4}), centres(without_ring))


def test_a_missing_finger_at_the_end_of_a_turned_left_hand() -> None:
    tips = hand(SLAPS[1])
    no_little = {f: t for f, t in tips.items() if f != 10}
    img, where = turned(draw(no_little), centres(no_little), 1)
    check(segment_slap_detailed(img, SLAPS[1], skip={10}), where)


def test_a_skipped_finger_placed_anyway_is_not_returned() -> None:
    tips = hand(SLAPS[0])
    res = segment_slap_detailed(draw(tips), SLAPS[0], skip={3})
    check(res, {f: c for f, c in centres(tips).items() if f != 3})


def test_one_thumb() -> None:
    tips = hand(SLAPS[2], THUMBS_LAYOUT)
    right_only = {1: tips[1]}
    check(segment_slap_detailed(draw(right_only), SLAPS[2], skip={6}), centres(right_only))
    check(segment_slap_detailed(draw(right_only), SLAPS[2]), centres(right_only))


def test_two_fingers_that_touch_are_parted() -> None:
    tips = hand(SLAPS[0])
    ring, little = tips[4], tips[5]
    tips[5] = Tip((ring.centre[0] + ring.width / 2 + little.width / 2 - 4, little.centre[1]),
                  little.width, ring.tilt, little.reach)  # fmt: skip
    check(segment_slap_detailed(draw(tips), SLAPS[0]), centres(tips))


def test_the_fingertip_images() -> None:
    tips = hand(SLAPS[0])
    res = segment_slap(draw(tips, seed=3), SLAPS[0])
    assert sorted(res) == [2, 3, 4, 5]
    for img in res.values():
        assert img.dtype == np.uint8 and img.ndim == 2
        assert min(img.shape) >= MIN_OUTPUT
        assert img[0, 0] > 200 and img[-1, -1] > 200  # light background around the tip
        rows = np.nonzero((img < 120).sum(axis=1) > 10)[0]  # rows with dark ridges
        assert rows[0] < 0.15 * img.shape[0]  # the tip is at the top: the finger points up
        centre = img[img.shape[0] // 3 : img.shape[0] // 2, img.shape[1] // 3 : -img.shape[1] // 3]
        assert centre.std() > 40  # ridges, not background
        # only this finger: the sides next to the neighbours are background
        assert np.median(img[:, :4]) > 200 and np.median(img[:, -4:]) > 200


def test_nothing_on_the_glass() -> None:
    blank = draw({})
    assert segment_slap(blank, SLAPS[0]) == {}
    assert segment_slap(np.zeros((0, 0), np.uint8), SLAPS[0]) == {}
    assert segment_slap(np.full((600, 800), 255, np.uint8), SLAPS[2]) == {}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        segment_slap(np.zeros((10, 10, 3), np.uint8), SLAPS[0])
    with pytest.raises(ValueError):
        segment_slap(draw({}), (11,))

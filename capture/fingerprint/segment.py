"""A 4-4-2 slap image cut into upright fingertip images, whatever way the slap lies.

A slap scanner takes four fingers (or the two thumbs) at once; the rules store each finger's
distal phalanx (the fingertip, down to the first crease) as its own print. This module finds
the fingers by foreground analysis (:func:`capture.fingerprint.features.foreground_mask` on
16-pixel blocks — finer than the score's 32 so that a narrow gap between two fingers stays
open), keeps each finger's tip end and turns it upright.

**Which finger is which** (the convention of ANSI/NIST-ITL finger positions 13, 14 and 15 as
NIST's SlapSeg III validation data lays them out, usnistgov/slapseg
``slapsegiii/validation/images/segments-*.csv``: origin top left, fingertips towards the top):
seen with the fingertips pointing up, as the prints lie on a ten-print card,

- the right hand's four fingers run index, middle, ring, little from LEFT to RIGHT;
- the left hand's run little, ring, middle, index from left to right (index on the right);
- of the two thumbs, the left thumb is on the left and the right thumb on the right.

One lateral order (:data:`LATERAL`) covers all three: left little … left index, left thumb,
right thumb, right index … right little.

**Which way is up.** With the scanner on a bed (bedridden mode) the slap may be turned any
way, so nothing assumes that the tips point to the top of the image:

1. the fingers lie roughly parallel: their common axis is the mean of each finger's principal
   axis (doubled angles), helped by the line through the fingers (they lie side by side);
2. which end of that axis is the tip is voted: a finger cut by the image border is cut at its
   palm end (the hand comes from outside the glass); the tips of three or four fingers of a
   hand lie on an arc with the middle finger furthest; the tips have more room before the
   image border than the bases; and, when nothing else decides, "up" in the image wins;
3. each finger is then turned by its own axis (fingers fan out) so that it points up.

A finger split in two by its flexion crease (the light line between the phalanges) is joined
again (pieces that lie one behind the other along the axis); two fingers that touch and make
one blob are parted at the thinnest place of their profile across the hand.

**Missing fingers.** Fingers in ``skip`` are not expected (a missing or bandaged finger). When
fewer fingers are found than expected and ``skip`` does not explain it, the fingers found are
named by where they lie (a regular spacing across the hand, then their place on the glass) and
returned; the caller decides what to ask for. Nothing here raises for a poor slap: an empty
image gives an empty result.

Each output image is the fingertip, upright, on the slap's own light background, at least
256×256 pixels (the tip box plus a margin), uint8 with ridges dark.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from capture.fingerprint.features import foreground_mask
from capture.fingerprint.fingers import FINGERS, THUMBS

BLOCK = 16
"""Block size (pixels) of the slap's foreground analysis: a 500 ppi finger is ~20 blocks wide."""
LATERAL = (10, 9, 8, 7, 6, 1, 2, 3, 4, 5)
"""Every finger in its place from left to right, fingertips up (see the module docstring)."""
MIN_OUTPUT = 256
"""Smallest side of an output image (pixels)."""
MARGIN = 24
"""Background kept around the fingertip box (pixels)."""
TIP_LENGTH = 1.2
"""The distal phalanx's length as a multiple of the finger's width (a 500 ppi index finger:
~16 mm wide, ~20 mm to the first crease)."""
FINGER_WIDTH = 300.0
"""A finger's width at 500 ppi when nothing in the image tells (pixels, ~15 mm)."""
THUMB_WIDTH = 380.0


@dataclass(frozen=True)
class SegmentedFinger:
    """One fingertip cut from a slap, with where it was in the slap (x, y pixels)."""

    finger: int
    image: np.ndarray  # upright fingertip, uint8, ridges dark on light
    centre: tuple[float, float]  # the middle of the fingertip box in the slap
    tip: tuple[float, float]  # the fingertip's end in the slap
    angle: float  # degrees, clockwise from the slap's "up" to where the finger points
    box: tuple[tuple[float, float], ...]  # in the slap: tip left, tip right, base right, base left
    width: float  # the finger's width (pixels)


@dataclass
class _Blob:
    """A connected piece of foreground, as the centres of its blocks (x, y)."""

    points: np.ndarray  # (n, 2) float

    @property
    def area(self) -> int:
        return len(self.points)

    @property
    def centroid(self) -> np.ndarray:
        return self.points.mean(axis=0)  # type: ignore[no-any-return]


def segment_slap(
    image: np.ndarray, fingers: tuple[int, ...], skip: Collection[int] = ()
) -> dict[int, np.ndarray]:
    """The fingertip images of a slap taken for ``fingers``, by finger code."""
    return {f: s.image for f, s in segment_slap_detailed(image, fingers, skip).items()}


def segment_slap_detailed(
    image: np.ndarray, fingers: tuple[int, ...], skip: Collection[int] = ()
) -> dict[int, SegmentedFinger]:
    """Like :func:`segment_slap`, with each fingertip's place, angle and box in the slap."""
    grey = _grey(image)
    if any(f not in FINGERS for f in fingers):
        raise ValueError(f"no such finger in {fingers!r}")
    if not fingers or grey.size == 0:
        return {}
    labels, blobs = _blobs(grey)
    if not blobs:
        return {}
    axis = _hand_axis(blobs)
    blobs = _join_pieces(blobs, axis)
    thumbs = set(fingers) <= set(THUMBS)
    blobs = _part_touching(blobs, axis, len(fingers), thumbs)
    axis = _tip_direction(blobs, axis, grey.shape)
    across = np.array([-axis[1], axis[0]])
    blobs.sort(key=lambda b: float(b.centroid @ across))
    named = _assign(blobs, fingers, set(skip), across, grey.shape, thumbs)
    background = _background_level(grey, labels)
    return {
        finger: _cut(grey, labels, blob, [b for b in blobs if b is not blob], axis, finger,
                     background)
        for finger, blob in named
    }  # fmt: skip


# --- foreground ---------------------------------------------------------------------------


def _grey(image: np.ndarray) -> np.ndarray:
    arr = np.asarray(image)
    if arr.ndim != 2:
        raise ValueError("a slap image is 2-D grey")
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return arr


def _block_grid(grey: np.ndarray) -> np.ndarray:
    """Foreground per block (bool, blocks high × blocks wide), cleaned: specks and thin
    bridges dropped (an opening), holes (a dry patch, a scar) filled."""
    mask = foreground_mask(grey, block=BLOCK)
    bh, bw = grey.shape[0] // BLOCK, grey.shape[1] // BLOCK
    grid = mask[: bh * BLOCK, : bw * BLOCK].reshape(bh, BLOCK, bw, BLOCK).mean(axis=(1, 3)) > 0.5
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    grid = cv2.morphologyEx(grid.astype(np.uint8), cv2.MORPH_OPEN, cross).astype(bool)
    return _fill_holes(grid)


def _fill_holes(grid: np.ndarray) -> np.ndarray:
    padded = np.pad(~grid, 1, constant_values=True).astype(np.uint8)
    outside = padded.copy()
    cv2.floodFill(outside, None, (0, 0), 2)
    filled: np.ndarray = grid | ((padded == 1) & (outside == 1))[1:-1, 1:-1]
    return filled


def _blobs(grey: np.ndarray) -> tuple[np.ndarray, list[_Blob]]:
    """The block label grid and the pieces big enough to be (part of) a finger."""
    grid = _block_grid(grey)
    if not grid.any():
        return np.zeros(grid.shape, np.int32), []
    count, labels = cv2.connectedComponents(grid.astype(np.uint8), connectivity=4)
    sizes = np.bincount(labels.ravel(), minlength=count)
    sizes[0] = 0
    smallest = max(12, int(0.08 * sizes.max()))  # a crease-cut middle phalanx stays
    blobs: list[_Blob] = []
    for lab in range(1, count):
        if sizes[lab] < smallest:
            labels[labels == lab] = 0
            continue
        rows, cols = np.nonzero(labels == lab)
        pts = np.column_stack([cols, rows]).astype(np.float64) * BLOCK + BLOCK / 2
        blobs.append(_Blob(pts))
    return labels, blobs


def _background_level(grey: np.ndarray, labels: np.ndarray) -> int:
    bh, bw = labels.shape
    fg = np.zeros(grey.shape, bool)
    fg[: bh * BLOCK, : bw * BLOCK] = np.repeat(np.repeat(labels > 0, BLOCK, 0), BLOCK, 1)
    rest = grey[~fg]
    return int(np.median(rest)) if rest.size else 255


# --- geometry -----------------------------------------------------------------------------


def _principal(points: np.ndarray) -> tuple[np.ndarray, float]:
    """The main axis of a point cloud (unit vector, sign arbitrary) and how elongated it is
    (0 round … 1 a line)."""
    if len(points) < 3:
        return np.array([0.0, -1.0]), 0.0
    cov = np.cov((points - points.mean(axis=0)).T)
    values, vectors = np.linalg.eigh(cov)
    big = max(float(values[1]), 1e-9)
    return vectors[:, 1], 1.0 - max(float(values[0]), 0.0) / big


def _doubled(angle: float, weight: float) -> np.ndarray:
    return weight * np.array([math.cos(2 * angle), math.sin(2 * angle)])


def _hand_axis(blobs: Sequence[_Blob]) -> np.ndarray:
    """The fingers' common direction (unit vector, sign not yet known)."""
    total = np.zeros(2)
    for blob in blobs:
        vec, elong = _principal(blob.points)
        total += _doubled(math.atan2(vec[1], vec[0]), blob.area * elong)
    if len(blobs) >= 2:
        centres = np.array([b.centroid for b in blobs])
        weights = np.array([b.area for b in blobs], float)
        spread = np.repeat(centres, np.maximum(1, (weights / weights.min()).astype(int)), axis=0)
        vec, elong = _principal(spread)
        side = math.atan2(vec[1], vec[0]) + math.pi / 2  # the fingers lie side by side
        total += _doubled(side, float(weights.sum()) * elong * 0.5)
    if not total.any():
        return np.array([0.0, -1.0])
    angle = 0.5 * math.atan2(total[1], total[0])
    return np.array([math.cos(angle), math.sin(angle)])


def _spans(points: np.ndarray, across: np.ndarray) -> tuple[float, float]:
    s = points @ across
    return float(np.percentile(s, 5)), float(np.percentile(s, 95))


def _join_pieces(blobs: list[_Blob], axis: np.ndarray) -> list[_Blob]:
    """Pieces lying one behind the other along the fingers (a finger cut by its crease) are
    one finger."""
    across = np.array([-axis[1], axis[0]])
    spans = [_spans(b.points, across) for b in blobs]
    parent = list(range(len(blobs)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(blobs)), 2):
        (a0, a1), (b0, b1) = spans[i], spans[j]
        overlap = min(a1, b1) - max(a0, b0)
        narrower = max(min(a1 - a0, b1 - b0), BLOCK)
        if overlap > 0.5 * narrower and max(a1 - a0, b1 - b0) < 2.2 * narrower:
            parent[root(i)] = root(j)
    joined: dict[int, _Blob] = {}
    for i, blob in enumerate(blobs):
        r = root(i)
        joined[r] = _Blob(np.vstack([joined[r].points, blob.points])) if r in joined else blob
    return list(joined.values())


def _width(blob: _Blob, across: np.ndarray) -> float:
    lo, hi = _spans(blob.points, across)
    return hi - lo + BLOCK


def _part_touching(
    blobs: list[_Blob], axis: np.ndarray, expected: int, thumbs: bool
) -> list[_Blob]:
    """Blobs about twice (three times …) as wide as one finger are fingers that touch: part
    them at the thinnest places of their profile across the hand."""
    across = np.array([-axis[1], axis[0]])
    widths = [_width(b, across) for b in blobs]
    single = [w for w in widths if w <= 1.4 * min(widths)]
    if len(blobs) >= 2 and max(widths) > 1.6 * min(widths):
        typical = float(np.median(single))
    else:
        typical = THUMB_WIDTH if thumbs else FINGER_WIDTH
    out: list[_Blob] = []
    missing = expected - len(blobs)
    for blob, width in sorted(zip(blobs, widths, strict=True), key=lambda bw: -bw[1]):
        parts = min(round(width / typical), missing + 1) if width >= 1.6 * typical else 1
        if parts >= 2:
            pieces = _part(blob, across, parts)
            missing -= len(pieces) - 1
            out.extend(pieces)
        else:
            out.append(blob)
    return out


def _part(blob: _Blob, across: np.ndarray, parts: int) -> list[_Blob]:
    s = blob.points @ across
    lo, hi = float(s.min()), float(s.max()) + BLOCK
    bins = np.arange(lo, hi + BLOCK, BLOCK)
    counts, _ = np.histogram(s, bins=bins)
    smooth = np.convolve(counts, [1, 2, 1], mode="same").astype(float)
    step = (hi - lo) / parts
    cuts: list[float] = []
    for k in range(1, parts):
        centre = lo + k * step
        window = [i for i in range(len(smooth)) if abs(bins[i] + BLOCK / 2 - centre) <= 0.35 * step]
        best = min(window, key=lambda i: smooth[i]) if window else int((centre - lo) // BLOCK)
        cuts.append(float(bins[best] + BLOCK / 2))
    edges = [-math.inf, *cuts, math.inf]
    pieces = []
    for a, b in itertools.pairwise(edges):
        keep = (s >= a) & (s < b)
        if keep.sum() >= 3:
            pieces.append(_Blob(blob.points[keep]))
    return pieces if len(pieces) >= 2 else [blob]


def _touches_border(points: np.ndarray, shape: tuple[int, ...]) -> bool:
    h, w = shape[:2]
    near = 1.5 * BLOCK
    x, y = points[:, 0], points[:, 1]
    return bool(np.any((x < near) | (y < near) | (x > w - near) | (y > h - near)))


def _tip_direction(blobs: Sequence[_Blob], axis: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``axis`` or its opposite: the one that points from the palm to the fingertips."""
    across = np.array([-axis[1], axis[0]])
    vote = 0.0  # > 0: ``axis`` points to the tips
    for blob in blobs:  # 1. a finger is cut by the border at its palm end
        t = blob.points @ axis
        front = blob.points[t >= t.max() - BLOCK]
        back = blob.points[t <= t.min() + BLOCK]
        vote += 2.0 * (int(_touches_border(back, shape)) - int(_touches_border(front, shape)))
    if len(blobs) >= 3:  # 2. the tips lie on an arc, the middle finger furthest
        ordered = sorted(blobs, key=lambda b: float(b.centroid @ across))
        ends = [(float((b.points @ axis).max()), float((b.points @ axis).min())) for b in ordered]
        inner, outer = ends[1:-1], [ends[0], ends[-1]]
        forward = np.mean([e[0] for e in inner]) - np.mean([e[0] for e in outer])
        backward = np.mean([e[1] for e in outer]) - np.mean([e[1] for e in inner])
        if abs(forward - backward) > BLOCK:
            vote += 1.5 * len(blobs) * (1 if forward > backward else -1)
    h, w = shape[:2]  # 3. the tips have more room before the border
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], float) @ axis
    t_all = np.concatenate([b.points @ axis for b in blobs])
    room_front = corners.max() - t_all.max()
    room_back = t_all.min() - corners.min()
    if abs(room_front - room_back) > 2 * BLOCK:
        vote += 0.5 if room_front > room_back else -0.5
    vote += 0.1 if axis[1] < 0 else -0.1  # 4. otherwise up in the image
    return axis if vote > 0 else -axis


# --- naming -------------------------------------------------------------------------------


def _assign(
    blobs: list[_Blob],
    fingers: tuple[int, ...],
    skip: set[int],
    across: np.ndarray,
    shape: tuple[int, ...],
    thumbs: bool,
) -> list[tuple[int, _Blob]]:
    """Name the blobs (ordered left to right, tips up) by the fingers of the placement."""
    full = sorted(set(fingers), key=LATERAL.index)
    if len(blobs) > len(full):  # specks or a palm: keep the biggest, in their order
        keep = sorted(sorted(blobs, key=lambda b: -b.area)[: len(full)], key=blobs.index)
        blobs = keep
    pos = np.array([float(b.centroid @ across) for b in blobs])
    h, w = shape[:2]
    ends = np.array([[0, 0], [w, 0], [0, h], [w, h]], float) @ across
    rel = (pos - ends.min()) / max(float(ends.max() - ends.min()), 1.0)
    widths = [_width(b, across) for b in blobs]
    pitch = 1.1 * (float(np.median(widths)) if widths else (THUMB_WIDTH if thumbs else
                                                            FINGER_WIDTH))  # fmt: skip
    best: tuple[float, tuple[int, ...]] | None = None
    for combo in itertools.combinations(range(len(full)), len(blobs)):
        idx = np.array(combo, float)
        cost = sum(1.0 for i in combo if full[i] in skip)
        cost += 0.25 * float(np.mean(np.abs(idx - (rel * len(full) - 0.5))))
        if len(blobs) >= 2:
            slope, icept = np.polyfit(idx, pos, 1)
            if slope <= 0:
                continue
            resid = float(np.sqrt(np.mean((pos - (slope * idx + icept)) ** 2)))
            cost += resid / pitch + 0.5 * abs(math.log(slope / pitch))
        if best is None or cost < best[0]:
            best = (cost, combo)
    if best is None:
        return []
    return [(full[i], b) for i, b in zip(best[1], blobs, strict=True) if full[i] not in skip]


# --- cutting ------------------------------------------------------------------------------


def _cut(
    grey: np.ndarray,
    labels: np.ndarray,
    blob: _Blob,
    others: Sequence[_Blob],
    hand_axis: np.ndarray,
    finger: int,
    background: int,
) -> SegmentedFinger:
    """The fingertip of ``blob``, turned by its own axis so that it points up."""
    axis, elong = _principal(blob.points)
    if float(axis @ hand_axis) < 0:
        axis = -axis
    if elong < 0.3 or float(axis @ hand_axis) < math.cos(math.radians(35)):
        axis = hand_axis  # a round tip piece: its own axis says little
    across = np.array([-axis[1], axis[0]])  # to the right of the finger, tip up
    t = blob.points @ axis
    s = blob.points @ across
    tip = float(t.max()) + BLOCK / 2
    first = s[t >= tip - 1.5 * _width(blob, across)]
    width = float(np.percentile(first, 97) - np.percentile(first, 3)) + BLOCK
    length = min(TIP_LENGTH * width, tip - float(t.min()) + BLOCK / 2)
    middle = float(np.median(s[t >= tip - length]))
    out_w = max(MIN_OUTPUT, math.ceil(width + 2 * MARGIN))
    out_h = max(MIN_OUTPUT, math.ceil(length + 2 * MARGIN))
    warp = np.array([[across[0], across[1], out_w / 2 - middle],
                     [-axis[0], -axis[1], tip + MARGIN]])  # fmt: skip
    turned = cv2.warpAffine(grey, warp, (out_w, out_h), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=background)  # fmt: skip
    own = cv2.warpAffine(_own_region(labels, blob, others, grey.shape), warp, (out_w, out_h),
                         flags=cv2.INTER_NEAREST, borderValue=0)  # fmt: skip
    ys, xs = np.mgrid[0:out_h, 0:out_w]
    inside = (ys <= length + 2 * MARGIN) & (np.abs(xs - out_w / 2) <= width / 2 + MARGIN)
    result = np.where((own > 0) & inside, turned, np.uint8(background)).astype(np.uint8)

    def point(ss: float, tt: float) -> tuple[float, float]:
        p = ss * across + tt * axis
        return (float(p[0]), float(p[1]))

    half = width / 2
    box = (point(middle - half, tip), point(middle + half, tip),
           point(middle + half, tip - length), point(middle - half, tip - length))  # fmt: skip
    return SegmentedFinger(
        finger=finger,
        image=np.ascontiguousarray(result),
        centre=point(middle, tip - length / 2),
        tip=point(middle, tip),
        angle=math.degrees(math.atan2(axis[0], -axis[1])) % 360.0,
        box=box,
        width=width,
    )


def _own_region(
    labels: np.ndarray, blob: _Blob, others: Sequence[_Blob], shape: tuple[int, ...]
) -> np.ndarray:
    """Pixels of this finger: its blocks grown by one block, never into another finger's."""
    bh, bw = labels.shape
    mine = np.zeros((bh, bw), np.uint8)
    theirs = np.zeros((bh, bw), bool)
    cells = ((blob.points - BLOCK / 2) / BLOCK).round().astype(int)
    mine[cells[:, 1], cells[:, 0]] = 1
    for other in others:
        oc = ((other.points - BLOCK / 2) / BLOCK).round().astype(int)
        theirs[oc[:, 1], oc[:, 0]] = True
    grown = cv2.dilate(mine, np.ones((3, 3), np.uint8)).astype(bool) & ~theirs
    full = np.zeros(shape[:2], np.uint8)
    full[: bh * BLOCK, : bw * BLOCK] = np.repeat(np.repeat(grown, BLOCK, 0), BLOCK, 1)
    return full

"""Synthetic fingerprints for tests and the demo station (nothing is downloaded).

SFinGe-like (Cappelli, Maio, Maltoni): an orientation field from singular points (the
Sherlock–Monro zero-pole model: a loop is a core above a delta, a whorl two cores between two
deltas, an arch has none), a smoothly varying ridge-period map (8–11 px, i.e. 500 ppi ridges),
white noise filtered again and again by the Gabor filter of each pixel's orientation and period
until ridges grow out of it, then a finger-shaped contact area on light glass: ridges dark on
light, uint8, as scanners deliver them. Everything is deterministic from ``seed``.

:func:`degrade` makes the field's hard cases with a strength 0..1 (faded, dry, wet, smudged,
partial, scarred, noise); :func:`slap` puts four fingertips (or two thumbs) on one wide glass.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

PATTERNS = ("arch", "tented_arch", "left_loop", "right_loop", "whorl")
"""``"loop"`` is accepted too (a right loop, the commonest)."""
DEGRADATIONS = ("faded", "dry", "wet", "smudged", "partial", "scarred", "noise")

_N_ORIENT = 16  # Gabor bank: orientations (π / 16 = 11.25° apart)
_PERIODS = (8.0, 9.5, 11.0)  # … and ridge periods, px (500 ppi)
_ITERATIONS = 6


# --- orientation field -----------------------------------------------------------------------


def _singular_points(pattern: str, rng: np.random.Generator, w: int, h: int) -> tuple[
    list[complex], list[complex]
]:
    """Cores and deltas (complex x + iy, pixels) for a pattern, with some jitter."""
    cx, cy = w / 2 + rng.uniform(-0.04, 0.04) * w, h * rng.uniform(0.40, 0.48)

    def j(s: float) -> complex:
        return complex(rng.uniform(-s, s) * w, rng.uniform(-s, s) * h)

    if pattern in ("loop", "right_loop", "left_loop"):
        side = 1.0 if pattern == "left_loop" else -1.0  # the delta sits opposite the loop's opening
        core = complex(cx, cy) + j(0.02)
        delta = core + complex(side * rng.uniform(0.18, 0.26) * w, rng.uniform(0.28, 0.36) * h)
        return [core], [delta]
    if pattern == "tented_arch":
        core = complex(cx, cy) + j(0.02)
        return [core], [core + complex(rng.uniform(-0.02, 0.02) * w, rng.uniform(0.18, 0.24) * h)]
    if pattern == "whorl":
        sep = rng.uniform(0.05, 0.09)
        c1 = complex(cx, cy) + complex(-sep * w, -0.02 * h) + j(0.01)
        c2 = complex(cx, cy) + complex(sep * w, 0.03 * h) + j(0.01)
        dy = cy + rng.uniform(0.28, 0.34) * h
        d1 = complex(cx - rng.uniform(0.28, 0.34) * w, dy)
        d2 = complex(cx + rng.uniform(0.28, 0.34) * w, dy + rng.uniform(-0.03, 0.03) * h)
        return [c1, c2], [d1, d2]
    return [], []


def orientation_field(pattern: str, size: tuple[int, int], seed: int = 0) -> np.ndarray:
    """Ridge direction (radians, 0..π, image axes: x right, y down) at every pixel.

    Sherlock–Monro: θ(z) = θ₀ + ½ (Σ arg(z − delta) − Σ arg(z − core)). An arch has no
    singular point: ridges are bumps y = y₀ − a(y₀)·g(x) that flatten towards the crease.
    """
    if pattern not in PATTERNS and pattern != "loop":
        raise ValueError(f"unknown pattern: {pattern!r}")
    h, w = size
    rng = np.random.default_rng([seed, 1])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    if pattern == "arch":
        cx = w / 2 + rng.uniform(-0.05, 0.05) * w
        s = w * rng.uniform(0.20, 0.26)
        amp = rng.uniform(1.1, 1.6) * np.clip(1.15 - yy / h, 0.1, 1.0)
        u = (xx - cx) / s
        theta = np.arctan(amp * u * np.exp(-0.5 * u * u))
    else:
        cores, deltas = _singular_points(pattern, rng, w, h)
        z = xx + 1j * yy
        # y grows downwards: conjugate so that the model's angles are the picture's angles
        acc = np.zeros((h, w))
        for d in deltas:
            acc += np.angle(np.conj(z - d))
        for c in cores:
            acc -= np.angle(np.conj(z - c))
        theta = 0.5 * acc
    # a gentle large-scale bend so that no two prints share the same far field
    bend = rng.uniform(-0.12, 0.12)
    theta = theta + bend * (xx - w / 2) / w
    return np.asarray(np.mod(theta, np.pi), np.float32)


def period_map(size: tuple[int, int], seed: int = 0, lo: float = 8.0,
               hi: float = 11.0) -> np.ndarray:
    """Ridge period (px) varying smoothly between ``lo`` and ``hi`` (shorter near the tip)."""
    h, w = size
    rng = np.random.default_rng([seed, 2])
    coarse = rng.random((4, 4))
    field = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    yy = np.linspace(0.0, 1.0, h)[:, None]
    field = 0.6 * field + 0.4 * (1.0 - yy)  # ridges are finer at the fingertip than by the crease
    field = (field - field.min()) / max(float(np.ptp(field)), 1e-6)
    return np.asarray(hi - field * (hi - lo), np.float32)


# --- Gabor growth ----------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _gabor(theta_index: int, period: float) -> np.ndarray:
    """Even Gabor kernel for ridges along θ (its wave runs across them, along the normal)."""
    theta = theta_index * math.pi / _N_ORIENT
    sigma = 0.42 * period
    half = math.ceil(2.5 * sigma)
    yy, xx = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    across = -xx * math.sin(theta) + yy * math.cos(theta)
    along = xx * math.cos(theta) + yy * math.sin(theta)
    env = np.exp(-0.5 * (across**2 / sigma**2 + along**2 / (1.3 * sigma) ** 2))
    k = env * np.cos(2 * math.pi * across / period)
    k -= env * (k.sum() / env.sum())  # zero mean: a flat patch gives nothing
    return np.asarray(k / np.abs(k).sum(), np.float32)


def grow_ridges(theta: np.ndarray, period: np.ndarray, seed: int = 0,
                iterations: int = _ITERATIONS) -> np.ndarray:
    """Ridges in −1..1 (1 = ridge) grown from white noise by per-pixel Gabor filtering.

    Grown at half resolution (four times fewer pixels, kernels half as wide: the generator
    stays well under a second) and brought back to full size before the last sharpening.
    """
    h, w = theta.shape
    sh, sw = (h + 1) // 2, (w + 1) // 2
    rng = np.random.default_rng([seed, 3])
    sig = rng.standard_normal((sh, sw)).astype(np.float32)
    # orientation is an axis: average it as a doubled angle
    c2 = cv2.resize(np.cos(2 * theta).astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    s2 = cv2.resize(np.sin(2 * theta).astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    th = np.mod(0.5 * np.arctan2(s2, c2), np.pi)
    per = cv2.resize(period.astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA) / 2
    lo, hi = float(per.min()), float(per.max())
    periods = tuple(float(v) for v in np.linspace(lo, hi, 3)) if hi - lo > 0.3 else (lo,)
    oi = np.rint(th / (math.pi / _N_ORIENT)).astype(np.int32) % _N_ORIENT
    pi = np.abs(per[..., None] - np.asarray(periods, np.float32)).argmin(axis=-1)
    jobs = []
    for o in range(_N_ORIENT):
        for p, value in enumerate(periods):
            m = (oi == o) & (pi == p)
            if not m.any():
                continue
            ys, xs = np.nonzero(m)
            k = _gabor(o, round(value, 2))
            r = k.shape[0] // 2
            y0, y1 = max(0, ys.min() - r), min(sh, ys.max() + r + 1)
            x0, x1 = max(0, xs.min() - r), min(sw, xs.max() + r + 1)
            jobs.append((k, (slice(y0, y1), slice(x0, x1)), m[y0:y1, x0:x1]))
    out = np.empty_like(sig)
    for i in range(iterations):
        out[:] = 0
        for k, roi, m in jobs:
            resp = cv2.filter2D(sig[roi], cv2.CV_32F, k, borderType=cv2.BORDER_REFLECT)
            out[roi][m] = resp[m]
        norm = out / (float(out.std()) + 1e-6)
        if i < iterations - 1:
            sig = np.tanh(3.0 * norm)
    full = cv2.resize(norm, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.asarray(np.tanh(2.0 * full), np.float32)


# --- the finger on the glass -----------------------------------------------------------------


def finger_mask(size: tuple[int, int], seed: int = 0, scale: float = 1.0) -> np.ndarray:
    """Soft contact area 0..1 of a fingertip: a rounded tip, sides, cut off by the crease."""
    h, w = size
    rng = np.random.default_rng([seed, 4])
    cx = w / 2 + rng.uniform(-0.02, 0.02) * w
    cy = h * rng.uniform(0.50, 0.54)
    a = scale * rng.uniform(0.30, 0.36) * min(w, 1.25 * h)  # half width
    b = scale * rng.uniform(0.40, 0.44) * h  # half height
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # a flatter bottom: the finger goes on beyond the glass's contact area
    dy = (yy - cy) / b
    dy = np.where(dy > 0, dy * 0.85, dy)
    dx = (xx - cx) / a
    wobble = 1.0 + 0.03 * np.sin(3.0 * np.arctan2(dy, dx) + rng.uniform(0, 6.3))
    r = np.sqrt(dx**2 + dy**2) * wobble
    return np.asarray(np.clip((1.0 - r) / 0.08, 0.0, 1.0), np.float32)


def render(ridges: np.ndarray, mask: np.ndarray, seed: int = 0, background: float = 238.0,
           ridge_level: float = 55.0, valley_level: float = 222.0,
           noise: float = 2.0) -> np.ndarray:
    """Grey picture: ridge pixels dark, valleys nearly glass (on an optical scanner a valley
    does not touch the glass: it shows the background, a little dimmed by sweat)."""
    h, w = ridges.shape
    rng = np.random.default_rng([seed, 5])
    # ridges as they touch the glass: a soft profile, a little wider at the top of each ridge
    ink = np.clip((ridges + 0.25) / 1.25, 0.0, 1.0) ** 0.8
    # pressure is uneven across the contact area
    press = cv2.resize(rng.uniform(0.82, 1.0, (3, 3)).astype(np.float32), (w, h),
                       interpolation=cv2.INTER_CUBIC)
    contact = mask * press
    valley = background + (valley_level - background) * np.clip(mask * 1.5, 0, 1)
    flat = np.asarray(valley - contact * ink * (valley_level - ridge_level), np.float32)
    grey = np.asarray(cv2.GaussianBlur(flat, (0, 0), 0.7))
    grey += rng.normal(0.0, noise, (h, w)).astype(np.float32)
    return np.clip(grey, 0, 255).astype(np.uint8)


def make_print(pattern: str = "loop", seed: int = 0, size: tuple[int, int] = (500, 500),
               period: tuple[float, float] = (8.0, 11.0), background: float = 238.0) -> np.ndarray:
    """One good flat print: ``size`` is (height, width); ridges dark on light, uint8.

    ``period``: the range of the ridge period in px (real prints at 500 ppi: 7–13).
    """
    ridges = _ridges(pattern, seed, (int(size[0]), int(size[1])),
                     (float(period[0]), float(period[1])))
    return render(ridges, finger_mask(size, seed), seed, background=background)


@lru_cache(maxsize=32)
def _ridges(pattern: str, seed: int, size: tuple[int, int],
            period: tuple[float, float]) -> np.ndarray:
    """The grown ridges (the slow part, ~0.15 s), kept for the same finger on other glass."""
    theta = orientation_field(pattern, size, seed)
    ridges = grow_ridges(theta, period_map(size, seed, *period), seed)
    ridges.setflags(write=False)
    return ridges


# --- the field's hard cases ------------------------------------------------------------------


def _background_level(image: np.ndarray) -> float:
    """The glass: the median of the image's edge (the finger does not cover all of it), or
    the light end of the grey levels when it does."""
    img = np.asarray(image)
    edge = np.concatenate([img[:4].ravel(), img[-4:].ravel(), img[:, :4].ravel(),
                           img[:, -4:].ravel()]).astype(np.float32)
    light = float(np.percentile(img, 97))
    level = float(np.median(edge))
    return level if level >= light - 25 else light


def _blobs(shape: tuple[int, int], rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Smooth random field, uniformly distributed 0..1 (rank-normalised), blobs ~σ px."""
    field = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), sigma)
    ranks = np.empty(field.size, np.float32)
    ranks[np.argsort(field, axis=None)] = np.linspace(0.0, 1.0, field.size, dtype=np.float32)
    return ranks.reshape(shape)


def _line_kernel(length: float, angle: float) -> np.ndarray:
    n = max(1, math.ceil(length))
    size = n | 1
    k = np.zeros((size, size), np.float32)
    c = size // 2
    dx, dy = math.cos(angle), math.sin(angle)
    for t in np.linspace(-length / 2, length / 2, max(2, 2 * n)):
        k[round(c + t * dy), round(c + t * dx)] = 1.0
    return np.asarray(k / k.sum(), np.float32)


def degrade(image: np.ndarray, kind: str, strength: float, seed: int = 0) -> np.ndarray:
    """The print with one of the field's problems, ``strength`` 0 (none) .. 1 (unusable).

    The random parts (where the breaks, blobs, scars fall) depend only on ``seed``, so the
    same seed at growing strengths is the same finger getting worse.
    """
    if kind not in DEGRADATIONS:
        raise ValueError(f"unknown degradation: {kind!r}")
    s = float(np.clip(strength, 0.0, 1.0))
    grey: np.ndarray = np.asarray(image, np.float32)
    out: np.ndarray
    if s == 0.0:
        return np.asarray(image, np.uint8).copy()
    rng = np.random.default_rng([seed, 11, DEGRADATIONS.index(kind)])
    bg = _background_level(image)
    dark = np.clip(bg - grey, 0, None)  # how much each pixel is darker than the glass
    h, w = grey.shape
    if kind == "faded":
        # light pressure, worn ridges: the valleys and then the ridges' flanks stop touching
        thin = (1 - s) * grey + s * cv2.dilate(grey, np.ones((3, 3), np.uint8))
        dark = np.clip(bg - thin, 0, None)
        patch = 1.0 - 0.4 * s * _blobs((h, w), rng, 25.0)
        out = bg - dark * (1.0 - 0.75 * s) * patch
    elif kind == "dry":
        # dry skin touches in islands: ridges break into pieces with glass between them
        gaps = _blobs((h, w), rng, 2.8)
        cut = np.clip((0.6 * s - gaps) / 0.06 + 0.5, 0, 1)  # 60 % of the area at full strength
        thin = cv2.dilate(grey, np.ones((3, 3), np.uint8))
        dark = np.clip(bg - ((1 - 0.6 * s) * grey + 0.6 * s * thin), 0, None)
        out = bg - dark * (1.0 - 0.95 * cut)
    elif kind == "wet":
        # water fills the valleys: ridges spread and merge, dark pools
        k = 1 + 2 * round(2.5 * s)
        spread = cv2.erode(grey, np.ones((k, k), np.uint8)) if k > 1 else grey
        spread = cv2.GaussianBlur(spread, (0, 0), 0.5 + 1.5 * s)
        pools = np.clip((0.55 * s - _blobs((h, w), rng, 12.0)) / 0.1, 0, 1)
        inside = np.clip(dark / max(float(dark.max()), 1.0) * 4.0, 0, 1)
        pooled = np.minimum(spread, bg - inside * (bg - float(np.percentile(grey, 2))))
        out = (1 - s) * grey + s * spread
        out = out * (1 - pools * inside) + pooled * pools * inside
    elif kind == "smudged":
        # the finger slid (motion blur) on dirty glass (haze)
        angle = rng.uniform(0, math.pi)
        out = cv2.filter2D(grey, -1, _line_kernel(1 + 24 * s, angle),
                           borderType=cv2.BORDER_REPLICATE)
        if s > 0.05:
            out = cv2.GaussianBlur(out, (0, 0), 0.3 + 2.2 * s)
    elif kind == "partial":
        # the finger placed off to one side: part of it is off the glass
        angle = rng.uniform(-0.5, 0.5) + (0.0 if rng.random() < 0.5 else math.pi)
        ys, xs = np.nonzero(dark > 0.3 * float(dark.max()))
        fw = float(np.ptp(xs)) if xs.size else w
        fh = float(np.ptp(ys)) if ys.size else h
        dist = 0.62 * s
        out = translate(image, round(dist * fw * math.cos(angle)),
                        round(dist * fh * 0.7 * math.sin(angle))).astype(np.float32)
    elif kind == "scarred":
        # healed cuts: straight light bands where the skin no longer makes ridges; the first
        # grows from the start, a second from strength 0.25, a third from 0.5
        out = grey.copy()
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ys, xs = np.nonzero(dark > 0.3 * float(dark.max()))
        cy, cx = (float(ys.mean()), float(xs.mean())) if ys.size else (h / 2, w / 2)
        scar = bg - 0.12 * (bg - grey)  # scar tissue barely touches: almost glass
        for i in range(3):
            a = rng.uniform(0, math.pi)
            off = rng.uniform(-0.22, 0.22) if i else rng.uniform(-0.08, 0.08)
            off *= min(h, w)
            width = max(0.0, s - 0.25 * i) * 28.0
            if width <= 0:
                continue
            d = np.abs((xx - cx) * math.sin(a) - (yy - cy) * math.cos(a) - off)
            band = np.clip((width / 2 - d) / 1.5 + 0.5, 0, 1)
            out = out * (1 - band) + scar * band
    else:  # noise
        # sensor noise and a dirty glass: speckle and dust
        out = grey + rng.normal(0.0, 48.0 * s, (h, w)).astype(np.float32)
        speck = rng.random((h, w)) < 0.12 * s
        out[speck] = rng.choice(np.array([0.0, 255.0], np.float32), int(speck.sum()))
    return np.clip(out, 0, 255).astype(np.uint8)


# --- moving the finger -----------------------------------------------------------------------


def rotate(image: np.ndarray, degrees: float, background: float | None = None) -> np.ndarray:
    """The finger turned by ``degrees`` (counter-clockwise) about the image centre, glass filled."""
    h, w = image.shape
    bg = _background_level(image) if background is None else background
    if degrees % 90 == 0:
        out = np.rot90(image, int(degrees // 90) % 4)
        if out.shape == image.shape:
            return np.ascontiguousarray(out)
    m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), degrees, 1.0)
    return np.asarray(cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_CONSTANT, borderValue=float(bg)))


def translate(image: np.ndarray, dx: int, dy: int, background: float | None = None) -> np.ndarray:
    """The finger moved by (dx, dy) px; what leaves the glass is lost, the glass fills in."""
    bg = _background_level(image) if background is None else background
    m = np.array([[1, 0, dx], [0, 1, dy]], np.float32)
    h, w = image.shape
    return np.asarray(cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_NEAREST,
                                     borderMode=cv2.BORDER_CONSTANT, borderValue=float(bg)))


# --- slaps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slap:
    """Four fingertips (or two thumbs) on one glass, and where each one was put."""

    image: np.ndarray
    boxes: tuple[tuple[int, int, int, int], ...]  # (x, y, w, h) per finger, left to right
    tilts: tuple[float, ...]  # degrees each finger was turned


def _fingertip(image: np.ndarray) -> np.ndarray:
    """The print cut to its contact area (plus a margin)."""
    bg = _background_level(image)
    ys, xs = np.nonzero(bg - image.astype(np.float32) > 25)
    if not ys.size:
        return image
    m = 6
    return image[max(0, ys.min() - m): ys.max() + m, max(0, xs.min() - m): xs.max() + m]


def slap(fingers: Sequence[np.ndarray], seed: int = 0, size: tuple[int, int] | None = None,
         background: float = 238.0, scale: float = 0.9,
         drops: Sequence[float] | None = None, slots: Sequence[int] | None = None,
         n_slots: int | None = None) -> Slap:
    """Compose fingertip prints side by side, left to right, as a slap scanner sees them.

    A right hand reads index, middle, ring, little from left to right (a left hand the other
    way round). ``drops``: how far each fingertip sits below the highest, as a fraction of the
    height (default: a right hand's, the middle finger highest and the little one lowest).
    The fingers fan out (each tilted away from the hand's centre) with gaps between them;
    ``size`` (h, w) defaults to 1000×1600 for four and 1000×1000 for two thumbs. ``scale``
    shrinks each print (a slap fingertip is about 0.6 inch wide). ``slots``/``n_slots``: the
    place of each finger among the hand's (a missing finger leaves its place empty).
    """
    n = len(fingers)
    total = n_slots if n_slots is not None else n
    places = list(slots) if slots is not None else list(range(n))
    if not 1 <= n <= total <= 4 or len(places) != n or not all(0 <= p < total for p in places):
        raise ValueError("a slap has one to four fingers, each in its own place")
    h, w = size if size is not None else (1000, 1600 if total > 2 else 1000)
    rng = np.random.default_rng([seed, 21])
    canvas = np.full((h, w), background, np.float32)
    canvas += rng.normal(0.0, 1.5, (h, w)).astype(np.float32)
    default = {4: (0.06, 0.0, 0.03, 0.14), 3: (0.05, 0.0, 0.05), 2: (0.0, 0.02), 1: (0.0,)}
    lifts = tuple(drops) if drops is not None else tuple(default[total][p] for p in places)
    if len(lifts) != n:
        raise ValueError("one drop per finger")
    centre = (total - 1) / 2
    slot = w / total
    boxes: list[tuple[int, int, int, int]] = []
    tilts: list[float] = []
    for i, img in enumerate(fingers):
        place = places[i]
        tip = _fingertip(np.asarray(img, np.uint8))
        tip = cv2.resize(tip, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        tilt = float((place - centre) * -6.0 + rng.uniform(-3, 3))
        th, tw = tip.shape
        pad = int(0.25 * max(th, tw))
        big = cv2.copyMakeBorder(tip, pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                                 value=float(_background_level(tip)))
        big = rotate(big, tilt)
        bh, bw = big.shape
        x0 = int(slot * place + slot / 2 - bw / 2 + rng.uniform(-0.04, 0.04) * slot)
        y0 = int(h * (0.10 + lifts[i]) + rng.uniform(-0.02, 0.02) * h) - pad
        x0 = int(np.clip(x0, 0, w - bw)) if bw <= w else 0
        y0 = int(np.clip(y0, 0, h - bh)) if bh <= h else 0
        region = canvas[y0: y0 + bh, x0: x0 + bw]
        part = big[: region.shape[0], : region.shape[1]].astype(np.float32)
        np.minimum(region, part + (background - _background_level(tip)), out=region)
        ys, xs = np.nonzero(background - part > 25)
        if ys.size:
            boxes.append((x0 + int(xs.min()), y0 + int(ys.min()), int(np.ptp(xs)) + 1,
                          int(np.ptp(ys)) + 1))
        else:
            boxes.append((x0, y0, 0, 0))
        tilts.append(tilt)
    return Slap(np.clip(canvas, 0, 255).astype(np.uint8), tuple(boxes), tuple(tilts))

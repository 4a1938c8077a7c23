"""A second, independent generator of synthetic fingerprints: a phase-field (AM-FM) model.

Why a second one: the score is calibrated on prints from ``capture.fingerprint.synth``
(SFinGe-like: Gabor filtering of noise along an orientation field). A score could learn that
generator's quirks (its Gabor bandwidth, its noise texture) instead of ridge structure; prints
made by a different method catch that. Nothing here is shared with ``synth``.

The model (after Larkin & Fletcher, "A coherent framework for fingerprint analysis: are
fingerprints holograms?", Optics Express 15(14), 2007): a print is ``a + b·cos(ψ(x, y))``.

- The **continuous phase** is ``2π·F(D(x, y))`` where ``D`` is a distance-like function whose
  level sets are the ridges: the distance to a core segment for a loop, an elliptical radius
  for a whorl, a bent line for an arch. ``F' = 1/T`` integrates a ridge period ``T`` that
  varies smoothly between 8 and 11 px (500 ppi). A loop and a whorl take the smooth minimum of
  their ``D`` with a field of horizontal lines at the bottom: where the two meet, level sets
  make a corner — the triradius of a delta.
- The **spiral phase** adds ``±arctan2(y − yᵢ, x − xᵢ)`` terms: each is one ridge ending or
  bifurcation (a minutia); a whorl gets one more at its core, which turns the rings into a
  spiral.

Then a fingertip-shaped mask (rounded top, flat cut bottom, soft edge), pressure falling
toward the edge, optional pores, a slight blur and sensor noise, dark ridges on a light
background whose level depends on the seed (215–250).

Degradations (:func:`degrade`) work on the finished image, as a real bad capture would:
``faded``, ``dry``, ``wet``, ``smudged``, ``partial``, ``scarred``, ``noise``, each with a
strength 0..1 (0 leaves the image as it is).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

PATTERNS = ("loop", "whorl", "arch")
DEGRADATIONS = ("faded", "dry", "wet", "smudged", "partial", "scarred", "noise")

_TWO_PI = 2.0 * math.pi


# --- the phase field -----------------------------------------------------------------------


def _smooth_min(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """min(a, b) with the corner rounded over about ``k`` px (stable log-sum-exp)."""
    m = np.minimum(a, b)
    return m - k * np.log1p(np.exp(-np.abs(a - b) / k))


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _segment_distance(
    x: np.ndarray, y: np.ndarray, start: tuple[float, float], angle: float
) -> np.ndarray:
    """Distance to a ray from ``start`` in direction ``angle`` (radians, image axes)."""
    ux, uy = math.cos(angle), math.sin(angle)
    dx, dy = x - start[0], y - start[1]
    t = np.maximum(dx * ux + dy * uy, 0.0)
    return np.hypot(dx - t * ux, dy - t * uy)


def _loop_distance(
    x: np.ndarray, y: np.ndarray, core: tuple[float, float], rng: np.random.Generator
) -> np.ndarray:
    """Ridges around a core segment running down toward the side the loop opens on; below
    the core on the other side, horizontal ridges meet them at a delta."""
    side = 1.0 if rng.random() < 0.5 else -1.0  # +1: opens to the right of the image
    slope = math.radians(rng.uniform(55.0, 70.0))
    angle = math.atan2(math.sin(slope), side * math.cos(slope))
    d_loop = _segment_distance(x, y, core, angle)
    drop = rng.uniform(95.0, 135.0)  # the delta's depth below the core
    # Horizontal lines at D = 0 a little below the delta's level; a growing penalty on the
    # opening side keeps them away from the loop's legs there.
    d_base = (core[1] + drop + 40.0 - y) + 0.7 * 25.0 * _softplus(side * (x - core[0]) / 25.0)
    return _smooth_min(d_loop, d_base + drop * 0.55, 8.0)


def _whorl_distance(
    x: np.ndarray, y: np.ndarray, core: tuple[float, float], rng: np.random.Generator
) -> np.ndarray:
    """Elliptical rings around the core, cut by horizontal ridges at the bottom (two deltas)."""
    stretch = math.sqrt(rng.uniform(1.0, 1.15))  # rings a little taller than wide
    tilt = rng.uniform(-0.25, 0.25)
    dx, dy = x - core[0], y - core[1]
    rx = dx * math.cos(tilt) + dy * math.sin(tilt)
    ry = -dx * math.sin(tilt) + dy * math.cos(tilt)
    d_rings = np.hypot(rx * stretch, ry / stretch)  # period × 1/stretch … × stretch
    depth = rng.uniform(185.0, 230.0)  # the crease (and the deltas) low, near the cut
    d_base = core[1] + depth + depth - y
    return _smooth_min(d_rings, d_base, 10.0)


def _arch_distance(
    x: np.ndarray, y: np.ndarray, core: tuple[float, float], rng: np.random.Generator
) -> np.ndarray:
    """Lines bent upward over the middle, the bend fading with depth."""
    height = rng.uniform(35.0, 70.0)  # gentle enough that |∇D| stays within 1 ± 0.1
    width = rng.uniform(95.0, 140.0)
    bump = height * np.exp(-((x - core[0]) ** 2) / (2.0 * width**2))
    fade = 0.5 * (1.0 - np.tanh((y - core[1]) / 320.0))
    return y - bump * fade


_DISTANCES = {"loop": _loop_distance, "whorl": _whorl_distance, "arch": _arch_distance}


def _period_table(
    dist: np.ndarray, rng: np.random.Generator, period: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """(D samples, ∫ dD / T(D)): the ridge count reached at each distance."""
    lo, hi = float(dist.min()), float(dist.max())
    d = np.linspace(lo, hi, 4096)
    if period is None:
        base = rng.uniform(8.9, 10.0)
        swing = rng.uniform(0.2, 0.5)
    else:
        base, swing = float(period), 0.25
    where, scale = rng.uniform(60.0, 200.0), rng.uniform(80.0, 160.0)
    t = base + swing * np.tanh((d - lo - where) / scale) + 0.2 * np.sin(d / 57.0)
    if period is None:
        t = np.clip(t, 8.6, 10.3)  # a whorl's ellipse spreads this to about 8–11
    step = d[1] - d[0] if len(d) > 1 else 1.0
    count = np.concatenate([[0.0], np.cumsum(0.5 * (1 / t[1:] + 1 / t[:-1]) * step)])
    return d, count


def _spirals(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray, rng: np.random.Generator, n: int
) -> np.ndarray:
    """Spiral phase terms: ``n`` minutiae of random polarity inside ``mask``."""
    rows, cols = np.nonzero(mask[::8, ::8])
    phase = np.zeros(x.shape, np.float32)
    if len(rows) == 0:
        return phase
    for k in rng.choice(len(rows), size=min(n, len(rows)), replace=False):
        px, py = cols[k] * 8.0, rows[k] * 8.0
        turn = cv2.phase(x - np.float32(px), y - np.float32(py))  # float32: fast enough
        phase += np.float32(rng.choice((-1.0, 1.0))) * turn
    return phase


# --- the finger ----------------------------------------------------------------------------


def _fingertip(
    h: int, w: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """(soft contact mask 0..1, normalised radius, core position): an upright fingertip,
    rounded at the top, cut flat where the contact ends at the first joint."""
    half_w = min(rng.uniform(150.0, 190.0), 0.42 * w)
    top = rng.uniform(0.04, 0.1) * h
    half_h = min(1.35 * half_w, 0.55 * h)
    cx = w / 2 + rng.uniform(-0.03, 0.03) * w
    cy = top + half_h
    cut = min(h - rng.uniform(0.0, 0.04) * h, cy + rng.uniform(0.5, 0.8) * half_h)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Below the widest point the sides run almost straight down, narrowing a little.
    below = np.maximum(yy - cy, 0.0)
    ex = (xx - cx) / (half_w * (1.0 - 0.12 * below / half_h))
    ey = np.minimum(yy - cy, 0.0) / half_h
    radius = np.sqrt(ex**2 + ey**2)
    hard = ((radius <= 1.0) & (yy <= cut)).astype(np.float32)
    soft = cv2.GaussianBlur(hard, (0, 0), 4.0)
    core = (cx + rng.uniform(-0.15, 0.15) * half_w, cy + rng.uniform(-0.35, -0.05) * half_h)
    return soft, radius, core


def _pores(ridges: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Light dots on the ridges (sweat pores), to be subtracted from the ridge strength."""
    h, w = ridges.shape
    layer = np.zeros((h, w), np.float32)
    ys = rng.integers(0, h, 3000)
    xs = rng.integers(0, w, 3000)
    keep = ridges[ys, xs] > 0.85
    for py, px in zip(ys[keep][:600], xs[keep][:600], strict=True):
        cv2.circle(layer, (int(px), int(py)), 1, 1.0, -1)
    return cv2.GaussianBlur(layer, (0, 0), 0.8) * 0.6


def make_print(
    pattern: str = "loop",
    seed: int = 0,
    size: tuple[int, int] = (500, 500),
    period: float | None = None,
    pores: bool = True,
) -> np.ndarray:
    """A synthetic print, grey uint8 of shape ``size`` = (height, width), 500 ppi, dark ridges
    on light. ``period``: the ridge period in px (default: 8–11 px chosen by the seed)."""
    if pattern not in PATTERNS:
        raise ValueError(f"unknown pattern {pattern!r}; one of {PATTERNS}")
    h, w = int(size[0]), int(size[1])
    rng = np.random.default_rng([seed, PATTERNS.index(pattern), 13])
    contact, radius, core = _fingertip(h, w, rng)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    turn = math.radians(rng.uniform(-8.0, 8.0))  # the finger not quite straight
    rx = core[0] + (xx - core[0]) * math.cos(turn) - (yy - core[1]) * math.sin(turn)
    ry = core[1] + (xx - core[0]) * math.sin(turn) + (yy - core[1]) * math.cos(turn)
    dist = _DISTANCES[pattern](rx, ry, core, rng)
    d, count = _period_table(dist, rng, period)
    phase = _TWO_PI * np.interp(dist, d, count) + rng.uniform(0, _TWO_PI)
    fx, fy = xx.astype(np.float32), yy.astype(np.float32)
    phase += _spirals(fx, fy, contact > 0.5, rng, int(rng.integers(14, 30)))
    if pattern == "whorl":
        phase += rng.choice((-1.0, 1.0)) * np.arctan2(ry - core[1], rx - core[0])
    ridges = (0.5 + 0.5 * np.cos(phase)).astype(np.float32) ** 0.8  # 1 at a ridge's centre
    if pores:
        ridges = np.clip(ridges - _pores(ridges, rng), 0.0, 1.0)
    background = rng.uniform(215.0, 250.0)
    darkest = rng.uniform(35.0, 80.0)
    pressure = np.clip(1.0 - 0.55 * np.clip(radius, 0, 1.2) ** 4, 0.25, 1.0)
    pressure *= 1.0 + 0.08 * np.sin(xx / 97.0 + rng.uniform(0, 6)) * np.cos(yy / 131.0)
    depth = (background - darkest) * contact * pressure.astype(np.float32)
    image = background - depth * ridges
    image = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 0.7)
    image += rng.normal(0.0, 2.5, image.shape).astype(np.float32)
    return np.clip(image, 0, 255).astype(np.uint8)


# --- degradations --------------------------------------------------------------------------


def _background(image: np.ndarray) -> float:
    return float(np.percentile(image, 98))


def _blobs(shape: tuple[int, int], rng: np.random.Generator, scale: float) -> np.ndarray:
    """A smooth random field in 0..1 with features about ``scale`` px across."""
    field = rng.standard_normal(shape).astype(np.float32)
    field = cv2.GaussianBlur(field, (0, 0), scale)
    field -= field.min()
    return field / max(float(field.max()), 1e-6)


def _contact(img: np.ndarray) -> np.ndarray:
    """0..1 where the finger touches (ridge texture), blurred: degradations of the skin stay
    on the skin."""
    mean = cv2.blur(img, (15, 15))
    var = np.maximum(cv2.blur(img * img, (15, 15)) - mean * mean, 0.0)
    touch = (np.sqrt(var) > 12.0).astype(np.float32)
    return cv2.GaussianBlur(touch, (0, 0), 6.0)


def _faded(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """Light pressure: the ridges lose darkness, more at the edge of the contact."""
    bg = _background(img)
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    edge = np.hypot((xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2))
    keep = np.clip(1.0 - s * (0.82 + 0.15 * edge + 0.05 * _blobs(img.shape, rng, 30)), 0.02, 1)
    out = bg - (bg - img) * keep
    return out + s * 0.25 * (255.0 - bg)


def _dry(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """Dry skin touches the glass in spots: ridges break into dashes and dots."""
    bg = _background(img)
    spots = _blobs(img.shape, rng, 2.2)
    level = np.quantile(spots, min(0.9, 0.05 + 0.85 * s**1.3))  # the share of ridge lost
    gaps = np.clip((level - spots) / 0.03 + 0.5, 0.0, 1.0)  # 1 where contact is lost
    keep = 1.0 - gaps * min(1.0, 0.3 + 0.75 * s)
    keep *= 1.0 - 0.35 * s  # what is left is lighter too
    return bg - (bg - img) * keep


def _wet(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """Water fills the valleys: ridges thicken, then merge into dark blobs."""
    size = 1 + 2 * round(1 + 3 * s)
    spread = cv2.erode(img, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    spread = cv2.GaussianBlur(spread.astype(np.float32), (0, 0), 1.0 + 2.5 * s)
    puddles = np.clip((_blobs(img.shape, rng, 18) - (0.75 - 0.45 * s)) * 4.0, 0.0, 1.0)
    puddles *= _contact(img)
    mix = np.clip(s * (0.55 + 0.45 * puddles), 0.0, 1.0)
    out = img * (1.0 - mix) + spread * mix
    dark = float(np.percentile(img, 3))
    return out * (1.0 - 0.6 * s * puddles) + dark * 0.6 * s * puddles


def _smudged(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """The finger slid on greasy glass: motion blur along one direction and a haze."""
    length = 1 + round(24 * s)
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    angle = rng.uniform(0.0, 180.0)
    rot = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    kernel /= max(float(kernel.sum()), 1e-6)
    blurred = cv2.filter2D(img, -1, kernel, borderType=cv2.BORDER_REPLICATE)
    haze = _blobs(img.shape, rng, 40)
    grease = np.clip(s * (0.25 + 0.5 * haze), 0.0, 0.85)
    tone = float(np.mean(img)) * 0.9
    return blurred * (1.0 - grease) + tone * grease


def _partial(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """The finger placed off centre: up to about 60 % of it is outside the image."""
    h, w = img.shape
    angle = rng.uniform(-0.9, 0.9) + (0.0 if rng.random() < 0.5 else math.pi)  # mostly sideways
    shift = 0.6 * s * min(h, w)
    dx, dy = round(shift * math.cos(angle)), -round(abs(shift * math.sin(angle)))  # whole px
    move = np.float32([[1, 0, dx], [0, 1, dy]])
    moved = cv2.warpAffine(img, move, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=-1.0)
    # What comes into view is empty glass: the image's own background, with its noise.
    glass = moved < 0
    bg = float(np.median(np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])))
    moved[glass] = bg + rng.normal(0.0, 2.5, int(glass.sum()))
    return moved


def _scarred(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """One or two white creases across the print (no contact along the scar)."""
    h, w = img.shape
    bg = _background(img)
    crease = np.zeros((h, w), np.float32)
    for _ in range(1 if s < 0.5 else 2):
        angle = rng.uniform(-0.6, 0.6) + (math.pi / 2 if rng.random() < 0.3 else 0.0)
        cx, cy = w / 2 + rng.uniform(-0.15, 0.15) * w, h / 2 + rng.uniform(-0.15, 0.15) * h
        t = np.linspace(-0.8, 0.8, 24) * max(h, w)
        bend = rng.uniform(-0.0004, 0.0004) * t**2
        xs = cx + t * math.cos(angle) - bend * math.sin(angle)
        ys = cy + t * math.sin(angle) + bend * math.cos(angle)
        points = np.stack([xs, ys], axis=1).round().astype(np.int32)
        thickness = max(1, round(3 + 16 * s))
        cv2.polylines(crease, [points], False, 1.0, thickness, cv2.LINE_AA)
    crease = cv2.GaussianBlur(crease, (0, 0), 1.5) * min(1.0, 0.4 + 0.6 * s)
    return img * (1.0 - crease) + bg * crease


def _noise(img: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    """A bad sensor or a cheap cable: Gaussian speckle and salt-and-pepper."""
    out = img + rng.normal(0.0, 55.0 * s, img.shape)
    flip = rng.random(img.shape)
    out[flip < 0.12 * s] = 0.0
    out[flip > 1.0 - 0.12 * s] = 255.0
    return out


_DEGRADE = {
    "faded": _faded,
    "dry": _dry,
    "wet": _wet,
    "smudged": _smudged,
    "partial": _partial,
    "scarred": _scarred,
    "noise": _noise,
}


def degrade(image: np.ndarray, kind: str, strength: float, seed: int = 0) -> np.ndarray:
    """The print with one degradation of ``strength`` 0..1 (0: unchanged)."""
    if kind not in _DEGRADE:
        raise ValueError(f"unknown degradation {kind!r}; one of {DEGRADATIONS}")
    s = float(np.clip(strength, 0.0, 1.0))
    img = np.asarray(image, dtype=np.uint8)
    if s == 0.0:
        return img.copy()
    rng = np.random.default_rng([seed, DEGRADATIONS.index(kind), 31])
    out = _DEGRADE[kind](img.astype(np.float32), s, rng)
    return np.clip(np.asarray(out), 0, 255).astype(np.uint8)

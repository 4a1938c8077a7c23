"""The fingerprint quality score, 0–100, NFIQ 2-inspired (it is not NFIQ 2), with reasons.

The same families of features as NFIQ 2 on 32×32 blocks of a 500 ppi grey print
(:mod:`.features`): the foreground (Otsu over block texture), orientation certainty
(eigenvalues of the gradient covariance), orientation flow between neighbouring blocks, the
ridge frequency and its consistency (the spectral peak of a 1-D signature across the ridges),
local clarity and ridge/valley uniformity, the image mean and the mean of block means
(pressure), the foreground's area and centring — plus two of our own that the officer can
act on: straight light bands across the ridges (scars, creases) and a blotchy empty glass.
NFIQ 2 maps its features to a score with a random forest trained on matcher results; here
each feature goes through a *documented ramp* to a utility 0..1 and the utilities are
combined geometrically (a weak feature cannot be paid for by a strong one):

    u_i    = the mean over the foreground blocks (the finger's faint rim weighs less) of
             ramp_i(block feature): clarity, orientation certainty, frequency (spectral
             purity × a 500 ppi ridge period), contrast, speckle, orientation flow
    ridge  = Π u_i ^ w_i  (WEIGHTS: each utility alone can bring the score down)
    score  = 100 · ridge · area · centring · scar · pressure · glass  (the gates, 0..1)

Every ramp, weight and threshold and why it sits where it does: CALIBRATION.md next to this
file (``python bench/fingerprint.py --calibrate`` prints its tables). Each score comes with
the reasons the officer can act on, most important first (the one that costs the most
points); "rotated" is advice only and costs nothing (bedridden mode).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from capture.fingerprint import features as F
from resources.i18n import N_, catalogue

DEFAULT_THRESHOLD = 40
"""MOSIP's acceptance for slaps and thumbs (DESIGN §8)."""

REASONS: dict[str, str] = {
    "faded": N_("Faded print: press harder, moisten the fingertip"),
    "dry": N_("Dry finger: broken ridges, moisten the fingertip"),
    "wet": N_("Finger too wet: wipe it dry"),
    "smudged": N_("Dirty or smudged glass: wipe the glass"),
    "noisy": N_("Noisy image: wipe the glass and hold the finger still"),
    "partial": N_("Place the finger in the middle"),
    "rotated": N_("Turn the finger straight"),
    "scar": N_("Scar across the print"),
    "no_finger": N_("No finger on the glass"),
}
"""Reason code → English message id; the officer reads them in the station's language."""


@dataclass(frozen=True)
class Reason:
    code: str

    @property
    def message(self) -> str:
        return REASONS[self.code]

    def text(self, lang: str) -> str:
        return catalogue(lang).gettext(self.message)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.text("vi"), "en": self.text("en")}


@dataclass(frozen=True)
class FingerQuality:
    score: int  # 0–100
    reasons: tuple[Reason, ...] = ()  # most important first; empty for a good print
    features: dict[str, float] = field(default_factory=dict)

    def passed(self, threshold: int = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold

    def to_dict(self, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed(threshold),
            "reasons": [r.to_dict() for r in self.reasons],
            "features": {k: round(float(v), 4) for k, v in self.features.items()},
        }


# --- the ramps (CALIBRATION.md says why each sits where it does) ------------------------------


def ramp(x: np.ndarray | float, bad: float, good: float) -> np.ndarray:
    """0 at ``bad``, 1 at ``good``, linear between, clipped (``bad > good`` for a falling one)."""
    return np.clip((np.asarray(x, np.float64) - bad) / (good - bad), 0.0, 1.0)


@dataclass(frozen=True)
class Ramp:
    bad: float
    good: float

    def __call__(self, x: np.ndarray | float) -> np.ndarray:
        return ramp(x, self.bad, self.good)


CLARITY = Ramp(0.20, 0.60)  # local clarity of ridge and valley centres
COHERENCE = Ramp(0.30, 0.75)  # orientation certainty
PURITY = Ramp(0.30, 0.70)  # share of the signature one ridge frequency explains
PERIOD_LOW = Ramp(4.8, 6.0)  # px: ridges closer than 6 px are not 500 ppi ridges …
PERIOD_HIGH = Ramp(16.0, 14.0)  # … nor ridges wider apart than 14 px (real: 7–13)
CONTRAST = Ramp(5.0, 28.0)  # grey levels: ridge–valley amplitude
SPECKLE = Ramp(1.0, 0.30)  # pixel speckle / amplitude
FLOW = Ramp(50.0, 15.0)  # degrees: mean orientation change to the neighbouring blocks
AREA = Ramp(30_000.0, 70_000.0)  # px² of contact at 500 ppi (a fingertip: 80–150 000)
ACROSS = Ramp(0.60, 0.25)  # centroid offset across the finger, share of the half-image
ALONG = Ramp(0.80, 0.40)  # … along the finger (the finger goes on off the glass)
SCAR = Ramp(0.45, 0.04)  # share of the contact area under straight light bands
GLASS_DIRT = Ramp(5.0, 0.8)  # grey levels: blotches on the empty glass (clean: < 0.2)
MIN_GLASS_BLOCKS = 12  # glass blocks needed to judge the glass (twice the surface's terms)
RIM = Ramp(0.3, 0.7)  # block texture / the finger's median: below, the rim weighs less
WET = Ramp(0.70, 0.50)  # contact darkness (1 − mean / glass): water fills the valleys
LIGHT = Ramp(0.05, 0.20)  # … and the other end: a light touch barely darkens the glass
DARK = Ramp(0.36, 0.46)  # contact darkness that names weak ridges "wet" (good: 0.25–0.35)
WIDE = Ramp(0.50, 0.56)  # ridge share that says "wet": the valleys fill (good: 0.44–0.49)

WEIGHTS = {"clarity": 1.0, "coherence": 0.7, "frequency": 0.5, "contrast": 1.2,
           "speckle": 1.0, "flow": 0.3}
"""Exponents of the ridge utilities: each one alone can bring the score down."""

MIN_BLOCKS = 6
"""Fewer foreground blocks than this (6 000 px², a twentieth of a fingertip) is no finger."""
ROTATED_DEGREES = 25.0
"""Advice to straighten the finger beyond this tilt (it costs no points: the score is
rotation-tolerant for the bedridden)."""


def _floor(u: np.ndarray) -> np.ndarray:
    return np.asarray(np.maximum(u, 0.02), np.float64)


@dataclass(frozen=True)
class _Shape:
    area: float
    across: float
    along: float
    tilt: float  # degrees of the finger's axis from the vertical
    elongation: float


def _shape(b: F.Blocks) -> _Shape:
    fg = b.foreground
    ys, xs = np.nonzero(fg)
    bh, bw = fg.shape
    area = float(ys.size * b.block * b.block)
    if ys.size < 2:
        return _Shape(area, 1.0, 1.0, 0.0, 1.0)
    cy, cx = (ys + 0.5) / bh - 0.5, (xs + 0.5) / bw - 0.5  # −0.5..0.5 of the grid
    my, mx = float(cy.mean()), float(cx.mean())
    # the finger's axis from the second moments (in pixels, so a wide grid is not squeezed)
    py, px = (ys - ys.mean()) * 1.0, (xs - xs.mean()) * 1.0
    cyy, cxx, cxy = float((py * py).mean()), float((px * px).mean()), float((px * py).mean())
    angle = 0.5 * math.atan2(2 * cxy, cxx - cyy)  # major axis from the x axis
    lam1 = 0.5 * (cxx + cyy) + math.hypot(0.5 * (cxx - cyy), cxy)
    lam2 = 0.5 * (cxx + cyy) - math.hypot(0.5 * (cxx - cyy), cxy)
    elong = math.sqrt(lam1 / max(lam2, 1e-6))
    ax, ay = math.cos(angle), math.sin(angle)
    ox, oy = 2 * mx, 2 * my  # offset as a share of the half-grid
    along = abs(ox * ax + oy * ay)
    across = abs(-ox * ay + oy * ax)
    tilt = abs(90.0 - math.degrees(angle) % 180.0)
    return _Shape(area, across, along, tilt, elong)


def _flow(b: F.Blocks) -> np.ndarray:
    """Per block: mean change of orientation (degrees) to its foreground neighbours."""
    fg = b.foreground
    c2, s2 = np.cos(2 * b.orientation), np.sin(2 * b.orientation)
    total = np.zeros(fg.shape)
    count = np.zeros(fg.shape)
    h, w = fg.shape
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        ys0, ys1 = slice(0, h - dy), slice(dy, h)
        xs0 = slice(max(0, -dx), w - max(0, dx))
        xs1 = slice(max(0, dx), w - max(0, -dx))
        both = fg[ys0, xs0] & fg[ys1, xs1]
        cosd = c2[ys0, xs0] * c2[ys1, xs1] + s2[ys0, xs0] * s2[ys1, xs1]
        deg = np.degrees(0.5 * np.arccos(np.clip(cosd, -1, 1))) * both
        total[ys0, xs0] += deg
        count[ys0, xs0] += both
        total[ys1, xs1] += deg
        count[ys1, xs1] += both
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def _glass_dirt(b: F.Blocks) -> float:
    """How blotchy the empty glass is (grey levels): the robust spread of the glass blocks'
    means around a quadratic surface. Grease and the ghosts of earlier fingers make blotches;
    a scanner's smooth shading (vignetting) is what the surface takes away. 0 when too little
    glass shows (a crop, a finger filling the window)."""
    near = cv2.dilate(b.foreground.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    ys, xs = np.nonzero(~near)
    if ys.size < MIN_GLASS_BLOCKS:
        return 0.0
    h, w = near.shape
    y, x = ys / max(h - 1, 1) - 0.5, xs / max(w - 1, 1) - 0.5
    design = np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)
    values = b.mean[ys, xs].astype(np.float64)
    coef, *_ = np.linalg.lstsq(design, values, rcond=None)
    resid = values - design @ coef
    return float(1.4826 * np.median(np.abs(resid - np.median(resid))))


_SCAR_SIDE = 5


def _scar(b: F.Blocks, n_angles: int = 36) -> float:
    """Share of the contact area under straight light bands crossing the ridges.

    On the coarse print (8 px cells), the lightness above the finger's median, relative to
    the finger's depth below the glass, is averaged along every line (a Radon transform over
    the inner foreground, one block in from its edge, where the finger's own edge is light).
    A line is scar when that mean stands 0.25 above the lines 40 px away on both sides (and
    four standard errors: the cells' robust spread over the line's length), over at least half
    the finger's length at that angle.
    """
    coarse = b.coarse
    cells = b.block // F.COARSE
    inner = cv2.erode(b.foreground.astype(np.uint8), np.ones((3, 3), np.uint8),
                      borderType=cv2.BORDER_CONSTANT, borderValue=0)
    fgc = np.repeat(np.repeat(inner, cells, 0), cells, 1)[: coarse.shape[0], : coarse.shape[1]]
    if fgc.sum() < 64:
        return 0.0
    ys, xs = np.nonzero(fgc)
    level = float(np.median(coarse[ys, xs]))
    depth = max(b.glass - level, 20.0)
    anomaly = (coarse[ys, xs] - level) / depth
    angles = np.linspace(0, np.pi, n_angles, endpoint=False)
    rho = np.outer(np.cos(angles), xs) + np.outer(np.sin(angles), ys)
    off = math.ceil(math.hypot(*coarse.shape)) + 1
    nb = 2 * off + 1
    flat = (np.arange(n_angles)[:, None] * nb + np.rint(rho).astype(np.int64) + off).ravel()
    sums = np.bincount(flat, weights=np.tile(anomaly, n_angles), minlength=n_angles * nb)
    cnt = np.bincount(flat, minlength=n_angles * nb).astype(np.float64)
    sums, cnt = sums.reshape(n_angles, nb), cnt.reshape(n_angles, nb)
    mean = np.where(cnt > 0, sums / np.maximum(cnt, 1), 0.0)
    # a band, not a lighter region: lighter than the lines 5 cells (40 px) away on both sides
    side = np.maximum(np.roll(mean, _SCAR_SIDE, axis=1), np.roll(mean, -_SCAR_SIDE, axis=1))
    # … and by more than chance along that many cells (a dry print's islands are not a band)
    spread = 1.4826 * float(np.median(np.abs(anomaly - np.median(anomaly))))
    chance = 4.0 * spread / np.sqrt(np.maximum(cnt, 1))
    band = mean - side
    scarred = ((band > 0.25) & (band > chance)
               & (cnt >= 0.5 * cnt.max(axis=1, keepdims=True))).ravel()
    if not scarred.any():
        return 0.0
    # the cells on a scar line at any angle (each band is found at its own angle)
    return float(scarred[flat].reshape(n_angles, -1).any(axis=0).mean())


def assess_finger(image: np.ndarray) -> FingerQuality:
    """Score one finger image (grey uint8, 500 ppi, ridges dark on light), 0–100, with reasons.

    An image smaller than a block holds no finger (score 0); a colour image is a caller's
    mistake (ValueError): print files are turned grey when they are read.
    """
    img = np.asarray(image)
    if img.ndim != 2:
        raise ValueError("a fingerprint image is one grey channel")
    if min(img.shape) < F.BLOCK:
        return FingerQuality(0, (Reason("no_finger"),), {"blocks": 0.0, "area": 0.0})
    b = F.analyse(img)
    fg = b.foreground
    n = int(fg.sum())
    if n < MIN_BLOCKS:
        return FingerQuality(0 if n == 0 else 2, (Reason("no_finger"),),
                             {"blocks": float(n), "area": float(n * b.block * b.block)})
    shape = _shape(b)
    flow = _flow(b)
    per = np.nan_to_num(b.period[fg], nan=0.0)
    # the finger's own faint rim (where it curves away from the glass) counts less
    tex = b.texture[fg]
    weight = RIM(tex / max(float(np.median(tex)), 1e-6)) + 1e-3
    u = {
        "clarity": _floor(CLARITY(b.clarity[fg])),
        "coherence": _floor(COHERENCE(b.coherence[fg])),
        "frequency": _floor(PURITY(b.purity[fg]) * PERIOD_LOW(per) * PERIOD_HIGH(per)),
        "contrast": _floor(CONTRAST(b.amplitude[fg])),
        "speckle": _floor(SPECKLE(b.speckle[fg])),
        "flow": _floor(FLOW(flow[fg])),
    }
    means = {k: float(np.average(v, weights=weight)) for k, v in u.items()}
    ridge = math.prod(means[k] ** w for k, w in WEIGHTS.items())
    # pressure over the whole contact area, pools and all (not weighted: a pool is flat)
    darkness = float(np.clip(1.0 - b.mean[fg].mean() / max(b.glass, 1.0), 0.0, 1.0))
    gates = {
        "area": float(AREA(shape.area)),
        "centring": float(ACROSS(shape.across) * ALONG(shape.along)),
        "scar": float(SCAR(scar := _scar(b))),
        "pressure": float(WET(darkness)),
        "glass": float(GLASS_DIRT(dirt := _glass_dirt(b))),
    }
    score_f = 100.0 * ridge * math.prod(gates.values())
    score = round(min(100.0, max(0.0, score_f)))
    feats: dict[str, float] = {
        "blocks": float(n), "area": shape.area, "across": shape.across, "along": shape.along,
        "tilt": shape.tilt, "darkness": darkness, "scar": scar, "glass_dirt": dirt,
        "image_mean": float(cv2.mean(np.asarray(image, np.float32))[0]),
        "block_mean": float(b.mean[fg].mean()),
        "period": float(np.nanmedian(b.period[fg])),
        "period_spread": float(np.nanstd(b.period[fg]) / max(np.nanmedian(b.period[fg]), 1e-6)),
        "ridge_share": float(b.ridge_share[fg].mean()),
        "ridge_share_spread": float(b.ridge_share[fg].std()),
        "ridge": ridge,
    }
    feats.update({f"u_{k}": v for k, v in means.items()})
    feats.update({f"g_{k}": v for k, v in gates.items()})
    reasons = _reasons(means, gates, darkness, feats, shape, score)
    return FingerQuality(score, reasons, feats)


REASON_COST = 0.25
"""A problem is named when fixing it would raise the score by a quarter or more (log 0.25)."""
STRUCTURE_NORMAL = 0.15
"""What a good print loses to its own cores and deltas (curved ridges): not a problem."""
GOOD_ENOUGH = 80
"""At or above this score only advice ("rotated") is given."""


def _reasons(means: dict[str, float], gates: dict[str, float], darkness: float,
             feats: dict[str, float], shape: _Shape, score: int) -> tuple[Reason, ...]:
    """The problems that cost points, the costliest first.

    Each utility's loss (−w·log u) is put on the cause the picture points to: weak ridges
    on a light contact area are faded, on a dark one wet, on a normal one smeared; broken
    structure with speckle is noise, without it dry; the gates are their own causes.
    """
    loss = {k: -math.log(max(v, 1e-6)) * WEIGHTS[k] for k, v in means.items()}
    light = float(1.0 - LIGHT(darkness))  # 1 = barely darker than the glass
    wet = float(max(DARK(darkness), WIDE(feats["ridge_share"])))
    speckly = float(ramp(means["speckle"], 0.9, 0.5))
    contrast = loss["contrast"]
    structure = max(0.0, loss["clarity"] + loss["coherence"] + loss["frequency"]
                    + loss["flow"] - STRUCTURE_NORMAL)
    cost = {
        "faded": contrast * light,
        "wet": (contrast + structure) * wet - math.log(max(gates["pressure"], 1e-6)),
        "smudged": contrast * (1 - light) * (1 - wet) - math.log(max(gates["glass"], 1e-6)),
        "noisy": loss["speckle"] + structure * speckly,
        "dry": structure * (1 - speckly) * (1 - wet),
        "partial": -math.log(max(gates["area"] * gates["centring"], 1e-6)),
        "scar": -math.log(max(gates["scar"], 1e-6)),
    }
    out = [] if score >= GOOD_ENOUGH else [
        c for c, v in sorted(cost.items(), key=lambda kv: -kv[1]) if v >= REASON_COST]
    if shape.tilt > ROTATED_DEGREES and shape.elongation > 1.15:
        out.append("rotated")
    return tuple(Reason(c) for c in out)

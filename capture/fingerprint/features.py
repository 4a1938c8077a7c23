"""Block features of a print (500 ppi, 32×32 blocks), NFIQ 2-inspired, all vectorised.

Each block of the grid gets (see :class:`Blocks`) its grey mean and ridge-band texture, the
ridge orientation and its certainty (the eigenvalues of the gradient covariance), and — from a
1-D *signature* across the ridges (the block's pixels projected onto the normal of its ridge
orientation, averaged along the ridges) — the ridge period (the signature's spectral peak),
how much of the signature that one sinusoid explains, the ridge–valley amplitude, the local
clarity (do ridge centres measure dark and valley centres light?), the share of the block
that is ridge, and the pixel speckle. No Python loop runs over pixels or blocks: the
signatures of all blocks are one ``bincount``.

:func:`foreground_mask` is the score's own foreground, per pixel (slap segmentation cuts
fingers with it).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

BLOCK = 32
PERIODS = np.linspace(4.5, 20.0, 63)
"""Candidate ridge periods (px) searched in each signature; real prints: 7–13 px at 500 ppi."""
COARSE = 8
"""The coarse picture (for the scar search) is the print averaged over 8×8 pixels."""

_HALF = 16  # the signature uses the block's pixels within this radius of its centre
_NBINS = 2 * _HALF  # 1-px bins centred on ±0.5, ±1.5 … (where an axis-aligned block's pixels fall)
_KEEP = slice(2, _NBINS - 2)  # the end bins hold few pixels
_TEXTURE_FLOOR = 1.5  # grey levels per px, rms gradient: a clean glass stays below it
_DARK_CONTACT = 25.0  # grey levels below the glass: skin on the glass even without ridges
_DARK_PATCH = 12_000  # px²: a dark patch this large is skin even without ridges

Array = np.ndarray


@dataclass(frozen=True)
class Blocks:
    """Per-block features (arrays of the grid's shape) and where the grid lies in the image."""

    frame: tuple[int, int, int, int]  # (top, bottom, left, right) px of dark scanner frame
    origin: tuple[int, int]  # (y, x) of the grid's first pixel in the original image
    block: int
    glass: float  # grey level of the empty glass (the lightest skin when no glass shows)
    foreground: Array  # bool: the finger touches the glass here
    mean: Array
    texture: Array  # std of the ridge band (illumination and pixel noise removed)
    orientation: Array  # ridge direction, radians 0..π (image axes, y down)
    coherence: Array  # orientation certainty (λ1 − λ2) / (λ1 + λ2), 0..1
    period: Array  # ridge period, px (NaN outside the foreground)
    purity: Array  # share of the signature's variance one sinusoid explains, 0..1
    amplitude: Array  # ridge–valley amplitude of that sinusoid, grey levels
    clarity: Array  # 0 (ridge and valley centres indistinct) .. 1 (each on its side)
    ridge_share: Array  # share of the block darker than the ridge/valley middle
    speckle: Array  # mean |pixel − its 3×3 median| / amplitude
    coarse: Array  # the print averaged over COARSE×COARSE px (float32), frame cut

    @property
    def grid(self) -> tuple[int, int]:
        return (int(self.foreground.shape[0]), int(self.foreground.shape[1]))


# --- the grid and its foreground -------------------------------------------------------------


def _frame(grey: Array) -> tuple[int, int, int, int]:
    """Rows/columns of a dark, flat scanner frame at the edges (at most 12 % each side)."""
    h, w = grey.shape

    def run(lines: Array) -> int:
        n = 0
        for line in lines:  # stops at the first line that is not frame (usually the first)
            mean, std = cv2.meanStdDev(line)
            if float(mean[0, 0]) >= 70 or float(std[0, 0]) >= 14:
                break
            n += 1
        return n

    lh, lw = int(0.12 * h), int(0.12 * w)
    return (run(grey[:lh]), run(grey[::-1][:lh]), run(grey[:, :lw].T),
            run(grey[:, ::-1][:, :lw].T))


def _block_mean(a: Array, b: int) -> Array:
    """Mean of each b×b block (``a``'s sides are whole numbers of blocks)."""
    return cv2.resize(a, (a.shape[1] // b, a.shape[0] // b), interpolation=cv2.INTER_AREA)


def _fill_holes(mask: Array) -> Array:
    """Blocks enclosed by foreground become foreground (a scar, a pool inside the finger)."""
    pad = np.pad(~mask, 1, constant_values=True).astype(np.uint8)
    cv2.floodFill(pad, None, (0, 0), 2)
    return np.asarray(mask | (pad[1:-1, 1:-1] != 2), bool)


def _foreground(mean: Array, texture: Array, glass: float, block: int) -> Array:
    """The contact area: textured blocks, and the dark blocks joined to them (a wet pool).

    Textured: the ridges' gradient stands clear of the glass's own, by Otsu's split of log
    texture over the blocks, trusted only when its two sides differ 2.5× (else the whole grid
    is one kind); a floor keeps a clean empty glass empty. A dark patch without ridges (a
    smudge, a soaked finger) is contact too when it is large (≥ 12 000 px², 0.3 cm²). Holes are
    filled, lone blocks dropped.
    """
    tex = np.maximum(texture, 0.01)
    logt = np.log(tex)
    level = _TEXTURE_FLOOR
    spread = float(np.ptp(logt)) if logt.size else 0.0
    if logt.size >= 4 and spread > 0.5:
        scaled = ((logt - logt.min()) * (255.0 / spread)).astype(np.uint8)
        cut, _ = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        split = float(logt.min()) + cut * spread / 255.0
        lo, hi = tex[logt <= split], tex[logt > split]
        if lo.size and hi.size and float(np.median(hi)) > 2.5 * float(np.median(lo)):
            level = max(level, float(np.exp(split)))
    ridged = tex > level
    contact = (ridged | (glass - mean > _DARK_CONTACT)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(contact, connectivity=8)
    keep = np.zeros(n, bool)
    if n > 1:
        has_ridges = np.bincount(labels.ravel(), weights=ridged.ravel(), minlength=n) > 0
        keep = has_ridges | (stats[:, cv2.CC_STAT_AREA] * block * block >= _DARK_PATCH)
        keep[0] = False
    fg = _fill_holes(keep[labels])
    around = cv2.filter2D(fg.astype(np.float32), -1, np.ones((3, 3), np.float32),
                          borderType=cv2.BORDER_CONSTANT)
    return fg & (around >= 3)


@dataclass(frozen=True)
class _Grid:
    grey: Array  # float32, the grid's pixels only
    median: Array  # uint8, its 3×3 median
    frame: tuple[int, int, int, int]
    origin: tuple[int, int]
    gxx: Array  # gradient covariance, block means
    gyy: Array
    gxy: Array
    mean: Array
    texture: Array
    glass: float
    foreground: Array


def _grid(image: Array, block: int) -> _Grid:
    img = np.asarray(image)
    if img.ndim != 2:
        raise ValueError("a fingerprint image is one grey channel")
    if img.dtype != np.uint8:
        img = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    frame = _frame(img)
    top, bottom, left, right = frame
    inner = img[top: img.shape[0] - bottom, left: img.shape[1] - right]
    h, w = inner.shape
    bh, bw = h // block, w // block
    if bh < 1 or bw < 1:
        raise ValueError(f"a fingerprint image is at least {block}×{block} pixels")
    oy, ox = (h - bh * block) // 2, (w - bw * block) // 2
    u8 = np.ascontiguousarray(inner[oy: oy + bh * block, ox: ox + bw * block])
    grey = u8.astype(np.float32)
    # a 3×3 median first: speckle and sensor noise go, ridges (4–6 px wide) stay
    med = cv2.medianBlur(u8, 3)
    smooth = cv2.GaussianBlur(med.astype(np.float32), (5, 5), 1.0)
    gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3, scale=0.125)
    gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3, scale=0.125)
    gxx, gyy, gxy = (_block_mean(v, block) for v in (gx * gx, gy * gy, gx * gy))
    mean = _block_mean(grey, block)
    # texture: the rms gradient of the smoothed print, in grey levels per pixel — ridges
    # make it, shading (slow) and pixel noise (smoothed away) hardly do
    texture = np.sqrt(gxx + gyy)
    glass = float(np.percentile(mean, 95))
    fg = _foreground(mean, texture, glass, block)
    return _Grid(grey, med, frame, (top + oy, left + ox), gxx, gyy, gxy, mean, texture, glass, fg)


def foreground_mask(image: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """True where the finger touches the glass (per pixel, same shape as ``image``).

    The score's foreground: blocks whose ridge band stands clear of the glass's own noise
    (Otsu over the blocks), or dark blocks beside those, holes filled; a dark scanner frame
    and the few pixels the block grid leaves at the edges are never foreground.
    """
    img = np.asarray(image)
    mask = np.zeros(img.shape[:2], dtype=bool)
    if img.ndim != 2 or min(img.shape) < block:
        return mask
    g = _grid(img, block)
    bh, bw = g.foreground.shape
    oy, ox = g.origin
    mask[oy: oy + bh * block, ox: ox + bw * block] = np.repeat(
        np.repeat(g.foreground, block, 0), block, 1)
    return mask


# --- every block's features ------------------------------------------------------------------


def analyse(image: np.ndarray, block: int = BLOCK) -> Blocks:
    """All block features of one grey print (at least one block each way)."""
    g = _grid(image, block)
    grey = g.grey
    bh, bw = g.foreground.shape
    gxx, gyy, gxy = g.gxx, g.gyy, g.gxy
    coherence = np.sqrt((gxx - gyy) ** 2 + 4 * gxy**2) / np.maximum(gxx + gyy, 1e-6)
    orientation = np.mod(0.5 * np.arctan2(2 * gxy, gxx - gyy) + np.pi / 2, np.pi)
    # the signature's direction: the orientation averaged with the neighbours (doubled angles)
    k = np.ones((3, 3), np.float32)
    c2 = cv2.filter2D((gxx - gyy).astype(np.float32), -1, k, borderType=cv2.BORDER_REPLICATE)
    s2 = cv2.filter2D((2 * gxy).astype(np.float32), -1, k, borderType=cv2.BORDER_REPLICATE)
    steered = np.mod(0.5 * np.arctan2(s2, c2) + np.pi / 2, np.pi)

    shape = (bh, bw)
    out = {name: np.zeros(shape, np.float32)
           for name in ("purity", "amplitude", "clarity", "ridge_share", "speckle")}
    period = np.full(shape, np.nan, np.float32)
    idx = np.flatnonzero(g.foreground.ravel())
    if idx.size:
        speck = _block_mean(np.abs(grey - g.median.astype(np.float32)), block)
        pix = grey.reshape(bh, block, bw, block).transpose(0, 2, 1, 3).reshape(bh * bw, -1)[idx]
        fit = _fit(pix, steered.ravel()[idx], block)
        period.ravel()[idx] = fit["period"]
        for name in ("purity", "amplitude", "clarity", "ridge_share"):
            out[name].ravel()[idx] = fit[name]
        out["speckle"].ravel()[idx] = speck.ravel()[idx] / np.maximum(fit["amplitude"], 1.0)
    coarse = cv2.resize(grey, (grey.shape[1] // COARSE, grey.shape[0] // COARSE),
                        interpolation=cv2.INTER_AREA)
    return Blocks(frame=g.frame, origin=g.origin, block=block, glass=g.glass,
                  foreground=g.foreground, mean=g.mean, texture=g.texture,
                  orientation=orientation, coherence=coherence, period=period,
                  coarse=coarse, **out)


# --- the signature across the ridges, and the ridge model it gives ---------------------------


@dataclass(frozen=True)
class _Basis:
    dx: Array  # (pixels,) offsets from the block centre of the pixels in the disk
    dy: Array
    disk: Array  # (block*block,) bool
    tk: Array  # (bins,) centre of each kept bin, px across the ridges
    cos: Array  # (bins, periods)
    sin: Array
    inv: Array  # (periods, 2, 2): least squares of α·cos + β·sin at each period


_BASES: dict[int, _Basis] = {}


def _basis(block: int) -> _Basis:
    if block not in _BASES:
        c = (block - 1) / 2
        yy, xx = np.mgrid[0:block, 0:block].astype(np.float32)
        dy, dx = (yy - c).ravel(), (xx - c).ravel()
        # the disk's pixels on a checkerboard: half the work, every bin still well filled
        checker = ((yy + xx).ravel() % 2) == 0
        disk = (dx * dx + dy * dy <= _HALF * _HALF) & checker
        tk = np.arange(_NBINS, dtype=np.float64)[_KEEP] - _HALF + 0.5
        w = 2 * np.pi / PERIODS
        cs, sn = np.cos(np.outer(tk, w)), np.sin(np.outer(tk, w))
        gram = np.stack([np.stack([(cs * cs).sum(0), (cs * sn).sum(0)], -1),
                         np.stack([(cs * sn).sum(0), (sn * sn).sum(0)], -1)], -2)
        _BASES[block] = _Basis(dx[disk], dy[disk], disk, tk, cs, sn, np.linalg.inv(gram))
    return _BASES[block]


def _fit(pix: Array, theta: Array, block: int) -> dict[str, Array]:
    """Per block: the signature, its spectral peak, and the ridge model checked on the pixels.

    The signature is detrended (a pressure gradient is not a ridge) before its periodogram is
    searched over :data:`PERIODS`; at the peak, least squares give the sinusoid (a block holds
    a non-whole number of ridges, so cos and sin are not orthogonal over it).
    """
    bs = _basis(block)
    n = pix.shape[0]
    vals = pix[:, bs.disk]
    t = (np.outer(-np.sin(theta), bs.dx) + np.outer(np.cos(theta), bs.dy)).astype(np.float32)
    bins = np.clip((t + _HALF).astype(np.int64), 0, _NBINS - 1)  # t + 16 > 0: int() floors
    flat = (np.arange(n)[:, None] * _NBINS + bins).ravel()
    sums = np.bincount(flat, weights=vals.ravel(), minlength=n * _NBINS).reshape(n, _NBINS)
    cnt = np.bincount(flat, minlength=n * _NBINS).reshape(n, _NBINS)
    sig = (sums / np.maximum(cnt, 1))[:, _KEEP]
    m = sig.mean(axis=1)
    tk = bs.tk
    slope = (sig - m[:, None]) @ tk / float(tk @ tk)
    d = sig - m[:, None] - slope[:, None] * tk[None, :]
    a, b = d @ bs.cos, d @ bs.sin
    k = (a * a + b * b).argmax(axis=1)
    rows = np.arange(n)
    coef = np.einsum("nij,nj->ni", bs.inv[k], np.stack([a[rows, k], b[rows, k]], -1))
    amp = np.hypot(coef[:, 0], coef[:, 1])
    fitted = coef[:, :1] * bs.cos[:, k].T + coef[:, 1:] * bs.sin[:, k].T
    var = np.maximum((d * d).mean(axis=1), 1e-6)
    purity = np.clip(1.0 - ((d - fitted) ** 2).mean(axis=1) / var, 0.0, 1.0)
    # the model at every pixel of the disk
    wt = t * (2 * np.pi / PERIODS[k]).astype(np.float32)[:, None]
    model = (coef[:, :1].astype(np.float32) * np.cos(wt)
             + coef[:, 1:].astype(np.float32) * np.sin(wt))
    dev = vals - (m[:, None] + slope[:, None] * t).astype(np.float32)
    # clarity: ridge and valley centres (|model| ≥ half the amplitude) on their own side
    core = np.abs(model) >= 0.5 * amp[:, None].astype(np.float32)
    agree = ((dev < 0) == (model < 0)) & core
    share = agree.sum(axis=1) / np.maximum(core.sum(axis=1), 1)
    return {
        "period": PERIODS[k],
        "purity": purity,
        "amplitude": amp,
        "clarity": np.clip(2 * share - 1, 0.0, 1.0),
        "ridge_share": (dev < 0).mean(axis=1),
    }

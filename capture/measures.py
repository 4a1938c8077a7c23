"""The measurements of ARCHITECTURE.md on the full-resolution upright grey frame.

Each takes the frame and the face box or geometry and returns plain numbers; the checks in
:mod:`capture.checks` turn them into verdicts. Every region is resized to a fixed width first,
so a value does not depend on how large the face is in the frame.
"""

from __future__ import annotations

import cv2
import numpy as np

from capture import thresholds as T
from capture.report import Box, FaceGeometry


def _region(
    grey: np.ndarray, box: Box, fx0: float, fx1: float, fy0: float, fy1: float
) -> np.ndarray:
    """A part of a box given as fractions of it, clipped to the frame."""
    h, w = grey.shape[:2]
    x0 = int(np.clip(box.x + fx0 * box.w, 0, w))
    x1 = int(np.clip(box.x + fx1 * box.w, 0, w))
    y0 = int(np.clip(box.y + fy0 * box.h, 0, h))
    y1 = int(np.clip(box.y + fy1 * box.h, 0, h))
    return grey[y0:y1, x0:x1]


def _to_width(img: np.ndarray, width: int) -> np.ndarray:
    h, w = img.shape[:2]
    if w == 0 or h == 0:
        return img
    s = width / w
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    return cv2.resize(img, (width, max(1, round(h * s))), interpolation=interp)


def measure_sharpness(grey: np.ndarray, box: Box) -> float:
    """Variance of the Laplacian of the inner face at a fixed width (comparable across sizes)."""
    face = _region(grey, box, 0.1, 0.9, 0.1, 0.9)
    if face.size == 0:
        return 0.0
    face = _to_width(face, T.SHARPNESS_WIDTH)
    # a linear stretch first, so a dim face is not mistaken for a blurred one ("too dark"
    # must not read "blurred"); blur lowers the Laplacian much more than it lowers contrast
    lo, hi = np.percentile(face, (2, 98))
    gain = 255.0 / max(float(hi - lo), 16.0)
    face = cv2.convertScaleAbs(face, alpha=gain, beta=-float(lo) * gain)
    _, std = cv2.meanStdDev(cv2.Laplacian(face, cv2.CV_32F, ksize=1))
    return float(std[0, 0] ** 2)


def measure_exposure(grey: np.ndarray, box: Box) -> tuple[float, float, float]:
    """(mean luminance 0–1, fraction ≤ 25, fraction ≥ 247) of the inner face (no hair)."""
    face = _region(grey, box, 0.2, 0.8, 0.2, 0.9)
    if face.size == 0:
        return 0.0, 1.0, 0.0
    step = max(1, face.shape[1] // 128)  # a sample is enough for a mean
    face = face[::step, ::step]
    n = float(face.size)
    return (
        float(face.mean()) / 255.0,
        float(np.count_nonzero(face <= T.CLIPPED_DARK)) / n,
        float(np.count_nonzero(face >= T.CLIPPED_BRIGHT)) / n,
    )


def measure_lighting(grey: np.ndarray, box: Box) -> tuple[float, float]:
    """(histogram intersection of the cheeks, left/right mean ratio − 1 signed)."""
    left = _to_width(_region(grey, box, 0.15, 0.38, 0.5, 0.75), 32)
    right = _to_width(_region(grey, box, 0.62, 0.85, 0.5, 0.75), 32)
    if left.size == 0 or right.size == 0:
        return 1.0, 0.0
    hists = []
    for cheek in (left, right):
        h = cv2.calcHist([cheek], [0], None, [T.LIGHTING_BINS], [0, 256]).ravel()
        hists.append(h / max(float(h.sum()), 1.0))
    inter = float(np.minimum(hists[0], hists[1]).sum())
    lm, rm = float(left.mean()) + 1.0, float(right.mean()) + 1.0
    return inter, lm / rm - 1.0


def measure_background(grey: np.ndarray, geo: FaceGeometry) -> tuple[float, float, float]:
    """(mean luminance 0–1, gradient energy, fraction of the crop measured) around the head.

    The area is the crop above the chin minus an ellipse around the head; gradient energy is
    the mean Scharr magnitude normalised to 0–1, at a fixed width so it does not depend on size.
    """
    h, w = grey.shape[:2]
    c = geo.crop
    x0, y0 = int(max(0, c.x)), int(max(0, c.y))
    x1, y1 = int(min(w, c.x + c.w)), int(min(h, min(c.y + c.h, geo.chin_y)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return 0.0, 0.0, 0.0
    s = T.BACKGROUND_WIDTH / c.w
    roi = grey[y0:y1, x0:x1]
    small = cv2.resize(
        roi,
        (max(1, round(roi.shape[1] * s)), max(1, round(roi.shape[0] * s))),
        interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
    )
    mask: cv2.typing.MatLike = np.full(small.shape, 255, np.uint8)
    head_cx = ((geo.box.cx - x0) * s, ((geo.crown_y + geo.chin_y) / 2 - y0) * s)
    axes = (geo.box.w * 0.68 * s, geo.head_height * 0.58 * s)
    cv2.ellipse(
        mask,
        (round(head_cx[0]), round(head_cx[1])),
        (max(1, round(axes[0])), max(1, round(axes[1]))),
        0,
        0,
        360,
        0,
        -1,
    )
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8))  # drop the ellipse's own edge
    sel = mask > 0
    n = int(np.count_nonzero(sel))
    if n < 50:
        return 0.0, 0.0, 0.0
    f = small.astype(np.float32)
    gx = cv2.Scharr(f, cv2.CV_32F, 1, 0)
    gy = cv2.Scharr(f, cv2.CV_32F, 0, 1)
    mag = cv2.magnitude(gx, gy) / (255.0 * 16.0)
    measured = n / (small.shape[0] * small.shape[1]) * (roi.shape[0] * roi.shape[1]) / c.area
    return float(f[sel].mean()) / 255.0, float(mag[sel].mean()), measured


def measure_glare(grey: np.ndarray, eyes: list[Box]) -> float:
    """The largest fraction of near-white pixels in an eye box (reflections on glasses)."""
    worst = 0.0
    for b in eyes:
        r = _region(grey, b, 0, 1, 0, 1)
        if r.size:
            worst = max(worst, float(np.count_nonzero(r >= T.GLARE_LEVEL)) / r.size)
    return worst


def frame_luminance(grey: np.ndarray) -> float:
    """Mean luminance 0–1 of the central part of the frame (used when no face is found)."""
    h, w = grey.shape[:2]
    centre = grey[h // 6 : h - h // 6 : 4, w // 6 : w - w // 6 : 4]
    return float(centre.mean()) / 255.0 if centre.size else 0.0


def frame_sharpness(grey: np.ndarray) -> float:
    """Sharpness of the central third of the frame (the face is usually there)."""
    h, w = grey.shape[:2]
    return measure_sharpness(grey, Box(w / 3, h / 4, w / 3, h / 2))

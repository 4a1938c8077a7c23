"""Real face photos that ship inside test-only packages (matplotlib, skimage), and the one
composite both the capture and the GUI tests start from. Built once per process."""

from __future__ import annotations

import functools

import cv2
import numpy as np

LIGHT = 228  # a light plain wall


@functools.cache
def grace_hopper() -> np.ndarray:
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as fh:
        return cv2.imdecode(np.frombuffer(fh.read(), np.uint8), cv2.IMREAD_COLOR)


@functools.cache
def on_plain_wall() -> np.ndarray:
    """Grace Hopper cut out (GrabCut) and set before a light plain wall with room above.

    GrabCut runs on a half-size copy (4× cheaper: it was most of the suite's setup time) and
    its mask is scaled back up; the edge is feathered by the blur below anyway.
    """
    img = cv2.resize(grace_hopper(), None, fx=1.2, fy=1.2, interpolation=cv2.INTER_CUBIC)
    h, w = img.shape[:2]
    half = cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    hh, hw = half.shape[:2]
    mask = np.zeros((hh, hw), np.uint8)
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(0)
    cv2.grabCut(
        half, mask, (int(0.12 * hw), 5, int(0.78 * hw), hh - 5), bgd, fgd, 2, cv2.GC_INIT_WITH_RECT
    )
    fg = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 1.0, 0.0).astype(np.float32)
    fg = cv2.resize(fg, (w, h), interpolation=cv2.INTER_LINEAR)
    alpha = cv2.GaussianBlur(fg, (0, 0), 2)[..., None]
    canvas = np.full((h + 260, w + 160, 3), LIGHT, np.uint8)
    region = canvas[260:, 80 : 80 + w].astype(np.float32)
    canvas[260:, 80 : 80 + w] = (img * alpha + region * (1 - alpha)).astype(np.uint8)
    canvas.setflags(write=False)  # shared by every test: nobody may draw on it
    return canvas

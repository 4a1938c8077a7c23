"""Block features of a print (500 ppi, 32×32 blocks). FOUNDATION: the foreground only."""

from __future__ import annotations

import cv2
import numpy as np

BLOCK = 32


def foreground_mask(image: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """True where there is ridge structure (per pixel, same shape as ``image``).

    Block standard deviation, split by Otsu's threshold over the blocks: the glass around a
    finger is flat, ridges are not.
    """
    grey = np.asarray(image, dtype=np.float32)
    h, w = grey.shape
    bh, bw = max(1, h // block), max(1, w // block)
    cut = grey[: bh * block, : bw * block].reshape(bh, block, bw, block)
    std = cut.std(axis=(1, 3))
    scaled = np.clip(std * (255.0 / max(float(std.max()), 1e-6)), 0, 255).astype(np.uint8)
    level, _ = cv2.threshold(scaled, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    blocks = (scaled > level) & (std > 8.0)
    mask = np.zeros((h, w), dtype=bool)
    mask[: bh * block, : bw * block] = np.repeat(np.repeat(blocks, block, 0), block, 1)
    return mask

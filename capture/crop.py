"""``portrait(frame, report)``: the upright 3:4 JPEG that goes into the enrollment.

The crop comes from the report (chin-to-crown = 75 % of the height, eyes ≈ 53 % from the
bottom); the residual roll is levelled so the eyes are horizontal. The JPEG quality is searched
so the file lands in 30–80 KB: enough detail for the card printer, small enough for the bundle
that travels on a USB stick. A JPEG comment records the mode ("bedridden") and the rotation.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from capture.detect import rotate
from capture.errors import PortraitError
from capture.imagefile import encode_jpeg
from capture.report import QualityReport

PORTRAIT_SIZE = (480, 640)  # (width, height): ANSI/NIST minimum 480×600, ours 3:4
MIN_BYTES = 30_000
MAX_BYTES = 80_000


def portrait_image(
    frame: np.ndarray, report: QualityReport, size: tuple[int, int] = PORTRAIT_SIZE
) -> np.ndarray:
    """The upright, levelled 3:4 crop as a BGR array of ``size``."""
    if report.face is None:
        raise PortraitError()
    if (frame.shape[1], frame.shape[0]) != report.input_size:
        raise ValueError("the report was made for a frame of another size")
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    elif frame.shape[2] == 4:
        frame = cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    up = rotate(frame, report.rotation)
    geo = report.face
    crop = geo.crop
    out_w, out_h = size
    scale = out_h / crop.h
    # a region around the crop with room for the levelling rotation, padded where it leaves
    # the frame (replicated edge: the framing check has already said whether that is fine)
    m = 0.25 * crop.h
    rx0, ry0 = math.floor(crop.x - m), math.floor(crop.y - m)
    rx1, ry1 = math.ceil(crop.x + crop.w + m), math.ceil(crop.y + crop.h + m)
    fh, fw = up.shape[:2]
    cx0, cy0, cx1, cy1 = max(rx0, 0), max(ry0, 0), min(rx1, fw), min(ry1, fh)
    region = up[cy0:cy1, cx0:cx1]
    region = cv2.copyMakeBorder(
        region, cy0 - ry0, ry1 - cy1, cx0 - rx0, rx1 - cx1, cv2.BORDER_REPLICATE
    )
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    small = cv2.resize(
        region,
        (max(1, round(region.shape[1] * scale)), max(1, round(region.shape[0] * scale))),
        interpolation=interp,
    )
    if geo.left_eye is not None and geo.right_eye is not None and geo.eyes_measured:
        pivot = ((geo.left_eye[0] + geo.right_eye[0]) / 2, (geo.left_eye[1] + geo.right_eye[1]) / 2)
    else:
        pivot = (crop.cx, crop.cy)
    pivot_s = ((pivot[0] - rx0) * scale, (pivot[1] - ry0) * scale)
    matrix = cv2.getRotationMatrix2D(pivot_s, geo.roll_deg, 1.0)
    matrix[0, 2] -= (crop.x - rx0) * scale
    matrix[1, 2] -= (crop.y - ry0) * scale
    return cv2.warpAffine(
        small, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _with_comment(jpeg: bytes, comment: str) -> bytes:
    """Insert a COM segment after SOI (readers ignore it; our tools read the mode from it)."""
    body = comment.encode("ascii")
    seg = b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body
    return jpeg[:2] + seg + jpeg[2:]


def encode_portrait(
    image: np.ndarray, comment: str = "", min_bytes: int = MIN_BYTES, max_bytes: int = MAX_BYTES
) -> bytes:
    """JPEG bytes at the highest quality that fits ``max_bytes`` (binary search, 4–5 encodes)."""
    lo, hi = 40, 97
    best = encode_jpeg(image, lo)
    while lo <= hi:
        q = (lo + hi) // 2
        data = encode_jpeg(image, q)
        if len(data) <= max_bytes:
            best, lo = data, q + 1
        else:
            hi = q - 1
    # a very plain picture may stay under min_bytes even at 97: that is fine, it is complete
    del min_bytes
    return _with_comment(best, comment) if comment else best


def portrait(
    frame: np.ndarray, report: QualityReport, size: tuple[int, int] = PORTRAIT_SIZE
) -> bytes:
    """The portrait JPEG for ``frame`` as judged by ``report`` (see module doc)."""
    image = portrait_image(frame, report, size)
    comment = f"enrollment-station mode={report.mode.value} rotation={report.rotation}"
    return encode_portrait(image, comment)

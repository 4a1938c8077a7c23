"""Reading photo files safely: a phone photo from a memory card must never crash the station.

We check what we can before decoding (size, magic bytes, the dimensions in the header, the
end-of-file marker) so that a truncated or enormous file gets a clear error instead of a grey
half-picture or an out-of-memory crash. Decoding goes through ``cv2.imdecode(np.fromfile(...))``
because ``cv2.imread`` cannot open non-ASCII paths on Windows (Vietnamese folder names).

Phone photos are often stored sideways with an EXIF orientation tag; ``cv2.imdecode`` applies
the tag (all eight values, mirrored ones too) for IMREAD_COLOR and the IMREAD_REDUCED_COLOR_*
flags we use, so the array we return is upright (never pass IMREAD_UNCHANGED or
IMREAD_IGNORE_ORIENTATION here). ``tests/capture/test_exif.py`` pins this against Pillow.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import cv2
import numpy as np

from capture.errors import ImageReadError
from resources.i18n import N_

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Larger files are refused before reading: no real photo is that big."""
MAX_PIXELS = 100_000_000
"""Larger images are refused (100 MP): decoding would need gigabytes."""
REDUCE_ABOVE_PIXELS = 24_000_000
"""Larger images are decoded at 1/2, 1/4 or 1/8 size (libjpeg does it almost for free)."""

_FORMATS = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"RIFF", "webp"),
)


def sniff_format(head: bytes) -> str | None:
    """The image format from the first bytes, or None when it is not an image we know."""
    for magic, name in _FORMATS:
        if head.startswith(magic):
            if name == "webp" and head[8:12] != b"WEBP":
                return None
            return name
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first SOF marker, without decoding."""
    i = 2
    n = len(data)
    while i + 9 < n:
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return w, h
        i += 2 + length
    return None


def header_size(data: bytes, fmt: str) -> tuple[int, int] | None:
    """(width, height) read from the header for JPEG and PNG; None when unknown."""
    if fmt == "png" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return w, h
    if fmt == "jpeg":
        return _jpeg_size(data)
    return None


def _looks_truncated(data: bytes, fmt: str) -> bool:
    tail = data[-64:].rstrip(b"\x00")  # some cameras pad after the end marker
    if fmt == "jpeg":
        return b"\xff\xd9" not in tail
    if fmt == "png":
        return b"IEND" not in tail
    return False


def _reduce_flag(pixels: int) -> tuple[int, int]:
    """The imread flag and factor that bring ``pixels`` under the decode budget."""
    for factor, flag in (
        (1, cv2.IMREAD_COLOR),
        (2, cv2.IMREAD_REDUCED_COLOR_2),
        (4, cv2.IMREAD_REDUCED_COLOR_4),
        (8, cv2.IMREAD_REDUCED_COLOR_8),
    ):
        if pixels / (factor * factor) <= REDUCE_ABOVE_PIXELS:
            return flag, factor
    return cv2.IMREAD_REDUCED_COLOR_8, 8


def decode_image(data: bytes, name: str = "image") -> np.ndarray:
    """Decode image bytes to an upright (EXIF orientation applied) BGR uint8 array, or raise
    :class:`ImageReadError`."""
    if not data:
        raise ImageReadError(N_("The photo file is empty."))
    fmt = sniff_format(data[:16])
    if fmt is None:
        raise ImageReadError(N_("This is not a photo (JPEG, PNG, BMP, TIFF or WebP expected)."))
    if _looks_truncated(data, fmt):
        raise ImageReadError(N_("The photo file is cut short: copy it again from the card."))
    flag, factor = cv2.IMREAD_COLOR, 1
    size = header_size(data, fmt)
    if size is not None:
        pixels = size[0] * size[1]
        if pixels > MAX_PIXELS:
            raise ImageReadError(
                N_("The picture is too large ({megapixels} megapixels; at most {maximum})."),
                megapixels=round(pixels / 1e6), maximum=MAX_PIXELS // 1_000_000,
            )
        if fmt == "jpeg":  # reduced decoding is exact and cheap only for JPEG
            flag, factor = _reduce_flag(pixels)
    buf = np.frombuffer(data, dtype=np.uint8)
    try:
        image = cv2.imdecode(buf, flag)
    except cv2.error as exc:  # e.g. the decoder's own pixel limit
        raise ImageReadError(N_("The picture cannot be decoded.")) from exc
    if image is None or image.size == 0:
        raise ImageReadError(N_("The picture is damaged and cannot be decoded."))
    if image.shape[0] * image.shape[1] > MAX_PIXELS:
        raise ImageReadError(N_("The picture is too large."))
    if factor > 1:
        log.info("decoded a large photo at 1/%d size", factor)
    return image


def load_image(path: str | Path) -> np.ndarray:
    """Read a photo file into a BGR uint8 array with errors an officer can understand."""
    p = Path(path)
    if not p.exists():
        raise ImageReadError(N_("There is no such file: check where the photo was saved."))
    if not p.is_file():
        raise ImageReadError(N_("This is not a file."))
    try:
        nbytes = p.stat().st_size
        if nbytes > MAX_FILE_BYTES:
            raise ImageReadError(
                N_("The photo file is too large ({megabytes} MB)."),
                megabytes=nbytes // (1024 * 1024),
            )
        data = np.fromfile(str(p), dtype=np.uint8).tobytes()
    except OSError as exc:
        raise ImageReadError(N_("The photo file cannot be read.")) from exc
    return decode_image(data, p.name)


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    """JPEG bytes (baseline, 4:2:0) of a BGR image."""
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()

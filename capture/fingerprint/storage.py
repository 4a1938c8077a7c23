"""How prints are stored (WSQ) and how print files are read (WSQ, PNG, BMP), safely.

**Stored form: WSQ** (Wavelet Scalar Quantization, the FBI's compression for 500 ppi grey
prints, used by ID systems world-wide), through IDEMIA's ``wsq`` package: a Pillow plugin
around NIST's NBIS encoder, CeCILL-C, with wheels for Windows, Linux and macOS. ``import wsq``
registers the "WSQ" format with Pillow. Its bit rate is **0.75 bits a pixel** (≈ 15:1, the
FBI's usual rate): it is fixed inside the C wrapper (``csrc/_wsq.c`` sets ``ratio = 0.75``
whatever Pillow passes), so there is no option to choose; the figure is written into each
file's NISTCOM comment (``WSQ_BITRATE 0.750000``). When the ``wsq`` module cannot be imported
(a build without it) prints are kept as lossless PNG instead, and so are images too small
for the wavelet (NBIS refuses some below about 64 px); every stored print carries its format
(``encode`` returns it) so both kinds are read back.

Bytes per finger (``python bench/fingerprint_storage.py``: the median over 15 prints, 500×500,
loop, whorl and arch, 5 seeds each, from ``tests/capture/other_prints.py``): **WSQ 13.3 KB**
(18:1 of the raw 244 KB; round trip within 2.3 grey levels on average, correlation 0.998)
against **156 KB as PNG** at its highest compression (a sensor's noise does not compress);
480×640 prints: 15.5 KB against 189 KB.

**Reading files** (a scanner tool's folder, ``main.py check-finger``): the format comes from
the magic bytes, never the file name. PNG and BMP go through :mod:`capture.imagefile` (its
header walk, its refusals). A WSQ file is walked marker by marker (SOI ``FFA0``, the tables,
the frame header ``FFA2`` with the height and width, the entropy-coded blocks ``FFA3`` to the
end marker ``FFA1``) before the NBIS decoder sees it, so a file cut short, a garbage file or a
header that claims a huge image is refused with a sentence instead of reaching C code that
would allocate for it. Any image is refused above :data:`MAX_SIDE` pixels a side (a finger is
at most about 1600×1600 at 500 ppi, a four-finger slap about 1600×1500). Colour images are
turned grey.
"""

from __future__ import annotations

import io
import logging
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from capture import imagefile
from capture.errors import ImageReadError
from resources.i18n import N_

log = logging.getLogger(__name__)

try:  # registers the "WSQ" format with Pillow
    import wsq  # type: ignore[import-untyped]  # noqa: F401  (for its side effect)
    from PIL import Image
except ImportError:  # pragma: no cover - the wsq wheel is a dependency
    HAVE_WSQ = False
else:
    HAVE_WSQ = True

FORMATS = ("wsq", "png", "bmp")
"""What print files may be: WSQ and the two formats scanner tools save (PNG, BMP)."""
MAX_SIDE = 4000
"""Pixels a side: a 500 ppi slap is about 1600×1500, a 1000 ppi one twice that."""
MAX_FILE_BYTES = 64 * 1024 * 1024
"""A 4000×4000 24-bit BMP is 48 MB; a print is tens of kilobytes."""
WSQ_MIN_SIDE = 64
"""NBIS's buffers are sized for prints: smaller images are stored as PNG."""
MAX_MARKERS = 1_000
"""Markers walked in a WSQ file: NBIS writes about a dozen."""

_NAMES = {"wsq": "WSQ", "png": "PNG", "bmp": "BMP"}
_OTHER_NAMES = {"jpeg": "JPEG", "tiff": "TIFF", "webp": "WebP", "gif": "GIF",
                "heif": "HEIC/HEIF", "avif": "AVIF", "jp2": "JPEG 2000"}  # fmt: skip
_SOI, _EOI, _SOF, _SOB = 0xA0, 0xA1, 0xA2, 0xA3
_TABLES = frozenset({0xA4, 0xA5, 0xA6, 0xA7, 0xA8})  # DTT, DQT, DHT, DRT, COM
_NEEDED_TABLES = frozenset({0xA4, 0xA5, 0xA6})  # the decoder cannot do without these
# In a block's entropy-coded data 0xFF is followed by 0x00 (stuffing) or a restart marker
# (FFB0–FFB7); the first other pair is the next marker.
_BLOCK_END = re.compile(rb"\xff[^\x00\xb0-\xb7]")


@dataclass(frozen=True)
class WsqHeader:
    width: int
    height: int
    end: int  # the bytes of the image up to its end marker; what follows is ignored


def _cut_short() -> ImageReadError:
    return ImageReadError(N_("The fingerprint file is cut short: copy it again."))


def _damaged() -> ImageReadError:
    return ImageReadError(N_("The fingerprint image is damaged and cannot be decoded."))


def _too_large(width: int, height: int) -> ImageReadError:
    return ImageReadError(
        N_("The fingerprint image is too large ({width}×{height} pixels; at most "
           "{maximum}×{maximum})."),
        width=width, height=height, maximum=MAX_SIDE,
    )  # fmt: skip


def sniff(data: bytes) -> str | None:
    """The format from the first bytes: "wsq", "png", "bmp", or None for anything else."""
    if data[:3] == b"\xff\xa0\xff":  # start of image, then a table or the frame
        return "wsq"
    fmt = imagefile.sniff_format(data[:32])
    return fmt if fmt in FORMATS else None


def read_wsq_header(data: bytes) -> WsqHeader:
    """Walk a WSQ file's markers to its end; raise :class:`ImageReadError` when it is cut
    short, damaged or larger than :data:`MAX_SIDE`."""
    if data[:2] != b"\xff\xa0":
        raise _damaged()
    size: tuple[int, int] | None = None
    tables: set[int] = set()
    blocks = 0
    i = 2
    for _ in range(MAX_MARKERS):
        if i + 2 > len(data):
            raise _cut_short()
        if data[i] != 0xFF:
            raise _damaged()
        marker = data[i + 1]
        if marker == _EOI:
            if size is None or not blocks:
                raise _damaged()
            return WsqHeader(size[0], size[1], i + 2)
        if marker == _SOI or not (marker in _TABLES or marker in (_SOF, _SOB)):
            raise _damaged()
        if i + 4 > len(data):
            raise _cut_short()
        (length,) = struct.unpack_from(">H", data, i + 2)
        end = i + 2 + length
        if length < 2:
            raise _damaged()
        if end > len(data):
            raise _cut_short()
        if marker == _SOF:
            if size is not None or length < 17:
                raise _damaged()
            height, width = struct.unpack_from(">HH", data, i + 6)
            if width == 0 or height == 0:
                raise _damaged()
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _too_large(width, height)
            size = (width, height)
            i = end
        elif marker == _SOB:
            if size is None or not tables >= _NEEDED_TABLES:
                raise _damaged()
            blocks += 1
            found = _BLOCK_END.search(data, end)
            if found is None:
                raise _cut_short()
            i = found.start()
        else:
            tables.add(marker)
            i = end
    raise _damaged()


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(image, dtype=np.uint8)


def _decode_wsq(data: bytes) -> np.ndarray:
    header = read_wsq_header(data)
    if not HAVE_WSQ:  # pragma: no cover - the wsq wheel is a dependency
        raise ImageReadError(N_("WSQ files cannot be read on this station (no WSQ decoder)."))
    try:
        with Image.open(io.BytesIO(data[: header.end]), formats=["WSQ"]) as picture:
            picture.load()
            image = np.asarray(picture.convert("L"), dtype=np.uint8)
    except Exception as exc:  # the NBIS wrapper raises bare Exception("WSQ Error: -n")
        raise _damaged() from exc
    if image.shape != (header.height, header.width):
        raise _damaged()
    return np.ascontiguousarray(image)


def _decode_raster(data: bytes) -> np.ndarray:
    header = imagefile.read_header(data, formats={"png", "bmp"})
    if header.width > MAX_SIDE or header.height > MAX_SIDE:
        raise _too_large(header.width, header.height)
    return _grey(imagefile.decode_image(data, formats={"png", "bmp"}))


def decode_print(data: bytes) -> np.ndarray:
    """A print file's bytes (WSQ, PNG or BMP, told by their magic) to grey uint8."""
    if not data:
        raise ImageReadError(N_("The fingerprint file is empty."))
    fmt = sniff(data)
    if fmt is None:
        other = imagefile.sniff_format(data[:32])
        if other is not None:
            raise ImageReadError(
                N_("{format} pictures are not accepted for fingerprints (expected: "
                   "{formats})."),
                format=_OTHER_NAMES.get(other, other.upper()), formats=", ".join(_NAMES.values()),
            )  # fmt: skip
        raise ImageReadError(N_("This is not a fingerprint image ({formats} expected)."),
                             formats=", ".join(_NAMES.values()))  # fmt: skip
    return _decode_wsq(data) if fmt == "wsq" else _decode_raster(data)


def decode(data: bytes, fmt: str) -> np.ndarray:
    """A stored print (``encode``'s bytes and format) back to grey uint8."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown print format {fmt!r}")
    if data and sniff(data) != fmt:
        raise _damaged()  # the bytes are not what the record says
    return decode_print(data)


def encode(image: np.ndarray) -> tuple[bytes, str]:
    """(bytes, format) of a grey print for the database: WSQ at 0.75 bpp, or lossless PNG
    when there is no WSQ encoder or the image is too small for it."""
    grey = _grey(np.asarray(image))
    if HAVE_WSQ and min(grey.shape) >= WSQ_MIN_SIDE:
        buf = io.BytesIO()
        try:
            Image.fromarray(grey).save(buf, format="WSQ")
        except Exception:  # NBIS's own error (it prints the details on stderr)
            log.info("WSQ cannot encode a %dx%d image: stored as PNG", *grey.shape[::-1])
        else:
            return buf.getvalue(), "wsq"
    ok, png = cv2.imencode(".png", grey, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    if not ok:
        raise ValueError("PNG encoding failed")
    return png.tobytes(), "png"


def load_print(path: str | Path) -> np.ndarray:
    """Read a print file (WSQ, PNG, BMP) to grey uint8 with errors an officer understands."""
    p = Path(path)
    if not p.exists():
        raise ImageReadError(N_("There is no such file: check where the print was saved."))
    if not p.is_file():
        raise ImageReadError(N_("This is not a file."))
    try:
        nbytes = p.stat().st_size
        if nbytes > MAX_FILE_BYTES:
            raise ImageReadError(N_("The fingerprint file is too large ({megabytes} MB)."),
                                 megabytes=nbytes // (1024 * 1024))  # fmt: skip
        data = p.read_bytes()  # Python opens non-ASCII paths on Windows (cv2.imread does not)
    except OSError as exc:
        raise ImageReadError(N_("The fingerprint file cannot be read.")) from exc
    return decode_print(data)

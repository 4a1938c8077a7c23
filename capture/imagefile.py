"""Reading photo files safely: a phone photo from a memory card must never crash the station.

Portraits are read from JPEG and PNG files only (:data:`PORTRAIT_FORMATS`). Every phone and
camera writes JPEG, screenshots and scanners PNG; BMP, TIFF, WebP, GIF, HEIC, AVIF and JPEG 2000
files are refused with a sentence that names their format and asks for a JPEG or PNG copy.
They bring no photo a station needs, each would need its own header guard, and the libraries
behind OpenCV's TIFF and WebP readers (libtiff, libwebp: CVE-2023-4863) have long records of
memory-safety bugs; an iPhone set to "Most Compatible" or a chat app sends JPEG. (A fingerprint
loader will accept BMP as well: :func:`read_header` already reads BMP headers, RLE included,
and ``formats=`` opens :func:`decode_image` to it under the same rule.)

Before anything is decoded we read what the file says about itself, so that a hostile or
damaged file gets a clear refusal instead of gigabytes of memory or a grey half-picture:

- the format, from the magic bytes;
- the structure, walked to the image's own end: JPEG segments and scans to the end-of-image
  marker (bytes after it — phones append maker data, thumbnails, motion-photo videos — are
  ignored), PNG chunks to IEND, the BMP headers and the size of their pixel array;
- the dimensions, and what decoding them costs: the output, and for a progressive or
  multi-scan JPEG the decoder's whole-image coefficient buffer (2 bytes a sample, whatever the
  output scale). JPEGs above :data:`REDUCE_ABOVE_PIXELS` are decoded at 1/2, 1/4 or 1/8 size
  (libjpeg does it almost for free); PNG and BMP cannot be, so they stop there.

A JPEG cut short and then given an end marker (a copy interrupted, a file "repaired") passes
the structure walk, but libjpeg fills whatever it could not read with zero coefficients —
flat 128 grey — so a photo whose last block (the bottom-right corner as stored) is exactly
that grey is refused as damaged; this is how JPEG repair tools spot it too. A progressive JPEG
cut short between scans is caught by the walk: its scans must bring every coefficient of every
component to full precision. (A CMYK JPEG decodes that fill to another colour: only its
structure is checked.)

Decoding goes through ``cv2.imdecode`` on the bytes because ``cv2.imread`` cannot open
non-ASCII paths on Windows (Vietnamese folder names). Phone photos are often stored sideways
with an EXIF orientation tag; ``cv2.imdecode`` applies the tag (all eight values, mirrored ones
too) for IMREAD_COLOR and the IMREAD_REDUCED_COLOR_* flags we use, so the array we return is
upright (never pass IMREAD_UNCHANGED or IMREAD_IGNORE_ORIENTATION here).
``tests/capture/test_exif.py`` pins this against Pillow; ``tests/capture/test_image_bombs.py``
the refusals, and ``bench/image_bombs.py`` measures the memory they keep.
"""

from __future__ import annotations

import logging
import re
import struct
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from capture.errors import ImageReadError
from resources.i18n import N_

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Larger files are refused before reading: a 100 MP phone photo is 30-50 MB."""
MAX_PIXELS = 100_000_000
"""Larger JPEGs are refused (100 MP), even though they would be decoded reduced."""
REDUCE_ABOVE_PIXELS = 24_000_000
"""Larger JPEGs are decoded at 1/2, 1/4 or 1/8 size; larger PNG and BMP files are refused."""
DECODE_BUDGET_BYTES = 200 * 1024 * 1024
"""What one decode may allocate: the BGR output twice over (OpenCV holds a second copy while it
converts or turns it) and a progressive JPEG's coefficient buffer. With the Python process
itself (~50 MB) the peak RSS of a decode stays under 300 MB (bench/image_bombs.py)."""
MAX_JPEG_SCANS = 100
"""libjpeg's progressive script has 10 scans, mozjpeg's about 20; thousands cost CPU only."""
MAX_SEGMENTS = 5_000
"""Markers, segments or chunks walked: a real file has tens (a huge PNG a few thousand)."""

PORTRAIT_FORMATS = frozenset({"jpeg", "png"})
"""What the portrait loader accepts (see the module docstring for why)."""

_NAMES = {
    "jpeg": "JPEG", "png": "PNG", "bmp": "BMP", "tiff": "TIFF", "webp": "WebP", "gif": "GIF",
    "heif": "HEIC/HEIF", "avif": "AVIF", "jp2": "JPEG 2000",
}  # fmt: skip
_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"II+\x00", "tiff"),  # BigTIFF
    (b"MM\x00+", "tiff"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2"),
    (b"\xff\x4f\xff\x51", "jp2"),  # a bare JPEG 2000 codestream
)
_BMP_HEADER_SIZES = {struct.pack("<I", n) for n in (12, 40, 52, 56, 64, 108, 124)}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}


def sniff_format(head: bytes) -> str | None:
    """The image format from the first bytes (accepted or not), or None when it is not an
    image format we know."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if name == "bmp" and head[14:18] not in _BMP_HEADER_SIZES:
                return None  # "BM" alone is two letters of text
            return name
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":  # ISO media: iPhones write HEIC, some Androids AVIF
        brand = head[8:12]
        if brand in _AVIF_BRANDS:
            return "avif"
        if brand in _HEIF_BRANDS:
            return "heif"
    return None


@dataclass(frozen=True)
class ImageHeader:
    """What a file says about its image, read without decoding it."""

    format: str
    width: int
    height: int
    end: int  # the image's own bytes; what follows (a phone's trailer) is never decoded
    work_bytes: int = 0  # what the decoder holds besides the output (JPEG coefficients)
    orientation: int = 1  # EXIF orientation of a JPEG (1 when absent)
    components: int = 3  # colour components of a JPEG (4: CMYK)

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _cut_short() -> ImageReadError:
    return ImageReadError(N_("The photo file is cut short: copy it again from the card."))


def _damaged() -> ImageReadError:
    return ImageReadError(N_("The picture is damaged and cannot be decoded."))


def _names(formats: Collection[str]) -> str:
    return ", ".join(_NAMES[f] for f in sorted(formats, key=list(_NAMES).index))


# --- JPEG ----------------------------------------------------------------------------------

_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # DHT, JPG, DAC are not frames
_PROGRESSIVE = frozenset({0xC2, 0xC6, 0xCA, 0xCE})
_LOSSLESS = frozenset({0xC3, 0xC7, 0xCB, 0xCF})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length
_ALL_COEFFICIENTS = (1 << 64) - 1
# In entropy-coded data a 0xFF is followed by 0x00 (stuffing), by RSTn, or by more 0xFF fill
# before a marker: the first other pair ends the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_NOT_FF = re.compile(rb"[^\xff]")
_ORIENTATION_TAG = 0x0112


@dataclass
class _Frame:
    marker: int
    width: int
    height: int
    sampling: dict[int, tuple[int, int]]  # component id → (h, v)


def _parse_sof(marker: int, body: bytes) -> _Frame:
    if len(body) < 6:
        raise _damaged()
    _precision, height, width, count = struct.unpack_from(">BHHB", body)
    if width == 0 or height == 0 or not 1 <= count <= 4 or len(body) < 6 + 3 * count:
        raise _damaged()  # height 0 means a DNL marker later: libjpeg cannot decode those
    sampling = {}
    for k in range(count):
        cid, hv = body[6 + 3 * k], body[7 + 3 * k]
        h, v = hv >> 4, hv & 0x0F
        if not (1 <= h <= 4 and 1 <= v <= 4) or cid in sampling:
            raise _damaged()
        sampling[cid] = (h, v)
    return _Frame(marker, width, height, sampling)


def _coefficient_bytes(frame: _Frame) -> int:
    """The whole-image coefficient buffer libjpeg allocates for a multi-scan JPEG: one 128-byte
    block per 8×8 samples of each component, padded to whole MCUs."""
    hmax = max(h for h, _v in frame.sampling.values())
    vmax = max(v for _h, v in frame.sampling.values())
    mcu_cols = -(-frame.width // (8 * hmax))
    mcu_rows = -(-frame.height // (8 * vmax))
    blocks = sum(mcu_cols * h * mcu_rows * v for h, v in frame.sampling.values())
    return blocks * 128


def _scan_coverage(frame: _Frame, body: bytes, done: dict[int, int]) -> int:
    """Record which coefficients a scan (its SOS header ``body``) completes; return how many
    components it holds."""
    if len(body) < 1 or not 1 <= body[0] <= 4 or len(body) < 4 + 2 * body[0]:
        raise _damaged()
    count = body[0]
    ids = [body[1 + 2 * k] for k in range(count)]
    ss, se, approx = body[1 + 2 * count], body[2 + 2 * count], body[3 + 2 * count]
    if any(cid not in frame.sampling for cid in ids):
        raise _damaged()
    if frame.marker not in _PROGRESSIVE:
        bits = _ALL_COEFFICIENTS  # a sequential or lossless scan carries its components whole
    elif ss <= se <= 63:
        bits = ((1 << (se + 1)) - 1) ^ ((1 << ss) - 1) if (approx & 0x0F) == 0 else 0
    else:
        raise _damaged()
    for cid in ids:
        done[cid] = done.get(cid, 0) | bits
    return count


def _exif_orientation(tiff: bytes) -> int:
    """The orientation tag of IFD0 in an EXIF block, 1 when absent or unreadable."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 1
    try:
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for k in range(min(count, 256)):
            tag, kind, _n, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * k)
            if tag == _ORIENTATION_TAG and kind == 3:
                return value if 1 <= value <= 8 else 1
    except struct.error:
        pass
    return 1


def _next_marker(data: bytes, i: int) -> tuple[int, int]:
    """(marker, position after it) of the first marker at or after ``i``; bytes that are not a
    marker are skipped, as libjpeg does (with a warning)."""
    i = data.find(b"\xff", i)
    if i < 0:
        raise _cut_short()
    m = _NOT_FF.search(data, i)  # any number of 0xFF fill bytes
    if m is None:
        raise _cut_short()
    return data[m.start()], m.start() + 1


def _jpeg_header(data: bytes) -> ImageHeader:
    """Walk the segments and scans of a JPEG to its end-of-image marker."""
    frame: _Frame | None = None
    done: dict[int, int] = {}
    scans = first_scan = 0
    orientation = 0
    i = 2
    for _ in range(MAX_SEGMENTS):
        marker, i = _next_marker(data, i)
        if marker == 0xD9:  # end of image
            if frame is None or not scans:
                raise _damaged()
            if any(done.get(cid, 0) != _ALL_COEFFICIENTS for cid in frame.sampling):
                raise _damaged()  # scans are missing: cut short before a fake end marker
            multi = frame.marker in _PROGRESSIVE or first_scan < len(frame.sampling)
            return ImageHeader(
                "jpeg", frame.width, frame.height, i,
                work_bytes=_coefficient_bytes(frame) if multi else 0,
                orientation=orientation or 1, components=len(frame.sampling),
            )  # fmt: skip
        if marker in _STANDALONE or marker == 0x00:
            continue
        if marker == 0xD8:
            raise _damaged()  # a second start of image
        if i + 2 > len(data):
            raise _cut_short()
        (length,) = struct.unpack_from(">H", data, i)
        end = i + length
        if length < 2:
            raise _damaged()
        if end > len(data):
            raise _cut_short()
        body = data[i + 2 : end]
        i = end
        if marker in _SOF:
            if frame is not None:
                raise _damaged()
            frame = _parse_sof(marker, body)
        elif marker == 0xE1 and not orientation and body.startswith(b"Exif\x00\x00"):
            orientation = _exif_orientation(body[6:])
        elif marker == 0xDA:  # start of scan: skip its entropy-coded data
            if frame is None:
                raise _damaged()
            count = _scan_coverage(frame, body, done)
            scans += 1
            first_scan = first_scan or count
            if scans > MAX_JPEG_SCANS:
                raise _damaged()
            m = _SCAN_END.search(data, i)
            if m is None:
                raise _cut_short()
            i = m.start()
    raise _damaged()


# --- PNG and BMP ---------------------------------------------------------------------------


def _png_header(data: bytes) -> ImageHeader:
    """Walk the chunks of a PNG to IEND; the size is in IHDR, which must come first."""
    size: tuple[int, int] | None = None
    pixels_seen = False
    i = 8
    for _ in range(MAX_SEGMENTS * 20):
        if i + 8 > len(data):
            raise _cut_short()
        length, kind = struct.unpack_from(">I4s", data, i)
        end = i + 12 + length
        if length > 0x7FFFFFFF:
            raise _damaged()
        if end > len(data):
            raise _cut_short()
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise _damaged()
            width, height, depth, colour = struct.unpack_from(">IIBB", data, i + 8)
            if not (0 < width <= 0x7FFFFFFF and 0 < height <= 0x7FFFFFFF):
                raise _damaged()
            if depth not in (1, 2, 4, 8, 16) or colour not in (0, 2, 3, 4, 6):
                raise _damaged()
            size = (width, height)
        elif kind == b"IDAT":
            pixels_seen = True
        elif kind == b"IEND":
            if not pixels_seen:
                raise _damaged()
            return ImageHeader("png", size[0], size[1], end)
        i = end
    raise _damaged()


_BMP_INFO_SIZES = (40, 52, 56, 64, 108, 124)
_BMP_COMPRESSIONS = {0: "rgb", 1: "rle8", 2: "rle4", 3: "bitfields", 6: "alphabitfields"}


def _bmp_header(data: bytes) -> ImageHeader:
    """The BMP headers (OS/2 core or Windows info, any version); RLE sizes are in the header."""
    if len(data) < 26:
        raise _cut_short()
    offset, info = struct.unpack_from("<II", data, 10)
    if info == 12:
        width, height, _planes, bits = struct.unpack_from("<HHHH", data, 18)
        compression = 0
    elif info in _BMP_INFO_SIZES:
        if len(data) < 14 + 40:
            raise _cut_short()
        width, height, _planes, bits, compression = struct.unpack_from("<iiHHI", data, 18)
        height = abs(height)  # negative: rows stored top-down
    else:
        raise _damaged()
    if width <= 0 or height == 0 or bits not in (1, 4, 8, 16, 24, 32):
        raise _damaged()
    if compression not in _BMP_COMPRESSIONS or offset < 14 + info:
        raise _damaged()  # 4 and 5 are a JPEG or PNG inside a BMP: not for a station
    if compression in (0, 3, 6) and offset + ((width * bits + 31) // 32 * 4) * height > len(data):
        raise _cut_short()
    if offset > len(data):
        raise _cut_short()
    return ImageHeader("bmp", width, height, len(data))


_HEADERS: dict[str, Callable[[bytes], ImageHeader]] = {
    "jpeg": _jpeg_header,
    "png": _png_header,
    "bmp": _bmp_header,
}


def read_header(data: bytes, formats: Collection[str] = PORTRAIT_FORMATS) -> ImageHeader:
    """The header of an image in one of ``formats``, read without decoding; or raise
    :class:`ImageReadError` (empty, not an image, another format, cut short, damaged)."""
    if not data:
        raise ImageReadError(N_("The photo file is empty."))
    fmt = sniff_format(data[:32])
    if fmt is None:
        raise ImageReadError(N_("This is not a photo ({formats} expected)."),
                             formats=_names(formats))  # fmt: skip
    if fmt not in formats or fmt not in _HEADERS:
        raise ImageReadError(
            N_("{format} pictures are not accepted (expected: {formats}); save the photo in one"
               " of these formats."),
            format=_NAMES[fmt], formats=_names(formats),
        )  # fmt: skip
    return _HEADERS[fmt](data)


# --- decoding ------------------------------------------------------------------------------

_REDUCED = (
    (1, cv2.IMREAD_COLOR),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (8, cv2.IMREAD_REDUCED_COLOR_8),
)


def _reduce_flag(pixels: int) -> tuple[int, int]:
    """The imread flag and factor that bring ``pixels`` under the decode budget."""
    for factor, flag in _REDUCED:
        if pixels / (factor * factor) <= REDUCE_ABOVE_PIXELS:
            return flag, factor
    return cv2.IMREAD_REDUCED_COLOR_8, 8


def _output_bytes(header: ImageHeader, factor: int) -> int:
    """BGR output at 1/``factor``, twice over (OpenCV's working copy)."""
    return 2 * 3 * -(-header.width // factor) * -(-header.height // factor)


def _largest_allowed(header: ImageHeader) -> int:
    """The most pixels an image like this one (same format, same coefficient cost per
    pixel) may have: what the refusal tells the officer."""
    if header.format != "jpeg":
        return REDUCE_ABOVE_PIXELS
    per_pixel = header.work_bytes / header.pixels
    best = 0.0
    for factor, _flag in _REDUCED:
        low = REDUCE_ABOVE_PIXELS * (factor // 2) ** 2  # decoded at this factor above ``low``
        fits = DECODE_BUDGET_BYTES / (per_pixel + 6 / factor**2)
        if min(fits, REDUCE_ABOVE_PIXELS * factor**2) > low:
            best = max(best, min(fits, REDUCE_ABOVE_PIXELS * factor**2))
    return int(min(best, MAX_PIXELS))


def _decode_plan(header: ImageHeader) -> tuple[int, int]:
    """(imread flag, reduction factor), or raise when the image would cost too much."""
    if header.format == "jpeg":
        flag, factor = _reduce_flag(header.pixels)
        limit = MAX_PIXELS
    else:
        flag, factor, limit = cv2.IMREAD_COLOR, 1, REDUCE_ABOVE_PIXELS
    cost = header.work_bytes + _output_bytes(header, factor)
    if header.pixels > limit or cost > DECODE_BUDGET_BYTES:
        raise ImageReadError(
            N_("The picture is too large ({megapixels} megapixels; at most {maximum})."),
            megapixels=round(header.pixels / 1e6),
            maximum=_largest_allowed(header) // 1_000_000,
        )
    return flag, factor


# Where the last block a JPEG stores (its bottom-right corner) lands once cv2.imdecode has
# applied each EXIF orientation: (row, column) with -1 for the last.
_STORED_LAST_PIXEL = {1: (-1, -1), 2: (-1, 0), 3: (0, 0), 4: (0, -1),
                      5: (-1, -1), 6: (-1, 0), 7: (0, 0), 8: (0, -1)}  # fmt: skip
_JPEG_FILL = 128  # what libjpeg decodes for blocks it had no data for (all coefficients 0)


def _lost_its_end(image: np.ndarray, header: ImageHeader) -> bool:
    """A JPEG whose last stored block is libjpeg's flat grey fill: it was cut short."""
    if header.format != "jpeg" or header.components == 4:
        return False
    row, col = _STORED_LAST_PIXEL[header.orientation]
    return bool(np.all(image[row, col] == _JPEG_FILL))


def decode_image(
    data: bytes, name: str = "image", formats: Collection[str] = PORTRAIT_FORMATS
) -> np.ndarray:
    """Decode image bytes to an upright (EXIF orientation applied) BGR uint8 array, or raise
    :class:`ImageReadError`. Only ``formats`` are accepted (portraits: JPEG and PNG)."""
    header = read_header(data, formats)
    flag, factor = _decode_plan(header)
    buf = np.frombuffer(data, dtype=np.uint8, count=header.end)  # not the trailer
    try:
        image = cv2.imdecode(buf, flag)
    except cv2.error as exc:  # e.g. the decoder's own pixel limit
        raise ImageReadError(N_("The picture cannot be decoded.")) from exc
    if image is None or image.size == 0 or image.ndim != 3:
        raise _damaged()
    if _lost_its_end(image, header):
        raise ImageReadError(
            N_("The picture is damaged (its end is missing): copy it again from the card.")
        )
    if factor > 1:
        log.info("decoded a large photo at 1/%d size", factor)
    return image


def load_image(path: str | Path, formats: Collection[str] = PORTRAIT_FORMATS) -> np.ndarray:
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
        data = p.read_bytes()  # Python opens non-ASCII paths on Windows (cv2.imread does not)
    except OSError as exc:
        raise ImageReadError(N_("The photo file cannot be read.")) from exc
    return decode_image(data, p.name, formats)


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    """JPEG bytes (baseline, 4:2:0) of a BGR image."""
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()

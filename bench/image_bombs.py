"""Peak memory of the photo loader on decompression bombs, each loaded in a fresh process.

Builds the bombs in a temporary folder — a 1 KB RLE BMP and an 875 KB deflated TIFF that claim
30000×30000, a 36-byte lossless WebP that claims 16383×16383, PNGs and JPEGs whose headers
claim more than their bytes hold — plus the largest photos that are still accepted, and loads
each with ``capture.imagefile.load_image`` in its own Python process. Prints the outcome and
the peak RSS of that process (target ≤ 300 MB).

    python bench/image_bombs.py               # the station's loader
    python bench/image_bombs.py --unguarded   # also plain cv2.imdecode: what each bomb costs
                                              # without the guards (needs ~6 GB free)
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from _common import ROOT

TARGET_MB = 300

# --- builders (also used by tests/capture/test_image_bombs.py) -----------------------------


def bmp_rle8(width: int, height: int) -> bytes:
    """An 8-bit RLE BMP whose pixel data is a single end-of-bitmap: ~1 KB for any size."""
    rle = b"\x00\x01"
    offset = 14 + 40 + 256 * 4
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(rle), 2835, 2835, 256, 0)
    palette = b"".join(struct.pack("<BBBB", i, i, i, 0) for i in range(256))
    head = struct.pack("<2sIHHI", b"BM", offset + len(rle), 0, 0, offset)
    return head + info + palette + rle


def tiff_deflate(width: int, height: int) -> bytes:
    """An 8-bit grey TIFF, one deflated strip of zeros (about 1/1000 of width × height)."""
    z = zlib.compressobj(9)
    row_block = bytes(width * 64)
    parts = [z.compress(row_block) for _ in range(height // 64)]
    parts += [z.compress(bytes(width * (height % 64))), z.flush()]
    strip = b"".join(parts)
    entries = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 8),
        (262, 3, 1, 1), (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height),
        (279, 4, 1, len(strip)),
    ]  # fmt: skip
    ifd_size = 2 + 12 * len(entries) + 4
    data_at = 8 + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        value = data_at if tag == 273 else value
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\0\0\0\0" + strip


class _Bits:
    """LSB-first bit writer (the VP8L bit order)."""

    def __init__(self) -> None:
        self.value = 0
        self.count = 0

    def put(self, value: int, bits: int) -> None:
        self.value |= value << self.count
        self.count += bits

    def bytes(self) -> bytes:
        return self.value.to_bytes((self.count + 7) // 8, "little")


def webp_lossless(width: int, height: int) -> bytes:
    """A lossless WebP whose five prefix codes have one symbol each: every pixel costs zero
    bits, so 36 bytes decode to width × height opaque black pixels."""
    b = _Bits()
    b.put(0x2F, 8)  # VP8L signature
    b.put(width - 1, 14)
    b.put(height - 1, 14)
    b.put(0, 1)  # alpha unused
    b.put(0, 3)  # version
    b.put(0, 1)  # no transform
    b.put(0, 1)  # no colour cache
    b.put(0, 1)  # no meta prefix codes
    for symbol in (0, 0, 0, 255, 0):  # green, red, blue, alpha, distance
        b.put(1, 1)  # simple code
        b.put(0, 1)  # one symbol
        if symbol < 2:
            b.put(0, 1)
            b.put(symbol, 1)
        else:
            b.put(1, 1)
            b.put(symbol, 8)
    data = b.bytes().ljust(16, b"\0")  # OpenCV wants 32 bytes of file at least
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_1bit(width: int, height: int) -> bytes:
    """A 1-bit grey PNG of zeros: a few KB per 100 MP, decoded to 3 bytes a pixel."""
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row * 256) for _ in range(height // 256))
    idat += z.compress(row * (height % 256)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def png_claiming(width: int, height: int) -> bytes:
    """A real 1×1 PNG whose IHDR is patched to claim ``width`` × ``height``."""
    data = bytearray(png_1bit(1, 1))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def jpeg_claiming(width: int, height: int, progressive: bool = False) -> bytes:
    """A real 64×64 JPEG whose frame header is patched to claim ``width`` × ``height``."""
    import cv2
    import numpy as np

    img = np.full((64, 64, 3), 90, np.uint8)
    params = [cv2.IMWRITE_JPEG_PROGRESSIVE, int(progressive),
              cv2.IMWRITE_JPEG_SAMPLING_FACTOR, cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444]  # fmt: skip
    data = bytearray(cv2.imencode(".jpg", img, params)[1].tobytes())
    sof = data.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_flat(width: int, height: int) -> bytes:
    """A real baseline JPEG of one flat colour (small file, any size)."""
    import cv2
    import numpy as np

    return cv2.imencode(".jpg", np.full((height, width, 3), 90, np.uint8))[1].tobytes()


def with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """``jpeg`` with an EXIF block (APP1) holding only the orientation tag."""
    ifd = struct.pack("<HHHIHH", 1, 0x0112, 3, 1, orientation, 0) + b"\0\0\0\0"
    exif = b"Exif\0\0" + b"II*\x00" + struct.pack("<I", 8) + ifd
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", 2 + len(exif)) + exif + jpeg[2:]


BOMBS: list[tuple[str, str, Callable[[], bytes]]] = [
    ("RLE BMP claiming 30000x30000", "rle.bmp", lambda: bmp_rle8(30000, 30000)),
    ("deflated TIFF 30000x30000", "bomb.tiff", lambda: tiff_deflate(30000, 30000)),
    ("lossless WebP 16383x16383", "bomb.webp", lambda: webp_lossless(16383, 16383)),
    ("PNG header claiming 65535x65535", "claim.png", lambda: png_claiming(65535, 65535)),
    ("PNG 20000x20000 (1-bit zeros)", "big.png", lambda: png_1bit(20000, 20000)),
    ("PNG 10000x9900 (under 100 MP)", "99mp.png", lambda: png_1bit(10000, 9900)),
    ("JPEG SOF claiming 65535x65535", "claim.jpg", lambda: jpeg_claiming(65535, 65535)),
    ("progressive JPEG claiming 10000^2", "prog.jpg", lambda: jpeg_claiming(10000, 10000, True)),
    ("not an image (text)", "notes.jpg", lambda: b"name,village\nGiang A Se,Huoi Lech\n" * 40),
]
ACCEPTED: list[tuple[str, str, Callable[[], bytes]]] = [
    ("JPEG 12000x8000 (96 MP, reduced)", "96mp.jpg", lambda: jpeg_flat(12000, 8000)),
    ("JPEG 6000x4000 (24 MP, full size)", "24mp.jpg", lambda: jpeg_flat(6000, 4000)),
    (
        "the same, EXIF-rotated (copied)",
        "24mp-6.jpg",
        lambda: with_orientation(jpeg_flat(6000, 4000), 6),
    ),
    ("PNG 6000x4000 (24 MP)", "24mp.png", lambda: png_1bit(6000, 4000)),
]

# --- measuring -----------------------------------------------------------------------------

_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
def peak_mb():
    # VmHWM, not ru_maxrss: Linux carries the parent's peak across fork and exec into it
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
    except OSError:
        pass
    try:
        import psutil
        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20  # Windows: peak working set
    except ImportError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # macOS: bytes
import cv2, numpy as np
from capture.imagefile import PORTRAIT_FORMATS, load_image
from capture.errors import CaptureError
outcome = "imported"
if sys.argv[3] in ("guarded", "bmp"):
    try:
        img = load_image(sys.argv[2], {"bmp", "png"} if sys.argv[3] == "bmp" else PORTRAIT_FORMATS)
        outcome = f"loaded {img.shape[1]}x{img.shape[0]}"
    except CaptureError as exc:
        outcome = f"refused: {exc}"
elif sys.argv[3] == "unguarded":
    try:
        img = cv2.imdecode(np.fromfile(sys.argv[2], np.uint8), cv2.IMREAD_COLOR)
        outcome = "decoded" if img is not None else "failed"
    except cv2.error:
        outcome = "OpenCV refused it"
print(json.dumps({"outcome": outcome, "peak_mb": peak_mb()}))
"""


def measure(path: Path, mode: str = "guarded") -> dict[str, object]:
    """Load ``path`` in a fresh Python process; its outcome and peak RSS in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(path), mode],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return {"outcome": f"crashed (exit {done.returncode})", "peak_mb": float("nan")}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--unguarded", action="store_true", help="also decode with plain cv2.imdecode (GBs)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="image-bombs-") as tmp:
        base = measure(Path(tmp) / "none", "import")
        print(
            f"python, numpy, OpenCV and capture.imagefile, nothing loaded: {base['peak_mb']:.0f} MB"
        )
        print(f"{'file':36} {'bytes':>10} {'peak RSS':>9}  outcome")
        worst = 0.0
        for label, name, build in BOMBS + ACCEPTED:
            path = Path(tmp) / name
            path.write_bytes(build())
            got = measure(path)
            peak = float(got["peak_mb"])  # type: ignore[arg-type]
            worst = max(worst, peak)
            print(f"{label:36} {path.stat().st_size:>10,} {peak:7.0f}MB  {got['outcome']}")
            if name.endswith(".bmp"):  # what a fingerprint loader (BMP, PNG) gets
                bmp = measure(path, "bmp")
                print(f"{'  with BMP accepted':36} {'':>10} {float(bmp['peak_mb']):7.0f}MB", end="")
                print(f"  {bmp['outcome']}")
            if args.unguarded:
                raw = measure(path, "unguarded")
                print(f"{'  plain cv2.imdecode':36} {'':>10} {float(raw['peak_mb']):7.0f}MB"  # type: ignore[arg-type]
                      f"  {raw['outcome']}")  # fmt: skip
        verdict = "OK" if worst <= TARGET_MB else "OVER TARGET"
        print(f"worst peak RSS: {worst:.0f} MB   target ≤ {TARGET_MB} MB: {verdict}")


if __name__ == "__main__":
    main()

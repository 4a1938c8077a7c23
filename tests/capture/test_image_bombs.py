"""Hostile and damaged photo files: refused before decoding, with a sentence that says why.

The bombs come from bench/image_bombs.py (which measures their peak memory); the tests here
check the refusals, the formats a portrait may be in, the damage checks and, with hypothesis,
that no header — random, truncated or mutated — raises anything but ImageReadError.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import struct
import zlib
from pathlib import Path
from types import ModuleType

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture.errors import ImageReadError
from capture.imagefile import (
    DECODE_BUDGET_BYTES,
    decode_image,
    load_image,
    read_header,
    sniff_format,
)
from tests.conftest import ROOT


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("image_bombs", ROOT / "bench" / "image_bombs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


bombs = _bench()


def _jpeg(img: np.ndarray, *params: int) -> bytes:
    return cv2.imencode(".jpg", img, list(params))[1].tobytes()


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A real photo (a face on a wall) at a small size: quick to encode and decode."""
    from tests.photos import on_plain_wall

    return cv2.resize(on_plain_wall(), (387, 490), interpolation=cv2.INTER_AREA)


def _refused(data: bytes, words: str, **kw: object) -> str:
    with pytest.raises(ImageReadError, match=words) as info:
        decode_image(data, **kw)  # type: ignore[arg-type]
    return str(info.value)


# --- bombs: refused from the header ----------------------------------------------------------


def test_bmp_tiff_webp_bombs_are_refused_by_format() -> None:
    assert "BMP" in _refused(bombs.bmp_rle8(30000, 30000), "not accepted.*JPEG, PNG")
    assert "WebP" in _refused(bombs.webp_lossless(16383, 16383), "not accepted")
    tiff = bombs.tiff_deflate(300, 300)
    assert "TIFF" in _refused(tiff, "not accepted")
    assert "TIFF" in _refused(b"MM\x00*" + tiff[4:], "not accepted")  # big-endian


def test_rle_bmp_bomb_is_refused_from_its_header_when_bmp_is_accepted() -> None:
    # what a fingerprint loader (BMP, PNG) gets from the same rule
    assert "900 megapixels" in _refused(bombs.bmp_rle8(30000, 30000), "too large",
                                        formats={"bmp", "png"})  # fmt: skip
    small = decode_image(bombs.bmp_rle8(40, 30), formats={"bmp"})
    assert small.shape == (30, 40, 3)
    top_down = bytearray(bombs.bmp_rle8(40, 30))
    top_down[22:26] = struct.pack("<i", -30)
    assert read_header(bytes(top_down), {"bmp"}).height == 30


def test_uncompressed_bmp_loads_and_a_cut_one_is_cut_short(photo: np.ndarray) -> None:
    data = cv2.imencode(".bmp", photo)[1].tobytes()
    assert np.array_equal(decode_image(data, formats={"bmp"}), photo)
    _refused(data[: len(data) // 2], "cut short", formats={"bmp"})


def test_png_and_jpeg_headers_claiming_huge_sizes() -> None:
    assert "4295 megapixels" in _refused(bombs.png_claiming(65535, 65535), "too large")
    assert "at most 24" in _refused(bombs.png_1bit(10000, 9900), "too large")  # under 100 MP
    assert "at most 100" in _refused(bombs.jpeg_claiming(65535, 65535), "too large")


def test_progressive_jpeg_is_refused_by_its_coefficient_memory() -> None:
    # 100 MP baseline would be decoded at 1/4; progressive needs 600 MB of coefficients
    header = read_header(bombs.jpeg_claiming(10000, 10000, progressive=True))
    assert header.work_bytes > DECODE_BUDGET_BYTES
    _refused(bombs.jpeg_claiming(10000, 10000, progressive=True), "too large.*at most 27")


def test_other_formats_are_named_in_the_refusal() -> None:
    for head, name in ((b"GIF89a" + bytes(40), "GIF"),
                       (b"\x00\x00\x00\x18ftypheic" + bytes(40), "HEIC"),
                       (b"\x00\x00\x00\x1cftypavif" + bytes(40), "AVIF"),
                       (b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(40), "JPEG 2000")):  # fmt: skip
        assert name in _refused(head, "not accepted")
    assert sniff_format(b"RIFF\x00\x00\x00\x00WAVE") is None
    _refused(b"RIFF\x00\x00\x00\x00WAVEfmt ", "not a photo")
    _refused(b"%PDF-1.7\n" + bytes(100), r"not a photo \(JPEG, PNG expected\)")


# --- what a photo station gets: loaded correctly ---------------------------------------------


def test_progressive_cmyk_and_16_bit_photos_load(photo: np.ndarray) -> None:
    from PIL import Image

    progressive = decode_image(_jpeg(photo, cv2.IMWRITE_JPEG_PROGRESSIVE, 1))
    assert np.abs(progressive.astype(int) - photo).mean() < 3
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(photo[:, :, ::-1])).convert("CMYK").save(out, "JPEG")
    cmyk = decode_image(out.getvalue())
    by_pillow = np.asarray(Image.open(io.BytesIO(out.getvalue())).convert("RGB"))[:, :, ::-1]
    assert np.abs(cmyk.astype(int) - by_pillow).mean() < 3
    deep = cv2.imencode(".png", photo.astype(np.uint16) * 257)[1].tobytes()
    assert np.array_equal(decode_image(deep), photo)
    grey = cv2.cvtColor(photo, cv2.COLOR_BGR2GRAY)
    assert decode_image(cv2.imencode(".png", grey)[1].tobytes()).shape == photo.shape


def test_bytes_after_the_end_marker_are_ignored(photo: np.ndarray) -> None:
    data = _jpeg(photo)
    want = decode_image(data)
    # a phone's trailer: maker data, then a whole second JPEG (a "motion photo" has a video)
    trailer = b"\x00\x00SEFH" + bytes(range(256)) * 50 + data + b"\xff\xd9" * 3
    assert np.array_equal(decode_image(data + trailer), want)
    assert read_header(data + trailer).end == len(data)
    png = cv2.imencode(".png", photo)[1].tobytes()
    assert np.array_equal(decode_image(png + b"\x00" * 1000 + png), photo)


def test_exif_thumbnail_and_padding_do_not_confuse_the_walk(photo: np.ndarray) -> None:
    from PIL import Image

    thumb = _jpeg(cv2.resize(photo, (40, 50)))
    exif = Image.Exif()
    exif[0x0112] = 1
    out = io.BytesIO()
    img = Image.fromarray(np.ascontiguousarray(photo[:, :, ::-1]))
    img.save(out, "JPEG", exif=exif.tobytes() + thumb, quality=90)  # the thumbnail's FFD9 first
    data = out.getvalue()
    assert decode_image(data).shape == photo.shape
    assert decode_image(data + bytes(4096)).shape == photo.shape  # cameras pad with zeros


# --- damage ---------------------------------------------------------------------------------


@pytest.mark.parametrize("keep", [0.3, 0.8, 0.97, 0.999])
def test_jpeg_cut_short_then_given_a_fake_end_marker_is_damaged(
    photo: np.ndarray, keep: float
) -> None:
    data = _jpeg(photo, cv2.IMWRITE_JPEG_QUALITY, 92)
    cut = data[: int(len(data) * keep)]
    _refused(cut, "cut short")
    _refused(cut + b"\xff\xd9", "damaged")


@pytest.mark.parametrize("orientation", range(1, 9))
def test_fake_end_is_found_whatever_the_exif_orientation(
    photo: np.ndarray, orientation: int
) -> None:
    data = bombs.with_orientation(_jpeg(photo), orientation)
    assert decode_image(data).shape[:2] in (photo.shape[:2], photo.shape[1::-1])
    _refused(data[: len(data) - 200] + b"\xff\xd9", "end is missing")


def test_large_jpeg_cut_short_is_damaged_at_reduced_size() -> None:
    rng = np.random.default_rng(2)
    img = rng.integers(0, 255, (60, 80, 3), np.uint8)
    big = cv2.resize(img, (8000, 6000), interpolation=cv2.INTER_LINEAR)  # 48 MP: read at 1/2
    data = _jpeg(big)
    assert decode_image(data).shape == (3000, 4000, 3)
    _refused(data[: len(data) - 500] + b"\xff\xd9", "damaged")


def test_progressive_jpeg_missing_scans_is_damaged(photo: np.ndarray) -> None:
    data = _jpeg(photo, cv2.IMWRITE_JPEG_PROGRESSIVE, 1)
    sixth_scan = [i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"][5]
    _refused(data[:sixth_scan] + b"\xff\xd9", "damaged")  # a clean cut between scans
    _refused(data[: sixth_scan + 300] + b"\xff\xd9", "damaged")


def test_png_cut_short_or_faked_is_refused(photo: np.ndarray) -> None:
    data = cv2.imencode(".png", photo)[1].tobytes()
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    _refused(data[: len(data) // 2], "cut short")
    _refused(data[: len(data) // 2] + iend, "cut short")  # the chunk it cut through says so
    chunks, i = [], 8
    while i < len(data):
        i += 12 + struct.unpack_from(">I", data, i)[0]
        chunks.append(i)
    _refused(data[: chunks[len(chunks) // 2]] + iend, "damaged")  # cut at a chunk boundary
    _refused(data[:33] + iend, "damaged")  # no pixel data at all


def test_files_that_are_not_photos(tmp_path: Path) -> None:
    for name, content in (("notes.jpg", b"name,village\n"), ("zeros.png", bytes(5000)),
                          ("x.jpg", b"\xff\xd8\xff"), ("y.png", b"\x89PNG\r\n\x1a\n")):  # fmt: skip
        p = tmp_path / name
        p.write_bytes(content)
        with pytest.raises(ImageReadError):
            load_image(p)
    with pytest.raises(ImageReadError, match="not a file"):
        load_image(tmp_path)


# --- fuzz: any header, any cut, any mutation → ImageReadError or a picture --------------------


def _samples() -> list[bytes]:
    img = np.zeros((24, 32, 3), np.uint8)
    img[4:20, 6:26] = (40, 160, 220)
    return [
        _jpeg(img), _jpeg(img, cv2.IMWRITE_JPEG_PROGRESSIVE, 1),
        bombs.with_orientation(_jpeg(img), 6),
        cv2.imencode(".png", img)[1].tobytes(), cv2.imencode(".bmp", img)[1].tobytes(),
        bombs.bmp_rle8(32, 24), bombs.png_1bit(32, 24),
    ]  # fmt: skip


SAMPLES = _samples()
ALL = frozenset({"jpeg", "png", "bmp"})
_MAGICS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM", b"II*\x00", b"RIFF\0\0\0\0WEBP", b""]


@st.composite
def hostile(draw: st.DrawFn) -> bytes:
    """A real small file cut, mutated in its first bytes, or random bytes after a magic."""
    kind = draw(st.sampled_from(("cut", "mutate", "random")))
    if kind == "random":
        return draw(st.sampled_from(_MAGICS)) + draw(st.binary(max_size=300))
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    if kind == "cut":
        return bytes(data[: draw(st.integers(0, len(data)))]) + draw(
            st.sampled_from((b"", b"\xff\xd9", b"\x00\x00\x00\x00IEND\xaeB`\x82"))
        )
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, min(len(data), 700) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


def _decode_or_refuse(data: bytes) -> None:
    try:
        image = decode_image(data, formats=ALL)
    except ImageReadError:
        return
    assert image.dtype == np.uint8 and image.ndim == 3


_FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(_FUZZ, max_examples=400)
@given(data=hostile())
def test_headers_never_raise_anything_else(data: bytes) -> None:
    with contextlib.suppress(ImageReadError):
        read_header(data, ALL)


@settings(_FUZZ, max_examples=120)
@given(data=hostile())
def test_decoding_hostile_files_never_raises_anything_else(data: bytes) -> None:
    _decode_or_refuse(data)


@pytest.mark.slow
@settings(_FUZZ, max_examples=5000)
@given(data=hostile())
def test_decoding_hostile_files_long_fuzz(data: bytes) -> None:
    _decode_or_refuse(data)


# --- the real bombs, each in a fresh process: peak memory ------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("label", [b[0] for b in bombs.BOMBS + bombs.ACCEPTED])
def test_peak_memory_of_each_bomb_in_a_fresh_process(tmp_path: Path, label: str) -> None:
    _label, name, build = next(b for b in bombs.BOMBS + bombs.ACCEPTED if b[0] == label)
    path = tmp_path / name
    path.write_bytes(build())
    got = bombs.measure(path)
    expected = "loaded" if any(b[0] == label for b in bombs.ACCEPTED) else "refused"
    assert str(got["outcome"]).startswith(expected)
    assert float(got["peak_mb"]) <= bombs.TARGET_MB  # type: ignore[arg-type]


def test_text_that_starts_like_a_magic_number_is_not_a_photo() -> None:
    _refused(b"BMW X5, BMW X3\n" * 4, "not a photo")
    _refused(b"RIFF is a file format\n" * 3, "not a photo")

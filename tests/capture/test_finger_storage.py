"""Stored prints (WSQ) and print files (WSQ, PNG, BMP): round trips and refusals."""

from __future__ import annotations

import struct
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture.errors import ImageReadError
from capture.fingerprint import storage
from tests.capture.other_prints import make_print


@pytest.fixture(scope="module")
def finger() -> np.ndarray:
    return make_print("loop", seed=7)


@pytest.fixture(scope="module")
def wsq_bytes(finger: np.ndarray) -> bytes:
    data, fmt = storage.encode(finger)
    assert fmt == "wsq"
    return data


def _png(image: np.ndarray) -> bytes:
    return cv2.imencode(".png", image)[1].tobytes()


def _bmp(image: np.ndarray) -> bytes:
    return cv2.imencode(".bmp", image)[1].tobytes()


def test_wsq_round_trip_keeps_the_ridges(finger: np.ndarray, wsq_bytes: bytes) -> None:
    assert storage.sniff(wsq_bytes) == "wsq"
    assert len(wsq_bytes) < finger.size / 8  # lossy: far below the raw bytes
    back = storage.decode(wsq_bytes, "wsq")
    assert back.shape == finger.shape and back.dtype == np.uint8
    assert float(np.mean(np.abs(back.astype(np.int16) - finger))) < 6.0
    assert float(np.corrcoef(back.ravel(), finger.ravel())[0, 1]) > 0.9
    header = storage.read_wsq_header(wsq_bytes)
    assert (header.width, header.height, header.end) == (500, 500, len(wsq_bytes))


def test_wsq_of_a_wide_image_keeps_its_orientation() -> None:
    wide = make_print("arch", seed=1, size=(480, 640))
    data, fmt = storage.encode(wide)
    back = storage.decode(data, fmt)
    assert back.shape == (480, 640)
    assert float(np.corrcoef(back.ravel(), wide.ravel())[0, 1]) > 0.9


def test_tiny_images_are_kept_as_png() -> None:
    tiny = np.arange(16 * 20, dtype=np.uint8).reshape(16, 20)
    data, fmt = storage.encode(tiny)
    assert fmt == "png"
    assert np.array_equal(storage.decode(data, fmt), tiny)  # lossless


def test_print_files_load_from_a_vietnamese_folder(
    tmp_path: Path, finger: np.ndarray, wsq_bytes: bytes
) -> None:
    folder = tmp_path / "Vân tay ông Hoàng Văn Páo"
    folder.mkdir()
    colour = cv2.cvtColor(finger, cv2.COLOR_GRAY2BGR)
    colour[..., 2] = np.clip(colour[..., 2].astype(np.int16) + 20, 0, 255).astype(np.uint8)
    files = {
        "ngón trỏ phải.png": _png(finger),
        "ngón cái.bmp": _bmp(finger),
        "màu.bmp": _bmp(colour),
        "ngón giữa.wsq": wsq_bytes,
        "không đuôi": wsq_bytes,  # the magic bytes decide, not the name
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
        image = storage.load_print(folder / name)
        assert image.shape == finger.shape and image.dtype == np.uint8 and image.ndim == 2
        assert float(np.corrcoef(image.ravel(), finger.ravel())[0, 1]) > 0.9, name
    assert np.array_equal(storage.load_print(folder / "ngón cái.bmp"), finger)
    assert storage.sniff(_png(finger)) == "png" and storage.sniff(_bmp(finger)) == "bmp"


def _huge_sof(data: bytes, width: int, height: int) -> bytes:
    i = data.index(b"\xff\xa2")
    return data[: i + 6] + struct.pack(">HH", height, width) + data[i + 10 :]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda w: b"", "empty"),
        (lambda w: b"Ho va ten,Ngon tay\nLo Van Duc,2\n" * 10, "not a fingerprint"),
        (lambda w: bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)),
         "not a fingerprint"),
        (lambda w: w[: len(w) // 2], "cut short"),
        (lambda w: w[:40], "cut short"),
        (lambda w: w[:-1], "cut short"),
        (lambda w: b"\xff\xa0\xff\xa1", "damaged"),  # start, end, nothing between
        (lambda w: w[:2] + b"\xff\x42" + w[4:], "damaged"),  # an unknown marker
        (lambda w: _huge_sof(w, 60000, 60000), "too large"),
        (lambda w: _huge_sof(w, 500, 4001), "too large"),
        (lambda w: _huge_sof(w, 0, 500), "damaged"),
        (lambda w: cv2.imencode(".jpg", np.zeros((64, 64), np.uint8))[1].tobytes(), "JPEG"),
    ],
)  # fmt: skip
def test_bad_print_files_are_refused(
    tmp_path: Path, wsq_bytes: bytes, make: object, words: str
) -> None:
    p = tmp_path / "in.wsq"
    p.write_bytes(make(wsq_bytes))  # type: ignore[operator]
    with pytest.raises(ImageReadError, match=words):
        storage.load_print(p)


def test_huge_png_and_bmp_are_refused_before_decoding() -> None:
    wide = np.full((2, storage.MAX_SIDE + 1), 200, np.uint8)
    for data in (_png(wide), _bmp(wide)):
        with pytest.raises(ImageReadError, match="too large"):
            storage.decode_print(data)


def test_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(ImageReadError, match="no such file"):
        storage.load_print(tmp_path / "không có.wsq")
    with pytest.raises(ImageReadError, match="not a file"):
        storage.load_print(tmp_path)


def test_stored_format_must_match_the_bytes(finger: np.ndarray, wsq_bytes: bytes) -> None:
    with pytest.raises(ImageReadError, match="damaged"):
        storage.decode(wsq_bytes, "png")
    with pytest.raises(ValueError):
        storage.decode(wsq_bytes, "jpeg")
    assert storage.decode(_png(finger), "png").shape == finger.shape


def test_damaged_wsq_never_crashes(wsq_bytes: bytes) -> None:
    """Bytes flipped anywhere: a grey image or ImageReadError, nothing else (NBIS is C)."""
    rng = np.random.default_rng(13)
    for _ in range(25):
        data = bytearray(wsq_bytes)
        for _ in range(int(rng.integers(1, 6))):
            k = int(rng.integers(0, min(len(data), 600) if rng.random() < 0.6 else len(data)))
            data[k] = int(rng.integers(0, 256))
        try:
            image = storage.decode_print(bytes(data))
        except ImageReadError:
            continue
        assert image.ndim == 2 and image.dtype == np.uint8

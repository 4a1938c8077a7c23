"""Phone photos carry an EXIF orientation tag instead of turned pixels: load_image must return
them upright. OpenCV 4.x applies the tag in ``imdecode`` for IMREAD_COLOR and the reduced
flags (not for IMREAD_UNCHANGED); these tests pin that, against Pillow's own transpose (Pillow
is only a test dependency, through matplotlib)."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest

from capture import imagefile
from capture.imagefile import load_image
from capture.quality import assess

ORIENTATION = 0x0112


def _jpeg_with_orientation(bgr: np.ndarray, orientation: int) -> bytes:
    from PIL import Image

    img = Image.fromarray(np.ascontiguousarray(bgr[:, :, ::-1]))
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def _upright_by_pillow(data: bytes) -> np.ndarray:
    from PIL import Image, ImageOps

    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    return np.asarray(img.convert("RGB"))[:, :, ::-1]


def _marked() -> np.ndarray:
    """A landscape picture with a red block at the top left and a blue one at the top right."""
    img = np.full((120, 200, 3), 200, np.uint8)
    img[:40, :60] = (0, 0, 255)
    img[:40, -60:] = (255, 0, 0)
    return img


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    data = _jpeg_with_orientation(_marked(), orientation)
    path = tmp_path / f"o{orientation}.jpg"
    path.write_bytes(data)
    got = load_image(path)
    want = _upright_by_pillow(data)
    assert got.shape == want.shape
    assert np.abs(got.astype(int) - want.astype(int)).mean() < 3


def test_reduced_decoding_also_applies_orientation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imagefile, "REDUCE_ABOVE_PIXELS", 100 * 60)  # decode at 1/2
    data = _jpeg_with_orientation(_marked(), 6)
    path = tmp_path / "big.jpg"
    path.write_bytes(data)
    got = load_image(path)
    assert got.shape[:2] == (100, 60)  # portrait, half size
    want = cv2.resize(_upright_by_pillow(data), (60, 100), interpolation=cv2.INTER_AREA)
    assert np.abs(got.astype(int) - want.astype(int)).mean() < 8


def test_phone_portrait_stored_sideways_is_assessed_upright(
    tmp_path: Path, astronaut: np.ndarray
) -> None:
    # the sensor stored the picture turned 90° counter-clockwise; the tag says "turn it back"
    stored = cv2.rotate(astronaut, cv2.ROTATE_90_COUNTERCLOCKWISE)
    path = tmp_path / "phone.jpg"
    path.write_bytes(_jpeg_with_orientation(stored, 6))
    img = load_image(path)
    assert img.shape[:2] == astronaut.shape[:2]
    r = assess(img)
    assert r.face is not None and r.rotation == 0 and r.check("orientation").passed

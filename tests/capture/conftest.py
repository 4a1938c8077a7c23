"""Test photos for the capture engine: real faces shipped inside skimage and matplotlib, and
the hard cases of DESIGN.md §7 made from them. Each image is built once per session."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests import photos
from tests.photos import LIGHT, on_plain_wall


def _bgr(rgb: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(rgb[:, :, ::-1])


@pytest.fixture(scope="session")
def grace_hopper() -> np.ndarray:
    return photos.grace_hopper().copy()


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from skimage import data

    return _bgr(data.astronaut())


@pytest.fixture(scope="session")
def chelsea() -> np.ndarray:
    from skimage import data

    return _bgr(data.chelsea())


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    from skimage import data

    return _bgr(data.coffee())


@pytest.fixture(scope="session")
def good(grace_hopper: np.ndarray) -> np.ndarray:
    """Grace Hopper before a light plain wall with room above (tests/photos.py)."""
    return on_plain_wall().copy()


@pytest.fixture(scope="session")
def blurred(good: np.ndarray) -> dict[int, np.ndarray]:
    return {s: cv2.GaussianBlur(good, (0, 0), s) for s in (1, 2, 3)}


@pytest.fixture(scope="session")
def dark(good: np.ndarray) -> np.ndarray:
    """A dark hut: a tenth of the light."""
    return (good.astype(np.float32) * 0.12).astype(np.uint8)


@pytest.fixture(scope="session")
def pitch_dark(good: np.ndarray) -> np.ndarray:
    """So dark that no detector can find the face: the guidance must still say "too dark"."""
    rng = np.random.default_rng(1)
    img = good.astype(np.float32) * 0.02 + rng.normal(0, 2.0, good.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def bright(good: np.ndarray) -> np.ndarray:
    """Overexposed: flash at arm's length."""
    return np.clip(good.astype(np.float32) * 1.8 + 60, 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def side_lit(good: np.ndarray) -> np.ndarray:
    """Light from a door on the right of the picture: the left half falls into shadow."""
    w = good.shape[1]
    ramp = np.clip(np.linspace(-1.2, 2.2, w), 0.12, 1.0).astype(np.float32)
    return (good.astype(np.float32) * ramp[None, :, None]).astype(np.uint8)


@pytest.fixture(scope="session")
def tilted(astronaut: np.ndarray) -> np.ndarray:
    """The head rolled 15° (a person leaning on a pillow)."""
    h, w = astronaut.shape[:2]
    m = cv2.getRotationMatrix2D((225, 115), 15, 1.0)
    return cv2.warpAffine(astronaut, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


@pytest.fixture(scope="session")
def far(good: np.ndarray) -> np.ndarray:
    """The face small in a big plain frame (camera across the room)."""
    small = cv2.resize(good, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)
    canvas = np.full((1200, 1600, 3), LIGHT, np.uint8)
    h, w = small.shape[:2]
    canvas[400 : 400 + h, 600 : 600 + w] = small
    return canvas


@pytest.fixture(scope="session")
def at_edge(good: np.ndarray) -> np.ndarray:
    """The top of the frame cuts through the cap: no 3:4 portrait fits above the head."""
    return np.ascontiguousarray(good[340:])


@pytest.fixture(scope="session")
def two_faces(good: np.ndarray) -> np.ndarray:
    return np.hstack([good, good])


@pytest.fixture(scope="session")
def eyes_covered(good: np.ndarray) -> np.ndarray:
    """Dark patches over both eyes (sunglasses)."""
    from capture.quality import assess

    geo = assess(good).face
    assert geo is not None
    b = geo.box
    img = good.copy()
    for fx in (0.3, 0.7):
        cv2.circle(
            img, (int(b.x + fx * b.w), int(b.y + 0.4 * b.h)), int(0.14 * b.w), (75, 75, 75), -1
        )
    return img


@pytest.fixture(scope="session")
def busy_background(good: np.ndarray) -> np.ndarray:
    """The person before a patterned sheet (stripes and noise) instead of a wall."""
    h, w = good.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    pattern = (127 + 90 * np.sin(xx / 5.0) * np.cos(yy / 7.0)).astype(np.uint8)
    sheet = cv2.merge([pattern, np.roll(pattern, 9, axis=1), pattern])
    wall = np.all(good == LIGHT, axis=2)
    img = good.copy()
    img[wall] = sheet[wall]
    return img

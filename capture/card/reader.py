"""Reading a chip ID card's QR code in a webcam frame (issue 17) — no Qt: the camera worker
calls :meth:`CardReader.read` on each frame in its own thread, the tests and bench/card_qr.py
call it on generated frames.

The card's code is small (about 49 modules in 17 mm): a 640×480 webcam sees it with 2–4 pixels
a module when the card is held 10–15 cm away, which is below what OpenCV's QR decoders read on
a whole frame (none of them read our 3 px frames). So, per frame:

1. *find* the code with ``cv2.QRCodeDetectorAruco`` on the grey frame (one adaptive-threshold
   window and a smaller pyramid: twice as fast as its defaults, as many codes found; frames
   wider than 800 px are searched at 640 px and read at full size). Its three finder-pattern
   corners are good to a fraction of a module, but the fourth is guessed as a parallelogram's
   and is 1–4 modules off when the card is tilted;
2. *square up* the four corners: the code is warped upright through them and each of its four
   outer edges is fitted as the line along the outermost dark pixels (the quiet zone around a
   code is blank); the corners are where those lines meet, to a fifth of a module;
3. *read the modules*: their count from the timing patterns (row and column 6 alternate dark
   and light only when sampled at the right count), each module's centre against the levels
   around it, redrawn clean, black on white, one pixel a module;
4. *decode* that clean picture with ``cv2.QRCodeDetector`` (error correction, the text).

A frame that gives no text says why, with what to do (:class:`Hint`): no code in view (or cut
by the frame's edge), too dark, the light reflected off the laminate, the card so close that a
fixed-focus webcam blurs it, or found but not read (hold still). A code that is read is kept
only if it is a card's (:func:`capture.card.qr_text.looks_like_card` and ``parse``) or one of
our appointment slips (``ES1|`` — the prefix of ``printing.qr.slip_payload``, checked here by
its text because capture/ does not import printing/); any other code says so and gives no text.
bench/card_qr.py has the figures (time per frame, frames until a card is read).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np

from capture.card.qr_text import NotACardQR, looks_like_card, parse
from resources.i18n import N_

SLIP_PREFIX = "ES1|"
"""What an appointment slip's code starts with (printing/qr.py ``slip_payload``)."""

DETECT_WIDTH = 800  # wider frames are searched at SEARCH_WIDTH (decoded at full size)
SEARCH_WIDTH = 640
DARK_LEVEL = 60  # the frame's brightest parts (98th percentile) below this: too dark
GLARE_LEVEL = 250  # grey level of blown-out pixels
GLARE_SHARE = 0.01  # of the code blown out in patches over three modules wide: a reflection
GLARE_BLOB = 0.004  # of the frame blown out in one place, next to print: a reflection
MIN_MODULE_PX = 1.5  # a code whose modules would be narrower than this is not tried
TIMING_AGREEMENT = 0.75  # share of the timing modules that must alternate as they should
EDGE_MARGIN = 0.05  # of the code's side: a corner nearer the frame's edge is cut off
NEAR_SIDE = 0.45  # a code found whose side is this share of the frame's height: too close
NEAR_WIDTH = 160  # the too-close test looks at a copy this wide (a quarter of 640)
NEAR_CONTRAST = 0.12  # local deviation / the picture's bright level: something contrasted
NEAR_COVER = 0.15  # … over this share of the picture (a close code: a quarter or more)
NEAR_SOFT = 0.6  # its detail / contrast below this: blurred (print in focus: 1.3–2)


class Hint(StrEnum):
    """What the officer is told about the last frame (the GUI shows :attr:`message`)."""

    FOUND = "found"
    NO_CODE = "no_code"
    TOO_CLOSE = "too_close"
    TOO_DARK = "too_dark"
    GLARE = "glare"
    HOLD_STILL = "hold_still"
    NOT_A_CARD = "not_a_card"

    @property
    def message(self) -> str:
        """The English message id; translate it with ``_()`` where it is shown."""
        return MESSAGES[self]


MESSAGES: dict[Hint, str] = {
    Hint.FOUND: N_("Card read."),
    Hint.NO_CODE: N_("Bring the QR code on the card into the picture"),
    Hint.TOO_CLOSE: N_("Move the card a little further away"),
    Hint.TOO_DARK: N_("Too little light: move somewhere brighter"),
    Hint.GLARE: N_("The card reflects the light: tilt it a little"),
    Hint.HOLD_STILL: N_("Hold the card still…"),
    Hint.NOT_A_CARD: N_("This is not the QR code of a chip ID card."),
}
"""Hint → English message id (Vietnamese in the catalogue), as capture/fingerprint/quality.py."""


@dataclass(frozen=True, slots=True)
class CardRead:
    """What one frame gave: the code's text (a card's or a slip's, else None) and the hint.

    ``corners`` are the code's four corners in the frame (when one was found), to draw it.
    """

    text: str | None
    hint: Hint
    corners: tuple[tuple[float, float], ...] | None = None

    @property
    def is_slip(self) -> bool:
        return self.text is not None and self.text.startswith(SLIP_PREFIX)


def accepted(text: str) -> bool:
    """A card's QR text or one of our slips' (anything else is not what the lookup wants)."""
    if text.startswith(SLIP_PREFIX):
        return True
    if not looks_like_card(text):
        return False
    try:
        parse(text)
    except NotACardQR:
        return False
    return True


def _decoded(raw: bytes) -> str:
    """The code's bytes as text: cards carry UTF-8; a damaged read keeps its digits."""
    return raw.decode("utf-8", errors="replace")


# --- squaring up the corners ---------------------------------------------------------------------


def _outer(dark: np.ndarray, far: bool, bins: int) -> np.ndarray:
    """Per bin of rows of ``dark`` (rows run along an edge, columns across it): the outermost
    dark column's outer side (half a pixel out), as ``[[row centre, column], …]``."""
    rows, cols = dark.shape
    has = dark.any(axis=1)
    if far:
        idx = (cols - np.argmax(dark[:, ::-1], axis=1)).astype(np.float64) - 0.5
    else:
        idx = np.argmax(dark, axis=1).astype(np.float64) - 0.5
    idx[~has] = np.nan
    per = rows // bins
    if per == 0:
        return np.empty((0, 2))
    grid = idx[: per * bins].reshape(bins, per)
    counted = ~np.isnan(grid).all(axis=1)
    if not counted.any():
        return np.empty((0, 2))
    grid = grid[counted]
    edge = np.nanmax(grid, axis=1) if far else np.nanmin(grid, axis=1)
    centre = (np.arange(bins)[counted] * per + (per - 1) / 2).astype(np.float64)
    return np.column_stack([centre, edge])


def _line(points: np.ndarray) -> tuple[float, float] | None:
    """``across = k · along + c`` through the points, outliers (print beside the code, a
    light module on the edge) dropped twice."""
    keep = np.ones(len(points), bool)
    k = c = 0.0
    for _ in range(3):
        if keep.sum() < 4:
            return None
        x, y = points[keep, 0], points[keep, 1]
        xm, ym = x.mean(), y.mean()
        var = ((x - xm) ** 2).sum()
        if var <= 0:
            return None
        k = float(((x - xm) * (y - ym)).sum() / var)
        c = float(ym - k * xm)
        res = np.abs(points[:, 1] - (k * points[:, 0] + c))
        new = res < 2.5 * (np.median(res[keep]) + 0.5)
        if (new == keep).all():
            break
        keep = new
    return k, c


def _meet(h: tuple[float, float], v: tuple[float, float]) -> tuple[float, float] | None:
    """Where ``y = kh·x + ch`` meets ``x = kv·y + cv``."""
    kh, ch = h
    kv, cv = v
    det = 1 - kv * kh
    if abs(det) < 1e-6:
        return None
    x = (cv + kv * ch) / det
    return x, kh * x + ch


def square_up(grey: np.ndarray, quad: np.ndarray, rounds: int = 1) -> np.ndarray:
    """The code's four corners (tl, tr, br, bl) from the detector's rough ones (see the
    module's note); the rough ones back if the edges cannot be found."""
    q = quad.astype(np.float32)
    for _ in range(rounds):
        side = float(max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0]),
                         np.linalg.norm(q[2] - q[1]), np.linalg.norm(q[2] - q[3])))  # fmt: skip
        s = round(min(max(side * 1.5, 60.0), 400.0))
        m = max(4, int(s * 0.12))
        dst = np.array([[m, m], [m + s, m], [m + s, m + s], [m, m + s]], np.float32)
        h = cv2.getPerspectiveTransform(q, dst)
        n = s + 2 * m
        upright = cv2.warpPerspective(grey, h, (n, n), flags=cv2.INTER_LINEAR,
                                      borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
        thr, _ = cv2.threshold(upright[m : m + s, m : m + s], 0, 255,
                               cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # fmt: skip
        dark = upright < thr
        w = max(3, int(s * 0.08))  # the search band: well inside the 4-module quiet zone
        lo, hi = m + int(0.05 * s), m + s - int(0.05 * s)
        bands = {
            "top": (dark[m - w : m + w, lo:hi].T, False, m - w),
            "bottom": (dark[m + s - w : m + s + w, lo:hi].T, True, m + s - w),
            "left": (dark[lo:hi, m - w : m + w], False, m - w),
            "right": (dark[lo:hi, m + s - w : m + s + w], True, m + s - w),
        }
        lines: dict[str, tuple[float, float]] = {}
        for name, (band, far, offset) in bands.items():
            fitted = _line(_outer(band, far, 12))
            if fitted is None:
                return q
            k, c = fitted
            lines[name] = (k, c + offset - k * lo)  # back to the upright image's coordinates
        found = [_meet(lines[a], lines[b]) for a, b in
                 (("top", "left"), ("top", "right"), ("bottom", "right"), ("bottom", "left"))]
        if any(p is None for p in found):
            return q
        pts = np.array(found, np.float32).reshape(1, 4, 2)
        try:
            back = np.linalg.inv(h)
        except np.linalg.LinAlgError:
            return q
        q = cv2.perspectiveTransform(pts, back)[0]
    return q


# --- reading the modules ------------------------------------------------------------------------


def _to_frame(corners: np.ndarray) -> np.ndarray:
    """The homography from the code's unit square (x across, y down) to the frame."""
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    return cv2.getPerspectiveTransform(unit, corners.astype(np.float32))


def _sample(grey: np.ndarray, h: np.ndarray, unit_points: np.ndarray) -> np.ndarray:
    """Grey levels (bilinear) at points of the code's unit square."""
    xy = cv2.perspectiveTransform(unit_points.reshape(1, -1, 2).astype(np.float32), h)[0]
    mx = np.ascontiguousarray(xy[:, 0].reshape(1, -1))
    my = np.ascontiguousarray(xy[:, 1].reshape(1, -1))
    values = cv2.remap(grey, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(values[0], dtype=np.float32)


@functools.lru_cache(maxsize=64)
def _timing_points(largest: int) -> tuple[tuple[int, ...], np.ndarray, np.ndarray]:
    """For every module count up to ``largest``: the centres of its two timing patterns in
    the unit square, stacked, and whether each should be dark (shared by every frame)."""
    counts = tuple(range(21, largest + 1, 4))
    points, dark = [], []
    for n in counts:
        k = np.arange(8, n - 8)
        along, at = (k + 0.5) / n, np.full(k.shape, 6.5 / n)
        points += [np.column_stack([along, at]), np.column_stack([at, along])]
        dark += [k % 2 == 0, k % 2 == 0]  # dark on even modules
    return counts, np.vstack(points).astype(np.float32), np.concatenate(dark)


def modules_across(grey: np.ndarray, h: np.ndarray, side: float) -> int | None:
    """How many modules the code is across (21, 25, … 177), from its timing patterns: the
    row and the column 6 between the finder patterns alternate dark and light, one module
    each, only when sampled at the right count. None when no count fits."""
    largest = min(177, int(side / MIN_MODULE_PX))
    if largest < 21:
        return None
    counts, points, dark = _timing_points(largest - (largest - 21) % 4)
    values = _sample(grey, h, points)
    best, best_n, start = 0.0, None, 0
    for n in counts:
        size = 2 * (n - 16)
        v, expect = values[start : start + size], dark[start : start + size]
        start += size
        score = float(((v < np.median(v)) == expect).mean())
        if score > best:
            best, best_n = score, n
    return best_n if best >= TIMING_AGREEMENT else None


def module_matrix(grey: np.ndarray, h: np.ndarray, n: int) -> np.ndarray:
    """Dark (True) or light for each module: its centre's grey level against a mean over the
    modules around it and the whole code's Otsu level (a shadow across the card, a dim
    corner), half each."""
    cols, rows = np.meshgrid(np.arange(n), np.arange(n))
    centres = np.column_stack([(cols.ravel() + 0.5) / n, (rows.ravel() + 0.5) / n])
    values = _sample(grey, h, centres).reshape(n, n)
    level, _ = cv2.threshold(np.clip(values, 0, 255).astype(np.uint8), 0, 255,
                             cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # fmt: skip
    around = cv2.blur(values, (11, 11), borderType=cv2.BORDER_REFLECT)
    return np.asarray(values < 0.5 * (around + level))


def clean_picture(matrix: np.ndarray, px: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The modules redrawn black on white with a quiet zone, and the code's corners in it:
    what OpenCV's decoder reads best (it then only corrects errors and decodes)."""
    n = matrix.shape[0]
    picture = np.kron(np.pad(matrix, 4), np.ones((px, px), bool))
    image = np.where(picture, 0, 255).astype(np.uint8)
    a, b = 4 * px - 0.5, (4 + n) * px - 0.5
    return image, np.array([[[a, a], [b, a], [b, b], [a, b]]], np.float32)


# --- why a code was not read ---------------------------------------------------------------------


def _glare_over(grey: np.ndarray, corners: np.ndarray, side: float) -> bool:
    """A reflection over the code: blown-out pixels in a patch wider than a few modules (an
    over-exposed card blows out its light modules too, but the dark ones part them)."""
    mask = np.zeros(grey.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(corners).astype(np.int32), 1)
    area = int(mask.sum())
    if area == 0:
        return False
    blown = ((grey >= GLARE_LEVEL) & (mask > 0)).astype(np.uint8)
    size = max(3, int(side / 15))  # about three modules of a card's code
    patch = cv2.erode(blown, np.ones((size, size), np.uint8))
    return float(patch.sum()) / area > GLARE_SHARE


# --- why no code was found ------------------------------------------------------------------------


def _blurred_up_close(grey: np.ndarray) -> bool:
    """Something contrasted fills much of the picture, and all of it is blurred.

    A blurred code cannot be found (its finder patterns are gone), but a fixed-focus webcam
    keeps the room and the desk sharp: a picture soft where it is contrasted, over a large part
    of it, has something too close to the lens — here, the card. Contrast is the local
    deviation over a few modules of a close code (a quarter-size copy), against the picture's
    brightest level (a dim room has less of it); sharpness is the mean Laplacian at half size
    over that deviation (print in focus: 1.3–2; a code blurred over a module: 0.3–0.6; a card
    moving far away, its code small: mostly more, or over less of the picture).
    """
    h, w = grey.shape[:2]
    qw, qh = NEAR_WIDTH, max(1, round(h * NEAR_WIDTH / w))
    small = cv2.resize(grey, (qw, qh), interpolation=cv2.INTER_AREA).astype(np.float32)
    mean = cv2.boxFilter(small, -1, (9, 9))
    std = np.sqrt(np.maximum(cv2.boxFilter(small * small, -1, (9, 9)) - mean * mean, 0))
    busy = std > NEAR_CONTRAST * max(float(np.percentile(small, 98)), 1.0)
    if busy.mean() < NEAR_COVER:
        return False
    half = cv2.resize(grey, (2 * qw, 2 * qh), interpolation=cv2.INTER_AREA).astype(np.float32)
    lap = cv2.boxFilter(np.abs(cv2.Laplacian(half, cv2.CV_32F, ksize=3)), -1, (9, 9))
    detail = cv2.resize(lap, (qw, qh), interpolation=cv2.INTER_AREA)
    return float(np.median(detail[busy] / std[busy])) < NEAR_SOFT


# --- the reader ------------------------------------------------------------------------------


class CardReader:
    """Reads a card's code in a frame; one per thread (OpenCV's detectors are not shared)."""

    def __init__(self) -> None:
        self._finder = cv2.QRCodeDetectorAruco()
        params = self._finder.getArucoParameters()
        params.adaptiveThreshWinSizeMin = 7
        params.adaptiveThreshWinSizeMax = 7
        self._finder.setArucoParameters(params)
        qr = self._finder.getDetectorParameters()
        qr.minModuleSizeInPyramid = 2.0  # its default 4 checks at needless size: 40 % slower
        self._finder.setDetectorParameters(qr)
        self._decoder = cv2.QRCodeDetector()  # for the codes we redraw: no alignment search
        self._decoder.setUseAlignmentMarkers(False)

    def read(self, image: np.ndarray) -> CardRead:
        """What this frame (BGR or grey uint8) gives: the text, or why not."""
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        quad = self._find(grey)
        if quad is None:
            return CardRead(None, self._why_not_found(grey))
        try:
            corners = square_up(grey, quad)
            raw = self._decode(grey, corners)
        except (cv2.error, np.linalg.LinAlgError):  # a degenerate quadrilateral was found
            return CardRead(None, Hint.HOLD_STILL)
        where = tuple((float(x), float(y)) for x, y in corners)
        if raw is not None:
            if accepted(text := _decoded(raw)):
                return CardRead(text, Hint.FOUND, where)
            return CardRead(None, Hint.NOT_A_CARD, where)
        return CardRead(None, self._why_unread(grey, corners), where)

    # --- finding and decoding ------------------------------------------------------------------

    def _find(self, grey: np.ndarray) -> np.ndarray | None:
        h, w = grey.shape[:2]
        scale = 1.0
        search = grey
        if w > DETECT_WIDTH:
            scale = SEARCH_WIDTH / w
            search = cv2.resize(grey, (SEARCH_WIDTH, round(h * scale)),
                                interpolation=cv2.INTER_AREA)  # fmt: skip
        ok, points = self._finder.detect(search)
        if not ok or points is None:
            return None
        quad = points.reshape(4, 2).astype(np.float32)
        return (quad + 0.5) / scale - 0.5 if scale != 1.0 else quad

    def _decode(self, grey: np.ndarray, corners: np.ndarray) -> bytes | None:
        """The code's bytes: its modules sampled at the squared-up corners, redrawn clean
        and given to OpenCV's decoder; None if they do not make a valid code."""
        side = float(max(np.linalg.norm(corners[1] - corners[0]),
                         np.linalg.norm(corners[3] - corners[0])))  # fmt: skip
        h = _to_frame(corners)
        n = modules_across(grey, h, side)
        if n is None:
            return None
        image, at = clean_picture(module_matrix(grey, h, n))
        try:
            raw, _ = self._decoder.decodeBytes(image, at)
        except cv2.error:
            return None
        return bytes(raw) if raw else None

    # --- why no text ----------------------------------------------------------------------------

    @staticmethod
    def _too_dark(grey: np.ndarray) -> bool:
        small = grey[::8, ::8]
        return float(np.percentile(small, 98)) < DARK_LEVEL

    def _why_unread(self, grey: np.ndarray, corners: np.ndarray) -> Hint:
        """A code was found but not read."""
        if self._too_dark(grey):
            return Hint.TOO_DARK
        side = float(np.linalg.norm(corners[1] - corners[0]))
        h, w = grey.shape[:2]
        edge = EDGE_MARGIN * side  # the quiet zone must be in the picture too
        if ((corners < edge) | (corners > np.array([w, h]) - 1 - edge)).any():
            return Hint.NO_CODE  # partly out of the picture
        if _glare_over(grey, corners, side):
            return Hint.GLARE
        if side > NEAR_SIDE * grey.shape[0]:
            return Hint.TOO_CLOSE
        return Hint.HOLD_STILL

    def _why_not_found(self, grey: np.ndarray) -> Hint:
        """No code was found: too dark, a reflection, too close, or nothing there."""
        if self._too_dark(grey):
            return Hint.TOO_DARK
        if self._glare_beside_print(grey):
            return Hint.GLARE
        if _blurred_up_close(grey):
            return Hint.TOO_CLOSE
        return Hint.NO_CODE

    @staticmethod
    def _glare_beside_print(grey: np.ndarray) -> bool:
        """A blown-out patch with print (strong contrast) right around it: the ceiling light
        in the card's laminate, not a white wall or a window."""
        small = grey[::4, ::4]
        blown = (small >= GLARE_LEVEL).astype(np.uint8)
        if blown.mean() < GLARE_BLOB:
            return False
        count, labels, stats, _c = cv2.connectedComponentsWithStats(blown, connectivity=8)
        if count < 2:
            return False
        biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        if stats[biggest, cv2.CC_STAT_AREA] < GLARE_BLOB * small.size:
            return False
        blob = (labels == biggest).astype(np.uint8)
        radius = max(3, int(np.sqrt(stats[biggest, cv2.CC_STAT_AREA]) / 2))
        ring = cv2.dilate(blob, np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)) > blob
        around = small[ring]
        return around.size > 0 and float(np.std(around)) > 45.0


__all__ = ["MESSAGES", "SLIP_PREFIX", "CardRead", "CardReader", "Hint", "accepted", "square_up"]

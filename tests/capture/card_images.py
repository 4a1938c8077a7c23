"""Webcam frames of a chip ID card held up to the camera, made here (issue 17): the card's QR
code made by segno (the project's QR library, as printing/qr.py), printed into a card-size
layout (85.6 × 54 mm, a photo box, lines of text, the QR in the top right corner) and held
before a desk in the ways an officer holds it — tilted, slightly out of focus, in a dim room,
turned 15° — and the ways that cannot be read: far too close (a fixed-focus webcam blurs it),
a dark room, a reflection of the ceiling light over the code, no card at all, another QR.

Every frame is deterministic (seeded noise), 640×480 BGR uint8 unless asked otherwise, and
built once per process (``functools.cache``): the capture tests, the GUI tests and
bench/card_qr.py share them. Frames are read-only (a test must not draw on a shared frame).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import segno

FRAME = (640, 480)  # width, height
HD = (1280, 720)  # what capture.sources.WebcamSource asks the camera for
CARD_MM = (85.6, 54.0)
QR_MM = 20.0  # the code's side with its quiet zone, in the top right corner of the front
PX_PER_MM = 10  # the flat card is drawn at this resolution, then warped into the frame

#: Real-looking card texts (tests/capture/test_card_qr.py has more): full, no old ID, newer.
CARD_TEXT = ("001089012345|123456789|Nguyễn Văn An|15031989|Nam|Thôn Đông, Xã Tân Lập, "
             "Huyện Đan Phượng, Thành phố Hà Nội|10082021")  # fmt: skip
CARD_ID = "001089012345"
CARD_TEXT_NO_OLD = ("011304012345||Giàng Thị Dua|05082004|Nữ|Bản Huổi Cơ Mông, Xã Nà Hỳ, "
                    "Huyện Nậm Pồ, Tỉnh Điện Biên|01022024")  # fmt: skip
CARD_ID_NO_OLD = "011304012345"
SLIP_TEXT = "ES1|0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b|NH-2026-000123"
OTHER_TEXT = "https://vneid.gov.vn/"  # a QR that is neither a card nor a slip


def _frozen(img: np.ndarray) -> np.ndarray:
    img = np.ascontiguousarray(img)
    img.setflags(write=False)
    return img


@functools.cache
def qr_modules(text: str, error: str = "m") -> np.ndarray:
    """The QR symbol as a boolean matrix (True = dark), with its 4-module quiet zone."""
    qr = segno.make(text, error=error, micro=False)
    matrix = np.array([[bool(v) for v in row] for row in qr.matrix], dtype=bool)
    return _frozen(np.pad(matrix, 4, constant_values=False))


def qr_picture(text: str, side: int) -> np.ndarray:
    """The symbol printed ``side`` px square (grey, quiet zone included), as a card printer
    would: modules area-sampled, ink not quite black, card not quite white."""
    modules = qr_modules(text)
    up = np.kron(modules, np.ones((16, 16), bool)).astype(np.float32)
    small = cv2.resize(up, (side, side), interpolation=cv2.INTER_AREA)
    return (235 - small * 205).astype(np.uint8)  # ink 30, paper 235


def card_front(text: str) -> np.ndarray:
    """The front of a chip ID card (BGR), ``PX_PER_MM`` px per mm: a pale patterned ground,
    the emblem's and photo's boxes, lines of print, the QR in the top right corner."""
    w, h = (round(v * PX_PER_MM) for v in CARD_MM)
    rng = np.random.default_rng(17)
    card = np.empty((h, w, 3), np.uint8)
    card[:] = (236, 232, 222)  # a pale blue-grey card
    ys, xs = np.mgrid[0:h, 0:w]
    guilloche = (6 * np.sin(xs / 9.0) * np.cos(ys / 13.0)).astype(np.int16)
    card[:] = np.clip(card.astype(np.int16) + guilloche[..., None], 0, 255).astype(np.uint8)
    mm = PX_PER_MM
    cv2.circle(card, (int(9 * mm), int(9 * mm)), int(6 * mm), (40, 40, 200), -1)  # emblem
    cv2.circle(card, (int(9 * mm), int(9 * mm)), int(3 * mm), (40, 200, 230), -1)
    x0, y0 = int(3 * mm), int(19 * mm)
    cv2.rectangle(card, (x0, y0), (x0 + int(20 * mm), y0 + int(27 * mm)), (170, 175, 180), -1)
    cv2.ellipse(card, (x0 + int(10 * mm), y0 + int(11 * mm)), (int(6 * mm), int(8 * mm)), 0, 0,
                360, (90, 110, 150), -1)  # fmt: skip
    lines = ["CONG HOA XA HOI CHU NGHIA VIET NAM", "CAN CUOC CONG DAN",
             "So / No.: " + text.split("|")[0], "Ho va ten / Full name:", "NGUYEN VAN AN",
             "Ngay sinh / Date of birth: 15/03/1989", "Gioi tinh / Sex: Nam",
             "Quoc tich / Nationality: Viet Nam"]  # fmt: skip
    y = int(6 * mm)
    for i, line in enumerate(lines):
        scale = 0.55 if i < 2 else 0.5
        x = int(17 * mm) if i < 2 else int(25 * mm)
        cv2.putText(card, line, (x, y), cv2.FONT_HERSHEY_SIMPLEX, scale, (50, 40, 40), 1,
                    cv2.LINE_AA)  # fmt: skip
        y += int((4.5 if i < 2 else 5.2) * mm) if i != 1 else int(9 * mm)
        if i == 0:
            x = int(17 * mm)
    side = int(QR_MM * mm)
    qx, qy = w - side - int(2 * mm), int(2 * mm)
    card[qy : qy + side, qx : qx + side] = qr_picture(text, side)[..., None]
    noise = rng.normal(0, 2.0, card.shape)
    return np.clip(card + noise, 0, 255).astype(np.uint8)


@functools.cache
def _desk(size: tuple[int, int]) -> np.ndarray:
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    base = 120 + 40 * (xs / w) - 25 * (ys / h)
    grain = 10 * np.sin(ys / 3.7 + 2 * np.sin(xs / 57.0))
    v = base + grain + np.random.default_rng(0).normal(0, 4, (h, w)).astype(np.float32)
    img = np.stack([v * 0.55, v * 0.75, v * 1.0], axis=-1)
    return _frozen(np.clip(img, 0, 255).astype(np.uint8))


def desk(seed: int, size: tuple[int, int] = FRAME) -> np.ndarray:
    """A wooden desk under office light: a warm gradient and grain (no straight edges), the
    grain shifted by ``seed``."""
    return np.roll(_desk(size), (seed * 7) % 29, axis=0)


@dataclass(frozen=True)
class Pose:
    """Where the card is held: its centre (share of the frame), its width (share of the frame
    width), the turn in the picture's plane, the tilt away from the camera (perspective)."""

    cx: float = 0.5
    cy: float = 0.5
    width: float = 0.8
    turn_deg: float = 0.0
    tilt: float = 0.0  # 0: flat; 0.15: the far edge 15 % narrower
    tilt_side: float = 0.0  # a sideways tilt, the same way


def aimed(module_px: float, qr_x: float = 0.5, qr_y: float = 0.5, turn_deg: float = 0.0,
          tilt: float = 0.0, tilt_side: float = 0.0, size: tuple[int, int] = FRAME,
          text: str = CARD_TEXT) -> Pose:  # fmt: skip
    """The pose that puts the card's code at ``(qr_x, qr_y)`` (shares of the frame) with
    modules ``module_px`` wide — how close the card is held, by what the reader needs (the
    card may then reach out of the frame: only its code corner has to be in view)."""
    w, h = size
    modules = len(qr_modules(text))
    px_per_mm = module_px * modules / QR_MM
    width = px_per_mm * CARD_MM[0] / w
    # the code's centre from the card's centre, in mm, turned with the card
    dx, dy = CARD_MM[0] / 2 - 2 - QR_MM / 2, -(CARD_MM[1] / 2 - 2 - QR_MM / 2)
    a = np.deg2rad(turn_deg)
    ox = (dx * np.cos(a) - dy * np.sin(a)) * px_per_mm
    oy = (dx * np.sin(a) + dy * np.cos(a)) * px_per_mm
    return Pose(cx=qr_x - ox / w, cy=qr_y - oy / h, width=width, turn_deg=turn_deg, tilt=tilt,
                tilt_side=tilt_side)


def corners(pose: Pose, size: tuple[int, int] = FRAME) -> np.ndarray:
    """The card's four corners in the frame (tl, tr, br, bl)."""
    w, h = size
    cw = pose.width * w
    ch = cw * CARD_MM[1] / CARD_MM[0]
    t, s = pose.tilt, pose.tilt_side
    pts = np.array(
        [[-cw / 2 * (1 - t), -ch / 2 * (1 - s)], [cw / 2 * (1 - t), -ch / 2 * (1 + s)],
         [cw / 2, ch / 2 * (1 + s)], [-cw / 2, ch / 2 * (1 - s)]], np.float32)  # fmt: skip
    a = np.deg2rad(pose.turn_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    return (pts @ rot.T + [pose.cx * w, pose.cy * h]).astype(np.float32)


def held(card: np.ndarray, pose: Pose, seed: int, size: tuple[int, int] = FRAME) -> np.ndarray:
    """The card warped into the frame over a desk (no sensor effects yet)."""
    w, h = size
    ch, cw = card.shape[:2]
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners(pose, size))
    frame = desk(seed, size)
    warped = cv2.warpPerspective(card, m, (w, h), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), m, (w, h), flags=cv2.INTER_AREA)
    alpha = (mask.astype(np.float32) / 255)[..., None]
    return (warped * alpha + frame * (1 - alpha)).astype(np.uint8)


def sensor(frame: np.ndarray, seed: int, blur: float = 0.0, gain: float = 1.0,
           noise: float = 2.5) -> np.ndarray:
    """What the webcam makes of the scene: optics (blur), exposure (gain), sensor noise, and
    the JPEG-like rounding of a cheap camera."""
    img = frame.astype(np.float32)
    if blur > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    grain = np.random.default_rng(seed).standard_normal(img.shape, dtype=np.float32)
    out = np.clip(img * gain + grain * noise, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def motion_blur(frame: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    """The card moving during the exposure: a line ``length`` px long at ``angle_deg``."""
    if length < 1:
        return frame
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = size // 2
    a = np.deg2rad(angle_deg)
    dx, dy = np.cos(a) * length / 2, np.sin(a) * length / 2
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1,
             cv2.LINE_AA)  # fmt: skip
    return cv2.filter2D(frame, -1, kernel / kernel.sum())


def glare(frame: np.ndarray, centre: tuple[float, float], radius: float) -> np.ndarray:
    """The ceiling light reflected in the card's laminate: a blown-out white patch."""
    h, w = frame.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.hypot(xs - centre[0], ys - centre[1]) / radius
    light = np.clip(1.6 - d, 0, 1)[..., None] * 400
    return np.clip(frame.astype(np.float32) + light, 0, 255).astype(np.uint8)


def qr_centre(pose: Pose, size: tuple[int, int] = FRAME) -> tuple[float, float]:
    """Where the card's QR code is in the frame (for the glare)."""
    cw, ch = (round(v * PX_PER_MM) for v in CARD_MM)
    side = QR_MM * PX_PER_MM
    x, y = cw - side / 2 - 2 * PX_PER_MM, 2 * PX_PER_MM + side / 2
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners(pose, size))
    p = cv2.perspectiveTransform(np.array([[[x, y]]], np.float32), m)[0, 0]
    return float(p[0]), float(p[1])


@functools.cache
def _front(text: str) -> np.ndarray:
    return _frozen(card_front(text))


def card_frame(text: str = CARD_TEXT, pose: Pose | None = None, seed: int = 1, blur: float = 0.6,
               gain: float = 1.0, noise: float = 2.5, size: tuple[int, int] = FRAME,
               motion: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:  # fmt: skip
    """One frame of ``text``'s card held at ``pose``, through the webcam (``motion``: the
    blur of a card moving, its length in px and direction in degrees)."""
    scene = held(_front(text), pose or Pose(), seed, size)
    scene = motion_blur(scene, *motion)
    return sensor(scene, seed, blur=blur, gain=gain, noise=noise)


# --- the variants the tests and the bench use ----------------------------------------------

MODULE_PX = 3.0
"""How wide the code's modules are in the readable frames: a card held about 12 cm from a
640×480 webcam (the card then reaches out of the picture; the reader needs 2.5–3 px)."""


def _aimed(text: str = CARD_TEXT, module_px: float = MODULE_PX, **kw: float) -> Pose:
    return aimed(module_px, text=text, **kw)


READABLE: dict[str, Callable[[], np.ndarray]] = {
    "flat": lambda: card_frame(pose=_aimed(), seed=2),
    "warped": lambda: card_frame(pose=_aimed(tilt=0.18, tilt_side=0.08), seed=3),
    "blurred": lambda: card_frame(pose=_aimed(), seed=4, blur=1.0),
    "dimmed": lambda: card_frame(pose=_aimed(), seed=5, gain=0.45, noise=3.5),
    "rotated_15": lambda: card_frame(pose=_aimed(turn_deg=15), seed=6),
    "rotated_-15_warped": lambda: card_frame(
        pose=_aimed(module_px=3.2, turn_deg=-15, tilt=0.12, qr_x=0.45), seed=7, blur=0.9),
    "no_old_id": lambda: card_frame(CARD_TEXT_NO_OLD, _aimed(CARD_TEXT_NO_OLD, qr_y=0.4), seed=8),
    "slip": lambda: card_frame(SLIP_TEXT, _aimed(SLIP_TEXT, turn_deg=8), seed=9),
    "upside_down": lambda: card_frame(pose=_aimed(turn_deg=183, qr_y=0.55), seed=15),
    "1280x720": lambda: card_frame(pose=_aimed(module_px=4.5, turn_deg=-6, size=HD), seed=16,
                                   size=HD),
}
"""Frames that must give their text back: variant → frame."""

EXPECTED: dict[str, str] = {name: CARD_TEXT for name in READABLE}
EXPECTED["no_old_id"] = CARD_TEXT_NO_OLD
EXPECTED["slip"] = SLIP_TEXT


def too_close() -> np.ndarray:
    """The card a hand's width from a fixed-focus webcam: the code fills the frame, blurred."""
    return card_frame(pose=_aimed(module_px=7.0, turn_deg=5), seed=10, blur=6.0)


def dark() -> np.ndarray:
    """An unlit corner of the office: the card is there, the picture is nearly black."""
    return card_frame(pose=_aimed(), seed=11, gain=0.07, noise=2.0)


def glared() -> np.ndarray:
    """The ceiling light reflected over the middle of the code."""
    pose = _aimed(turn_deg=4)
    frame = card_frame(pose=pose, seed=12, blur=0.0, noise=0.0)
    return sensor(glare(frame, qr_centre(pose), 45), 12, blur=0.6)


def no_card() -> np.ndarray:
    """The desk, nobody holding anything up yet."""
    return sensor(desk(13), 13, blur=0.6)


def other_qr() -> np.ndarray:
    """A QR code that is not a card's (a web address) on the same kind of card."""
    return card_frame(OTHER_TEXT, _aimed(OTHER_TEXT, qr_x=0.55), seed=14)


UNREADABLE: dict[str, Callable[[], np.ndarray]] = {
    "too_close": too_close,
    "dark": dark,
    "glare": glared,
    "no_card": no_card,
    "other_qr": other_qr,
}


@functools.cache
def frame(name: str) -> np.ndarray:
    """A named variant (READABLE or UNREADABLE), built once, read-only."""
    make = READABLE.get(name) or UNREADABLE[name]
    return _frozen(make())

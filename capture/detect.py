"""Face and eye detection with OpenCV's Haar cascades, tuned for a live preview.

Speed: the frame is searched on a grey copy whose long side is 160 px (a face worth
photographing is at least ~15 % of the frame), and only when that finds nothing on a 480 px
copy (a face far away). Each hit is then *refined* on a crop of the full-resolution frame
scaled so the face is 120 px wide, and the eyes are searched only inside that face. The refined
box and the eyes are what we measure; they are also what tells a true face from a false one
(an upside-down face, a pattern on a pillow): a true upright face is found again at the refine
step and has two eyes side by side in its upper half.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import cv2
import cv2.data  # typed as a submodule; cv2 itself already imports it
import numpy as np

from capture.report import Box

log = logging.getLogger(__name__)

COARSE_LONG_SIDE = 160
MIDDLE_LONG_SIDE = 280
FINE_LONG_SIDE = 480
COARSE_MIN_FACE = 24  # px at the coarse size: 15 % of the long side
FINE_MIN_FACE = 20  # px at the fine size: 4 % of the long side
SCALE_FACTOR = 1.15
REFINE_FACE_WIDTH = 100  # px: the face is found again on a crop scaled to this width
REFINE_PAD = 0.15  # the crop reaches this far (× face width) around the rough face
EYE_FACE_WIDTH = 130  # px: eyes are then ~20-26 px, just above the eye cascade's window
EYE_NEAR = 0.15  # × face width: the window around the previous eye (fits a 39 px eye)
ROTATIONS = (0, 90, 180, 270)

_ROTATE_CODE = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


def rotate(image: np.ndarray, rotation: int) -> np.ndarray:
    """Turn an image clockwise by 0/90/180/270 degrees."""
    if rotation % 360 == 0:
        return image
    return cv2.rotate(image, _ROTATE_CODE[rotation % 360])


_local = threading.local()


def _cascade(name: str) -> cv2.CascadeClassifier:
    """One classifier per thread and name: CascadeClassifier is not safe to share."""
    cache: dict[str, cv2.CascadeClassifier] | None = getattr(_local, "cascades", None)
    if cache is None:
        cache = _local.cascades = {}
    if name not in cache:
        c = cv2.CascadeClassifier(cv2.data.haarcascades + f"haarcascade_{name}.xml")
        if c.empty():
            raise RuntimeError(f"OpenCV cascade {name} is missing (opencv-python-headless<5?)")
        cache[name] = c
    return cache[name]


@dataclass(frozen=True)
class Eye:
    """An eye found inside a face: its centre and box in frame pixels."""

    x: float
    y: float
    box: Box
    glasses: bool  # found by the eyeglasses cascade


@dataclass(frozen=True)
class FaceCandidate:
    """A face in the upright frame (full-resolution pixels) and how sure we are of it."""

    box: Box
    neighbours: int  # the cascade's votes at the coarse size
    refined: bool  # found again on the full-resolution crop
    left_eye: Eye | None  # on the left of the picture
    right_eye: Eye | None

    @property
    def eyes_plausible(self) -> bool:
        """Two eyes side by side, at a sensible distance and level within ~30°."""
        a, b = self.left_eye, self.right_eye
        if a is None or b is None:
            return False
        dx, dy = b.x - a.x, b.y - a.y
        return 0.25 * self.box.w <= dx <= 0.65 * self.box.w and abs(dy) <= 0.6 * dx

    @property
    def score(self) -> float:
        """Votes plus strong bonuses for the refine step and the eyes (see module doc)."""
        eyes = sum(e is not None for e in (self.left_eye, self.right_eye))
        return (
            min(self.neighbours, 30)
            + (15 if self.refined else 0)
            + 6 * eyes
            + (12 if self.eyes_plausible else 0)
        )


@dataclass(frozen=True)
class Detection:
    """The faces found in the best rotation, largest first."""

    rotation: int
    faces: tuple[FaceCandidate, ...]
    upright_grey: np.ndarray  # full-resolution grey frame turned by ``rotation``
    full_count: bool = True  # the whole frame was searched for faces (not only near old ones)
    followed: FaceCandidate | None = None  # the face followed from the previous frame


def _downscale(grey: np.ndarray, long_side: int) -> tuple[np.ndarray, float]:
    h, w = grey.shape[:2]
    s = min(1.0, long_side / max(h, w))
    if s >= 1.0:
        return grey, 1.0
    small = cv2.resize(
        grey, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA
    )
    return small, s


def _detect(small: np.ndarray, min_face: int) -> list[tuple[Box, int]]:
    rects, votes = _cascade("frontalface_alt2").detectMultiScale2(
        small, scaleFactor=SCALE_FACTOR, minNeighbors=3, minSize=(min_face, min_face)
    )
    return [(Box(*map(float, r)), int(v)) for r, v in zip(rects, np.ravel(votes), strict=True)]


EyeSpot = tuple[float, float]
"""An eye centre (x, y)."""

# The cascades tried in turn for an eye still missing: the plain eye cascade, then the one
# trained with eyeglasses. (The per-eye "2splits" cascades were tried as a third: they find
# Grace Hopper's second eye but place it too low, reading a false 9° roll: CALIBRATION.md.)
_EYE_CASCADES: tuple[tuple[str, bool], ...] = (("eye", False), ("eye_tree_eyeglasses", True))


def _eye_rects(name: str, img: np.ndarray, x0: int, y0: int, hi: int) -> list[Box]:
    if img.shape[0] < 20 or img.shape[1] < 20:
        return []
    rects = _cascade(name).detectMultiScale(
        img, scaleFactor=1.1, minNeighbors=2, minSize=(20, 20), maxSize=(hi, hi)
    )
    return [Box(float(x0 + r[0]), float(y0 + r[1]), float(r[2]), float(r[3])) for r in rects]


def _nearest_eye(rects: list[Box], side: int, target: EyeSpot, w: int) -> Box | None:
    """The hit on ``side`` of the face (0 = left of the picture) nearest ``target``."""
    mid = w / 2
    best: tuple[float, Box] | None = None
    for b in rects:
        if (b.cx < mid) != (side == 0) or abs(b.cx - mid) < 0.08 * w:
            continue
        d = (b.cx - target[0]) ** 2 + (b.cy - target[1]) ** 2
        if best is None or d < best[0]:
            best = (d, b)
    return None if best is None else best[1]


def _find_eyes(
    face_img: np.ndarray, near: tuple[EyeSpot | None, EyeSpot | None] = (None, None)
) -> tuple[tuple[Box, bool] | None, ...]:
    """(left, right) eyes in a face image EYE_FACE_WIDTH wide: nearest hit to each eye's spot.

    ``near``: where the eyes were in the previous frame (face-image pixels); each is first
    looked for in a small window there, which is most of the cost saved by tracking. An eye
    still missing is looked for in one band across both eyes (a tight crop loses the context
    the cascades need), with the eyeglasses cascade only when the plain one misses it.
    Eye cascades are the slowest step, so the windows and the scale range are kept tight.
    """
    h, w = face_img.shape[:2]
    y0, y1 = int(0.2 * h), int(0.55 * h)
    hi = max(21, int(0.3 * w))
    found: list[tuple[Box, bool] | None] = [None, None]
    for side, spot in enumerate(near):
        if spot is None:
            continue
        r = EYE_NEAR * w
        nx0, ny0 = max(0, int(spot[0] - r)), max(0, int(spot[1] - r))
        nx1, ny1 = min(w, int(spot[0] + r)), min(h, int(spot[1] + r))
        for name, glasses in _EYE_CASCADES:
            hit = _nearest_eye(
                _eye_rects(name, face_img[ny0:ny1, nx0:nx1], nx0, ny0, hi), side, spot, w
            )
            if hit is not None:
                found[side] = (hit, glasses)
                break
    targets = ((0.3 * w, 0.38 * h), (0.7 * w, 0.38 * h))
    # the band across both eyes: the plain cascade, then the eyeglasses one
    x0, x1 = int(0.1 * w), int(0.9 * w)
    for name, glasses in _EYE_CASCADES:
        if found[0] is not None and found[1] is not None:
            break
        rects = _eye_rects(name, face_img[y0:y1, x0:x1], x0, y0, hi)
        for side in (0, 1):
            hit = None if found[side] is not None else _nearest_eye(rects, side, targets[side], w)
            if hit is not None:
                found[side] = (hit, glasses)
    return tuple(found)


def _stretch(img: np.ndarray) -> np.ndarray:
    """Linear contrast stretch (2–98 %): dim faces for the eye cascades, shapes unchanged."""
    lo, hi = np.percentile(img[::2, ::2], (2, 98))
    gain = 255.0 / max(float(hi - lo), 1.0)
    return cv2.convertScaleAbs(img, alpha=gain, beta=-float(lo) * gain)


def _clip_roi(shape: tuple[int, ...], box: Box, pad: float) -> tuple[int, int, int, int]:
    fh, fw = shape[:2]
    p = pad * box.w
    return (
        max(0, int(box.x - p)),
        max(0, int(box.y - p)),
        min(fw, int(box.x + box.w + p)),
        min(fh, int(box.y + box.h + p)),
    )


def _refine_box(grey: np.ndarray, rough: Box) -> tuple[Box, bool]:
    """The face found again at full resolution around ``rough``: (box, found)."""
    x0, y0, x1, y1 = _clip_roi(grey.shape, rough, REFINE_PAD)
    s = REFINE_FACE_WIDTH / max(rough.w, 1.0)
    roi = grey[y0:y1, x0:x1]
    size = (max(1, round(roi.shape[1] * s)), max(1, round(roi.shape[0] * s)))
    scaled = cv2.resize(roi, size, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    w = REFINE_FACE_WIDTH
    rects = _cascade("frontalface_alt2").detectMultiScale(
        scaled,
        scaleFactor=1.12,
        minNeighbors=2,
        minSize=(int(w * 0.75), int(w * 0.75)),
        maxSize=(int(w * 1.33), int(w * 1.33)),
    )
    if len(rects) == 0:
        return rough, False
    rc = ((rough.cx - x0) * s, (rough.cy - y0) * s)  # the hit nearest the rough centre
    i = int(
        np.argmin([(r[0] + r[2] / 2 - rc[0]) ** 2 + (r[1] + r[3] / 2 - rc[1]) ** 2 for r in rects])
    )
    r = rects[i]
    return Box(x0 + r[0] / s, y0 + r[1] / s, r[2] / s, r[3] / s), True


def refine(
    grey: np.ndarray,
    rough: Box,
    neighbours: int,
    eyes_at: tuple[EyeSpot | None, EyeSpot | None] = (None, None),
) -> FaceCandidate:
    """Find the face again at full resolution around ``rough`` and look for its eyes.

    ``eyes_at``: where the eyes were in the previous frame, as fractions of the face box
    (so a head that moved is followed), looked at first.
    """
    fh, fw = grey.shape[:2]
    box, refined = _refine_box(grey, rough)
    # eyes on the face at a fixed width, from the full-resolution frame
    bx0, by0 = max(0, int(box.x)), max(0, int(box.y))
    bx1, by1 = min(fw, int(box.x + box.w)), min(fh, int(box.y + box.h))
    left = right = None
    if bx1 - bx0 > 8 and by1 - by0 > 8:
        es = EYE_FACE_WIDTH / (bx1 - bx0)
        face = grey[by0:by1, bx0:bx1]
        face = cv2.resize(
            face,
            (EYE_FACE_WIDTH, max(1, round(face.shape[0] * es))),
            interpolation=cv2.INTER_AREA if es < 1 else cv2.INTER_LINEAR,
        )
        fw_, fh_ = face.shape[1], face.shape[0]
        near = tuple(None if p is None else (p[0] * fw_, p[1] * fh_) for p in eyes_at)
        found = _find_eyes(_stretch(face), (near[0], near[1]))

        def eye(hit: tuple[Box, bool] | None) -> Eye | None:
            if hit is None:
                return None
            b = Box(bx0 + hit[0].x / es, by0 + hit[0].y / es, hit[0].w / es, hit[0].h / es)
            return Eye(b.cx, b.cy, b, hit[1])

        left, right = eye(found[0]), eye(found[1])
    return FaceCandidate(box, neighbours, refined, left, right)


def _search(
    grey: np.ndarray, rotations: tuple[int, ...], long_side: int, min_face: int
) -> Detection | None:
    small, s = _downscale(grey, long_side)
    # no histogram equalisation: Haar windows are variance-normalised already (a dim face is
    # found as it is), and equalising a frame that is mostly plain wall hides the face
    best: Detection | None = None
    best_score = -1.0
    for rot in rotations:
        hits = _detect(rotate(small, rot), min_face)
        if not hits:
            continue
        upright = rotate(grey, rot)
        hits.sort(key=lambda h: h[0].area, reverse=True)
        largest = hits[0][0].area
        faces = [refine(upright, b.scaled(1 / s), v) for b, v in hits if b.area >= 0.2 * largest]
        faces.extend(
            FaceCandidate(b.scaled(1 / s), v, False, None, None)
            for b, v in hits
            if b.area < 0.2 * largest
        )
        top = max(f.score for f in faces)
        log.debug("rotation %d: %d faces, best score %.0f", rot, len(faces), top)
        if top > best_score:
            best_score = top
            best = Detection(rot, tuple(sorted(faces, key=lambda f: -f.box.area)), upright)
    return best


def detect_faces(grey: np.ndarray, rotations: tuple[int, ...] = (0,)) -> Detection | None:
    """Faces in the best of ``rotations``; None when no rotation shows a face."""
    found = _search(grey, rotations, COARSE_LONG_SIDE, COARSE_MIN_FACE)
    # a smaller face: first a middle size, then far away, only in the rotations that matter
    # most (the cost falls on frames where the face is small or absent)
    for long_side in (MIDDLE_LONG_SIDE, FINE_LONG_SIDE):
        if found is not None or max(grey.shape[:2]) <= long_side * 0.75:
            break
        found = _search(grey, rotations[:2], long_side, FINE_MIN_FACE)
    return found


# --- tracking: the previous frame's faces tell where to look ------------------------------

TRACK_FACE_WIDTH = 36  # px: the neighbourhood of a known face is searched at this face width
TRACK_PAD = 0.6  # × face width searched around the previous box (head and hand movement)
TRACK_SIZES = (0.7, 1.45)  # the face may shrink or grow this much between two frames
SECOND_FACE_WIDTH = 0.45  # a face that matters (≥ 25 % of the area) is ≥ 0.5 × as wide; margin
OTHER_FACE_PX = 28  # px: the size such a face has in the copy searched for it


def track_face(grey: np.ndarray, previous: Box) -> tuple[Box, int] | None:
    """The face near ``previous`` (full-resolution upright pixels), or None when it is gone.

    Only the neighbourhood of the previous box is searched, scaled so the face is
    TRACK_FACE_WIDTH px and the cascade tries only sizes near the previous one: a few hundred
    windows instead of the whole frame at every size.
    """
    x0, y0, x1, y1 = _clip_roi(grey.shape, previous, TRACK_PAD)
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    s = min(1.0, TRACK_FACE_WIDTH / max(previous.w, 1.0))
    roi = grey[y0:y1, x0:x1]
    if s < 1.0:
        roi = cv2.resize(
            roi,
            (max(1, round(roi.shape[1] * s)), max(1, round(roi.shape[0] * s))),
            interpolation=cv2.INTER_AREA,
        )
    lo = max(20, int(TRACK_SIZES[0] * previous.w * s))
    hi = max(lo + 1, int(TRACK_SIZES[1] * previous.w * s))
    rects, votes = _cascade("frontalface_alt2").detectMultiScale2(
        roi, scaleFactor=SCALE_FACTOR, minNeighbors=3, minSize=(lo, lo), maxSize=(hi, hi)
    )
    if len(rects) == 0:
        return None
    pcx, pcy = (previous.cx - x0) * s, (previous.cy - y0) * s
    i = int(np.argmin([(r[0] + r[2] / 2 - pcx) ** 2 + (r[1] + r[3] / 2 - pcy) ** 2 for r in rects]))
    r = rects[i]
    return Box(x0 + r[0] / s, y0 + r[1] / s, r[2] / s, r[3] / s), int(np.ravel(votes)[i])


def _overlaps(a: Box, b: Box) -> bool:
    """The centre of one box lies inside the other (the same face found twice)."""
    return (b.x <= a.cx <= b.x + b.w and b.y <= a.cy <= b.y + b.h) or (
        a.x <= b.cx <= a.x + a.w and a.y <= b.cy <= a.y + a.h
    )


def _other_faces(grey: np.ndarray, subject: Box) -> list[tuple[Box, int]]:
    """Every other face big enough to count next to ``subject`` (≥ 25 % of its area).

    The frame is scaled so such a face (half the subject's width) is OTHER_FACE_PX wide: a
    face right at the cascade's smallest window is often missed (two faces of 17 % of the
    frame are not found at the coarse size). Never finer than the cold search's middle pass:
    the finest costs a whole still's budget, and a cold search that finds the subject at the
    middle size does not look for smaller faces either.
    """
    long_side = max(grey.shape[:2])
    target = OTHER_FACE_PX * long_side / (0.5 * max(subject.w, 1.0))
    small, s = _downscale(grey, round(min(MIDDLE_LONG_SIDE, max(COARSE_LONG_SIDE, target))))
    min_face = max(FINE_MIN_FACE, int(SECOND_FACE_WIDTH * subject.w * s))
    return [
        (b.scaled(1 / s), v)
        for b, v in _detect(small, min_face)
        if not _overlaps(b.scaled(1 / s), subject)
    ]


def detect_near(
    grey: np.ndarray,
    rotation: int,
    subject: Box,
    others: tuple[Box, ...] | None = None,
    eyes: tuple[EyeSpot | None, EyeSpot | None] = (None, None),
) -> Detection | None:
    """Faces in ``grey`` turned by ``rotation``, the subject searched near its previous box.

    ``others`` None: the whole frame is searched for other faces big enough to count (the
    report is as trustworthy as a cold one). A tuple: only the neighbourhoods of those
    previously found faces are searched (the live preview between two full counts).
    ``eyes``: the subject's eye centres in the previous frame (frame pixels), looked at first
    at the same place relative to the face box.
    Returns None when the subject is not near its previous box any more.
    """
    upright = rotate(grey, rotation)
    hit = track_face(upright, subject)
    if hit is None:
        return None
    rel = tuple(
        None if e is None else ((e[0] - subject.x) / subject.w, (e[1] - subject.y) / subject.h)
        for e in eyes
    )
    subj = refine(upright, *hit, (rel[0], rel[1]))
    if others is None:
        hits = _other_faces(upright, subj.box)
        faces = [
            refine(upright, b, v)
            if b.area >= 0.2 * subj.box.area
            else FaceCandidate(b, v, False, None, None)
            for b, v in hits
        ]
    else:
        # faces verified at the last full count and found again near where they were: the
        # second detection is their verification (no refine, no eyes: they are only counted)
        hits = [h for h in (track_face(upright, o) for o in others) if h is not None]
        faces = [FaceCandidate(_refine_box(upright, b)[0], v, True, None, None) for b, v in hits]
    faces = [subj, *(f for f in faces if not _overlaps(f.box, subj.box))]
    return Detection(
        rotation,
        tuple(sorted(faces, key=lambda f: -f.box.area)),
        upright,
        full_count=others is None,
        followed=subj,
    )

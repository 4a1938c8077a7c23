"""``assess(frame, mode, hint)``: the frame-by-frame verdict on a portrait, with what to fix.

Detection runs on small grey copies (see :mod:`capture.detect`); every measurement is taken on
the full-resolution upright frame. In normal mode only the upright frame is searched first; the
other rotations are tried only when no face is found, to tell "hold the camera upright" from
"no face". In bedridden mode all four rotations compete and the best-verified face wins.

With a ``hint`` (the previous frame's report, or a face box) the face is first looked for near
where it was, in the rotation it had: the live preview's steady state. The live preview should
use :class:`capture.tracking.FaceTracker`, which keeps the hint between frames.
"""

from __future__ import annotations

import logging
import math
from typing import NamedTuple

import cv2
import numpy as np

from capture import checks as C
from capture import measures as M
from capture import thresholds as T
from capture.detect import Detection, EyeSpot, FaceCandidate, detect_faces, detect_near
from capture.report import Box, Check, FaceGeometry, Instruction, Mode, QualityReport, Severity

log = logging.getLogger(__name__)


def to_grey(frame: np.ndarray) -> np.ndarray:
    """A grey uint8 copy of a BGR/BGRA/grey frame; ValueError for anything else."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        raise ValueError("a frame must be a non-empty uint8 numpy array")
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 1:
        return frame[:, :, 0]
    raise ValueError(f"unsupported frame shape {frame.shape}")


def face_geometry(face: FaceCandidate) -> FaceGeometry:
    """Head position, eye line and the 3:4 portrait crop from a detected face."""
    box = face.box
    le, re = face.left_eye, face.right_eye
    if face.eyes_plausible and le is not None and re is not None:
        dx, dy = re.x - le.x, re.y - le.y
        ied = math.hypot(dx, dy)
        roll = math.degrees(math.atan2(dy, dx))
        cx = (le.x + re.x) / 2
        measured = True
    else:
        ied = box.w * T.IED_PER_FACE_WIDTH
        roll = 0.0
        cx = box.cx
        measured = False
    chin = box.y + box.h * (1 + T.CHIN_BELOW_BOX)
    crown = chin - box.h * T.HEAD_PER_BOX
    crop_h = (chin - crown) / T.CHIN_CROWN_FRACTION
    crop_w = crop_h * 3 / 4
    crop = Box(cx - crop_w / 2, crown - T.CROWN_MARGIN * crop_h, crop_w, crop_h)
    return FaceGeometry(
        box=box,
        left_eye=None if le is None else (le.x, le.y),
        right_eye=None if re is None else (re.x, re.y),
        eye_distance=ied,
        eyes_measured=measured,
        roll_deg=roll,
        crown_y=crown,
        chin_y=chin,
        crop=crop,
    )


def _find(grey: np.ndarray, mode: Mode) -> Detection | None:
    if mode is Mode.BEDRIDDEN:
        return detect_faces(grey, (0, 90, 270, 180))
    return detect_faces(grey, (0,)) or detect_faces(grey, (90, 270, 180))


def _no_face_cause(grey: np.ndarray) -> tuple[Instruction | None, Check, Check]:
    """Why no face was found, judged on the whole frame: light and blur come first."""
    h, w = grey.shape[:2]
    mean, dark, bright = M.measure_exposure(grey, Box(0, 0, w, h))
    # a frame of light wall is not "too bright": judge the whole frame on wider limits
    exposure = C.check_exposure(mean, dark, bright, limits=(T.FRAME_DARK, T.FRAME_BRIGHT))
    sharp = M.frame_sharpness(grey)
    sharpness = C.check_sharpness(sharp)
    cause: Instruction | None = None
    if mean < T.FRAME_DARK:
        cause = Instruction(
            "Ảnh quá tối, không nhìn thấy khuôn mặt: bật thêm đèn hoặc cho người quay mặt ra cửa",
            "Too dark to see a face: add light or turn the person towards the door",
        )
    elif mean > T.FRAME_BRIGHT:
        cause = Instruction(
            "Ảnh quá sáng (cháy sáng), không nhìn thấy khuôn mặt: tránh nắng hoặc đèn chiếu thẳng",
            "Too bright (washed out) to see a face: avoid direct sun or lamp",
        )
    elif sharp < T.SHARPNESS_FAIL:
        cause = Instruction(
            "Ảnh quá mờ, không nhận ra khuôn mặt: giữ máy ảnh chắc tay và lấy nét lại",
            "Too blurred to see a face: hold the camera still and refocus",
        )
    return cause, exposure, sharpness


def _no_face_report(grey: np.ndarray, mode: Mode, size: tuple[int, int]) -> QualityReport:
    cause, exposure, sharpness = _no_face_cause(grey)
    face_count = C.check_face_count(0, cause)
    why = face_count.instruction
    need = Instruction("Chưa đo được: " + why.vi, "Not measured: " + why.en)
    fail = Severity.FAIL
    checks = (
        face_count,
        C.not_measured("orientation", fail, 0, need, "°"),
        C.not_measured("face_size", fail, (T.IED_FAIL, T.IED_WARN), need, "px"),
        C.not_measured("framing", fail, T.FRAMING_TOLERANCE, need),
        C.not_measured("head_roll", fail, T.ROLL_MAX_DEG, need, "°"),
        sharpness,
        exposure,
        C.not_measured("lighting", fail, T.LIGHTING_MIN, need),
        C.not_measured(
            "background",
            Severity.WARN if mode is Mode.BEDRIDDEN else fail,
            (T.BACKGROUND_MIN_LUMA, T.BACKGROUND_MAX_GRADIENT),
            need,
        ),
        C.not_measured("eyes", Severity.WARN, 2, need),
    )
    return QualityReport(False, mode, 0, size, size, None, checks, 0)


def _count_faces(
    faces: tuple[FaceCandidate, ...], followed: FaceCandidate | None = None
) -> tuple[FaceCandidate, int]:
    """The subject and how many faces are big enough to matter.

    The subject is the face followed from the previous frame if there is one (two people of
    the same size must not swap from frame to frame), else the largest confirmed face.
    """
    confirmed = [f for f in faces if f.refined or f.eyes_plausible] or list(faces)
    subject = followed or max(confirmed, key=lambda f: (f.box.area, f.score))
    big = [f for f in confirmed if f.box.area >= T.SECOND_FACE_AREA * subject.box.area]
    return subject, len(big)


Hint = QualityReport | Box | None
"""What the previous frame said: a report, or a face box in this frame's upright pixels."""


class _Near(NamedTuple):
    rotation: int
    box: Box
    eyes: tuple[EyeSpot | None, EyeSpot | None]


def _near(hint: Hint, frame_size: tuple[int, int]) -> _Near | None:
    """Where to look first, from a hint, in this frame's upright pixels (scaled)."""
    if isinstance(hint, Box):
        return _Near(0, hint, (None, None))
    if not isinstance(hint, QualityReport) or hint.face is None:
        return None
    (pw, ph), (w, h) = hint.input_size, frame_size
    if pw <= 0 or ph <= 0 or abs(w / pw - h / ph) > 0.02 * (w / pw):
        return None  # another aspect ratio: another camera or crop, the box means nothing
    s = w / pw
    geo = hint.face
    eyes = tuple(None if e is None else (e[0] * s, e[1] * s) for e in (geo.left_eye, geo.right_eye))
    return _Near(hint.rotation, geo.box.scaled(s), (eyes[0], eyes[1]))


def assess(frame: np.ndarray, mode: Mode | str = Mode.NORMAL, hint: Hint = None) -> QualityReport:
    """Check one frame (BGR or grey uint8) against ARCHITECTURE.md and say what to fix.

    ``hint``: the report of the previous frame (a preview frame of another size is scaled) or
    a face box; the face is searched near it first, then, if it is not there, as without a
    hint. Other faces are still searched on the whole frame, so the verdict is the same as a
    cold one. Raises ValueError for something that is not an image array. Thread-safe (the
    cascades are per thread), so the GUI can run it in a worker.
    """
    return assess_detailed(frame, mode, hint)[0]


def assess_detailed(
    frame: np.ndarray,
    mode: Mode | str = Mode.NORMAL,
    hint: Hint = None,
    others: tuple[Box, ...] | None = None,
) -> tuple[QualityReport, Detection | None]:
    """:func:`assess`, and the detection behind it (for :class:`~capture.tracking.FaceTracker`).

    ``others``: with a hint, search only near these other faces instead of the whole frame.
    """
    mode = Mode(mode)
    grey = to_grey(frame)
    h, w = grey.shape[:2]
    det = None
    near = _near(hint, (w, h))
    if near is not None:
        det = detect_near(grey, near.rotation, near.box, others, near.eyes)
    if det is None:
        det = _find(grey, mode)
    if det is None:
        return _no_face_report(grey, mode, (w, h)), None
    return _report(det, mode, (w, h)), det


def _report(det: Detection, mode: Mode, size: tuple[int, int]) -> QualityReport:
    up = det.upright_grey
    uh, uw = up.shape[:2]
    subject, n_faces = _count_faces(det.faces, det.followed)
    geo = face_geometry(subject)
    box = geo.box
    eyes = [e for e in (subject.left_eye, subject.right_eye) if e is not None]
    checks = (
        C.check_face_count(n_faces, None),
        C.check_orientation(det.rotation, mode),
        C.check_face_size(geo.eye_distance),
        C.check_framing(geo.crop, uw, uh),
        C.check_head_roll(geo.roll_deg, geo.eyes_measured),
        C.check_sharpness(M.measure_sharpness(up, box)),
        C.check_exposure(*M.measure_exposure(up, box)),
        C.check_lighting(*M.measure_lighting(up, box)),
        C.check_background(*M.measure_background(up, geo), mode),
        C.check_eyes(len(eyes), M.measure_glare(up, [e.box for e in eyes])),
    )
    accepted = not any(c.blocking for c in checks)
    log.debug("assessed %dx%d frame: rotation %d, accepted %s", *size, det.rotation, accepted)
    return QualityReport(accepted, mode, det.rotation, size, (uw, uh), geo, checks, n_faces)

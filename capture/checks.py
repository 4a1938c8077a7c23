"""The measurements and the checks of DESIGN.md §7, one function per check.

Measurements take the full-resolution upright grey frame and the face geometry; each check
turns a measurement into a :class:`Check` with an instruction that names the real cause.
"""

from __future__ import annotations

import cv2
import numpy as np

from capture import thresholds as T
from capture.report import Box, Check, FaceGeometry, Instruction, Mode, Severity

FAIL, WARN = Severity.FAIL, Severity.WARN


def _region(
    grey: np.ndarray, box: Box, fx0: float, fx1: float, fy0: float, fy1: float
) -> np.ndarray:
    """A part of a box given as fractions of it, clipped to the frame."""
    h, w = grey.shape[:2]
    x0 = int(np.clip(box.x + fx0 * box.w, 0, w))
    x1 = int(np.clip(box.x + fx1 * box.w, 0, w))
    y0 = int(np.clip(box.y + fy0 * box.h, 0, h))
    y1 = int(np.clip(box.y + fy1 * box.h, 0, h))
    return grey[y0:y1, x0:x1]


def _to_width(img: np.ndarray, width: int) -> np.ndarray:
    h, w = img.shape[:2]
    if w == 0 or h == 0:
        return img
    s = width / w
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    return cv2.resize(img, (width, max(1, round(h * s))), interpolation=interp)


# --- measurements -------------------------------------------------------------------------


def measure_sharpness(grey: np.ndarray, box: Box) -> float:
    """Variance of the Laplacian of the inner face at a fixed width (comparable across sizes)."""
    face = _region(grey, box, 0.1, 0.9, 0.1, 0.9)
    if face.size == 0:
        return 0.0
    face = _to_width(face, T.SHARPNESS_WIDTH)
    # a linear stretch first, so a dim face is not mistaken for a blurred one ("too dark"
    # must not read "blurred"); blur lowers the Laplacian much more than it lowers contrast
    lo, hi = np.percentile(face, (2, 98))
    gain = 255.0 / max(float(hi - lo), 16.0)
    face = cv2.convertScaleAbs(face, alpha=gain, beta=-float(lo) * gain)
    _, std = cv2.meanStdDev(cv2.Laplacian(face, cv2.CV_32F, ksize=1))
    return float(std[0, 0] ** 2)


def measure_exposure(grey: np.ndarray, box: Box) -> tuple[float, float, float]:
    """(mean luminance 0–1, fraction ≤ 25, fraction ≥ 247) of the inner face (no hair)."""
    face = _region(grey, box, 0.2, 0.8, 0.2, 0.9)
    if face.size == 0:
        return 0.0, 1.0, 0.0
    step = max(1, face.shape[1] // 128)  # a sample is enough for a mean
    face = face[::step, ::step]
    n = float(face.size)
    return (
        float(face.mean()) / 255.0,
        float(np.count_nonzero(face <= T.CLIPPED_DARK)) / n,
        float(np.count_nonzero(face >= T.CLIPPED_BRIGHT)) / n,
    )


def measure_lighting(grey: np.ndarray, box: Box) -> tuple[float, float]:
    """(histogram intersection of the cheeks, left/right mean ratio − 1 signed)."""
    left = _to_width(_region(grey, box, 0.15, 0.38, 0.5, 0.75), 32)
    right = _to_width(_region(grey, box, 0.62, 0.85, 0.5, 0.75), 32)
    if left.size == 0 or right.size == 0:
        return 1.0, 0.0
    hists = []
    for cheek in (left, right):
        h = cv2.calcHist([cheek], [0], None, [T.LIGHTING_BINS], [0, 256]).ravel()
        hists.append(h / max(float(h.sum()), 1.0))
    inter = float(np.minimum(hists[0], hists[1]).sum())
    lm, rm = float(left.mean()) + 1.0, float(right.mean()) + 1.0
    return inter, lm / rm - 1.0


def measure_background(grey: np.ndarray, geo: FaceGeometry) -> tuple[float, float, float]:
    """(mean luminance 0–1, gradient energy, fraction of the crop measured) around the head.

    The area is the crop above the chin minus an ellipse around the head; gradient energy is
    the mean Scharr magnitude normalised to 0–1, at a fixed width so it does not depend on size.
    """
    h, w = grey.shape[:2]
    c = geo.crop
    x0, y0 = int(max(0, c.x)), int(max(0, c.y))
    x1, y1 = int(min(w, c.x + c.w)), int(min(h, min(c.y + c.h, geo.chin_y)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return 0.0, 0.0, 0.0
    s = T.BACKGROUND_WIDTH / c.w
    roi = grey[y0:y1, x0:x1]
    small = cv2.resize(
        roi,
        (max(1, round(roi.shape[1] * s)), max(1, round(roi.shape[0] * s))),
        interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
    )
    mask = np.full(small.shape, 255, np.uint8)
    head_cx = ((geo.box.cx - x0) * s, ((geo.crown_y + geo.chin_y) / 2 - y0) * s)
    axes = (geo.box.w * 0.68 * s, geo.head_height * 0.58 * s)
    cv2.ellipse(
        mask,
        (round(head_cx[0]), round(head_cx[1])),
        (max(1, round(axes[0])), max(1, round(axes[1]))),
        0,
        0,
        360,
        0,
        -1,
    )
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8))  # drop the ellipse's own edge
    sel = mask > 0
    n = int(np.count_nonzero(sel))
    if n < 50:
        return 0.0, 0.0, 0.0
    f = small.astype(np.float32)
    gx = cv2.Scharr(f, cv2.CV_32F, 1, 0)
    gy = cv2.Scharr(f, cv2.CV_32F, 0, 1)
    mag = cv2.magnitude(gx, gy) / (255.0 * 16.0)
    measured = n / (small.shape[0] * small.shape[1]) * (roi.shape[0] * roi.shape[1]) / c.area
    return float(f[sel].mean()) / 255.0, float(mag[sel].mean()), measured


def measure_glare(grey: np.ndarray, eyes: list[Box]) -> float:
    """The largest fraction of near-white pixels in an eye box (reflections on glasses)."""
    worst = 0.0
    for b in eyes:
        r = _region(grey, b, 0, 1, 0, 1)
        if r.size:
            worst = max(worst, float(np.count_nonzero(r >= T.GLARE_LEVEL)) / r.size)
    return worst


def frame_luminance(grey: np.ndarray) -> float:
    """Mean luminance 0–1 of the central part of the frame (used when no face is found)."""
    h, w = grey.shape[:2]
    centre = grey[h // 6 : h - h // 6 : 4, w // 6 : w - w // 6 : 4]
    return float(centre.mean()) / 255.0 if centre.size else 0.0


def frame_sharpness(grey: np.ndarray) -> float:
    """Sharpness of the central third of the frame (the face is usually there)."""
    h, w = grey.shape[:2]
    return measure_sharpness(grey, Box(w / 3, h / 4, w / 3, h / 2))


# --- checks -------------------------------------------------------------------------------


def _i(vi: str, en: str) -> Instruction:
    return Instruction(vi, en)


def not_measured(
    check_id: str,
    severity: Severity,
    threshold: float | tuple[float, float] | None,
    why: Instruction,
    unit: str = "",
) -> Check:
    """A check that needs a face when there is none: failed, pointing at the real cause."""
    return Check(check_id, False, severity, None, threshold, why, unit, measured=False)


def check_face_count(n: int, cause: Instruction | None) -> Check:
    if n == 1:
        return Check("face_count", True, FAIL, 1, 1, _i("Một khuôn mặt", "One face"))
    if n == 0:
        why = cause or _i(
            "Không thấy khuôn mặt: người được chụp nhìn thẳng vào máy ảnh",
            "No face found: the person should look straight at the camera",
        )
        return Check("face_count", False, FAIL, 0, 1, why)
    return Check(
        "face_count",
        False,
        FAIL,
        n,
        1,
        _i(
            f"Có {n} khuôn mặt trong khung hình: chỉ để một người trước máy ảnh",
            f"{n} faces in the frame: only one person in front of the camera",
        ),
    )


def check_orientation(rotation: int, mode: Mode) -> Check:
    if rotation == 0:
        return Check("orientation", True, FAIL, 0, 0, _i("Khuôn mặt thẳng", "Face upright"), "°")
    if mode is Mode.BEDRIDDEN:
        return Check(
            "orientation",
            True,
            FAIL,
            rotation,
            0,
            _i(
                f"Đã xoay ảnh {rotation}° cho thẳng (chụp người nằm)",
                f"Picture turned {rotation}° upright (bedridden mode)",
            ),
            "°",
        )
    return Check(
        "orientation",
        False,
        FAIL,
        rotation,
        0,
        _i(
            f"Khuôn mặt bị xoay {rotation}°: giữ máy thẳng, hoặc chọn chế độ chụp người nằm",
            f"The face is turned {rotation}°: hold the camera upright, or use bedridden mode",
        ),
        "°",
    )


def check_face_size(ied: float) -> Check:
    thr = (T.IED_FAIL, T.IED_WARN)
    if ied < T.IED_FAIL:
        return Check(
            "face_size",
            False,
            FAIL,
            ied,
            thr,
            _i("Mặt quá nhỏ: đưa máy ảnh lại gần hơn", "Face too small: move the camera closer"),
            "px",
        )
    if ied < T.IED_WARN:
        return Check(
            "face_size",
            False,
            WARN,
            ied,
            thr,
            _i(
                "Mặt hơi nhỏ: đưa máy ảnh lại gần thêm một chút",
                "Face a little small: move the camera a little closer",
            ),
            "px",
        )
    return Check("face_size", True, FAIL, ied, thr, _i("Cỡ mặt tốt", "Face size good"), "px")


def check_framing(crop: Box, frame_w: int, frame_h: int) -> Check:
    over = {
        "left": max(0.0, -crop.x),
        "right": max(0.0, crop.x + crop.w - frame_w),
        "top": max(0.0, -crop.y),
        "bottom": max(0.0, crop.y + crop.h - frame_h),
    }
    worst = max(over.values()) / crop.h
    details = {k: v / crop.h for k, v in over.items()}
    if worst <= T.FRAMING_TOLERANCE:
        return Check(
            "framing",
            True,
            FAIL,
            worst,
            T.FRAMING_TOLERANCE,
            _i("Khung ảnh vừa", "Portrait fits the frame"),
            "",
            True,
            details,
        )
    if crop.h > frame_h * (1 + T.FRAMING_TOLERANCE) or crop.w > frame_w * (1 + T.FRAMING_TOLERANCE):
        why = _i("Mặt quá gần: lùi máy ảnh ra xa", "Too close: move the camera back")
    else:
        side = max(over, key=lambda k: over[k])
        vi_side = {
            "left": "mép trái",
            "right": "mép phải",
            "top": "mép trên",
            "bottom": "mép dưới",
        }[side]
        if side == "top":
            why = _i(
                "Không đủ khoảng trống trên đầu: nâng máy ảnh lên hoặc chỉnh khung hình",
                "Too little room above the head: raise the camera or re-frame",
            )
        else:
            why = _i(
                f"Mặt quá sát {vi_side} khung hình: đưa mặt vào giữa",
                f"Face too close to the {side} edge of the picture: centre the face",
            )
    return Check("framing", False, FAIL, worst, T.FRAMING_TOLERANCE, why, "", True, details)


def check_head_roll(roll: float, eyes_measured: bool) -> Check:
    if not eyes_measured:
        return Check(
            "head_roll",
            True,
            FAIL,
            None,
            T.ROLL_MAX_DEG,
            _i(
                "Không đo được độ nghiêng (không thấy rõ hai mắt)",
                "Head tilt not measured (both eyes not found)",
            ),
            "°",
            measured=False,
        )
    if abs(roll) <= T.ROLL_MAX_DEG:
        return Check(
            "head_roll", True, FAIL, roll, T.ROLL_MAX_DEG, _i("Đầu thẳng", "Head straight"), "°"
        )
    return Check(
        "head_roll",
        False,
        FAIL,
        roll,
        T.ROLL_MAX_DEG,
        _i(
            f"Đầu bị nghiêng {abs(roll):.0f}°: giữ đầu thẳng, hai mắt ngang nhau",
            f"Head tilted {abs(roll):.0f}°: hold the head straight, eyes level",
        ),
        "°",
    )


BLUR_CAUSE = _i(
    "Ảnh bị mờ: giữ máy ảnh chắc tay, lau ống kính, lấy nét lại",
    "Picture blurred: hold the camera still, clean the lens, refocus",
)


def check_sharpness(value: float, measured: bool = True) -> Check:
    thr = (T.SHARPNESS_FAIL, T.SHARPNESS_WARN)
    if value < T.SHARPNESS_FAIL:
        return Check("sharpness", False, FAIL, value, thr, BLUR_CAUSE, "", measured)
    if value < T.SHARPNESS_WARN:
        return Check(
            "sharpness",
            False,
            WARN,
            value,
            thr,
            _i(
                "Ảnh hơi mờ: giữ máy ảnh yên và lấy nét lại",
                "Slightly blurred: hold the camera still and refocus",
            ),
            "",
            measured,
        )
    return Check("sharpness", True, FAIL, value, thr, _i("Ảnh nét", "Sharp"), "", measured)


DARK_CAUSE = _i(
    "Ảnh quá tối: bật thêm đèn, hoặc cho người quay mặt ra phía cửa sáng",
    "Too dark: add light, or turn the person to face the door or window",
)
BRIGHT_CAUSE = _i(
    "Ảnh quá sáng (cháy sáng): tránh nắng chiếu thẳng, giảm đèn hoặc đèn flash",
    "Too bright (washed out): avoid direct sun, dim the lamp or flash",
)


def check_exposure(
    mean: float,
    dark: float,
    bright: float,
    measured: bool = True,
    limits: tuple[float, float] = T.EXPOSURE_MEAN,
) -> Check:
    lo, hi = limits
    details = {"mean": mean, "dark_fraction": dark, "bright_fraction": bright}
    whole_frame = limits != T.EXPOSURE_MEAN  # clipped fractions mean nothing for a wall
    if whole_frame:
        dark = bright = 0.0
    if mean < lo or (dark > T.CLIPPED_MAX_FRACTION and dark >= bright):
        why = (
            DARK_CAUSE
            if mean < lo
            else _i(
                "Một phần mặt bị tối đen: chiếu thêm ánh sáng vào mặt",
                "Part of the face is black: add light on the face",
            )
        )
        return Check("exposure", False, FAIL, mean, (lo, hi), why, "", measured, details)
    if mean > hi or bright > T.CLIPPED_MAX_FRACTION:
        why = (
            BRIGHT_CAUSE
            if mean > hi
            else _i(
                "Một phần mặt bị cháy sáng (bóng loáng): giảm đèn hoặc tránh ánh nắng",
                "Part of the face is burnt white: dim the light or avoid direct sun",
            )
        )
        return Check("exposure", False, FAIL, mean, (lo, hi), why, "", measured, details)
    return Check(
        "exposure",
        True,
        FAIL,
        mean,
        (lo, hi),
        _i("Độ sáng tốt", "Exposure good"),
        "",
        measured,
        details,
    )


def check_lighting(inter: float, balance: float) -> Check:
    details = {"left_right_balance": balance}
    if inter >= T.LIGHTING_MIN:
        return Check(
            "lighting",
            True,
            FAIL,
            inter,
            T.LIGHTING_MIN,
            _i("Ánh sáng đều hai bên mặt", "Even light on both sides"),
            "",
            True,
            details,
        )
    vi_side, en_side = ("trái", "left") if balance < 0 else ("phải", "right")
    return Check(
        "lighting",
        False,
        FAIL,
        inter,
        T.LIGHTING_MIN,
        _i(
            f"Ánh sáng lệch một bên (nửa mặt bên {vi_side} ảnh tối hơn): cho người quay mặt về "
            "phía nguồn sáng, hoặc che bớt cửa bên sáng",
            f"Light from one side (the {en_side} of the face in the picture is darker): turn the "
            "person to face the light, or shade the bright door",
        ),
        "",
        True,
        details,
    )


def check_background(luma: float, gradient: float, measured_fraction: float, mode: Mode) -> Check:
    severity = WARN if mode is Mode.BEDRIDDEN else FAIL
    details = {"luminance": luma, "gradient": gradient, "measured_fraction": measured_fraction}
    thr = (T.BACKGROUND_MIN_LUMA, T.BACKGROUND_MAX_GRADIENT)
    if measured_fraction < 0.05:
        return Check(
            "background",
            True,
            severity,
            None,
            thr,
            _i(
                "Không đo được phông nền (mặt chiếm gần hết ảnh)",
                "Background not measured (the face fills the picture)",
            ),
            "",
            False,
            details,
        )
    light = luma >= T.BACKGROUND_MIN_LUMA
    plain = gradient <= T.BACKGROUND_MAX_GRADIENT
    if light and plain:
        return Check(
            "background",
            True,
            severity,
            gradient,
            thr,
            _i("Phông nền sáng, trơn", "Background light and plain"),
            "",
            True,
            details,
        )
    if mode is Mode.BEDRIDDEN:
        why = _i(
            "Nền là ga/gối (chấp nhận khi chụp người nằm); nếu được, trải khăn trắng dưới đầu",
            "Sheet or pillow behind the head (allowed in bedridden mode); spread a white cloth "
            "under the head if you can",
        )
    elif not plain:
        why = _i(
            "Phông nền có nhiều chi tiết: đứng trước tường trơn hoặc căng tấm vải trắng phía sau",
            "Background is busy: stand before a plain wall or hang a white sheet behind",
        )
    else:
        why = _i(
            "Phông nền tối: dùng tường sáng màu hoặc tấm vải trắng phía sau",
            "Background is dark: use a light wall or a white sheet behind",
        )
    return Check("background", False, severity, gradient, thr, why, "", True, details)


def check_eyes(found: int, glare: float) -> Check:
    details = {"eyes_found": float(found), "glare": glare}
    if found < 2:
        return Check(
            "eyes",
            False,
            WARN,
            float(found),
            2,
            _i(
                "Không thấy rõ hai mắt: mở to mắt, nhìn thẳng, bỏ kính nếu được",
                "Both eyes not clearly seen: eyes open, look straight, remove glasses if possible",
            ),
            "",
            True,
            details,
        )
    if glare > T.GLARE_MAX_FRACTION:
        return Check(
            "eyes",
            False,
            WARN,
            float(found),
            2,
            _i(
                "Kính bị lóa: nghiêng nhẹ kính, đổi hướng đèn, hoặc bỏ kính",
                "Glare on the glasses: tilt them slightly, move the light, or remove them",
            ),
            "",
            True,
            details,
        )
    return Check(
        "eyes",
        True,
        WARN,
        float(found),
        2,
        _i("Thấy rõ hai mắt", "Both eyes seen"),
        "",
        True,
        details,
    )

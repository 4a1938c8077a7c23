"""The checks of ARCHITECTURE.md, one function per check.

Each check turns a measurement (:mod:`capture.measures`) into a
:class:`Check` with an instruction that names the real cause.
"""

from __future__ import annotations

from capture import thresholds as T
from capture.report import Box, Check, Instruction, Mode, Severity

FAIL, WARN = Severity.FAIL, Severity.WARN


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

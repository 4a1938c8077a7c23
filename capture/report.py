"""The quality report: plain dataclasses the GUI shows and the database stores as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CHECK_IDS = (
    "face_count",
    "orientation",
    "face_size",
    "framing",
    "head_roll",
    "sharpness",
    "exposure",
    "lighting",
    "background",
    "eyes",
)
"""The checks of ARCHITECTURE.md, in the order they are shown."""

PRIORITY = (
    "face_count",
    "orientation",
    "lighting",
    "exposure",
    "face_size",
    "framing",
    "sharpness",
    "head_roll",
    "background",
    "eyes",
)
"""Which failure to tell the officer first. ``face_count`` names the real cause itself when no
face is found ("too dark", "too blurred"); side light comes before exposure because it is what
makes half the face black."""


class Mode(StrEnum):
    """How the person is photographed."""

    NORMAL = "normal"
    BEDRIDDEN = "bedridden"  # lying down, camera above: any rotation, sheet/pillow background


class Severity(StrEnum):
    """``fail`` blocks saving unless an exception is recorded; ``warn`` is only shown."""

    FAIL = "fail"
    WARN = "warn"


@dataclass(frozen=True)
class Instruction:
    """What the officer should do, in both languages (the GUI picks one)."""

    vi: str
    en: str

    def text(self, lang: str | None = "vi") -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels (may reach outside the frame for crops)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def area(self) -> float:
        return self.w * self.h

    def scaled(self, s: float) -> Box:
        return Box(self.x * s, self.y * s, self.w * s, self.h * s)

    def to_dict(self) -> dict[str, float]:
        return {
            k: round(v, 1) for k, v in (("x", self.x), ("y", self.y), ("w", self.w), ("h", self.h))
        }


@dataclass(frozen=True)
class FaceGeometry:
    """Where the face is in the upright frame (after the reported rotation)."""

    box: Box  # the detector's face box (brows to chin)
    left_eye: tuple[float, float] | None  # the eye on the left of the picture
    right_eye: tuple[float, float] | None
    eye_distance: float  # px; measured between eye centres, else estimated from the box
    eyes_measured: bool
    roll_deg: float  # eye-line angle, + = right eye lower; 0 when eyes not measured
    crown_y: float
    chin_y: float
    crop: Box  # the 3:4 portrait crop, chin-to-crown = 75 % of its height

    @property
    def head_height(self) -> float:
        return self.chin_y - self.crown_y

    def to_dict(self) -> dict[str, Any]:
        def pt(p: tuple[float, float] | None) -> list[float] | None:
            return None if p is None else [round(p[0], 1), round(p[1], 1)]

        return {
            "box": self.box.to_dict(),
            "left_eye": pt(self.left_eye),
            "right_eye": pt(self.right_eye),
            "eye_distance": round(self.eye_distance, 1),
            "eyes_measured": self.eyes_measured,
            "roll_deg": round(self.roll_deg, 1),
            "crown_y": round(self.crown_y, 1),
            "chin_y": round(self.chin_y, 1),
            "crop": self.crop.to_dict(),
        }


@dataclass(frozen=True)
class Check:
    """One quality check: what was measured, against what, and what to do about it."""

    id: str
    passed: bool
    severity: Severity
    value: float | None
    threshold: float | tuple[float, float] | None
    instruction: Instruction
    unit: str = ""
    measured: bool = True  # False when it could not be measured (e.g. no face)
    details: dict[str, float] = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        """A failed ``fail`` check: the portrait cannot be saved without an exception."""
        return not self.passed and self.severity is Severity.FAIL

    def to_dict(self) -> dict[str, Any]:
        thr: Any = list(self.threshold) if isinstance(self.threshold, tuple) else self.threshold
        return {
            "id": self.id,
            "passed": self.passed,
            "severity": self.severity.value,
            "value": None if self.value is None else round(float(self.value), 4),
            "threshold": thr,
            "unit": self.unit,
            "measured": self.measured,
            "instruction": {"vi": self.instruction.vi, "en": self.instruction.en},
            "details": {k: round(float(v), 4) for k, v in self.details.items()},
        }


@dataclass(frozen=True)
class QualityReport:
    """The answer of :func:`capture.quality.assess` for one frame."""

    accepted: bool  # no blocking check
    mode: Mode
    rotation: int  # degrees clockwise the frame was turned to be upright: 0/90/180/270
    input_size: tuple[int, int]  # (width, height) of the frame given to assess
    frame_size: tuple[int, int]  # (width, height) of the upright frame
    face: FaceGeometry | None
    checks: tuple[Check, ...]
    faces_found: int

    @property
    def bedridden(self) -> bool:
        """Recorded on the portrait: it was taken lying down."""
        return self.mode is Mode.BEDRIDDEN

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.blocking)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.passed and not c.blocking)

    @property
    def primary(self) -> Check | None:
        """The one thing to fix first (the GUI shows it large), or None when all passed."""
        for group in (self.failures, self.warnings):
            if group:
                return min(group, key=lambda c: PRIORITY.index(c.id))
        return None

    def to_dict(self) -> dict[str, Any]:
        primary = self.primary
        return {
            "accepted": self.accepted,
            "mode": self.mode.value,
            "bedridden": self.bedridden,
            "rotation": self.rotation,
            "input_size": list(self.input_size),
            "frame_size": list(self.frame_size),
            "faces_found": self.faces_found,
            "face": None if self.face is None else self.face.to_dict(),
            "primary": None if primary is None else primary.id,
            "checks": [c.to_dict() for c in self.checks],
        }

"""The fingerprint quality score, 0–100, NFIQ 2-inspired (it is not NFIQ 2), with reasons.

INTERFACE STUB (issue 13 foundation): the real score replaces :func:`assess_finger`'s body;
the types, reason codes and the threshold are the contract the scanner, the wizard step, the
CLI and the database use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from resources.i18n import N_, catalogue

DEFAULT_THRESHOLD = 40
"""MOSIP's acceptance for slaps and thumbs (DESIGN §8)."""

REASONS: dict[str, str] = {
    "faded": N_("Faded print: press harder, moisten the fingertip"),
    "dry": N_("Dry finger: broken ridges, moisten the fingertip"),
    "wet": N_("Finger too wet: wipe it dry"),
    "smudged": N_("Dirty or smudged glass: wipe the glass"),
    "noisy": N_("Noisy image: wipe the glass and hold the finger still"),
    "partial": N_("Place the finger in the middle"),
    "rotated": N_("Turn the finger straight"),
    "scar": N_("Scar across the print"),
    "no_finger": N_("No finger on the glass"),
}
"""Reason code → English message id; the officer reads them in the station's language."""


@dataclass(frozen=True)
class Reason:
    code: str

    @property
    def message(self) -> str:
        return REASONS[self.code]

    def text(self, lang: str) -> str:
        return catalogue(lang).gettext(self.message)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "vi": self.text("vi"), "en": self.text("en")}


@dataclass(frozen=True)
class FingerQuality:
    score: int  # 0–100
    reasons: tuple[Reason, ...] = ()  # most important first; empty for a good print
    features: dict[str, float] = field(default_factory=dict)

    def passed(self, threshold: int = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold

    def to_dict(self, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
        return {
            "score": self.score,
            "passed": self.passed(threshold),
            "reasons": [r.to_dict() for r in self.reasons],
            "features": {k: round(float(v), 4) for k, v in self.features.items()},
        }


def assess_finger(image: np.ndarray) -> FingerQuality:
    """Score one finger image (grey uint8, 500 ppi, ridges dark). STUB: contrast only."""
    grey = np.asarray(image, dtype=np.float32)
    spread = float(grey.std())
    score = int(max(0, min(100, round(spread * 1.5))))
    reasons = () if score >= DEFAULT_THRESHOLD else (Reason("faded"),)
    return FingerQuality(score, reasons, {"std": spread})

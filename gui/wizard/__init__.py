"""The enrollment wizard and its steps, in order.

Adding a step is one class (see ``base.WizardStep``) and one entry in :func:`step_classes`.
"""

from __future__ import annotations

from typing import Any

from gui.wizard.base import WizardStep


def step_classes() -> list[type[WizardStep]]:
    """The steps, in order. Imported on first use: the portrait step loads OpenCV."""
    from gui.wizard.details import DetailsStep
    from gui.wizard.fingerprints import FingerprintStep
    from gui.wizard.portrait import PortraitStep
    from gui.wizard.review import ReviewStep
    from gui.wizard.slip import SlipStep

    return [DetailsStep, PortraitStep, FingerprintStep, ReviewStep, SlipStep]


def __getattr__(name: str) -> Any:
    if name == "STEP_CLASSES":  # kept for callers that read the list as a constant
        return step_classes()
    raise AttributeError(f"module 'gui.wizard' has no attribute {name!r}")


__all__ = ["STEP_CLASSES", "WizardStep", "step_classes"]

"""The enrollment wizard and its steps, in order.

Adding a step (fingerprints, between portrait and review) is one class (see ``base.WizardStep``)
and one entry in :data:`STEP_CLASSES`.
"""

from __future__ import annotations

from gui.wizard.base import WizardStep
from gui.wizard.details import DetailsStep
from gui.wizard.portrait import PortraitStep
from gui.wizard.review import ReviewStep
from gui.wizard.slip import SlipStep

STEP_CLASSES: list[type[WizardStep]] = [DetailsStep, PortraitStep, ReviewStep, SlipStep]

__all__ = ["STEP_CLASSES", "WizardStep"]

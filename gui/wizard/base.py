"""A wizard step: one page, what it stores in the draft, and what it checks before going on.

Adding a step (fingerprints, between portrait and review) is a new subclass and one line in
``gui.wizard.STEP_CLASSES``; the wizard does the rest (saving when the step is left, Back/Next,
double-click protection, resuming at the right step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from db.types import EnrollmentInfo
from gui.wizard.context import WizardContext


class WizardStep(QWidget):
    #: the draft key (one of db.enrollment.STEPS) the step is saved under; "" = saves nothing
    name: ClassVar[str] = ""
    #: the title in the step bar (an English message id, translated when shown)
    title: ClassVar[str] = ""
    #: False once going back makes no sense (the slip of a submitted enrollment)
    can_go_back: ClassVar[bool] = True

    def __init__(self, ctx: WizardContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Enter/Esc reach the wizard from here

    # --- the contract -------------------------------------------------------------------

    def load(self, info: EnrollmentInfo | None) -> None:
        """Show what the draft holds (on start and on resume)."""

    def save(self) -> dict[str, Any]:
        """What the step stores in the draft (plain JSON data)."""
        return {}

    def validate(self) -> list[str]:
        """Sentences saying what still has to be done; empty: the officer may go on."""
        return []

    def next_label(self) -> str:
        from resources.i18n import _

        return _("Next")

    # --- hooks the wizard calls ---------------------------------------------------------

    def entered(self) -> None:
        """The step became visible (start the camera, focus the first field)."""

    def left(self) -> None:
        """The step is no longer visible (stop the camera)."""

    def save_op(self) -> Callable[[], Any] | None:
        """The write that keeps what is on the page when it is left backwards (Back, Esc):
        the step's draft data, never the step's forward action (the review's submit)."""
        if not self.name or self.ctx.info is None:
            return None
        service, uuid, step, data = self.ctx.service, self.ctx.uuid, self.name, self.save()
        return lambda: service.save_step(uuid, step, data)

    def advance_op(self) -> Callable[[], Any] | None:
        """The write to make when going forward (default: save the draft of this step)."""
        return self.save_op()

    def shortcuts(self) -> list[tuple[str, Callable[[], object]]]:
        """The page's own keys and what they do. The wizard makes each a window shortcut
        enabled only while the page is shown, so it acts wherever the focus is (a clicked
        preview, a button, nothing at all)."""
        return []

    def advanced(self, result: Any) -> None:
        """The forward write succeeded (e.g. keep the submitted enrollment)."""

    def busy(self) -> bool:
        """True while the step has work of its own in flight (a capture being made)."""
        return False

    def shutdown(self) -> None:
        """The window closes: release devices now (nothing is saved here)."""
        self.left()

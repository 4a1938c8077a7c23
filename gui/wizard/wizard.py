"""The enrollment wizard: a step bar, the steps in a stack, Back and Next.

Why the guards (ARCHITECTURE.md, "Lessons from the field": double-clicks skipping steps): Next is
refused while a write is in flight (button disabled and a busy flag) and for a double-click interval
after a step appears, and a held-down Enter (auto-repeat) is ignored; so a second click or key press
never lands on the next page. Every step is saved when it is left, forward or back, so a crash loses
at most what is being typed on the current page.

Keys never depend on the focus (issue 11: Ctrl+P did nothing until the slip preview was clicked,
Enter stopped once it had the focus): Enter, Esc and each step's own keys
(``WizardStep.shortcuts``) are window shortcuts, each enabled only while its step is shown.

Leaving a person opened by mistake (Esc on the first page, nothing changed, no photo) discards
their draft through the service (audited) instead of leaving an "unfinished enrollment"; a draft
holding any work is kept. A correction of an enrollment sent back opens on its first page with
the supervisor's note above it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.types import EnrollmentInfo
from gui.errors import describe, show_error
from gui.wizard.base import WizardStep
from gui.wizard.context import WizardContext
from resources.i18n import _

log = logging.getLogger(__name__)

STYLE = """
QLabel#fieldNote[kind="error"], QLabel#wizardProblems { color: #b00020; }
QLabel#fieldNote[kind="corrected"], QLabel[kind="corrected"] { color: #8a5a00; }
QLabel#stepLabel { font-size: 12pt; padding: 3px 10px; color: #555; }
QLabel#stepLabel[state="now"] { font-weight: bold; color: white; background: #0b3d91;
                                border-radius: 4px; }
QLabel#stepLabel[state="done"] { color: #1b7a33; }
QLabel#wizardWho { font-size: 14pt; font-weight: bold; color: #0b3d91; }
QLabel#sentBackNote { background: #fff4e0; border: 1px solid #e0a040; padding: 6px;
                      color: #6b3d00; font-weight: bold; }
QLabel#stepHeading { font-size: 12pt; font-weight: bold; }
QLabel#portraitThumb { border: 1px solid #999; background: #f0f0f0; }
QPushButton { padding: 6px 14px; }
QPushButton#next { font-weight: bold; }
"""


class EnrollmentWizard(QWidget):
    finished = Signal()  # "next person": back to lookup
    closed = Signal()  # left from the first step (the draft stays unfinished)
    step_changed = Signal(int)

    def __init__(self, ctx: WizardContext, step_classes: list[type[WizardStep]]) -> None:
        super().__init__()
        self.setObjectName("wizard")
        self.setStyleSheet(STYLE)
        self.ctx = ctx
        self.steps = [cls(ctx) for cls in step_classes]
        self._busy = False
        self._arrived = 0.0
        self.index = 0
        self.guard_seconds = QApplication.doubleClickInterval() / 1000

        self.bar = QHBoxLayout()
        self.bar_labels: list[QLabel] = []
        for i, step in enumerate(self.steps):
            label = QLabel(_("{n}. {title}").format(n=i + 1, title=_(step.title)))
            label.setObjectName("stepLabel")
            self.bar_labels.append(label)
            self.bar.addWidget(label)
        self.bar.addStretch(1)
        self.who = QLabel()
        self.who.setObjectName("wizardWho")
        self.bar.addWidget(self.who)

        self.sent_back = QLabel()  # a correction: why the supervisor sent it back
        self.sent_back.setObjectName("sentBackNote")
        self.sent_back.setWordWrap(True)
        self.sent_back.hide()
        self.stack = QStackedWidget()
        for step in self.steps:
            self.stack.addWidget(step)
        self.problems = QLabel()
        self.problems.setObjectName("wizardProblems")
        self.problems.setWordWrap(True)
        self.back_button = QPushButton(_("Back (Esc)"))
        self.back_button.setObjectName("back")
        self.next_button = QPushButton()
        self.next_button.setObjectName("next")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        for b in (self.back_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.problems, 1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.bar)
        layout.addWidget(self.sent_back)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._baseline: dict[int, Any] = {}
        self._install_shortcuts()

    def _install_shortcuts(self) -> None:
        """Window shortcuts: Enter/Esc for the wizard, each step's keys for its step only."""
        self.keys: list[QShortcut] = []
        for keys, slot in (("Return", self.go_next), ("Enter", self.go_next),
                           ("Escape", self.go_back)):  # fmt: skip
            self.keys.append(self._shortcut(self, keys, slot))
        self.step_keys: list[list[QShortcut]] = [
            [self._shortcut(step, keys, slot) for keys, slot in step.shortcuts()]
            for step in self.steps
        ]

    @staticmethod
    def _shortcut(owner: QWidget, keys: str, slot: Any) -> QShortcut:
        shortcut = QShortcut(QKeySequence(keys), owner)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.setAutoRepeat(False)  # a held-down key acts once
        shortcut.activated.connect(slot)
        shortcut.setObjectName(f"key {keys}")
        return shortcut

    # --- start ------------------------------------------------------------------------------

    def start(self, info: EnrollmentInfo | None) -> None:
        """Show the enrollment: a new one at the first step, a resumed one where it stopped."""
        self.ctx.info = info
        for step in self.steps:
            step.load(info)
        self._baseline = {i: step.save() for i, step in enumerate(self.steps) if step.name}
        self._show_who()
        self._show_sent_back(info)
        self._show(self.resume_index(info))

    def resume_index(self, info: EnrollmentInfo | None) -> int:
        """The first step whose data is not in the draft yet. A correction opens on the first
        page: its draft is the returned one's, complete, and the officer starts from what the
        supervisor asked to fix (the note above the pages); Enter walks through the rest."""
        if info is None or info.corrects_uuid:
            return 0
        for i, step in enumerate(self.steps):
            if step.name and step.name not in info.draft:
                return i
        return len(self.steps) - 1

    def _show_who(self) -> None:
        name = self.ctx.info.resident_name if self.ctx.info else _("New person (DC01)")
        self.who.setText(name)

    def _show_sent_back(self, info: EnrollmentInfo | None) -> None:
        """A correction: the supervisor's note of the enrollment it corrects, above every page."""
        if info is None or not info.corrects_uuid:
            self.sent_back.hide()
            return
        service, old = self.ctx.service, info.corrects_uuid
        self.ctx.read(self, lambda: service.enrollment(old).review_note, self._sent_back_note,
                      lambda _exc: self._sent_back_note(None))  # fmt: skip

    def _sent_back_note(self, note: str | None) -> None:
        self.sent_back.setText(
            _("Sent back by the supervisor: {note}").format(note=note or "—") + "\n"
            + _("Correct what is asked, then save again: the correction gets a new slip.")
        )  # fmt: skip
        self.sent_back.show()

    # --- moving -----------------------------------------------------------------------------

    @property
    def current(self) -> WizardStep:
        return self.steps[self.index]

    @property
    def ready(self) -> bool:
        """Next would be accepted now (tests wait for this instead of sleeping)."""
        guard_over = time.monotonic() - self._arrived >= self.guard_seconds
        return not self._busy and guard_over and not self.current.busy()

    def _show(self, index: int) -> None:
        if self.stack.currentIndex() != index or self.index != index:
            self.current.left()
        self.index = index
        self.stack.setCurrentIndex(index)
        step = self.current
        for i, label in enumerate(self.bar_labels):
            label.setProperty("state", "now" if i == index else ("done" if i < index else ""))
            label.style().unpolish(label)
            label.style().polish(label)
        for i, keys in enumerate(self.step_keys):
            for shortcut in keys:
                shortcut.setEnabled(i == index)
        self.next_button.setText(step.next_label())
        self.back_button.setEnabled(step.can_go_back)
        self.problems.clear()
        self._arrived = time.monotonic()
        self._set_busy(False)
        step.entered()
        self.step_changed.emit(index)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.next_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy and self.current.can_go_back)

    def go_next(self) -> None:
        if not self.ready:
            return  # a second click, a held key, or a write still in flight
        step = self.current
        problems = step.validate()
        if problems:
            self.problems.setText("\n".join(problems))
            return
        self._set_busy(True)
        op = step.advance_op()
        if op is None:
            self._advanced(None)
            return
        self.ctx.write(self, op, self._advanced, self._failed)

    def _advanced(self, result: Any) -> None:
        self.current.advanced(result)
        if self.index + 1 >= len(self.steps):
            self.current.left()
            self._set_busy(False)
            self.finished.emit()
            return
        self._show_who()
        self._show(self.index + 1)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.problems.setText(describe(exc))
        show_error(self, exc)

    def go_back(self) -> None:
        """Save what is on the page (unchecked: a draft may be incomplete), then go back."""
        if self._busy or not self.current.can_go_back:
            return
        step = self.current
        if self.index == 0:
            if self.untouched():
                self._discard_then_close()
            else:
                self._save_then(step, self._close)
            return
        self._save_then(step, lambda: self._show(self.index - 1))

    def untouched(self) -> bool:
        """Opened and left without doing anything: a register person's fresh draft, no photo,
        not a correction, and no page differs from what it showed when it opened. (The core
        decides for what was stored: it keeps a draft holding any correction.)"""
        info = self.ctx.info
        if info is None or self.ctx.resident is None or info.status != "draft":
            return False
        if info.corrects_uuid or info.portrait is not None or info.exceptions:
            return False
        return all(step.save() == self._baseline.get(i)
                   for i, step in enumerate(self.steps) if step.name)  # fmt: skip

    def _discard_then_close(self) -> None:
        for step in self.steps:
            step.left()  # no autosave may land after the discard
        self._set_busy(True)
        service, uuid = self.ctx.service, self.ctx.uuid
        self.ctx.write(self, lambda: service.discard_untouched(uuid), lambda _r: self._close(),
                       self._failed)  # fmt: skip

    def _save_then(self, step: WizardStep, then: Any) -> None:
        op = step.save_op() if step.name and self.ctx.info is not None else None
        if op is None:
            then()
            return
        self._set_busy(True)
        self.ctx.write(self, op, lambda _r: then(), self._failed)

    def _close(self) -> None:
        self.current.left()
        self._set_busy(False)
        self.closed.emit()

    def shutdown(self) -> None:
        """The window is closing (or the program stops): release the camera, save nothing."""
        for step in self.steps:
            step.shutdown()

    # --- keyboard ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """What reaches here was not taken by a shortcut (sent straight to a widget)."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not event.isAutoRepeat():
                self.go_next()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            if not event.isAutoRepeat():
                self.go_back()
            event.accept()
            return
        super().keyPressEvent(event)

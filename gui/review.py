"""The supervisor's day review: what waits for approval, with the portrait, the quality report
and the officer's reason for an exception; approve, or send back with a note the officer sees.

Exceptions and corrections come first in the list (db/review.py orders them); the decision is
made by the core, which checks the role and writes the audit event with it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.labels import REASONS, SUBJECTS, label
from db.service import StationService
from db.types import EnrollmentInfo
from db.vntime import to_local
from gui.errors import show_error
from resources.i18n import _, language


def reason_label(code: str) -> str:
    return label(REASONS, code)


def quality_lines(quality: dict[str, Any]) -> list[str]:
    """The quality report as short lines: each check, passed or not, with its value."""
    checks = quality.get("checks") if isinstance(quality.get("checks"), list) else None
    if not checks:
        return [_("No quality report was kept with this portrait.")]
    lines = []
    for c in checks:
        mark = "✓" if c.get("passed") else ("!" if c.get("severity") == "warn" else "✗")
        value = c.get("value")
        line = f"{mark} {c.get('id', '?')}" + (f" = {value}" if value is not None else "")
        instruction = c.get("instruction")
        if not c.get("passed") and isinstance(instruction, dict):
            # what the officer was told, in the supervisor's language (the report has both)
            line += " — " + str(instruction.get(language()) or instruction.get("vi", ""))
        lines.append(line)
    return lines


class DayReviewDialog(QDialog):
    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.current: EnrollmentInfo | None = None
        self.setWindowTitle(_("Day review"))
        self.resize(1100, 660)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        self.list.setMinimumWidth(360)
        self.portrait = QLabel()
        self.portrait.setObjectName("reviewPortrait")
        self.portrait.setFixedSize(270, 360)
        self.portrait.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.portrait.setStyleSheet("background: #eceef2;")
        self.facts = QLabel()
        self.facts.setObjectName("reviewFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.note = QPlainTextEdit()
        self.note.setObjectName("reviewNote")
        self.note.setPlaceholderText(_("Note for the officer (needed to send back)"))
        self.note.setMaximumHeight(90)
        self.approve_button = QPushButton(_("Approve"))
        self.back_button = QPushButton(_("Send back"))
        self.approve_button.clicked.connect(self.approve)
        self.back_button.clicked.connect(self.send_back)
        self.status = QLabel()

        right = QWidget()
        rv = QVBoxLayout(right)
        top = QHBoxLayout()
        top.addWidget(self.portrait, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.facts, 1)
        rv.addLayout(top, 1)
        rv.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.approve_button)
        rv.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(right, 1)
        self.list.currentItemChanged.connect(self._chosen)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        try:
            items = self.service.waiting()
        except Exception as exc:
            show_error(self, exc)
            items = []
        kinds = {"exception": _("exception"), "correction": _("correction"), "normal": ""}
        for item in items:
            when = to_local(item.submitted_at).strftime("%d/%m %H:%M") if item.submitted_at else ""
            tag = kinds[item.kind]
            text = f"{when}  {item.resident_name}" + (f"  [{tag}]" if tag else "")
            row = QListWidgetItem(
                text + f"\n    {item.receipt_no or ''} · {item.officer_name or ''}"
            )
            row.setData(Qt.ItemDataRole.UserRole, item.uuid)
            self.list.addItem(row)
        self.status.setText(_("{n} waiting for approval").format(n=len(items)))
        if items:
            self.list.setCurrentRow(0)
        else:
            self._show(None, None)

    def _chosen(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        if item is None:
            self._show(None, None)
            return
        try:
            info, jpeg = self.service.for_review(item.data(Qt.ItemDataRole.UserRole))
        except Exception as exc:
            show_error(self, exc)
            return
        self._show(info, jpeg)

    def _show(self, info: EnrollmentInfo | None, jpeg: bytes | None) -> None:
        self.current = info
        self.approve_button.setEnabled(info is not None)
        self.back_button.setEnabled(info is not None)
        self.note.clear()
        if info is None:
            self.portrait.clear()
            self.facts.setText(_("Nothing is waiting for approval."))
            return
        pix = QPixmap()
        if jpeg and pix.loadFromData(jpeg):
            self.portrait.setPixmap(
                pix.scaled(
                    self.portrait.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.portrait.setText(_("No portrait"))
        lines = [
            f"<b>{info.resident_name}</b>",
            _("Slip: {no}").format(no=info.receipt_no or "–"),
            _("Officer: {name}").format(name=info.officer_name or "–"),
        ]
        if info.corrects_uuid:
            lines.append(_("Correction of an enrollment that was sent back."))
        for x in info.exceptions:
            note = f" — {x.get('note')}" if x.get("note") else ""
            lines.append(
                _("Exception ({subject}): {reason}").format(
                    subject=label(SUBJECTS, str(x.get("subject", ""))),
                    reason=reason_label(str(x.get("reason"))))
                + note
            )  # fmt: skip
        if info.portrait is not None:
            p = info.portrait
            text = _("Portrait: {w}×{h}, {n} attempts")
            lines.append(text.format(w=p.width, h=p.height, n=p.attempts))
            lines += [f"<tt>{q}</tt>" for q in quality_lines(info.portrait.quality)]
        self.facts.setText("<br>".join(lines))

    def approve(self) -> None:
        if self.current is None:
            return
        try:
            self.service.approve(self.current.uuid, note=self.note.toPlainText())
        except Exception as exc:
            show_error(self, exc)
            return
        self.reload()

    def send_back(self) -> None:
        if self.current is None:
            return
        note = self.note.toPlainText().strip()
        if not note:
            self.status.setText(_("Write what the officer must correct."))
            self.note.setFocus()
            return
        try:
            self.service.send_back(self.current.uuid, note)
        except Exception as exc:
            show_error(self, exc)
            return
        self.reload()

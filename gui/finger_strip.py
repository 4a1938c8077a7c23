"""The ten prints of an enrollment side by side, each with its finger, score or condition.

The supervisor's review shows it under the portrait. The images are read and decoded (WSQ) off
the UI thread; a finger with a condition shows the condition instead of a print.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from capture.fingerprint.fingers import LEFT, RIGHT
from db.labels import FINGER_CONDITIONS, FINGERS, label
from db.service import StationService
from db.types import FingerprintInfo
from gui.hand_diagram import grey_pixmap
from gui.ops import run_op
from resources.i18n import N_, _

THUMB = 62
SHORT = {1: N_("R thumb"), 2: N_("R index"), 3: N_("R middle"), 4: N_("R ring"),
         5: N_("R little"), 6: N_("L thumb"), 7: N_("L index"), 8: N_("L middle"),
         9: N_("L ring"), 10: N_("L little")}  # fmt: skip
"""Finger names short enough for a caption under a thumbnail (the full name is its tooltip)."""


def decode_all(found: dict[tuple[int, str], tuple[bytes, str]]) -> dict[int, object]:
    """finger → grey image of its flat print (runs off the UI thread)."""
    from capture.fingerprint.storage import decode

    out: dict[int, object] = {}
    for (finger, impression), (data, fmt) in found.items():
        if impression != "rolled":
            try:
                out[finger] = decode(data, fmt)
            except Exception:  # a damaged print shows as missing; the score still shows
                continue
    return out


class FingerStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fingerStrip")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        self.pictures: dict[int, QLabel] = {}
        self.captions: dict[int, QLabel] = {}
        for col, finger in enumerate(RIGHT + LEFT):  # one row: 1 right thumb … 10 left little
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            picture = QLabel()
            picture.setFixedSize(THUMB, THUMB)
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setStyleSheet("background: #f4f4f4; border: 1px solid #ccc;")
            caption = QLabel()
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            caption.setFixedWidth(THUMB + 8)
            caption.setMinimumHeight(caption.fontMetrics().lineSpacing() * 4)
            caption.setStyleSheet("font-size: 8pt;")
            box.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
            box.addWidget(caption)
            grid.addWidget(cell, 0, col)
            self.pictures[finger], self.captions[finger] = picture, caption
        self.uuid: str | None = None

    def show_prints(self, service: StationService, uuid: str | None,
                    prints: tuple[FingerprintInfo, ...], threshold: int) -> None:  # fmt: skip
        """Captions now, pictures when they are decoded."""
        self.uuid = uuid
        flat = {p.finger: p for p in prints if p.impression != "rolled"}
        for finger, caption in self.captions.items():
            self.pictures[finger].clear()
            p = flat.get(finger)
            name, short = label(FINGERS, str(finger)), _(SHORT[finger])
            if p is None:
                text, tip, colour = _("not taken"), _("{finger}: not taken"), "#b00020"
            elif p.condition:
                text = tip = label(FINGER_CONDITIONS, p.condition).lower()
                tip, colour = f"{name}: {text}", "#a15c00"
                self.pictures[finger].setText("—")
            else:
                score = p.quality if p.quality is not None else 0
                text = _("{score} points").format(score=score)
                tip = _("{finger}: {score} points").format(finger=name, score=score)
                colour = "#1b7a33" if score >= threshold else "#a15c00"
            caption.setText(f"<b>{escape(short)}</b><br>{escape(text)}")
            caption.setToolTip(tip.format(finger=name))
            self.pictures[finger].setToolTip(tip.format(finger=name))
            caption.setStyleSheet(f"font-size: 8pt; color: {colour};")
        if uuid is None or not any(p.taken for p in flat.values()):
            return
        run_op(self, lambda: decode_all(service.fingerprint_images(uuid)),
               lambda images: self._pictures(uuid, images))  # fmt: skip

    def _pictures(self, uuid: str, images: dict[int, object]) -> None:
        if uuid != self.uuid:
            return  # another enrollment was chosen meanwhile
        import numpy as np

        for finger, image in images.items():
            if isinstance(image, np.ndarray) and finger in self.pictures:
                self.pictures[finger].setPixmap(grey_pixmap(image).scaled(
                    THUMB - 2, THUMB - 2, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))  # fmt: skip

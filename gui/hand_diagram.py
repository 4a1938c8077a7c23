"""Two hands seen from above (as they lie on the glass), each finger coloured by where it stands.

The finger to place now is outlined thick in blue; taken prints are green, prints kept below the
threshold amber, fingers with a recorded condition grey with a cross, fingers still to take
white. The numbers are the finger positions (1 right thumb … 10 left little) the tables show.
Also :func:`grey_pixmap`, a print (grey numpy array) as a pixmap.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = {
    "todo": QColor("#ffffff"),
    "good": QColor("#7cc47f"),
    "low": QColor("#f2c14e"),
    "failed": QColor("#ef8a80"),
    "condition": QColor("#b8b8b8"),
}
CURRENT = QColor("#0b3d91")

# (finger, x, y top, height) in a 100-wide hand box; the left hand is on the left, palm down,
# so its thumb is on the right; the right hand mirrors it.
_LEFT = ((10, 6, 34, 34), (9, 22, 16, 52), (8, 38, 8, 60), (7, 54, 14, 54), (6, 76, 50, 30))
_RIGHT = tuple((f - 5, 100 - x - 14, y, h) for f, x, y, h in _LEFT)
FINGER_WIDTH = 14


def grey_pixmap(image: np.ndarray) -> QPixmap:
    """A grey uint8 print as a pixmap (copied: the array may go away)."""
    a = np.ascontiguousarray(image, dtype=np.uint8)
    h, w = a.shape[:2]
    qimage = QImage(a.data, w, h, a.strides[0], QImage.Format.Format_Grayscale8)
    return QPixmap.fromImage(qimage.copy())


class HandDiagram(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handDiagram")
        self.states: dict[int, str] = {}
        self.current: tuple[int, ...] = ()
        self.setMinimumSize(300, 130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(380, 150)

    def show_state(self, states: dict[int, str], current: Collection[int]) -> None:
        self.states = dict(states)
        self.current = tuple(current)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width() / 2 - 8, self.height() * 1.25)
        scale = side / 100
        for i, hand in enumerate((_LEFT, _RIGHT)):
            x0 = 4 + i * (self.width() / 2)
            palm = QRectF(x0 + 8 * scale, 64 * scale, 64 * scale, 36 * scale)
            if hand is _RIGHT:
                palm.moveLeft(x0 + 28 * scale)
            p.setPen(QPen(QColor("#999999"), 1))
            p.setBrush(QColor("#f3efe9"))
            p.drawRoundedRect(palm, 8 * scale, 8 * scale)
            for finger, x, y, h in hand:
                self._finger(p, finger, QRectF(x0 + x * scale, y * scale, FINGER_WIDTH * scale,
                                               h * scale))  # fmt: skip
        p.end()

    def _finger(self, p: QPainter, finger: int, r: QRectF) -> None:
        state = self.states.get(finger, "todo")
        now = finger in self.current
        p.setPen(QPen(CURRENT if now else QColor("#666666"), 4 if now else 1))
        p.setBrush(COLOURS.get(state, COLOURS["todo"]))
        p.drawRoundedRect(r, r.width() / 2, r.width() / 2)
        if state == "condition":
            cross = r.adjusted(2, r.height() * 0.3, -2, -2)
            p.setPen(QPen(QColor("#555555"), 2))
            p.drawLine(cross.topLeft(), cross.bottomRight())
            p.drawLine(cross.topRight(), cross.bottomLeft())
        p.setPen(QColor("#222222"))
        top = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        p.drawText(r.adjusted(0, 2, 0, 0), top, str(finger))

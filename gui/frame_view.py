"""The live picture: a camera frame painted without a copy, the face box and what to fix on top.

The QImage wraps the numpy array's memory (``QImage(a.data, w, h, stride, Format_BGR888)``),
so the array is kept referenced as long as the view may paint it. A bedridden person's frame
is painted turned upright (the tracker reports the rotation), so the officer sees the face the
way the portrait will be, and the face box is drawn in those upright coordinates.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QTransform
from PySide6.QtWidgets import QSizePolicy, QWidget

from capture.report import QualityReport

OK_COLOUR = QColor("#1b9e3e")
FAIL_COLOUR = QColor("#d62728")


def wrap(image: np.ndarray) -> QImage:
    """A QImage over the array's memory (no copy). Keep ``image`` alive while it is used."""
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError("expected a BGR uint8 frame")
    if not image.flags["C_CONTIGUOUS"]:
        raise ValueError("expected a contiguous frame")  # a copy would hide a slow path
    h, w = image.shape[:2]
    return QImage(image.data, w, h, image.strides[0], QImage.Format.Format_BGR888)


class FrameView(QWidget):
    """Paints the latest frame scaled to fit, the face box, and instructions over the picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frameView")
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._array: np.ndarray | None = None  # referenced while the QImage points into it
        self._image: QImage | None = None
        self._report: QualityReport | None = None
        self._lines: list[str] = []
        self._message = ""
        self.painted = 0  # frames painted (tests)

    def set_frame(
        self, image: np.ndarray, report: QualityReport | None, lines: list[str] | None = None
    ) -> None:
        self._array = image
        self._image = wrap(image)
        self._report = report
        self._lines = lines or []
        self._message = ""
        self.update()

    def set_message(self, text: str) -> None:
        """A sentence shown instead of the picture (camera starting, disconnected…)."""
        self._array = self._image = self._report = None
        self._lines = []
        self._message = text
        self.update()

    @property
    def has_frame(self) -> bool:
        return self._image is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        p.fillRect(self.rect(), QColor("#1e1e1e"))
        if self._image is None:
            self._paint_message(p)
            p.end()
            return
        rotation = self._report.rotation if self._report is not None else 0
        iw, ih = self._image.width(), self._image.height()
        uw, uh = (ih, iw) if rotation in (90, 270) else (iw, ih)  # upright size
        scale = min(self.width() / uw, self.height() / uh)
        ox, oy = (self.width() - uw * scale) / 2, (self.height() - uh * scale) / 2
        # upright coordinates -> widget; the raw image is turned into upright coordinates
        to_widget = QTransform(scale, 0, 0, scale, ox, oy)
        p.setTransform(self._upright(rotation, iw, ih) * to_widget)
        p.drawImage(QPointF(0, 0), self._image)
        p.setTransform(to_widget)
        self._paint_face(p, scale)
        p.resetTransform()
        self._paint_lines(p)
        p.end()
        self.painted += 1

    @staticmethod
    def _upright(rotation: int, w: int, h: int) -> QTransform:
        """Raw image pixels -> upright pixels, for a frame turned ``rotation``° clockwise."""
        t = QTransform()
        if rotation == 90:
            t.translate(h, 0)
        elif rotation == 180:
            t.translate(w, h)
        elif rotation == 270:
            t.translate(0, w)
        t.rotate(rotation)
        return t

    def _paint_face(self, p: QPainter, scale: float) -> None:
        report = self._report
        if report is None or report.face is None:
            return
        b = report.face.box
        colour = OK_COLOUR if report.accepted else FAIL_COLOUR
        p.setPen(QPen(colour, max(2.0, 3 / scale)))
        p.drawRect(QRectF(b.x, b.y, b.w, b.h))
        c = report.face.crop
        dash = QPen(colour, max(1.0, 1.5 / scale), Qt.PenStyle.DashLine)
        p.setPen(dash)
        p.drawRect(QRectF(c.x, c.y, c.w, c.h))

    def _paint_lines(self, p: QPainter) -> None:
        if not self._lines:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(12.0, self.font().pointSizeF() * 1.3))
        font.setBold(True)
        p.setFont(font)
        metrics = p.fontMetrics()
        width = self.width() - 24
        rects = [
            metrics.boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, line)
            for line in self._lines
        ]
        total = sum(r.height() + 6 for r in rects) + 12
        top = self.height() - total
        p.fillRect(QRectF(0, top, self.width(), total), QColor(0, 0, 0, 170))
        y = top + 8
        for line, r in zip(self._lines, rects, strict=True):
            p.setPen(QColor("white"))
            p.drawText(QRectF(12, y, width, r.height()), Qt.TextFlag.TextWordWrap, line)
            y += r.height() + 6

    def _paint_message(self, p: QPainter) -> None:
        if not self._message:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(13.0, self.font().pointSizeF() * 1.4))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(
            self.rect().adjusted(24, 24, -24, -24),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self._message,
        )

"""Render resources/icons/enrollment-station.svg to the 256 px PNG beside it.

The PNG is what the window, the desktop entry and Windows' .ico use (no SVG plugin needed);
run this after changing the SVG: ``.venv/bin/python packaging/render_icon.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def render(size: int = 256) -> Path:
    svg = ICONS / "enrollment-station.svg"
    out = ICONS / "enrollment-station.png"
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"cannot write {out}")
    return out


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    print(render())

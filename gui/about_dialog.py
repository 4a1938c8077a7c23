"""Trợ giúp → Giới thiệu…: which program, which version and build, where its data is, and the
licence of the fonts it ships (the SIL OFL asks that the licence travel with the font).

What a support call asks first: the version and build date (resources/version.py; a checkout
says "development build") and the station's data folder. Everything is selectable text so it
can be copied into a message.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from db.service import StationService
from db.vntime import to_local
from resources import path as resource_path
from resources import version
from resources.i18n import _

ICON = ("icons", "enrollment-station.png")
FONT_LICENCE = ("fonts", "LICENSE-NotoSans.txt")


def build_text(info: version.BuildInfo | None) -> str:
    """The build line: its date in Vietnam's time (a build stamps UTC), or a checkout's."""
    if info is None:
        return _("Development build (run from the source code)")
    try:
        built = to_local(datetime.fromisoformat(info.built)).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        built = info.built
    if info.commit:
        return _("Built on {date} (commit {commit})").format(date=built, commit=info.commit)
    return _("Built on {date}").format(date=built)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AboutDialog(QDialog):
    """The program's name, version, build, data folder and the fonts' licence."""

    def __init__(self, service: StationService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About Enrollment Station"))
        icon = QLabel()
        icon.setPixmap(QPixmap(str(resource_path(*ICON))).scaled(
            96, 96, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))  # fmt: skip
        name = QLabel(_("Enrollment Station"))
        name.setObjectName("aboutName")
        name.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.version = _selectable(_("Version {version}").format(version=version.version()))
        self.version.setObjectName("aboutVersion")
        self.build = _selectable(build_text(version.build_info()))
        self.build.setObjectName("aboutBuild")
        self.data = _selectable(
            _("Data folder: {folder}").format(folder=service.data_folder())
        )
        self.data.setObjectName("aboutData")
        licence = _selectable(_(
            "The screens and printed documents use the Noto Sans font (© Google LLC), "
            "licensed under the SIL Open Font License 1.1; its text is in {file}."
        ).format(file=resource_path(*FONT_LICENCE)))  # fmt: skip
        licence.setObjectName("aboutLicence")

        text = QVBoxLayout()
        text.addWidget(name)
        text.addWidget(self.version)
        text.addWidget(self.build)
        text.addSpacing(8)
        text.addWidget(self.data)
        text.addSpacing(8)
        text.addWidget(licence)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)
        close = QPushButton(_("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

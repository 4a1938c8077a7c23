"""The main window: the lookup screen as home, the station always named at the top."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from db.actor import SYSTEM, Actor
from db.register_import import ImportReport, import_register
from db.station import StationDB, StationInfo
from gui.errors import show_error
from gui.lookup import LookupPage
from gui.ops import run_op
from resources.i18n import _, translate_joined


class MainWindow(QMainWindow):
    def __init__(self, db: StationDB, info: StationInfo, actor: Actor = SYSTEM) -> None:
        super().__init__()
        self.db = db
        self.info = info
        self.actor = actor  # the signed-in officer (issue 5 signs in before this window)
        self.setWindowTitle(_("Enrollment Station") + " — " + info.name)
        self.resize(1280, 720)

        banner = QLabel(
            _("{station} · commune {commune}").format(station=info.name, commune=info.commune)
        )
        banner.setObjectName("banner")
        self.lookup = LookupPage(db)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(banner)
        layout.addWidget(self.lookup, 1)
        self.setCentralWidget(central)

        menu = self.menuBar().addMenu(_("&Station"))
        self.import_action = QAction(_("&Import population register…"), self)
        self.import_action.triggered.connect(self.choose_register_file)
        menu.addAction(self.import_action)
        menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        find = QAction(_("Find"), self)
        find.setShortcuts([QKeySequence.StandardKey.Find, QKeySequence("F3")])
        find.triggered.connect(self.lookup.focus_search)
        self.addAction(find)
        self.statusBar().showMessage(_("Ready"))
        self.lookup.focus_search()

    def choose_register_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import population register"),
            "",
            _("Register files (*.csv *.txt *.xlsx);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Import in the background with a progress bar that appears after half a second."""
        dialog = QProgressDialog(
            _("Importing {file}…").format(file=path.name), _("Cancel"), 0, 1000, self
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setValue(0)
        state = {"fraction": 0.0, "cancel": False}
        dialog.canceled.connect(lambda: state.update(cancel=True))

        def progress(rows: int, fraction: float) -> bool:
            state["fraction"] = fraction  # read by the GUI timer below; never touch widgets here
            return not state["cancel"]

        from PySide6.QtCore import QTimer

        timer = QTimer(dialog)
        timer.timeout.connect(lambda: dialog.setValue(int(state["fraction"] * 1000)))
        timer.start(100)

        def done(report: ImportReport) -> None:
            timer.stop()
            dialog.reset()
            self.lookup.searcher.invalidate()
            self.lookup.search_now()
            self.statusBar().showMessage(
                _("Imported {rows} rows: {added} added, {updated} updated, {flagged} flagged, "
                  "{rejected} rejected.").format(
                    rows=report.rows, added=report.added, updated=report.updated,
                    flagged=report.flagged, rejected=report.rejected,
                )
            )  # fmt: skip
            if report.issues:
                lines = [
                    _("line {line}: {reason}").format(
                        line=i.line, reason=translate_joined(i.reason)
                    )
                    for i in report.issues[:30]
                ]
                QMessageBox.information(self, _("Import report"), "\n".join(lines))

        def failed(exc: BaseException) -> None:
            timer.stop()
            dialog.reset()
            show_error(self, exc)

        run_op(self, lambda: import_register(self.db, path, progress=progress), done, failed)

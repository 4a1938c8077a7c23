"""Import a register file from the Station menu, with a progress bar that appears after ~0.5 s.

Moved out of gui/main_window.py so the window stays about the desk; the behaviour is the one
of the lookup issue (import off the UI thread, cancel, the report of flagged/rejected rows).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog

from db.service import StationService
from db.types import ImportReport
from gui.errors import show_error
from gui.ops import run_op
from resources.i18n import _


def import_with_progress(
    window: QMainWindow, service: StationService, path: Path, on_done: Callable[[], None]
) -> None:
    """Import through the core service (administrators only; audited), off the UI thread."""
    dialog = QProgressDialog(
        _("Importing {file}…").format(file=path.name), _("Cancel"), 0, 1000, window
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setValue(0)
    state = {"fraction": 0.0, "cancel": False}
    dialog.canceled.connect(lambda: state.update(cancel=True))

    def progress(rows: int, fraction: float) -> bool:
        state["fraction"] = fraction  # read by the GUI timer below; never touch widgets here
        return not state["cancel"]

    timer = QTimer(dialog)
    timer.timeout.connect(lambda: dialog.setValue(int(state["fraction"] * 1000)))
    timer.start(100)

    def done(report: ImportReport) -> None:
        timer.stop()
        dialog.reset()
        on_done()
        window.statusBar().showMessage(
            _("Imported {rows} rows: {added} added, {updated} updated, {flagged} flagged, "
              "{rejected} rejected.").format(
                rows=report.rows, added=report.added, updated=report.updated,
                flagged=report.flagged, rejected=report.rejected,
            )
        )  # fmt: skip
        if report.issues:
            lines = [
                _("line {line}: {reason}").format(line=i.line, reason=i.text())
                for i in report.issues[:30]
            ]
            if report.issues_total > len(lines):
                lines.append(_("… and {n} more (the import report keeps them)").format(
                    n=report.issues_total - len(lines)))  # fmt: skip
            QMessageBox.information(window, _("Import report"), "\n".join(lines))

    def failed(exc: BaseException) -> None:
        timer.stop()
        dialog.reset()
        show_error(window, exc)

    run_op(
        window,
        lambda: service.import_register(path, progress=progress),
        done,
        failed,
    )

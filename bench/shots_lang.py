"""Screenshots of Qt's own dialogs in the program's language: a question with standard buttons,
the no-printer message (Save / Close), the print dialog, and Qt's (non-native) file dialog to
open and to save, in the documents folder.

For bench/screenshots.py: ``shots(app, db, window, shot, settle)``, where ``shot(name, widget)``
grabs ``widget`` (the main window when it is left out) into ``<lang>-<name>.png``; the language
is the one already set. Alone:
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --only lang
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: What the documents folder holds in the shots (made-up names, no personal data).
SAMPLE_FILES = {
    "danh-sach-dan-cu-thon-nam-chua.xlsx": 48_213,
    "danh-sach-dan-cu-2026.csv": 912,
    "giay-hen-NH-2026-000123.pdf": 61_440,
}


@contextmanager
def sample_documents() -> Iterator[Path]:
    """A home folder of its own with a documents folder holding a few files, for the time of
    the shots (Qt reads $HOME each time it looks for the documents folder)."""
    saved = {k: os.environ.get(k) for k in ("HOME", "XDG_CONFIG_HOME")}
    with tempfile.TemporaryDirectory(prefix="shots-home-") as home:
        documents = Path(home) / "Documents"
        documents.mkdir()
        for name, size in SAMPLE_FILES.items():
            (documents / name).write_bytes(b"\0" * size)
        os.environ["HOME"] = home
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        try:
            yield documents
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def shots(app: Any, db: Any, window: Any, shot: Callable[..., None], settle: Any) -> None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

    from gui.file_dialogs import documents_dir, file_dialog
    from resources.i18n import _

    sb = QMessageBox.StandardButton
    question = QMessageBox(  # the discard confirmation (gui/main_window.py)
        QMessageBox.Icon.Question, _("Discard"),
        _("Discard this unfinished enrollment? It cannot be resumed."), sb.Yes | sb.No, window,
    )  # fmt: skip
    question.setDetailedText(_("Discard"))  # shows Qt's "Show Details…" button too
    question.show()
    shot("70-lang-question", question)
    question.close()
    no_printer = QMessageBox(  # gui/print_preview.py, with no printer installed
        QMessageBox.Icon.Information, _("Appointment slip"),
        _("No printer is installed on this computer. You can save the document as a PDF "
          "file and print it from another computer."), sb.Save | sb.Close, window,
    )  # fmt: skip
    no_printer.show()
    shot("71-lang-no-printer", no_printer)
    no_printer.close()
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printing = QPrintDialog(printer, window)
    printing.show()
    for button in printing.findChildren(QPushButton):
        if ">>" in button.text():
            button.click()  # with its options
    shot("72-lang-print-dialog", printing)
    printing.close()
    with sample_documents():  # the dialogs gui/file_dialogs.py shows (open_file_name, save_…)
        opening = file_dialog(
            window, _("Import population register"), documents_dir(),
            _("Register files (*.csv *.txt *.xlsx);;All files (*)"),
        )  # fmt: skip
        opening.show()
        shot("73-lang-file-open", opening)
        opening.close()
        saving = file_dialog(
            window, _("Save PDF"), documents_dir() / "giay-hen.pdf", _("PDF documents (*.pdf)"),
            save=True,
        )  # fmt: skip
        saving.setViewMode(QFileDialog.ViewMode.Detail)  # names, sizes, types, dates
        saving.show()
        shot("74-lang-file-save-detail", saving)
        saving.close()

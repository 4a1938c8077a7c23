"""Screenshots of Qt's own dialogs in the program's language: a question with standard buttons,
the no-printer message (Save / Close), the print dialog, and Qt's (non-native) file dialog to
open and to save, in the documents folder.

For bench/screenshots.py: ``shots(app, db, window, shot, settle)``, where ``shot(name, widget)``
grabs ``widget`` (the main window when it is left out) into ``<lang>-<name>.png``; the language
is the one already set. Alone (both languages, under ``QT_QPA_PLATFORM=offscreen`` or Xvfb):
    python bench/shots_lang.py --out screenshots
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import isolated_keyring

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    isolated_keyring()
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="shots-"))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from db import access
    from db.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
    from db.demo.station import open_demo
    from gui.app import make_app
    from gui.main_window import MainWindow
    from resources import i18n

    app = make_app()
    db = open_demo(Path(os.environ["XDG_DATA_HOME"]) / "demo")
    ensure_demo_accounts(db)
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        QApplication.processEvents()

    for lang in ("vi", "en"):
        i18n.set_language(lang)
        window = MainWindow(access.sign_in(db, "lo.van.duc", DEMO_PASSWORD).service)
        window.resize(1366, 768)
        window.show()

        def shot(name: str, widget: Any = None, lang: str = lang, window: Any = window) -> None:
            settle(400)
            path = args.out / f"{lang}-{name}.png"
            (widget or window).grab().save(str(path))
            print(path)

        shot("69-lang-main-window")
        shots(app, db, window, shot, settle)
        window.close()
    db.close()


if __name__ == "__main__":
    main()

"""Qt's own texts in Vietnamese (our .ts, compiled or read as it is), the language the station
chose applied at start, and file dialogs that are Qt's own, in the documents folder."""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QTreeView,
)

from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui import app as gui_app
from gui import file_dialogs
from resources import i18n
from tests.conftest import TEST_PASSWORD

SB = QMessageBox.StandardButton


def plain(text: str) -> str:
    """A button's text as read (without its mnemonic mark)."""
    return re.sub(r"&(.)", r"\1", text)


def box_texts(buttons: SB, details: bool = False) -> list[str]:
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x", buttons)
    if details:
        box.setDetailedText("chi tiết")
    try:
        return sorted(plain(b.text()) for b in box.buttons())
    finally:
        box.deleteLater()


@pytest.fixture
def app(qtbot: Any) -> Any:
    return gui_app.make_app()


def test_message_box_buttons_speak_vietnamese(app: Any) -> None:
    got = box_texts(SB.Yes | SB.No | SB.Save | SB.Cancel | SB.Ok | SB.Close | SB.Discard, True)
    assert got == sorted(["Có", "Không", "Lưu", "Hủy", "Đồng ý", "Đóng", "Bỏ thay đổi",
                          "Xem chi tiết…"])  # fmt: skip


def test_english_is_qt_s_own_and_the_switch_is_live(app: Any) -> None:
    i18n.set_language("en")
    assert box_texts(SB.Yes | SB.No | SB.Cancel) == ["Cancel", "No", "Yes"]
    assert QLocale().language() == QLocale.Language.English
    i18n.set_language("vi")
    assert box_texts(SB.Yes | SB.No | SB.Cancel) == ["Có", "Hủy", "Không"]
    assert QLocale().language() == QLocale.Language.Vietnamese


def test_the_file_dialog_and_the_text_menus_speak_vietnamese(app: Any, qtbot: Any) -> None:
    dialog = QFileDialog(None, "Mở", str(Path.home()), "Ảnh (*.jpg)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {plain(w.text()) for w in dialog.findChildren(QLabel) if w.isVisible()}
    assert {"Tìm trong:", "Tên tệp:", "Loại tệp:"} <= labels
    buttons = {plain(b.text()) for b in dialog.findChildren(QPushButton) if b.isVisible()}
    assert buttons == {"Mở", "Hủy"}
    tips = {b.toolTip() for b in dialog.findChildren(QToolButton)}
    assert {"Lùi lại", "Tiến tới", "Thư mục cha", "Dạng chi tiết"} <= tips
    model = dialog.findChild(QTreeView).model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers == ["Tên", "Kích thước", "Loại", "Ngày sửa"]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    items = [plain(a.text()).split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert items == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]


def test_the_compiled_qm_says_what_the_ts_says(tmp_path: Path, monkeypatch: Any) -> None:
    """make catalog's .qm and the .ts read directly (a fresh checkout) agree on every text."""
    if i18n.lrelease() is None:
        pytest.skip("no lrelease (the PySide6 wheel ships pyside6-lrelease)")
    shutil.copy(i18n.qt_source("vi"), tmp_path)
    monkeypatch.setattr(i18n, "QT_TRANSLATIONS_DIR", tmp_path)
    assert i18n.qt_compiled("vi") is None  # not compiled yet: the .ts is read
    assert i18n.compile_qt() == [tmp_path / "qtbase_vi.qm"]
    assert i18n.qt_compiled("vi") == tmp_path / "qtbase_vi.qm"
    compiled = QTranslator()
    assert compiled.load(str(tmp_path / "qtbase_vi.qm"))
    table = i18n.qt_messages("vi")
    direct = gui_app.TableTranslator(table)
    assert len(table) > 200
    for (context, source, comment), text in table.items():
        assert compiled.translate(context, source, comment or None) == text, source
        assert direct.translate(context, source, comment or None) == text, source
    # Qt asks for a folder's type with a disambiguation; without one in the .ts it still finds it
    assert direct.translate("QFileDialog", "Folder", "All other platforms") == "Thư mục"
    assert direct.translate("QPlatformTheme", "no such text") is None  # None: Qt keeps its own


def test_every_source_text_is_one_qt_asks_for() -> None:
    """A typo in a context or a source text translates nothing, silently: the texts Qt shows most
    are checked against the exact strings Qt 6 asks for (recorded from a running Qt)."""
    table = i18n.qt_messages("vi")
    asked = {
        ("QPlatformTheme", "&Yes", ""), ("QPlatformTheme", "&No", ""),
        ("QPlatformTheme", "Cancel", ""), ("QPlatformTheme", "OK", ""),
        ("QMessageBox", "Show Details...", ""), ("QFileDialog", "&Look in:", ""),
        ("QFileDialog", "File &name:", ""), ("QFileDialog", "Files of &type:", ""),
        ("QFileSystemModel", "Type", "All other platforms"),
        ("QAbstractFileIconProvider", "Folder", "All other platforms"),
        ("QLineEdit", "Select All", ""), ("QPrintDialog", "&Print", ""),
    }  # fmt: skip
    assert asked - table.keys() == set()
    assert all("&" not in source or "&" in text for (_c, source, _d), text in table.items()), (
        "a mnemonic in the source needs one in the translation"
    )


def test_qt_reads_the_ts_when_no_qm_is_there(
    tmp_path: Path, monkeypatch: Any, app: Any
) -> None:  # fmt: skip
    shutil.copy(i18n.qt_source("vi"), tmp_path)
    monkeypatch.setattr(i18n, "QT_TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(gui_app, "_translators", {})
    translator = gui_app.qt_translator("vi")
    assert isinstance(translator, gui_app.TableTranslator)
    assert gui_app.qt_translator("en") is None


# --- the language the station chose, at start -----------------------------------------------


def test_the_stored_language_is_used_at_the_next_start(
    station: StationDB, actors: dict[str, Actor], monkeypatch: Any, app: Any
) -> None:
    """Cài đặt → Ngôn ngữ → English stores the setting; the next start (the real start-up path
    up to the event loop, signed in from the environment) speaks English."""
    from db import access
    from main import build_parser

    assert access.station_language(station) == "vi"
    StationService(station, actors["supervisor"]).change_setting("language", "en")
    assert access.station_language(station) == "en"  # what the sign-in screen is shown in
    monkeypatch.setenv("ENROLLMENT_STATION_USER", "boss")
    monkeypatch.setenv("ENROLLMENT_STATION_PASSWORD", TEST_PASSWORD)
    args = build_parser().parse_args(["--data-dir", str(station.data_dir)])
    opened = gui_app.open_window(args)
    assert not isinstance(opened, int)
    db, window = opened
    try:
        assert i18n.language() == "en"
        assert window.windowTitle().startswith("Enrollment Station")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        window.close()
        db.close()
    # --lang still wins over the setting
    assert gui_app.start_language(argparse.Namespace(lang="vi"), station) == "vi"
    assert i18n.language() == "vi"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
    assert gui_app.start_language(argparse.Namespace(lang=None), station) == "en"


# --- file dialogs ------------------------------------------------------------------------------


def test_file_dialogs_are_qt_s_own_and_open_in_the_documents_folder(
    tmp_path: Path, monkeypatch: Any, app: Any
) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no user-dirs.dirs
    shown: list[QFileDialog] = []

    def answer(dialog: QFileDialog) -> int:  # the officer types a name and presses Save
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        assert Path(dialog.directory().absolutePath()) == home / "Documents"
        assert dialog.width() <= 1366 and dialog.height() <= 740
        shown.append(dialog)
        if dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave:
            dialog.selectFile("hen-lai")
            dialog.accept()
            return int(QDialog.DialogCode.Accepted)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QFileDialog, "exec", answer)
    assert file_dialogs.open_file_name(None, "Mở", "Ảnh (*.jpg)") == ""
    saved = file_dialogs.save_file_name(None, "Lưu", "giay-hen.pdf", "PDF (*.pdf)")
    assert saved == str(home / "Documents" / "hen-lai.pdf")  # the suffix of the suggestion
    assert len(shown) == 2
    shutil.rmtree(home / "Documents")  # no documents folder: the home folder, not the program's
    assert file_dialogs.documents_dir() == home

"""Setting up a station offers the official provinces and communes (issue 15): the hub groups
communes by their codes, so the form says which official commune the typed name is."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.first_run import FirstRunDialog


def test_the_form_offers_the_official_lists(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    names = [dialog.province.itemText(i) for i in range(dialog.province.count())]
    assert len([n for n in names if n]) == 34 and "Điện Biên" in names
    dialog.province.setCurrentText("Điện Biên")
    completer = dialog.commune.completer()
    assert completer is not None
    offered = [completer.model().index(i, 0).data() for i in range(completer.model().rowCount())]
    assert "Nà Hỳ" in offered and "Nà Bủng" in offered
    dialog.commune.setText("Na Hy")  # typed without marks
    assert dialog.place.text() == "Tên chính thức: Xã Nà Hỳ"
    dialog.commune.setText("Bản Không Có")
    assert "Không có trong danh mục" in dialog.place.text()

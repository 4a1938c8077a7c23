"""One catalogue for the GUI and the PDFs: every user-visible string has a Vietnamese text."""

from __future__ import annotations

import re
import string

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from resources import i18n
from tests.conftest import ROOT

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PACKAGES = ("db", "gui", "printing", "capture", "resources")


def extracted() -> set[str]:
    ids: set[str] = set()
    for pkg in PACKAGES:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / pkg, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            ids.update([message] if isinstance(message, str) else [m for m in message if m])
    return ids


def fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}


def test_every_message_has_a_vietnamese_translation() -> None:
    with (i18n.TRANSLATIONS_DIR / "vi/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    ids = extracted()
    assert len(ids) > 100
    missing = sorted(m for m in ids if m not in catalog or not catalog[m].string)
    assert missing == []
    for message in catalog:
        if message.id and message.string and isinstance(message.id, str):
            assert fields(message.id) == fields(message.string), message.id


def test_switching_language() -> None:
    try:
        i18n.set_language("en")
        assert i18n._("Cancel") == "Cancel"
        i18n.set_language("vi")
        assert i18n._("Cancel") == "Hủy"
        assert re.search("đ", i18n._("Personal ID number"))
    finally:
        i18n.set_language("vi")

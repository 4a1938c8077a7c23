"""One catalogue for the GUI and the PDFs: every user-visible string has a Vietnamese text."""

from __future__ import annotations

import functools
import re
import string

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from resources import i18n
from tests.conftest import ROOT

PACKAGES = ("db", "gui", "printing", "capture", "resources")


@functools.cache
def extracted() -> frozenset[str]:
    """The message ids the code uses (a plural's id is its singular, as in the catalogue)."""
    ids: set[str] = set()
    for pkg in PACKAGES:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / pkg, method_map=[("**.py", "python")], keywords=i18n.KEYWORDS
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return frozenset(ids)


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
        elif message.id:  # a plural: Vietnamese has one form, with the fields of both ids
            assert message.string[0], message.id
            assert fields(message.id[0]) == fields(message.id[1]) == fields(message.string[0])


def test_counts_take_the_form_of_their_number() -> None:
    try:
        i18n.set_language("en")
        one, many = (i18n.ngettext("{count} unfinished enrollment", "{count} unfinished "
                                   "enrollments", n).format(count=n) for n in (1, 2))  # fmt: skip
        assert (one, many) == ("1 unfinished enrollment", "2 unfinished enrollments")
        i18n.set_language("vi")
        assert i18n.ngettext("{count} unfinished enrollment", "{count} unfinished enrollments",
                             2).format(count=2) == "2 hồ sơ chưa hoàn thành"  # fmt: skip
    finally:
        i18n.set_language("vi")


def test_no_count_is_written_with_an_s_in_brackets() -> None:
    """"1 enrollment(s)" reads badly in English: ngettext gives each number its form."""
    found = sorted(m for m in extracted() if "(s)" in m)
    assert found == []


def test_switching_language() -> None:
    try:
        i18n.set_language("en")
        assert i18n._("Cancel") == "Cancel"
        i18n.set_language("vi")
        assert i18n._("Cancel") == "Hủy"
        assert re.search("đ", i18n._("Personal ID number"))
    finally:
        i18n.set_language("vi")

"""The recovery sheet and the key text: print, read back, type back."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest

from printing.keytext import KeyTextError, format_key_groups, key_groups, parse_key_groups
from printing.model import RecoveryData
from printing.recovery import build_recovery_sheet, key_qr_payload
from tests.printing.pdfcheck import decode_qr, needs_pdftoppm, page_count, pdf_text, render_pages

KEY = bytes.fromhex("8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1ff")


@pytest.fixture
def recovery(station) -> RecoveryData:
    return RecoveryData(station=station, key=KEY,
                        created_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))


def test_format_has_13_groups_and_a_check_group():
    text = format_key_groups(KEY)
    groups = text.split(" ")
    assert len(groups) == 14
    assert all(len(g) == 4 and g.isupper() for g in groups)
    assert set("".join(groups)) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


@pytest.mark.parametrize("seed", range(20))
def test_round_trip_tolerates_how_people_type(seed):
    key = os.urandom(32) if seed else bytes(32)
    text = format_key_groups(key)
    assert parse_key_groups(text) == key
    assert parse_key_groups(text.lower()) == key
    assert parse_key_groups(text.replace(" ", "-")) == key
    assert parse_key_groups(text.replace(" ", "")) == key
    assert parse_key_groups("  " + text.replace(" ", "\n", 3) + "\n") == key
    assert parse_key_groups("ESKEY1:" + text) == key
    assert parse_key_groups(text.replace("O", "0").replace("I", "1").replace("B", "8")) == key


def test_typing_mistakes_are_caught():
    groups = key_groups(KEY)
    good = "".join(groups)
    # Every single-character substitution anywhere is detected.
    for i in range(len(good)):
        wrong = "A" if good[i] != "A" else "B"
        with pytest.raises(KeyTextError):
            parse_key_groups(good[:i] + wrong + good[i + 1:])
    # Two neighbouring groups swapped, a missing group, a missing character.
    swapped = [*groups]
    swapped[3], swapped[4] = swapped[4], swapped[3]
    for bad in (swapped, groups[:5] + groups[6:]):
        with pytest.raises(KeyTextError):
            parse_key_groups(" ".join(bad))
    with pytest.raises(KeyTextError):
        parse_key_groups(good[:-5] + good[-4:])
    for junk in ("", "ESKEY1:", "ABCD", "ÀBCD " * 14, "9999 " * 14):
        with pytest.raises(KeyTextError):
            parse_key_groups(junk)


def test_recovery_sheet_text(recovery):
    pdf = build_recovery_sheet(recovery)
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    assert "PHIẾU KHÔI PHỤC KHÓA CƠ SỞ DỮ LIỆU" in text
    assert "MẬT – CẤT GIỮ TRONG KÉT SẮT" in text
    assert "Trạm thu nhận trụ sở" in text and "NH01" in text
    assert "xã Nà Hỳ, tỉnh Điện Biên" in text
    assert "09:00 ngày 01/03/2026" in text
    # The groups read back from the page give the key again.
    groups = key_groups(KEY)
    for g in groups:
        assert g in text
    start = text.index(groups[0])
    end = text.index(groups[-1]) + 4
    typed = re.sub(r"\b\d+–\d+\b", " ", text[start:end])  # drop the row numbers "5–8"
    assert parse_key_groups(typed) == KEY


def test_recovery_sheet_in_english(recovery, english):
    text = pdf_text(build_recovery_sheet(recovery))
    assert "DATABASE KEY RECOVERY SHEET" in text
    assert "Keep this sheet in the safe" in text


def test_recovery_needs_a_32_byte_key_and_aware_time(station):
    with pytest.raises(ValueError):
        RecoveryData(station=station, key=b"short", created_at=datetime.now(UTC))
    with pytest.raises(ValueError):
        RecoveryData(station=station, key=KEY, created_at=datetime(2026, 3, 1))
    assert KEY.hex() not in repr(RecoveryData(station=station, key=KEY,
                                              created_at=datetime.now(UTC)))


@needs_pdftoppm
def test_recovery_qr_decodes_to_the_key(recovery, tmp_path):
    pages = render_pages(build_recovery_sheet(recovery), tmp_path, dpi=150)
    payload = decode_qr(pages[0])
    assert payload == key_qr_payload(KEY)
    assert payload.startswith("ESKEY1:")
    assert parse_key_groups(payload) == KEY

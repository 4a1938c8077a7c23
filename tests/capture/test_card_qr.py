"""A chip ID card's QR text (issue 17): real-looking strings, the variants readers and newer
cards give, damaged reads and texts that are not card QRs."""

from __future__ import annotations

from datetime import date

import pytest

from capture.card.qr_text import CardQR, NotACardQR, looks_like_card, parse

FULL = ("011076433758|040123456|Quàng Văn Xiêng|30111976|Nam|Bản Nậm Chua 2, Xã Nà Hỳ, "
        "Huyện Nậm Pồ, Điện Biên|15062021")


def test_a_full_card_text() -> None:
    assert parse(FULL) == CardQR(
        personal_id="011076433758", old_id="040123456", full_name="Quàng Văn Xiêng",
        birth_date=date(1976, 11, 30), sex="M",
        address="Bản Nậm Chua 2, Xã Nà Hỳ, Huyện Nậm Pồ, Điện Biên", issued=date(2021, 6, 15))


def test_the_variants_readers_and_newer_cards_give() -> None:
    no_old = parse("001304012345||Giàng Thị Dua|05082004|Nữ|Huổi Cơ Mông|01022024")
    assert (no_old.old_id, no_old.sex, no_old.birth_date) == (None, "F", date(2004, 8, 5))
    short = parse("001304012345||Giàng Thị Dua|05082004")  # trailing fields missing
    assert (short.sex, short.address, short.issued) == (None, None, None)
    assert parse("001304012345|").personal_id == "001304012345"
    newer = parse(FULL + "|extra|fields|2031")  # fields after the issue date are ignored
    assert newer.issued == date(2021, 6, 15)
    decomposed = parse("011076433758||Qua\u0300ng Va\u0306n Xie\u0302ng|30111976|NAM")
    assert decomposed.full_name == "Quàng Văn Xiêng" and decomposed.sex == "M"
    spaced = parse("  011076433758|040123456| QUÀNG  VĂN XIÊNG |30111976|nữ|  |\r\n")
    assert (spaced.full_name, spaced.sex, spaced.address) == ("QUÀNG VĂN XIÊNG", "F", None)


def test_a_scanner_that_mangles_letters_still_gives_the_number() -> None:
    mangled = parse("011076433758|040123456|Qu?ng V?n Xi?ng|30111976|N?|B?n N?m Chua 2|15062021")
    assert mangled.personal_id == "011076433758" and mangled.sex is None
    bad_day = parse("011076433758||Quàng Văn Xiêng|31021976|Nam")
    assert bad_day.birth_date is None  # an impossible day is a hint lost, not an error


@pytest.mark.parametrize("text", [
    "", "Quàng Văn Xiêng", "8934567890123", "https://vneid.gov.vn/", "01107643375|x|y",
    "0110764337589|040123456|A", "011076433758", "011076433758|04012A456|Quàng",
    "a" * 2000, "011076433758|" + "x" * 2000,
])  # fmt: skip
def test_what_is_not_a_card_qr(text: str) -> None:
    with pytest.raises(NotACardQR):
        parse(text)


def test_the_prefix_tells_a_card_from_words() -> None:
    assert looks_like_card("011076433758|") and looks_like_card(FULL)
    assert not looks_like_card("011076433758") and not looks_like_card("Quàng Văn Xiêng")
    assert not looks_like_card("01107643375|")

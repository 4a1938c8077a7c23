"""The card lists (issue 17): the notice list of cards waiting to be collected, by village, and
the handover register people sign or thumbprint — real PDFs read back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from reportlab.lib.units import mm

from printing.cards import SIGN_HEIGHT, _register, build_card_list
from printing.model import CardLine, CardListData, Station
from resources import i18n
from tests.printing.pdfcheck import page_count, page_size_mm, pdf_text

STATION = Station(agency_name="Công an xã Nà Hỳ", station_name="Trạm thu nhận trụ sở",
                  commune="xã Nà Hỳ", province="tỉnh Điện Biên",
                  parent_agency="Công an tỉnh Điện Biên", address="bản Nà Hỳ 1, xã Nà Hỳ",
                  phone="0215 3833 123")  # fmt: skip
AT = datetime(2026, 4, 6, 2, tzinfo=UTC)  # 09:00 in Vietnam
ARRIVED = date(2026, 4, 2)


def card(name: str, village: str = "Nà Hỳ 1", n: int = 1, **kw: object) -> CardLine:
    fields: dict[str, object] = dict(
        village=village, name=name, birth="12/03/1950", personal_id=f"0111500{n:05d}",
        slip_no=f"NH-2026-{n:06d}", phone="0912345678", arrived=ARRIVED)  # fmt: skip
    fields.update(kw)
    return CardLine(**fields)  # type: ignore[arg-type]


LINES = (
    card("Nguyễn Thị Ánh Tuyết", n=1),
    card("Đặng Văn Đức", "Huổi Đáp", n=2, birth="1938", phone=""),
    card("Giàng A Sếnh", n=3, personal_id=""),
    card("Lò Thị Đào", "Huổi Đáp", n=4),
)


def listing(kind: str = "waiting", **kw: object) -> CardListData:
    fields: dict[str, object] = dict(station=STATION, kind=kind, generated_at=AT, lines=LINES)
    fields.update(kw)
    return CardListData(**fields)  # type: ignore[arg-type]


MANY = tuple(card(f"Vừ A Đông {i:03d}", ("Nà Hỳ 1", "Nà Hỳ 2", "Pa Tần")[i // 50], n=i)
             for i in range(130))  # fmt: skip


@pytest.fixture(scope="module")
def made() -> dict[str, bytes]:
    """The lists every test reads, built once in Vietnamese."""
    i18n.set_language("vi")
    return {
        "waiting": build_card_list(listing()),
        "handover": build_card_list(listing("handover", lines=(
            *LINES[:2], card("Quàng Văn Xiêng", n=5, delivered=date(2026, 4, 5),
                             place="Tại nhà: bản Nà Hỳ 1, xã Nà Hỳ", officer="Lò Văn Đức")))),
        "many waiting": build_card_list(listing(lines=MANY)),
        "many handover": build_card_list(listing("handover", lines=MANY[:40])),
    }  # fmt: skip


def test_the_notice_list_groups_by_village_with_where_to_collect(made: dict[str, bytes]) -> None:
    pdf = made["waiting"]
    assert page_count(pdf) == 1
    assert page_size_mm(pdf) == pytest.approx((210, 297), abs=0.5)
    text = pdf_text(pdf)
    for expected in [
        "DANH SÁCH THẺ CĂN CƯỚC ĐÃ VỀ, CHỜ TRẢ", "4 thẻ", "Nà Hỳ 1: 2 thẻ", "Huổi Đáp: 2 thẻ",
        "STT", "Họ, chữ đệm và tên", "Năm sinh", "Số định danh cá nhân", "Số giấy hẹn",
        "Số điện thoại", "Ngày thẻ về",
        "Nguyễn Thị Ánh Tuyết", "Đặng Văn Đức", "Giàng A Sếnh", "Lò Thị Đào",
        "011150000001", "NH-2026-000004", "0912345678", "02/04/2026",
        "tại trụ sở Công an xã Nà Hỳ (bản Nà Hỳ 1, xã Nà Hỳ)",
        "trong giờ làm việc, từ thứ Hai đến thứ Sáu", "Điện thoại liên hệ: 0215 3833 123",
        "được trả thẻ tại nhà", "trang 1/1",
    ]:  # fmt: skip
        assert expected in text, expected
    # the villages' lines gathered (in the order they first come), each numbered from 1
    at = [text.index(n) for n in ("Nà Hỳ 1: 2 thẻ", "Nguyễn Thị Ánh Tuyết", "Giàng A Sếnh",
                                   "Huổi Đáp: 2 thẻ", "Đặng Văn Đức", "Lò Thị Đào")]
    assert at == sorted(at)
    assert "2 Giàng A Sếnh" in text and "2 Lò Thị Đào" in text


def test_a_filtered_list_names_its_village_and_hours_can_be_given() -> None:
    text = pdf_text(build_card_list(listing(village="Huổi Đáp", lines=LINES[1::2],
                                            collect_hours="sáng thứ Bảy 12/04")))  # fmt: skip
    assert "Thôn, bản: Huổi Đáp – 2 thẻ" in text
    assert "sáng thứ Bảy 12/04" in text and "từ thứ Hai" not in text


def test_a_posted_notice_shows_only_the_last_digits() -> None:
    text = pdf_text(build_card_list(listing(public=True)))
    assert "…0001" in text and "011150000001" not in text
    assert "…678" in text and "0912345678" not in text
    assert "chỉ in các chữ số cuối" in text
    assert "NH-2026-000001" in text  # the slip number is what the person brings


def test_many_cards_run_over_pages_numbered_x_of_y(made: dict[str, bytes]) -> None:
    for key, heading in (("many waiting", "Pa Tần: 30 thẻ"), ("many handover", None)):
        pdf = made[key]
        pages = page_count(pdf)
        assert pages > 1, key
        text = pdf_text(pdf)
        assert [f"trang {p}/{pages}" in text for p in range(1, pages + 1)] == [True] * pages
        wanted = MANY if key == "many waiting" else MANY[:40]
        missing = [c.name for c in wanted if c.name not in text]
        assert missing == [], key
        if heading:
            assert heading in text
            # a village running on to the next page repeats its heading with the columns
            assert text.count("Nà Hỳ 1: 50 thẻ") >= 2


def test_the_handover_register_has_a_box_to_sign_or_thumbprint(made: dict[str, bytes]) -> None:
    pdf = made["handover"]
    assert page_size_mm(pdf) == pytest.approx((297, 210), abs=0.5)  # A4 landscape
    text = pdf_text(pdf)
    for expected in [
        "SỔ TRẢ THẺ CĂN CƯỚC", "3 thẻ", "Ngày thẻ về", "Ngày trả", "Nơi trả", "Cán bộ trả",
        "Người nhận ký hoặc điểm chỉ",
        "người không ký được thì điểm chỉ ngón trỏ phải vào ô đó",
        "Quàng Văn Xiêng", "05/04/2026", "Tại nhà: bản Nà Hỳ 1, xã Nà Hỳ", "Lò Văn Đức",
        "Đặng Văn Đức", "1938", "trang 1/1",
    ]:  # fmt: skip
        assert expected in text, expected


def test_each_register_line_is_tall_enough_to_sign_and_grows_with_its_text() -> None:
    long_place = "Tại nhà: " + ", ".join(["bản Nà Hỳ 1"] * 12)
    lines = (card("Giàng A Sếnh"), card("Lò Văn Đức", place=long_place))
    table = _register(lines, 267 * mm)
    table.wrap(267 * mm, 1000 * mm)
    heights = table._rowHeights[1:]
    assert heights[0] == pytest.approx(SIGN_HEIGHT) and heights[0] >= 18 * mm
    assert heights[1] > SIGN_HEIGHT  # the long place is printed whole, the box grows


def test_an_empty_list_says_so() -> None:
    for kind in ("waiting", "handover"):
        pdf = build_card_list(listing(kind, lines=()))
        text = pdf_text(pdf)
        assert page_count(pdf) == 1
        assert "Không có thẻ nào chờ trả." in text and "0 thẻ" in text
        assert "STT" not in text


def test_in_english(english: None) -> None:
    text = pdf_text(build_card_list(listing()))
    for expected in ["CITIZEN ID CARDS BACK, WAITING TO BE COLLECTED", "4 cards",
                     "Nà Hỳ 1: 2 cards", "Card arrived", "Appointment slip no.",
                     "at the office of Công an xã Nà Hỳ", "page 1/1"]:  # fmt: skip
        assert expected in text, expected
    assert "Ngày thẻ về" not in text and "Nguyễn Thị Ánh Tuyết" in text
    one = pdf_text(build_card_list(listing("handover", lines=LINES[:1])))
    assert "CITIZEN ID CARD HANDOVER REGISTER" in one and "1 card" in one
    assert re.search(r"Received: signature or\s?thumbprint", one)


def test_a_training_station_s_lists_say_they_are_not_valid() -> None:
    for kind in ("waiting", "handover"):
        text = pdf_text(build_card_list(listing(kind, training=True)))
        assert "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ" in text


def test_a_list_that_would_print_wrong_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        listing(generated_at=datetime(2026, 4, 6, 9))
    with pytest.raises(ValueError, match="kind"):
        listing("posted")

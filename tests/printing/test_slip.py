"""The appointment slip: its text read back, its QR code decoded from the rendered page."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from printing.model import SlipData
from printing.qr import parse_slip_payload, slip_payload
from printing.slip import build_slip
from tests.printing.pdfcheck import (
    decode_qr,
    needs_pdftoppm,
    page_count,
    page_size_mm,
    pdf_text,
    render_pages,
)

NAMES = ["Nguyễn Thị Ánh Tuyết", "Giàng A Sếnh", "Lò Văn Đức", "Đặng Thị Hoà", "Vừ A Dủa"]


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_slip_text_is_vietnamese_by_default(make_slip, layout):
    text = pdf_text(build_slip(make_slip(layout=layout)))
    for expected in [
        "GIẤY HẸN TRẢ KẾT QUẢ",
        "Số: NH-2026-000123",
        "CÔNG AN XÃ NÀ HỲ",
        "CÔNG AN TỈNH ĐIỆN BIÊN",
        "Nguyễn Thị Ánh Tuyết",
        "011190012345",
        "12/03/1950",
        "Nữ",
        "Cấp thẻ căn cước",
        "08:05 ngày 12/03/2026",  # 01:05 UTC shown in Vietnam time
        "Thứ Hai, ngày 23/03/2026",
        "Trụ sở Công an xã Nà Hỳ, bản Nà Hỳ 1",
        "Lò Văn Đức",
        "Cán bộ tiếp nhận",
        "0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
    ]:
        assert expected in text, expected
    assert "Appointment" not in text


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_slip_in_english(make_slip, english, layout):
    text = pdf_text(build_slip(make_slip(layout=layout)))
    assert "APPOINTMENT SLIP" in text
    assert "Monday, 23/03/2026" in text
    assert "Issue of citizen ID card" in text
    assert "Nguyễn Thị Ánh Tuyết" in text  # data is never translated
    assert "GIẤY HẸN" not in text


@pytest.mark.parametrize("name", NAMES)
def test_names_round_trip_even_from_decomposed_input(make_slip, name):
    nfd = unicodedata.normalize("NFD", name)
    for layout in ("a5", "roll80"):
        text = pdf_text(build_slip(make_slip(full_name=nfd, layout=layout)))
        assert name in text


def test_markup_characters_in_data_are_printed_literally(make_slip):
    text = pdf_text(build_slip(make_slip(return_place="Bản <Pú Đao> & Tân Phong")))
    assert "Bản <Pú Đao> & Tân Phong" in text


def test_year_only_birth_date_and_no_personal_id(make_slip):
    text = pdf_text(build_slip(make_slip(birth_date=date(1938, 1, 1), birth_year_only=True,
                                         personal_id=None)))
    assert "Năm sinh" in text and "1938" in text
    assert "01/01/1938" not in text
    assert "Chưa có" in text


def test_delivery_by_post(make_slip):
    text = pdf_text(build_slip(make_slip(
        return_place=None, delivery_address="Bản Huổi Cơ Mông, xã Nà Hỳ, tỉnh Điện Biên")))
    assert "bưu chính" in text
    assert "Bản Huổi Cơ Mông, xã Nà Hỳ, tỉnh Điện Biên" in text
    assert "Nơi trả kết quả" not in text


def test_received_time_in_vietnam_whatever_the_input_zone(make_slip):
    # 23:30 UTC on the 11th is 06:30 on the 12th in Vietnam; same instant given in +09:00.
    utc = datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    tokyo = utc.astimezone(timezone(timedelta(hours=9)))
    for when in (utc, tokyo):
        assert "06:30 ngày 12/03/2026" in pdf_text(build_slip(make_slip(received_at=when)))


def test_custom_procedure(make_slip):
    text = pdf_text(build_slip(make_slip(procedure="Cấp đổi thẻ căn cước")))
    assert "Cấp đổi thẻ căn cước" in text


def test_portrait_is_embedded_only_when_given(make_slip):
    with_photo = build_slip(make_slip())
    without = build_slip(make_slip(portrait_jpeg=None))
    assert b"/Subtype /Image" in with_photo
    assert b"/Subtype /Image" not in without


def test_a_damaged_portrait_does_not_stop_the_slip(make_slip, caplog):
    pdf = build_slip(make_slip(portrait_jpeg=b"\xff\xd8 not a jpeg"))
    assert "Nguyễn Thị Ánh Tuyết" in pdf_text(pdf)
    assert "Nguyễn" not in caplog.text  # no personal data in logs


def test_page_sizes(make_slip):
    a5 = build_slip(make_slip(layout="a5"))
    assert page_count(a5) == 1
    w, h = page_size_mm(a5)
    assert (round(w), round(h)) == (148, 210)
    for portrait in (True, False):
        roll = build_slip(make_slip(layout="roll80", portrait_jpeg=None if not portrait
                                    else make_slip().portrait_jpeg))
        assert page_count(roll) == 1  # one long page, the printer cuts after it
        w, h = page_size_mm(roll)
        assert round(w) == 80
        assert 120 < h < 300


def test_long_address_on_roll_stays_one_page(make_slip):
    address = ", ".join(["Bản Huổi Cơ Mông, xã Nà Hỳ, tỉnh Điện Biên"] * 6)
    roll = build_slip(make_slip(layout="roll80", return_place=None, delivery_address=address))
    assert page_count(roll) == 1
    assert "Huổi Cơ Mông" in pdf_text(roll)


def test_invalid_slips_are_refused(make_slip):
    with pytest.raises(ValueError):
        make_slip(received_at=datetime(2026, 3, 12, 8, 5))  # naive
    with pytest.raises(ValueError):
        make_slip(delivery_address="somewhere")  # both place and address
    with pytest.raises(ValueError):
        make_slip(return_place=None)  # neither
    with pytest.raises(ValueError):
        make_slip(layout="a4")
    with pytest.raises(ValueError):
        make_slip(slip_no="NH|1")


def test_slip_payload_round_trip():
    payload = slip_payload("0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b", "NH-2026-000123")
    assert payload == "ES1|0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b|NH-2026-000123"
    assert parse_slip_payload(payload) == ("0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
                                           "NH-2026-000123")
    with pytest.raises(ValueError):
        parse_slip_payload("ESKEY1:ABCD")


@needs_pdftoppm
@pytest.mark.parametrize("layout", ["a5", "roll80"])
@pytest.mark.parametrize("with_portrait", [True, False])
def test_qr_decodes_from_the_rendered_page(make_slip, tmp_path, layout, with_portrait):
    data: SlipData = make_slip(layout=layout)
    if not with_portrait:
        data = make_slip(layout=layout, portrait_jpeg=None)
    pages = render_pages(build_slip(data), tmp_path, dpi=150)
    assert len(pages) == 1
    assert parse_slip_payload(decode_qr(pages[0])) == (data.enrollment_id, data.slip_no)

"""The information sheet the citizen checks and signs or thumbprints (issue 17): real PDFs,
their text read back, on A5 and A4, in Vietnamese and English."""

from __future__ import annotations

import io
import os
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from printing.info_sheet import build_info_sheet
from printing.model import InfoSheetData, Station
from resources import i18n
from tests.printing.pdfcheck import (
    needs_pdftoppm,
    page_count,
    page_size_mm,
    pdf_text,
    render_pages,
)

STATION = Station(agency_name="Công an xã Nà Hỳ", station_name="Trạm thu nhận trụ sở",
                  commune="xã Nà Hỳ", province="tỉnh Điện Biên",
                  parent_agency="Công an tỉnh Điện Biên", station_id="NH01")  # fmt: skip
AT = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)  # 08:05 in Vietnam
DETAILS = (("full_name", "Nguyễn Thị Ánh Tuyết"), ("birth", "12/03/1950"), ("sex", "F"),
           ("personal_id", "011150012345"), ("old_id", ""), ("ethnicity", "Thái"),
           ("religion", "Không"), ("hometown", "xã Nà Hỳ, huyện Nậm Pồ, tỉnh Điện Biên"),
           ("village", "Nà Hỳ 1"), ("household_no", "HK-0042"),
           ("phone", "0912345678"))  # fmt: skip


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (360, 480), (205, 215, 235)).save(buf, "JPEG")
    return buf.getvalue()


def sheet(**kw: object) -> InfoSheetData:
    fields: dict[str, object] = dict(
        station=STATION, enrollment_id="0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
        details=DETAILS, officer_name="Lò Văn Đức", printed_at=AT,
        corrected=(("full_name", "Nguyễn Thị Anh Tuyết"), ("phone", "")),
        portrait_jpeg=PORTRAIT, lying_down=True, fingers_taken=9,
        finger_conditions=(("left index finger", "Missing or amputated"),),
        vneid_phone="0912 345 678", vneid_email="tuyet@example.vn", place="home",
    )  # fmt: skip
    fields.update(kw)
    return InfoSheetData(**fields)  # type: ignore[arg-type]


PORTRAIT = _jpeg()


@pytest.fixture(scope="module")
def papers() -> dict[str, bytes]:
    """The usual sheet on both papers, in Vietnamese (built once for the module)."""
    i18n.set_language("vi")
    return {layout: build_info_sheet(sheet(layout=layout)) for layout in ("a5", "a4")}


@pytest.mark.parametrize("layout", ["a5", "a4"])
def test_every_detail_and_the_corrections_are_on_one_page(papers: dict[str, bytes],
                                                         layout: str) -> None:  # fmt: skip
    pdf = papers[layout]
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    for expected in [
        "PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC", "CÔNG AN XÃ NÀ HỲ", "CÔNG AN TỈNH ĐIỆN BIÊN",
        "Nguyễn Thị Ánh Tuyết", "12/03/1950", "Nữ", "011150012345", "Thái", "Không",
        "xã Nà Hỳ, huyện Nậm Pồ, tỉnh Điện Biên", "Nà Hỳ 1", "HK-0042", "0912345678",
        # the corrections, each with what the register had, and the legend
        "Đã sửa (dữ liệu cũ: Nguyễn Thị Anh Tuyết)", "Đã sửa (dữ liệu cũ để trống)",
        "Có 2 thông tin đã được cán bộ sửa so với dữ liệu dân cư",
        "Họ, chữ đệm và tên *", "Số điện thoại *",
        # biometrics, the request, the receipt
        "Chụp ở tư thế nằm", "9/10; ngón trỏ tay trái: mất ngón hoặc cụt ngón",
        "Đã đề nghị, số di động 0912 345 678, thư điện tử tuyet@example.vn",
        "Tại nhà người dân", "Công an xã Nà Hỳ – Trạm thu nhận trụ sở", "Lò Văn Đức",
        # the signatures: signed, or thumbprinted by one who cannot write, said in words
        "(Ký, ghi rõ họ tên hoặc điểm chỉ)", "ĐIỂM CHỈ",
        "Người không ký được thì điểm chỉ ngón trỏ phải vào ô này.",
        "cam đoan các thông tin đó là đúng sự thật", "CÁN BỘ TIẾP NHẬN",
        "Xã Nà Hỳ, ngày 12 tháng 03 năm 2026",
        "Mã hồ sơ: 0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b – trang 1/1",
    ]:  # fmt: skip
        assert expected in text, expected
    assert "Số CMND cũ" not in text  # no old ID: not printed
    assert "Corrected" not in text and "Giấy hẹn" not in text  # not submitted yet


def test_a5_and_a4_are_their_paper(papers: dict[str, bytes]) -> None:
    for layout, (w, h) in (("a5", (148, 210)), ("a4", (210, 297))):
        got = page_size_mm(papers[layout])
        assert got == pytest.approx((w, h), abs=0.5), layout


def test_in_english(english: None) -> None:
    text = pdf_text(build_info_sheet(sheet()))
    for expected in ["CITIZEN ID INFORMATION SHEET", "Corrected (register: Nguyễn Thị Anh Tuyết)",
                     "2 details were corrected against the population register",
                     "A citizen who cannot sign presses the right index finger in this box.",
                     "(Sign and write full name, or thumbprint)", "Female",
                     "Xã Nà Hỳ, 12/03/2026", "page 1/1"]:  # fmt: skip
        assert expected in text, expected
    assert "Nguyễn Thị Ánh Tuyết" in text  # data is never translated
    assert "PHIẾU" not in text and "Điểm chỉ" not in text


def test_nothing_corrected_says_so_and_marks_nothing() -> None:
    text = pdf_text(build_info_sheet(sheet(corrected=())))
    assert "không có thông tin nào được sửa" in text
    assert "Đã sửa" not in text and " *" not in text


def test_a_new_person_prints_the_dc01_details_as_declared() -> None:
    dc01 = (("father_name", "Lò Văn Piên"), ("mother_name", "Đặng Thị Mỷ"),
            ("permanent_residence", "bản Nà Hỳ 2, xã Nà Hỳ"), ("spouse_name", ""))
    text = pdf_text(build_info_sheet(sheet(details=DETAILS + dc01, new_person=True)))
    for expected in ["Họ, chữ đệm và tên của cha Lò Văn Piên",
                     "Họ, chữ đệm và tên của mẹ Đặng Thị Mỷ",
                     "Nơi thường trú bản Nà Hỳ 2, xã Nà Hỳ", "mẫu DC01"]:  # fmt: skip
        assert expected in text, expected
    assert "Đã sửa" not in text  # declared, not corrected: nothing against the register
    assert "vợ/chồng" not in text  # a DC01 field left empty is not printed


def test_what_is_missing_is_said_not_left_blank() -> None:
    details = tuple((f, "" if f == "personal_id" else "1938" if f == "birth" else v)
                    for f, v in DETAILS)  # fmt: skip
    text = pdf_text(build_info_sheet(sheet(
        details=details, corrected=(), portrait_jpeg=None, lying_down=False,
        fingers_taken=None, finger_conditions=(), vneid_phone=None, vneid_email=None,
        place="hq")))  # fmt: skip
    for expected in ["Năm sinh 1938", "Số định danh cá nhân Chưa có", "Chưa có ảnh",
                     "Không thu nhận vân tay", "Không đề nghị", "Tại trụ sở công an"]:
        assert expected in text, expected


def test_a_reprint_after_submit_names_the_slip() -> None:
    text = pdf_text(build_info_sheet(sheet(slip_no="NH-2026-000123", received_at=AT)))
    assert "Số giấy hẹn NH-2026-000123" in text
    assert "08:05 ngày 12/03/2026" in text


def test_a_training_station_s_sheet_says_it_is_not_valid() -> None:
    text = pdf_text(build_info_sheet(sheet(training=True)))
    assert "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ" in text


def test_a_damaged_portrait_still_prints_the_sheet() -> None:
    text = pdf_text(build_info_sheet(sheet(portrait_jpeg=b"\xff\xd8 not really a jpeg")))
    assert "Chưa có ảnh" in text and "Nguyễn Thị Ánh Tuyết" in text


def test_decomposed_and_markup_input_prints_as_written() -> None:
    nfd = unicodedata.normalize("NFD", "Đặng Thị Hoà")
    details = (*((f, v) for f, v in DETAILS if f not in ("full_name", "hometown")),
               ("full_name", nfd), ("hometown", "Bản <Pú Đao> & Tân Phong"))
    text = pdf_text(build_info_sheet(sheet(details=details, corrected=())))
    assert "Đặng Thị Hoà" in text and "Bản <Pú Đao> & Tân Phong" in text


def test_nothing_is_written_to_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built in memory: no temporary file, nothing in the working directory."""
    import tempfile

    temp, cwd = tmp_path / "tmp", tmp_path / "cwd"
    temp.mkdir()
    cwd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.chdir(cwd)
    build_info_sheet(sheet(layout="a4", training=True))
    assert os.listdir(temp) == [] and os.listdir(cwd) == []


def test_what_would_print_a_wrong_sheet_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        sheet(printed_at=datetime(2026, 3, 12, 8, 5))
    with pytest.raises(ValueError, match="layout"):
        sheet(layout="roll80")
    with pytest.raises(ValueError, match="unknown detail"):
        sheet(details=(("nickname", "Tuyết"),))
    with pytest.raises(ValueError, match="place"):
        replace(sheet(), place="market")


@needs_pdftoppm
def test_the_a5_sheet_renders_as_one_page(papers: dict[str, bytes], tmp_path: Path) -> None:
    [png] = render_pages(papers["a5"], tmp_path, dpi=40)
    from PIL import Image

    w, h = Image.open(png).size
    assert (w, h) == pytest.approx((233, 331), abs=2)  # 148 × 210 mm at 40 dpi

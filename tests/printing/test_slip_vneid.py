"""The slip's line for a level-2 electronic ID account request, read back from the PDF in both
layouts and both languages; nothing printed when none was asked for."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from printing.model import SlipData
from printing.slip import build_slip
from tests.printing.pdfcheck import pdf_text


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_the_request_is_printed_with_the_number(
    make_slip: Callable[..., SlipData], layout: str
) -> None:
    text = pdf_text(build_slip(make_slip(layout=layout, vneid_phone="0912 345 678")))
    assert "Đề nghị cấp tài khoản định danh điện tử mức 2: 0912 345 678" in text
    assert "mức 2" not in pdf_text(build_slip(make_slip(layout=layout)))


def test_the_request_in_english(make_slip: Callable[..., SlipData], english: None) -> None:
    text = pdf_text(build_slip(make_slip(vneid_phone="0912 345 678")))
    assert "Level-2 electronic identification account requested: 0912 345 678" in text

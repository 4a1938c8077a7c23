"""A training station's documents (issue 12): the slip in both layouts and the tally carry the
banner and the watermark "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ" on every page; a real station's
do not. Read back from the PDF text, as a person reading the page would."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from printing import build_slip, build_tally
from printing.model import SlipData, TallyData, TallyRow
from tests.printing.pdfcheck import page_count, pdf_text
from tests.printing.test_tally import tally

__all__ = ["tally"]
MARK = "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ"


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_a_training_slip_says_it_is_not_valid(make_slip: Callable[..., SlipData],
                                              layout: str) -> None:  # fmt: skip
    real = pdf_text(build_slip(make_slip(layout=layout)))
    assert "TẬP HUẤN" not in real
    text = pdf_text(build_slip(make_slip(layout=layout, training=True)))
    assert text.count(MARK) == 2  # the banner and the watermark
    assert text.index(MARK) < text.index("GIẤY HẸN")  # the banner comes first
    assert "Nguyễn Thị Ánh Tuyết" in text  # the slip is otherwise the same


def test_every_page_of_a_training_tally_is_marked(tally: TallyData) -> None:
    data = tally
    assert "TẬP HUẤN" not in pdf_text(build_tally(data))
    villages = tuple(TallyRow(f"Bản {i}", 1) for i in range(data.total))  # several pages
    long = dataclasses.replace(data, by_village=villages, training=True)
    pdf = build_tally(long)
    assert page_count(pdf) > 1
    assert pdf_text(pdf).count(MARK) == page_count(pdf) + 1  # a watermark each, one banner


def test_the_mark_follows_the_language(make_slip: Callable[..., SlipData],
                                       english: None) -> None:  # fmt: skip
    assert "TRAINING STATION — NOT VALID" in pdf_text(build_slip(make_slip(training=True)))


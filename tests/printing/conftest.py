"""Fixtures for the printed documents: a station, a portrait, slips, language switching."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest

from printing.model import SlipData, Station
from resources import i18n


@pytest.fixture
def station() -> Station:
    return Station(
        agency_name="Công an xã Nà Hỳ",
        station_name="Trạm thu nhận trụ sở",
        commune="xã Nà Hỳ",
        province="tỉnh Điện Biên",
        parent_agency="Công an tỉnh Điện Biên",
        station_id="NH01",
    )


@pytest.fixture(scope="session")
def portrait_jpeg() -> bytes:
    """A small synthetic portrait (no real person's photo in the tests)."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (360, 480), (205, 215, 235))
    d = ImageDraw.Draw(im)
    d.ellipse((105, 90, 255, 285), fill=(225, 190, 160))
    d.rectangle((75, 315, 285, 480), fill=(40, 60, 120))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


@pytest.fixture
def make_slip(station: Station, portrait_jpeg: bytes) -> Callable[..., SlipData]:
    def make(**kw: object) -> SlipData:
        fields: dict[str, object] = dict(
            station=station,
            enrollment_id="0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
            slip_no="NH-2026-000123",
            full_name="Nguyễn Thị Ánh Tuyết",
            personal_id="011190012345",
            birth_date=date(1950, 3, 12),
            sex="female",
            # 01:05 UTC is 08:05 in Vietnam.
            received_at=datetime(2026, 3, 12, 1, 5, tzinfo=UTC),
            return_date=date(2026, 3, 23),
            officer_name="Lò Văn Đức",
            return_place="Trụ sở Công an xã Nà Hỳ, bản Nà Hỳ 1",
            portrait_jpeg=portrait_jpeg,
        )
        fields.update(kw)
        return SlipData(**fields)  # type: ignore[arg-type]

    return make


@pytest.fixture
def english() -> Iterator[None]:
    """Documents in English for one test, then back to the default Vietnamese."""
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    """Every test starts in the default language (Vietnamese), whatever ran before."""
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)

"""The day review: exceptions first, portrait and reason shown, approve and send back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from db import enrollment as en
from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.review import DayReviewDialog
from tests.db.enrollment_fixtures import people, received

__all__ = ["people"]


def test_review_approve_and_send_back(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    make_app()
    duc = actors["officer"].officer_id
    at = datetime(2026, 3, 12, 2, tzinfo=UTC)
    plain = received(station, people[0], at, officer=duc)
    odd = received(station, people[1], at, officer=duc, exception="bedridden", place="home")
    d = DayReviewDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    assert d.list.count() == 2 and d.current is not None
    assert d.current.uuid == odd.uuid  # the exception comes first
    assert d.portrait.pixmap() is not None and not d.portrait.pixmap().isNull()
    assert "Nằm liệt giường" in d.facts.text() or "Bedridden" in d.facts.text()
    d.send_back()  # no note: refused, nothing changes
    assert en.get(station, odd.uuid).status == "submitted"
    d.note.setPlainText("Chụp lại ảnh")
    d.send_back()
    back = en.get(station, odd.uuid)
    assert back.status == "returned" and back.review_note == "Chụp lại ảnh"
    assert d.list.count() == 1 and d.current is not None and d.current.uuid == plain.uuid
    d.approve()
    assert en.get(station, plain.uuid).status == "approved" and d.list.count() == 0

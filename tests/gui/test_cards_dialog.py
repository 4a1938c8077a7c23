"""Thẻ căn cước (issue 17) on a real station: a keyboard-wedge scanner typing into the arrival
box records each card at once (the box cleared, Enter never pressing a button), the cards
ticked in the list arrive too; the handover shows the portrait on file, records a delivery at
home with its place, and a second handover of the same card is refused in words and records
nothing; the list of cards waiting shows them by village with phone numbers."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select, update

from db.actor import Actor
from db.models import EnrollmentEvent, Resident
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.card_arrival import ArrivalDialog
from gui.card_handover import HandoverDialog
from gui.cards_dialog import WaitingDialog
from tests.db.test_cards import approved, people, staff_actors

__all__ = ["approved", "people", "staff_actors"]


def garbled_qr(pid: str) -> str:
    """A card's QR as a keyboard-wedge scanner types it through a Telex input method: the
    number intact, the letters mangled."""
    return f"{pid}|123456789|Nguyeenx Vawn An|15031989|Nam|Thoon DDoong, Nas Hyr|10082021"


def events(station: StationDB, kind: str) -> int:
    with station.Session() as s:
        return int(s.scalar(select(func.count()).select_from(EnrollmentEvent).where(
            EnrollmentEvent.kind == kind)) or 0)  # fmt: skip


def scan(qtbot: Any, box: Any, text: str) -> None:
    """As the scanner does: the text typed key by key, then Enter."""
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


@pytest.fixture
def duc(station: StationDB, staff_actors: dict[str, Actor]) -> StationService:
    make_app()
    return StationService(station, staff_actors["duc"])


def test_a_scanner_typing_into_the_arrival_box_records_each_card_at_once(
    qtbot: Any, station: StationDB, duc: StationService, approved: list[tuple[str, str, str]]
) -> None:
    (_u1, slip1, pid1), (u2, slip2, _p2), _third, _fourth, (_u5, slip5, _p5) = approved
    d = ArrivalDialog(duc)
    qtbot.addWidget(d)
    d.show()
    for text in (garbled_qr(pid1), slip5, "NH-2026-999999", slip1.lower()):
        scan(qtbot, d.box, text)
        assert d.box.text() == ""  # ready for the next card at once
    qtbot.waitUntil(lambda: d.pending == 0, timeout=10_000)
    assert d.isVisible()  # no Enter pressed a button of the dialog
    lines = [d.results.item(i).text() for i in range(d.results.count())][::-1]  # newest first
    name = duc.card(slip1)[0].full_name
    assert lines == [f"✓ {slip1} {name} — đã ghi nhận thẻ về",
                     f"✗ {slip5} {duc.card(slip5)[0].full_name} — chưa được duyệt",
                     "✗ NH-2026-999999 — không tìm thấy",
                     f"• {slip1} {name} — đã ghi nhận trước đó"]  # fmt: skip
    assert d.results.item(1).foreground().color().name() == "#b00020"
    assert d.summary.text() == "Lần này đã ghi nhận 1 thẻ về."
    assert events(station, "card_ready") == 1

    # a parcel without a scanner: tick the cards in the list of those expected
    with qtbot.waitSignal(d.expected_loaded, timeout=10_000) as loaded:
        d.tabs.setCurrentIndex(1)
    assert {c.enrollment_uuid for c in loaded.args[0]} == {u for u, _s, _p in approved[1:4]}
    assert not d.record_button.isEnabled()
    qtbot.keyClicks(d.filter, slip2.lower())  # found in a long list by its number
    shown = [c for r, c in enumerate(d.expected) if not d.table.isRowHidden(r)]
    assert [c.enrollment_uuid for c in shown] == [u2]
    d.all_button.click()  # "all" is what is shown
    assert d.record_button.isEnabled() and "đã chọn: 1" in d.list_status.text()
    with qtbot.waitSignal(d.expected_loaded, timeout=10_000) as again:
        d.record_button.click()
    assert len(again.args[0]) == 2 and u2 not in {c.enrollment_uuid for c in again.args[0]}
    assert d.list_status.text().startswith("Đã ghi nhận 1 thẻ về.")
    assert d.results.item(0).text().startswith(f"✓ {slip2} ")
    assert events(station, "card_ready") == 2

    # the two cards wait, by village, with phone numbers; the filter chooses the rows
    with station.Session.begin() as s:
        s.execute(update(Resident).where(Resident.personal_id == pid1).values(
            village="Bản Mới"))  # fmt: skip
    w = WaitingDialog(duc)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.shown, timeout=10_000) as shown:
        w.show()
    waiting = duc.cards_waiting()
    assert [c.slip_no for c in shown.args[0]] == [c.slip_no for c in waiting]
    assert len(waiting) == 2 and w.table.rowCount() == 2
    assert {w.table.item(r, 3).text() for r in range(2)} == {c.phone or "" for c in waiting}
    assert w.village.count() == 3 and w.village.findData("Bản Mới") > 0
    with qtbot.waitSignal(w.shown, timeout=10_000) as one:
        w.village.setCurrentIndex(w.village.findData("Bản Mới"))
    assert [c.slip_no for c in one.args[0]] == [slip1] and w.table.rowCount() == 1
    assert w.summary.text() == "1 thẻ chờ trả (trong tổng số 2)"
    assert not w.handover_button.isEnabled()
    w.table.selectRow(0)
    assert w.handover_button.isEnabled() and w.notice_button.isEnabled()


def test_the_handover_shows_the_portrait_records_a_home_delivery_and_refuses_a_second(
    qtbot: Any, station: StationDB, duc: StationService, approved: list[tuple[str, str, str]]
) -> None:
    (_u1, slip1, pid1), (_u2, slip2, _p2), _third, (_u4, slip4, _p4), _fifth = approved
    duc.cards_arrived([slip1, slip4])
    d = HandoverDialog(duc)
    qtbot.addWidget(d)
    d.show()
    with qtbot.waitSignal(d.shown_card, timeout=10_000) as shown:
        scan(qtbot, d.box, garbled_qr(pid1))
    info = shown.args[0]
    pixmap = d.portrait.pixmap()
    assert not pixmap.isNull() and max(pixmap.width(), pixmap.height()) >= 300
    assert (d.name.text(), d.fields["pid"].text(), d.fields["slip"].text()) == (
        info.full_name, pid1, slip1)
    assert d.fields["arrived"].text() and d.box.text() == ""
    assert d.confirm.isEnabled() and not d.confirm.isDefault()  # Enter never hands a card out

    home = next(b for b in d.places.buttons() if b.property("code") == "home")
    home.click()
    assert d.where.isVisible() and not d.receipt.isVisible()
    assert not d.confirm.isEnabled()  # where, first
    d.where.setText("Nhà ông Vàng A Dế, bản Nà Hỳ 2")  # typed by hand (QTest types ASCII only)
    with qtbot.waitSignal(d.delivered, timeout=10_000) as done:
        d.confirm.click()
    out = done.args[0]
    assert (out.delivered_place, out.delivered_note) == ("home", "Nhà ông Vàng A Dế, bản Nà Hỳ 2")
    assert "Đã trả thẻ cho" in d.message.text() and d.name.text() == ""  # ready for the next
    assert d.portrait.pixmap().isNull() and d.where.text() == ""

    # the same card again: refused in words, nothing recorded
    with qtbot.waitSignal(d.refused, timeout=10_000) as refused:
        scan(qtbot, d.box, slip1)
    assert "Thẻ này đã được trả ngày" in refused.args[0] and "Tại nhà" in refused.args[0]
    assert "sổ trả thẻ" in d.message.text() and not d.confirm.isEnabled()
    d.hand_over()  # even asked, nothing happens
    assert events(station, "delivered") == 1

    # another desk hands the card over while it is on screen: the core refuses, said inline
    other = HandoverDialog(duc, ref=slip4)
    qtbot.addWidget(other)
    qtbot.waitUntil(lambda: other.info is not None, timeout=10_000)
    duc.deliver_card(slip4, "hq")
    with qtbot.waitSignal(other.refused, timeout=10_000) as late:
        other.confirm.click()
    assert "đã được trả ngày" in late.args[0] and not other.confirm.isEnabled()
    assert events(station, "delivered") == 2

    # a card in hand that was never recorded as arrived: recorded from here
    with qtbot.waitSignal(d.shown_card, timeout=10_000):
        scan(qtbot, d.box, slip2)
    assert "chưa về" in d.message.text() and d.arrive_button.isVisible()
    with qtbot.waitSignal(d.shown_card, timeout=10_000) as now:
        d.arrive_button.click()
    assert now.args[0].status == "card_ready"
    assert d.place() == "home" and not d.confirm.isEnabled()  # the last way kept, its place not



def test_a_delivery_visit_offers_the_handover_and_no_enrollment(
    qtbot: Any, station: StationDB, staff_actors: dict[str, Actor]
) -> None:
    from db.types import VisitInfo
    from gui.visit_outcome import VisitOutcomeDialog

    make_app()
    service = StationService(station, staff_actors["duc"])

    def offered(mode: str) -> list[str]:
        visit = VisitInfo(uuid="v", resident_uuid="r", day=None, team=None, team_name="",
                          mode=mode, reason="bedridden", note=None, full_name="Vàng A Dế",
                          birth_date=None, birth_year=1940, sex="M", village="Nà Hỳ 2",
                          household_no=None, phone=None, resident_note=None)  # fmt: skip
        dialog = VisitOutcomeDialog(service, visit)
        qtbot.addWidget(dialog)
        return [dialog.outcome.itemData(i) for i in range(1, dialog.outcome.count())]

    deliver, home = offered("deliver"), offered("home")
    assert "card_delivered" in deliver and "enrolled_home" not in deliver
    assert "enrolled_home" in home and "card_delivered" not in home


def test_a_card_of_an_enrollment_sent_back_says_so() -> None:
    from db.types import CardInfo, CardOutcome
    from gui.card_arrival import outcome_line

    def line(status: str) -> str:
        card = CardInfo(enrollment_uuid="e", slip_no="NH-2026-000009", resident_id=1,
                        full_name="Lò Thị Mai", birth_date=None, birth_year=1990,
                        personal_id=None, village="Nà Hỳ 1", phone=None, status=status,
                        enrolled_place="hq", arrived_at=None)  # fmt: skip
        return outcome_line(CardOutcome("NH-2026-000009", "not_approved", card))[0]

    assert "trả lại cán bộ" in line("returned")
    assert "chưa được duyệt" in line("submitted") and "trả lại" not in line("submitted")

"""Trạm → Đồng bộ…: a whole trip through the dialog between a real headquarters and a real
laptop (work packet out, enrollments back, the receipt written beside the bundle and applied),
a refused file said in Vietnamese, the freshness line on both desks with the warning at sign-in,
and the supervisor resolving the case the merge left."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db import accounts
from db.actor import Actor
from db.demo.synth import rows_for_import
from db.models import Resident
from db.register.importer import import_rows
from db.service import StationService
from db.station import StationDB, create_station
from db.sync import pairing
from db.sync.identity import identity_file
from db.sync.refusal import Refused
from db.vntime import now_utc
from gui import sync_dialog
from gui.app import make_app
from gui.main_window import MainWindow
from gui.removable import Drive
from gui.review import DayReviewDialog
from gui.sync_dialog import SyncDialog
from resources.problems import describe
from tests.conftest import TEST_PASSWORD
from tests.db.enrollment_fixtures import received


@dataclass
class Trip:
    hq: StationDB
    laptop: StationDB
    hq_admin: StationService
    supervisor: StationService
    laptop_admin: StationService
    usb: Path


@pytest.fixture
def trip(register: StationDB, actors: dict[str, Actor], tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Trip]:  # fmt: skip
    laptop, _key = create_station(tmp_path / "laptop", name="Tổ lưu động 1", commune="Nà Hỳ",
                                  kind="mobile", slip_series="L1")  # fmt: skip
    admin = accounts.create_first_admin(laptop, "admin", "Lò Văn Lả", TEST_PASSWORD)
    pairing.pair(register, identity_file(laptop), actor=actors["admin"])
    pairing.pair(laptop, identity_file(register), actor=admin)
    usb = tmp_path / "USB CONG AN"
    usb.mkdir()
    monkeypatch.setattr(sync_dialog, "removable_drives", lambda: [Drive("USB CONG AN", usb)])
    make_app()
    yield Trip(register, laptop, StationService(register, actors["admin"]),
               StationService(register, actors["supervisor"]), StationService(laptop, admin), usb)
    laptop.close()


def dialog(qtbot: Any, service: StationService) -> SyncDialog:
    d = SyncDialog(service)
    qtbot.addWidget(d)
    d.show()
    return d


def done(qtbot: Any, d: SyncDialog) -> str:
    qtbot.waitUntil(lambda: not d.busy, timeout=30000)
    return d.summary.text()


def import_from(qtbot: Any, d: SyncDialog, path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    starts: list[Path | None] = []

    def chooser(parent: Any, caption: str, start: Path | None) -> str:
        starts.append(start)
        return str(path)

    monkeypatch.setattr(sync_dialog, "open_bundle", chooser)
    d.choose_import()
    assert starts == [d.drive().path if d.drive() else None]  # opened on the drive
    return done(qtbot, d)


def one(folder: Path, prefix: str) -> Path:
    [found] = sorted(folder.glob(f"{prefix}*.esb"))
    return found


def same_resident(laptop: StationDB, hq: StationDB, resident_id: int) -> int:
    with hq.Session() as s:
        uuid = s.scalar(select(Resident.uuid).where(Resident.id == resident_id))
    with laptop.Session() as s:
        rid = s.scalar(select(Resident.id).where(Resident.uuid == uuid))
    assert rid is not None
    return rid


def test_a_whole_trip_through_the_dialog(qtbot: Any, trip: Trip,
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    hq = dialog(qtbot, trip.hq_admin)
    assert hq.export_button.text() == "Xuất gói công việc"
    assert hq.laptop_choice.currentText() == "Tổ lưu động 1: chưa nhận gói nào"
    hq.export()
    said = done(qtbot, hq)
    packet = one(trip.usb, "goi-cong-viec-L1-")
    assert said.startswith("Đã ghi gói công việc cho Tổ lưu động 1") and str(packet) in said

    lap = dialog(qtbot, trip.laptop_admin)
    assert lap.import_button.text() == "Nhập gói công việc / giấy xác nhận…"
    said = import_from(qtbot, lap, packet, monkeypatch)
    assert "Tổ lưu động 1" not in said and "nhân khẩu" in said
    with trip.hq.Session() as s:
        ids = list(s.scalars(select(Resident.id).order_by(Resident.id)))[:2]
    received(trip.hq, ids[0], now_utc())  # the same person at headquarters and in the field
    for rid in ids:
        received(trip.laptop, same_resident(trip.laptop, trip.hq, rid), now_utc())
    lap.refresh()
    assert lap.state.text() == "chưa gửi về trụ sở: 2 hồ sơ; lần nhận xác nhận cuối: hôm nay"
    lap.export()
    said = done(qtbot, lap)
    bundle = one(trip.usb, "goi-gui-ve-L1-")
    assert said.startswith("Đã ghi gói gửi về") and "2 hồ sơ" in said

    said = import_from(qtbot, hq, bundle, monkeypatch)
    assert said == "Đã nhận 2 hồ sơ của Tổ lưu động 1; 1 trường hợp cần lãnh đạo xem."
    receipt = one(trip.usb, "xac-nhan-L1-")  # beside the bundle, on the same drive
    assert "mang về máy lưu động" in hq.detail.text() and str(receipt) in hq.detail.text()
    assert "hôm nay" in hq.laptop_choice.currentText()

    said = import_from(qtbot, lap, receipt, monkeypatch)
    assert "2 hồ sơ" in said
    assert lap.state.text() == "chưa gửi về trụ sở: 0 hồ sơ; lần nhận xác nhận cuối: hôm nay"

    # the supervisor's day review: the case the merge left, resolved with a note
    review = DayReviewDialog(trip.supervisor)
    qtbot.addWidget(review)
    review.show()
    box = review.sync_cases
    assert box.isVisible() and box.list.count() == 1
    assert "Một người được thu nhận hai lần" in box.list.item(0).text()
    assert "được thu nhận ở hai trạm" in box.text.text() and "Tổ lưu động 1" in box.text.text()
    box.resolve()
    assert box.said.text() == "Ghi rõ đã quyết định thế nào về trường hợp này."
    assert trip.supervisor.sync_cases()  # no note: still open
    box.note.setText("Cùng một hồ sơ: giữ hồ sơ của trụ sở")
    box.resolve()
    assert box.list.count() == 0 and not trip.supervisor.sync_cases()
    assert "Đã đánh dấu xử lý xong" in box.said.text()


def test_a_cut_file_is_refused_in_vietnamese(qtbot: Any, trip: Trip,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    lap = dialog(qtbot, trip.laptop_admin)
    lap.export()
    done(qtbot, lap)
    bundle = one(trip.usb, "goi-gui-ve-L1-")
    cut = trip.usb / "goi-bi-cat.esb"
    data = bundle.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    hq = dialog(qtbot, trip.hq_admin)
    said = import_from(qtbot, hq, cut, monkeypatch)
    assert said == "Chưa thực hiện được."
    assert hq.detail.text() == describe(Refused.because("truncated"))
    assert "Traceback" not in hq.detail.text() and not list(trip.usb.glob("xac-nhan-*"))
    assert hq.export_button.isEnabled() and hq.import_button.isEnabled()


def test_the_desks_show_freshness_and_a_stale_laptop_warns_once(
    qtbot: Any, trip: Trip, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda _parent, _title, text, *a: said.append(text)))  # fmt: skip
    import_rows(trip.laptop, rows_for_import(3), file_name="so-ho-khau")  # no packet: no receipt
    with trip.laptop.Session() as s:
        rid = s.scalars(select(Resident.id).order_by(Resident.id)).first()
    assert rid is not None
    received(trip.laptop, rid, now_utc() - timedelta(days=10))
    w = MainWindow(trip.laptop_admin)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said == ["1 hồ sơ trên máy này đã 10 ngày chưa gửi về trụ sở. Hãy mang máy về trụ "
                    "sở để gửi hồ sơ (Trạm → Đồng bộ)."]  # fmt: skip
    assert w.desk.freshness.text() == "chưa gửi về trụ sở: 1 hồ sơ; chưa nhận xác nhận lần nào"
    assert w.sync_action.isVisible() and w.sync_action.text() == "Đồng &bộ…"
    with qtbot.waitSignal(w.desk.freshness_read, timeout=30000):
        w.desk.refresh()
    assert len(said) == 1  # once per sign-in
    home = MainWindow(trip.hq_admin)
    qtbot.addWidget(home)
    qtbot.waitUntil(lambda: home.desk.freshness.isVisibleTo(home), timeout=30000)
    assert home.desk.freshness.text() == "Tổ lưu động 1: chưa nhận gói nào"


def test_headquarters_sends_its_bundle_to_the_district_hub(
    qtbot: Any, trip: Trip, hub_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    from tests.db.hub_fixtures import make_hub

    hub = make_hub(hub_url, tmp_path)
    try:
        pairing.pair(hub.db, identity_file(trip.hq), actor=hub.admin)
        trip.hq_admin.pair_station(identity_file(hub.db))
        with trip.hq.Session() as s:
            first = s.scalars(select(Resident.id).order_by(Resident.id)).first()
        received(trip.hq, int(first or 0), now_utc())
        d = dialog(qtbot, trip.hq_admin)
        assert d.hub_button.isVisible() and d.hub_button.text() == "Xuất gói gửi máy chủ huyện"
        d.export_for_hub()
        said = done(qtbot, d)
        bundle = one(trip.usb, "goi-gui-huyen-")
        assert "Công an huyện Nậm Pồ" in said and "1 hồ sơ" in said
        assert hub.take(bundle).counts["enrollment_added"] == 1
        said = import_from(qtbot, d, hub.receipt_for_path(trip.hq, trip.usb), monkeypatch)
        assert said == ("Đã áp dụng giấy xác nhận của Công an huyện Nậm Pồ: máy chủ huyện đã "
                        "nhận thêm 1 hồ sơ.")
    finally:
        hub.db.close()

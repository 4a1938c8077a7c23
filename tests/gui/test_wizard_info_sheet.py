"""The information sheet from the review step (issue 17, offscreen): Ctrl+I or the button
builds it off the UI thread on the paper chosen, the audited preview shows it, and both the
print and a save as PDF are in the trail. A wizard of the review step alone keeps it cheap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db import audit
from db.actor import SYSTEM, Actor
from db.corrections import details_record, register_values
from db.models import Resident
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.wizard.context import WizardContext
from gui.wizard.review import ReviewStep
from gui.wizard.wizard import EnrollmentWizard
from tests.gui.fakes import FakeCamera
from tests.printing.pdfcheck import page_size_mm, pdf_text

XIENG = "011076433758"  # Quàng Văn Xiêng in the sample register


def test_ctrl_i_prints_the_sheet_on_the_paper_chosen_and_the_save_is_audited(
    qtbot: Any, register: StationDB, actor: Actor, camera: FakeCamera, no_dialogs: list[str],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    make_app()
    service = StationService(register, actor)
    with register.Session() as s:
        rid = s.scalar(select(Resident.id).where(Resident.personal_id == XIENG))
    assert rid is not None
    uuid = service.start_enrollment(rid).uuid
    original = register_values(service.resident(rid))
    service.save_step(uuid, "details",
                      details_record(original, {**original, "phone": "0912345678"}))
    ctx = WizardContext(service_of=lambda: service, camera_factory=camera.factory)
    wizard = EnrollmentWizard(ctx, [ReviewStep])
    qtbot.addWidget(wizard)
    wizard.start(service.enrollment(uuid))
    wizard.show()
    wizard.activateWindow()
    qtbot.waitExposed(wizard)
    step = wizard.current
    assert isinstance(step, ReviewStep)
    qtbot.waitUntil(lambda: step.form.rowCount() > 5, timeout=5000)
    assert step.sheet_button.text() == "In phiếu thu nhận thông tin… (Ctrl+I)"
    step.paper.setCurrentIndex(step.paper.findData("a4"))

    qtbot.keyClick(wizard, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: step.sheet_preview is not None, timeout=10000)
    preview = step.sheet_preview
    assert preview is not None and preview.isVisible()
    assert preview.windowTitle() == "Phiếu thu nhận thông tin căn cước"
    assert preview.document.pageCount() == 1
    assert page_size_mm(preview.pdf) == pytest.approx((210, 297), abs=0.5)
    text = pdf_text(preview.pdf)
    assert "Quàng Văn Xiêng" in text and "Đã sửa (dữ liệu cũ: 0904785235)" in text
    assert step.sheet_button.isEnabled() and wizard.index == 0  # nothing was submitted

    monkeypatch.setattr("gui.print_preview.save_file_name",
                        lambda *a, **k: str(tmp_path / "phieu"))  # fmt: skip
    with qtbot.waitSignal(preview.saved, timeout=3000):
        preview.save_pdf()

    def trail() -> list[tuple[str, str | None, str | None]]:
        return [(e.action, e.entity_id, e.details) for e in audit.show(register, SYSTEM)]

    qtbot.waitUntil(lambda: any(a == "pdf.save" for a, _i, _d in trail()), timeout=3000)
    assert ("info_sheet.print", uuid, "paper A4") in trail()
    assert ("pdf.save", uuid, None) in trail()
    assert (tmp_path / "phieu.pdf").read_bytes() == preview.pdf
    assert not no_dialogs
    wizard.close()

"""Every dialog the app can open speaks the officer's language — Qt's own buttons and file dialog
included — and fits a 1366×768 screen (its size hint within 1366×740, the rest is the taskbar).

``REGISTRY`` lists the dialogs, one opener each. An opener opens its dialog the way the app does
(the app's own method where there is one); Qt's blocking calls (``QMessageBox.question`` and
friends, ``QFileDialog.get…FileName``, ``QInputDialog.getText``, ``exec()``) are replaced by the
same dialog shown without blocking, so what is read is what the officer would see. A new dialog
is one more line: ``Opener("tally", lambda d: d.show(TallyDialog(d.supervisor, d.window)))``.

In Vietnamese no text may contain one of Qt's English defaults (``QT_ENGLISH``); in English no
window title or button may be blank, and none of our Vietnamese for Qt may be left over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QTabBar,
    QWidget,
)

from db.actor import Actor
from db.errors import PassphraseRequired, PermissionDenied
from db.service import StationService
from db.station import StationDB
from db.types import ResidentDetail, VisitInfo
from gui.app import make_app
from gui.main_window import MainWindow
from resources import i18n
from resources.i18n import _

SCREEN = (1366, 740)  # 1366×768 less the taskbar
#: Dialogs known to open larger than the screen, each with who fixes it (remove once fixed).
KNOWN_TOO_BIG: dict[str, str] = {}

#: Qt's English defaults: buttons, the file dialog, message boxes, context menus, print dialog.
QT_ENGLISH = (
    "OK", "Cancel", "Save", "Save All", "Close", "Yes", "No", "Yes to All", "No to All", "Open",
    "Discard", "Apply", "Help", "Reset", "Restore Defaults", "Abort", "Retry", "Ignore",
    "Show Details", "Hide Details", "Look in", "File name", "Files of type", "Directory",
    "Back", "Forward", "Parent Directory", "Detail View", "List View", "New Folder",
    "Create New Folder", "Go back", "Go forward", "Sidebar", "Recent Places", "All Files",
    "All files", "Name", "Size", "Type", "Date Modified", "Computer", "Folder", "Drive",
    "Delete", "Rename", "Show hidden files", "Undo", "Redo", "Cut", "Copy", "Paste",
    "Select All", "Enter a value", "Print", "Printer", "Properties", "Options", "Copies",
    "Collate", "Print range", "Print all", "Pages from", "Current Page", "Output Settings",
    "Color Mode", "Grayscale", "Double Sided Printing", "Location", "Preview", "Output file",
    "Print to File", "Scroll Left", "Scroll Right",
)  # fmt: skip
_ENGLISH = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, QT_ENGLISH)) + r")(?!\w)")
#: Widgets whose items are the user's files and folders, not words of the program.
FILE_LISTS = {"lookInCombo", "sidebar", "listView", "treeView"}


# --- the desk the dialogs open on --------------------------------------------------------------


@dataclass
class Desk:
    """A signed-in station, its main window (the administrator's: every menu) and what opened."""

    qtbot: Any
    db: StationDB
    officer: StationService
    supervisor: StationService
    admin: StationService
    window: MainWindow
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    opened: list[QWidget] = field(default_factory=list)

    def show(self, dialog: QWidget) -> None:
        dialog.show()
        self.opened.append(dialog)

    def pdf(self) -> bytes:
        from printing import SlipData, Station, build_slip

        station = Station(agency_name="Công an xã Nà Hỳ", station_name="Trạm thu nhận trụ sở",
                          commune="xã Nà Hỳ", province="tỉnh Điện Biên")  # fmt: skip
        return build_slip(SlipData(
            station=station, enrollment_id="0b9f0a8e-4c1e-4f57-9f5e-1c2d3e4f5a6b",
            slip_no="NH-2026-000123", full_name="Nguyễn Thị Thử", personal_id="011190012345",
            birth_date=date(1950, 3, 12), received_at=datetime(2026, 3, 12, 1, 5, tzinfo=UTC),
            return_date=date(2026, 3, 23), officer_name="Lò Văn Đức",
            return_place="Trụ sở Công an xã Nà Hỳ",
        ))  # fmt: skip

    def preview(self) -> Any:
        from gui.print_preview import PrintPreviewDialog

        preview = PrintPreviewDialog(self.pdf(), _("Appointment slip"), "giay-hen.pdf", self.window)
        self.qtbot.addWidget(preview)
        return preview


def _nonmodal(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's blocking calls show the same dialog without blocking, and answer "cancel" (file
    dialogs are ours, gui/file_dialogs.py: their exec() is replaced like any dialog's)."""

    def box(icon: QMessageBox.Icon, buttons: QMessageBox.StandardButton) -> Any:
        def show(parent: Any, title: str, text: str, chosen: Any = buttons, default: Any = None):
            dialog = QMessageBox(icon, title, text, chosen, parent)
            if default is not None:
                dialog.setDefaultButton(default)
            desk.show(dialog)
            return QMessageBox.StandardButton.NoButton

        return staticmethod(show)

    sb, icon = QMessageBox.StandardButton, QMessageBox.Icon
    monkeypatch.setattr(QMessageBox, "question", box(icon.Question, sb.Yes | sb.No))
    monkeypatch.setattr(QMessageBox, "information", box(icon.Information, sb.Ok))
    monkeypatch.setattr(QMessageBox, "warning", box(icon.Warning, sb.Ok))
    monkeypatch.setattr(QMessageBox, "critical", box(icon.Critical, sb.Ok))

    def get_text(parent: Any, title: str, label: str, echo: Any = QLineEdit.EchoMode.Normal,
                 *_a: Any, **_k: Any) -> tuple[str, bool]:  # fmt: skip
        dialog = QInputDialog(parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextEchoMode(echo)
        desk.show(dialog)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))

    def exec_(self: QDialog) -> int:
        desk.show(self)
        return 0

    for cls in (QDialog, QMessageBox, QFileDialog, QInputDialog, QProgressDialog, QPrintDialog):
        monkeypatch.setattr(cls, "exec", exec_)


@pytest.fixture
def desk_maker(
    qtbot: Any, register: StationDB, actors: dict[str, Actor],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> Iterator[Callable[[str], Desk]]:  # fmt: skip
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("ENROLLMENT_STATION_PASSPHRASE", raising=False)
    made: list[Desk] = []

    def make(lang: str) -> Desk:
        i18n.set_language(lang)
        make_app()
        # `actors` are accounts of `station`, the database `register` filled
        services = {r: StationService(register, a) for r, a in actors.items()}
        window = MainWindow(services["admin"])
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        desk = Desk(qtbot, register, services["officer"], services["supervisor"],
                    services["admin"], window, tmp_path, monkeypatch)  # fmt: skip
        _nonmodal(desk, monkeypatch)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        for w in desk.opened:
            if shiboken6.isValid(w):  # file dialogs delete themselves once closed
                w.close()
        desk.window.close()


# --- the dialogs -------------------------------------------------------------------------------


def _error(d: Desk) -> None:
    from gui.errors import show_error

    show_error(d.window, PermissionDenied())


def _photo_file(d: Desk) -> None:
    # the portrait step's "load a photo" (gui/wizard/portrait.py PortraitStep.load_file)
    from gui.file_dialogs import open_file_name

    open_file_name(d.window, _("Load a portrait photo"), _("Photos (*.jpg *.jpeg *.png)"))


def _no_printer(d: Desk) -> None:
    d.monkeypatch.setattr("gui.print_preview.printers_available", lambda: False)
    d.preview().print_document()


def _print_dialog(d: Desk) -> None:
    from PySide6.QtWidgets import QPushButton

    d.preview().choose_printer()
    dialog = d.opened[-1]
    more = [b for b in dialog.findChildren(QPushButton) if ">>" in b.text()]
    for button in more:  # the options too (copies, pages, colour, both sides)
        button.click()


def _recovery_sheet(d: Desk) -> None:
    from gui.first_run import print_recovery_sheet

    print_recovery_sheet(d.admin, d.pdf())


def _passphrase(d: Desk) -> None:
    from gui.passphrase import passphrase_dialog

    with pytest.raises(PassphraseRequired):  # the dialog answered "cancel"
        passphrase_dialog(False)


def _override(d: Desk) -> None:
    from capture.quality import assess
    from gui.wizard.override import OverrideDialog
    from tests.gui.fakes import no_face

    d.show(OverrideDialog(assess(no_face()), d.window))


def _import_report(d: Desk) -> None:
    from resources import path as resource_path

    lines = resource_path("sample_register.csv").read_text("utf-8-sig").splitlines()
    bad = d.tmp / "so-ho-khau.csv"
    bad.write_text("\n".join([lines[0], lines[1], "Không Ngày Sinh,31/02/1990,Nam"]), "utf-8")
    d.window.import_file(bad)  # the report comes when the import is done (off the UI thread)


@dataclass(frozen=True)
class Opener:
    """A dialog of the app and how to open it: every widget it shows is added to ``Desk.opened``
    (through ``Desk.show`` or the replaced blocking calls)."""

    name: str
    open: Callable[[Desk], object]


REGISTRY: tuple[Opener, ...] = (
    Opener("discard-confirmation", lambda d: d.window.discard_enrollment("0" * 32)),
    Opener("language-info", lambda d: d.window.choose_language(i18n.language())),
    Opener("about", lambda d: d.window.open_about()),
    Opener("error", _error),
    Opener("register-import-file", lambda d: d.window.choose_register_file()),
    Opener("import-report", _import_report),
    Opener("portrait-photo-file", _photo_file),
    Opener("print-preview-reprint", lambda d: d.show(d.preview())),
    Opener("save-pdf-file", lambda d: d.preview().save_pdf()),
    Opener("no-printer", _no_printer),
    Opener("print-dialog", _print_dialog),
    Opener("recovery-sheet", _recovery_sheet),
    Opener("sign-in", lambda d: d.show(_signin(d, demo=False))),
    Opener("sign-in-demo", lambda d: d.show(_signin(d, demo=True))),
    Opener("change-password", lambda d: d.show(_change_password(d))),
    Opener("first-run", lambda d: d.show(_first_run(station=True))),
    Opener("first-administrator", lambda d: d.show(_first_run(station=False))),
    Opener("passphrase", _passphrase),
    Opener("override", _override),
    Opener("day-review", lambda d: d.show(_review(d))),
    Opener("audit-trail", lambda d: d.show(_audit(d))),
    Opener("tally", lambda d: d.show(_tally(d))),
    Opener("coverage", lambda d: d.show(_coverage(d))),
    Opener("visits", lambda d: d.show(_visits(d))),
    Opener("visit-outcome", lambda d: d.show(_visit_outcome(d))),
    Opener("visit-flag", lambda d: d.show(_visit_flag(d))),
    Opener("register-quality", lambda d: d.show(_quality(d))),
    Opener("register-quality-fix", lambda d: d.show(_quality_fix(d))),
    Opener("coverage-list", lambda d: d.show(_coverage_list(d))),
    Opener("renewals", lambda d: d.show(_renewals(d))),
    Opener("officers", lambda d: d.show(_officers(d))),
    Opener("add-officer", lambda d: d.show(_add_officer(d))),
    Opener("reset-password", lambda d: d.show(_reset_password(d))),
    Opener("open-enrollment", lambda d: d.show(_open_enrollment(d))),
    Opener("redo-reason", lambda d: d.show(_redo_reason(d))),
    Opener("same-person", lambda d: d.show(_same_person(d))),
    Opener("finger-condition", lambda d: d.show(_finger_condition(d))),
    Opener("scanner-settings", lambda d: d.show(_scanner_settings(d))),
    Opener("scanner-folder", lambda d: _scanner_folder(d)),
    Opener("pairing", lambda d: d.show(_pairing(d))),
    Opener("confirm-pairing", lambda d: d.show(_confirm_pairing(d))),
    Opener("sync-hq", lambda d: d.show(_sync(d))),
    Opener("sync-laptop", lambda d: d.show(_sync_laptop(d))),
    Opener("sync-refused", lambda d: d.show(_sync_refused(d))),
    Opener("sync-file", lambda d: _sync_file(d)),
    Opener("sync-stale-warning", lambda d: _sync_stale(d)),
    Opener("card-arrival", lambda d: d.show(_card_arrival(d, tab=0))),
    Opener("card-arrival-list", lambda d: d.show(_card_arrival(d, tab=1))),
    Opener("card-handover", lambda d: d.show(_card_handover(d))),
    Opener("cards-waiting", lambda d: d.show(_cards_waiting(d))),
    Opener("card-scan", lambda d: d.show(_card_scan(d))),
    Opener("backup", lambda d: d.show(_backup(d, done=False))),
    Opener("backup-done", lambda d: d.show(_backup(d, done=True))),
    Opener("backup-folder", lambda d: _backup(d, done=False).choose_other()),
    Opener("restore-file", lambda d: _restore_file(d)),
    Opener("restore-confirm", lambda d: d.show(_restore_confirm(d, mobile=False))),
    Opener("restore-confirm-laptop", lambda d: d.show(_restore_confirm(d, mobile=True))),
    Opener("recovery-key", lambda d: d.show(_recovery_key(d))),
    Opener("restore-offer", lambda d: _restore_offer(d)),
    Opener("restore-offer-passphrase", lambda d: _restore_offer(d, wrong=True)),
    Opener("new-passphrase", lambda d: d.show(_new_passphrase(d))),
)


def _backup(d: Desk, *, done: bool) -> Any:
    """The backup dialog; ``done``: as it ends, after a real backup of the desk's station."""
    from db.types import BackupReport
    from gui.backup_dialog import BackupDialog

    dialog = BackupDialog(d.admin, d.window)
    if done:
        counts = {"resident": 3000, "enrollment": 120, "officer": 5, "audit_event": 4321}
        dialog._done(BackupReport(d.tmp / "saoluu-NH-20261202-170500.esbak", 123_456_789,
                                  counts, datetime.now(UTC), 12.5))  # fmt: skip
    return dialog


def _backup_info(d: Desk, kind: str = "hq") -> Any:
    from db.types import BackupInfo

    counts = {"resident": 3000, "enrollment": 120, "officer": 5, "audit_event": 4321}
    return BackupInfo(d.tmp / "saoluu-NH-20261202-170500.esbak", d.db.station_id,
                      "Công an xã Nà Hỳ", "Nà Hỳ", kind, False, datetime.now(UTC), "0.1.0",
                      counts, 123_456_789, "keyring")  # fmt: skip


def _restore_file(d: Desk) -> None:
    from gui.restore_flow import choose_backup

    choose_backup(d.window)


def _restore_confirm(d: Desk, *, mobile: bool) -> QWidget:
    from gui.restore_flow import RestoreDialog

    return RestoreDialog(_backup_info(d, "mobile" if mobile else "hq"), True, d.window)


def _recovery_key(d: Desk) -> QWidget:
    """After a typing mistake: the check group does not match."""
    from gui.restore_flow import RecoveryKeyDialog

    dialog = RecoveryKeyDialog(d.window, _("The key of this backup is not on this computer. "
                                           "Restore it with the key from the recovery sheet "
                                           "kept in the safe."))  # fmt: skip
    dialog.key.setText("ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567 ABCD EFGH IJKL MNOP QRST UVWX")
    dialog.check()
    return dialog


def _restore_offer(d: Desk, *, wrong: bool = False) -> None:
    from db.errors import KeyMissing, WrongKey
    from gui.app import offer_restore

    offer_restore(WrongKey() if wrong else KeyMissing())


def _new_passphrase(d: Desk) -> QWidget:
    from gui.restore_flow import NewPassphraseDialog

    dialog = NewPassphraseDialog(d.window, _("This computer keeps the key in a file protected "
                                             "by a passphrase. Choose the station passphrase:"))
    dialog.first.setText("ngắn")
    dialog.check()  # the rule, said exactly
    return dialog


def _card_arrival(d: Desk, tab: int) -> QWidget:
    from gui.card_arrival import ArrivalDialog

    dialog = ArrivalDialog(d.officer, d.window)
    dialog.tabs.setCurrentIndex(tab)
    return dialog


def _card_handover(d: Desk) -> QWidget:
    """With a refusal in it (no such card), as after a wrong number."""
    from gui.card_handover import HandoverDialog

    return HandoverDialog(d.officer, d.window, ref="NH-2026-999999")


def _cards_waiting(d: Desk) -> QWidget:
    from gui.cards_dialog import WaitingDialog

    return WaitingDialog(d.officer, d.window)


def _card_scan(d: Desk) -> QWidget:
    # the lookup's "Quét thẻ": the camera shows the desk, no card yet (the guidance line)
    from gui.card_scan import CardScanDialog
    from tests.capture.card_images import frame
    from tests.gui.fakes import FakeCamera

    return CardScanDialog(FakeCamera([frame("no_card")]).factory, d.window)


def _sync(d: Desk) -> QWidget:
    from gui.sync_dialog import SyncDialog

    return SyncDialog(d.admin, d.window)


def _sync_laptop(d: Desk) -> QWidget:
    import weakref

    from db import accounts
    from db.station import create_station
    from gui.sync_dialog import SyncDialog
    from tests.conftest import TEST_PASSWORD

    laptop, _key = create_station(d.tmp / f"laptop-{i18n.language()}", name="Tổ lưu động 1",
                                  commune="Nà Hỳ", kind="mobile", slip_series="L1")  # fmt: skip
    admin = accounts.create_first_admin(laptop, "admin", "Lò Văn Lả", TEST_PASSWORD)
    dialog = SyncDialog(StationService(laptop, admin), d.window)
    weakref.finalize(dialog, laptop.close)
    return dialog


def _sync_refused(d: Desk) -> QWidget:
    """The dialog after a refused file (the sentence of the refusal in it)."""
    from db.sync.refusal import Refused

    dialog = _sync(d)
    dialog._failed(Refused("truncated"))  # type: ignore[attr-defined]
    return dialog


def _sync_file(d: Desk) -> None:
    # no removable drive mounted: the file chooser starts in the documents folder
    from gui.sync_dialog import open_bundle

    open_bundle(d.window, _("The bundle of a mobile laptop"), None)


def _sync_stale(d: Desk) -> None:
    """The warning at sign-in of a laptop whose work has waited too long."""
    from db.types import SyncState

    d.window.desk.sync_state = SyncState("laptop", "mobile", False, 12, 40, None, None, 7, 9)
    d.window._stale_pending = True
    d.window._warn_stale()


def _finger_condition(d: Desk) -> QWidget:
    from gui.wizard.finger_condition import FingerConditionDialog

    return FingerConditionDialog([7, 8, 9, 10], ticked=[8], tried=[8], parent=d.window)


def _scanner_settings(d: Desk) -> QWidget:
    from gui.scanner_settings import ScannerSettingsDialog

    return ScannerSettingsDialog(d.supervisor, d.window)


def _scanner_folder(d: Desk) -> None:
    # the fingerprint step's F8 (gui/wizard/fingerprints.py FingerprintStep.use_folder)
    from gui.file_dialogs import choose_folder

    choose_folder(d.window, _("The folder where the scanner saves its images"))


def _pairing(d: Desk) -> QWidget:
    from gui.pairing_dialog import PairingDialog

    return PairingDialog(d.admin, d.window)


def _confirm_pairing(d: Desk) -> QWidget:
    from gui.pairing_dialog import ConfirmPairing

    return ConfirmPairing("Tổ lưu động 1", "mobile", "Mường Chà", "MC",
                          "1234 5678 9012 3456 7890 1234", d.window)


def _coverage(d: Desk) -> QWidget:
    from gui.coverage_dialog import CoverageDialog

    return CoverageDialog(d.supervisor, d.window)


def _visits(d: Desk) -> QWidget:
    from gui.visits_dialog import VisitsDialog

    return VisitsDialog(d.supervisor, d.window)


def _visit_outcome(d: Desk) -> QWidget:
    from datetime import timedelta

    from db.vntime import today_local
    from gui.visit_outcome import VisitOutcomeDialog

    day = today_local() + timedelta(days=1)
    visit = VisitInfo(uuid="0" * 32, resident_uuid="1" * 32, day=day, team="x",
                      team_name="Tổ lưu động 1", mode="home", reason="bedridden", note=None,
                      full_name="Vàng Thị Mai", birth_date=None, birth_year=1941, sex="F",
                      village="Huổi Cơ Mông", household_no="H07", phone=None,
                      resident_note=None)  # fmt: skip
    return VisitOutcomeDialog(d.supervisor, visit, d.window)


def _visit_flag(d: Desk) -> QWidget:
    from gui.visit_flag import FlagVisitDialog

    person = ResidentDetail(id=1, uuid="1" * 32, full_name="Vàng Thị Mai", personal_id=None,
                            old_id=None, birth_year=1941, birth_date=None, sex="F",
                            ethnicity="Mông", village="Huổi Cơ Mông", household_no="H07",
                            relation_to_head=None, home_visit_reason="elderly",
                            review_flags=None, religion=None, hometown=None, commune=None,
                            residence_type=None, phone=None)  # fmt: skip
    return FlagVisitDialog(d.officer, person, d.window)


def _quality(d: Desk) -> QWidget:
    from gui.quality_dialog import QualityDialog

    return QualityDialog(d.supervisor, d.window)


def _quality_fix(d: Desk) -> QWidget:
    from db.types import QualityResident
    from gui.quality_dialog import FixDialog

    return FixDialog(QualityResident("0" * 32, "Giàng A Sếnh", None, None, 1950, "M",
                                     "Huổi Cơ Mông", "HK-12"), d.window)


def _coverage_list(d: Desk) -> QWidget:
    from db.vntime import today_local
    from gui.coverage_dialog import CoverageListDialog

    return CoverageListDialog(d.supervisor, today_local(), "not_yet", None, parent=d.window)


def _renewals(d: Desk) -> QWidget:
    from gui.renewals_dialog import RenewalsDialog

    return RenewalsDialog(d.supervisor, d.window)


def _tally(d: Desk) -> QWidget:
    from gui.tally_dialog import TallyDialog

    return TallyDialog(d.supervisor, d.window)


def _officers(d: Desk) -> QWidget:
    from gui.officers_dialog import OfficersDialog

    return OfficersDialog(d.admin, d.window)


def _add_officer(d: Desk) -> QWidget:
    from gui.officers_dialog import AddOfficerDialog

    return AddOfficerDialog(d.admin, d.window)


def _reset_password(d: Desk) -> QWidget:
    from gui.officers_dialog import ResetPasswordDialog

    [officer] = [o for o in d.admin.officers() if o.role == "officer"][:1]
    return ResetPasswordDialog(d.admin, officer, d.window)


def _open_enrollment(d: Desk) -> QWidget:
    """What the desk shows when a person already has an open enrollment: made for real."""
    from db.errors import OpenEnrollmentExists
    from gui.duplicate_dialog import OpenEnrollmentDialog

    hit = d.officer.search("quang van xieng").hits[0]
    d.officer.start_enrollment(hit.id)
    with pytest.raises(OpenEnrollmentExists) as refused:
        d.officer.start_enrollment(hit.id)
    return OpenEnrollmentDialog(refused.value, d.window)


def _redo_reason(d: Desk) -> QWidget:
    from gui.duplicate_dialog import RedoReasonDialog

    return RedoReasonDialog(d.window)


def _same_person(d: Desk) -> QWidget:
    from gui.duplicate_dialog import SamePersonDialog

    hits = d.officer.search("quang").hits[:2]
    people = [p for p in (d.officer.resident(h.id) for h in hits) if p is not None]
    return SamePersonDialog(people, people[0].personal_id or "", d.window)


def _signin(d: Desk, demo: bool) -> QWidget:
    from gui.signin import SignInDialog

    return SignInDialog(d.db, d.db.info().name, demo=demo)


def _change_password(d: Desk) -> QWidget:
    from gui.signin import ChangePasswordDialog

    return ChangePasswordDialog(d.officer, forced=True)


def _first_run(station: bool) -> QWidget:
    from gui.first_run import FirstRunDialog

    return FirstRunDialog(station=station)


def _review(d: Desk) -> QWidget:
    from gui.review import DayReviewDialog

    return DayReviewDialog(d.supervisor, d.window)


def _audit(d: Desk) -> QWidget:
    from gui.audit_view import AuditDialog

    return AuditDialog(d.supervisor, d.window)


# --- reading a dialog ----------------------------------------------------------------------------


def _plain(text: str) -> str:
    """As read on screen: no mnemonic marks, no rich-text tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"&(.)", r"\1", text))


def visible_texts(top: QWidget) -> list[str]:
    """Title, labels, buttons, placeholders, group titles, tabs, combo items, headers, tooltips
    and accessible names of what is shown (not the user's files and folders)."""
    texts = [top.windowTitle()]
    for w in [top, *top.findChildren(QWidget)]:
        if not w.isVisible() or any(p.objectName() in FILE_LISTS for p in _lineage(w, top)):
            continue
        texts += [w.toolTip(), w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLabel | QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QHeaderView) and w.model() is not None:
            texts += [str(w.model().headerData(i, w.orientation()) or "")
                      for i in range(w.count()) if not w.isSectionHidden(i)]  # fmt: skip
    return [_plain(t) for t in texts if t]


def _lineage(w: QWidget, top: QWidget) -> Iterator[QWidget]:
    while w is not None and w is not top:
        yield w
        w = w.parentWidget()


def _opened(desk: Desk, opener: Opener) -> list[QWidget]:
    before = len(desk.opened)
    opener.open(desk)
    desk.qtbot.waitUntil(lambda: len(desk.opened) > before, timeout=10000)
    QApplication.processEvents()
    return desk.opened[before:]


def test_every_dialog_speaks_vietnamese_and_fits_the_screen(
    desk_maker: Callable[[str], Desk],
) -> None:
    desk = desk_maker("vi")
    english: dict[str, list[str]] = {}
    too_big: dict[str, list[tuple[int, int]]] = {}
    files: list[tuple[bool, Path]] = []  # each file dialog: Qt's own? in which folder?
    for opener in REGISTRY:
        for dialog in _opened(desk, opener):
            name = f"{opener.name}/{type(dialog).__name__}"
            if isinstance(dialog, QFileDialog):
                files.append((dialog.testOption(QFileDialog.Option.DontUseNativeDialog),
                              Path(dialog.directory().absolutePath())))  # fmt: skip
            found = sorted({m for t in visible_texts(dialog) for m in _ENGLISH.findall(t)})
            if found:
                english[name] = found
            sizes = [(s.width(), s.height()) for s in (dialog.sizeHint(), dialog.size())]
            if type(dialog).__name__ not in KNOWN_TOO_BIG and any(
                w > SCREEN[0] or h > SCREEN[1] for w, h in sizes
            ):
                too_big[name] = sizes
            dialog.close()
    assert english == {}
    assert too_big == {}
    # the file dialogs: Qt's own (ours speak our language), starting in the documents folder
    documents = Path.home() / "Documents"
    # register import, portrait photo, save PDF, scanner folder, sync file, backup folder and
    # backup file
    assert files == [(True, documents)] * 7


def test_every_dialog_in_english_has_no_blank_and_no_vietnamese_left_of_qt(
    desk_maker: Callable[[str], Desk],
) -> None:
    desk = desk_maker("en")
    ours_for_qt = {_plain(t) for t in i18n.qt_messages("vi").values()}
    problems: dict[str, list[str]] = {}
    for opener in REGISTRY:
        for dialog in _opened(desk, opener):
            name = f"{opener.name}/{type(dialog).__name__}"
            found = [] if dialog.windowTitle() else ["blank window title"]
            found += [
                f"blank {type(b).__name__} {b.objectName()!r}"
                for b in dialog.findChildren(QAbstractButton)
                if b.isVisible() and not b.text() and b.icon().isNull()
            ]
            found += sorted({t for t in visible_texts(dialog) if t in ours_for_qt})
            if found:
                problems[name] = found
            dialog.close()
    assert problems == {}

"""Render every screen of the app at 1366×768 into PNG files, to look at them.

Run under a virtual X server (what `make screenshots` does):
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --out screenshots
Uses a throwaway demo station, never the user's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from _common import isolated_keyring

SIZE = (1366, 768)
OUT = Path("screenshots")
LANG = "vi"
HERE = Path(__file__).resolve().parent
PARTS = tuple(sorted(p.stem.removeprefix("shots_") for p in HERE.glob("shots_*.py")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--only", metavar="PART", choices=PARTS,
                        help="only the screens of bench/shots_PART.py")  # fmt: skip
    args = parser.parse_args()
    global OUT, LANG
    OUT, LANG = args.out, args.lang
    isolated_keyring()
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="shots-"))
    from resources import i18n

    i18n.set_language(args.lang)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from db import access
    from db.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
    from db.demo.station import open_demo
    from gui.app import make_app
    from gui.main_window import MainWindow

    app = make_app()
    db = open_demo(Path(os.environ["XDG_DATA_HOME"]) / "demo")
    ensure_demo_accounts(db)
    officer = access.sign_in(db, "lo.van.duc", DEMO_PASSWORD).service
    window = MainWindow(officer)
    window.resize(*SIZE)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        QApplication.processEvents()

    def shot(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        """The whole screen (dialogs over the window, as the officer sees them), or a widget."""
        settle()
        path = args.out / f"{args.lang}-{name}.png"
        if widget is not None:
            widget.grab().save(str(path))
        else:
            screen = QApplication.primaryScreen()
            screen.grabWindow(0).save(str(path))
        print(path)

    if args.only:
        window.close()
        part_shots(app, db, shot, settle, only=args.only)
        db.close()
        return
    shot("01-lookup-empty")
    queries = (
        ("02-lookup-partial", "gia a se"),
        ("03-lookup-id", ""),
        ("04-lookup-none", "zzz qqq"),
        ("05-lookup-village", "nam chim 1 thao"),
    )
    for name, query in queries:
        if name == "03-lookup-id":
            with db.engine.connect() as conn:
                (query,) = conn.exec_driver_sql(
                    "SELECT personal_id FROM resident WHERE home_visit_reason = 'bedridden' LIMIT 1"
                ).fetchone()
        window.lookup.box.setText(query)
        window.lookup.search_now()
        settle(600)
        shot(name)
    desk_shots(app, db, window, shot, settle)
    account_shots(app, db, args.out, args.lang, settle)
    window.close()
    part_shots(app, db, shot, settle)
    db.close()


def part_shots(app, db, shot, settle, only=None) -> None:  # type: ignore[no-untyped-def]
    """Each bench/shots_*.py module (or just ``only``) shoots the screens of its part on a
    fresh window; the PDFs a part lists in ``shots_pdf`` are rendered with pdftoppm beside."""
    import importlib

    from PySide6.QtWidgets import QApplication

    from db import access
    from db.demo.accounts import DEMO_PASSWORD
    from gui.main_window import MainWindow

    sys.path.insert(0, str(HERE.parent))
    for part in (only,) if only else PARTS:
        officer = access.sign_in(db, "lo.van.duc", DEMO_PASSWORD).service
        window = MainWindow(officer)
        window.resize(*SIZE)
        window.move(0, 0)
        window.show()
        module = importlib.import_module(f"shots_{part}")
        module.shots(app, db, window, shot, settle)
        window.close()
        QApplication.processEvents()
        for name, pdf in getattr(module, "shots_pdf", ()):
            render_pdf(OUT / f"{LANG}-{name}-pdf", pdf)


def render_pdf(stem: Path, pdf: bytes) -> None:
    """The PDF beside the shots, and its page as a PNG to look at (when pdftoppm is there)."""
    import shutil
    import subprocess

    stem.with_suffix(".pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run([pdftoppm, "-png", "-r", "60", "-singlefile", str(stem.with_suffix(".pdf")),
                        str(stem)], check=True, timeout=60)  # fmt: skip
        print(f"{stem}.png")


def desk_shots(app, db, window, shot, settle) -> None:  # type: ignore[no-untyped-def]
    """The desk: wizard steps with a fake camera fed from a real photo, dialogs, the slip."""

    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from capture.report import Mode
    from gui.main_window import MainWindow
    from gui.wizard.override import OverrideDialog
    from tests.gui.fakes import FakeCamera, good_face, lying_side_lit

    cam = FakeCamera([good_face()])
    window.close()
    w = MainWindow(window.service, camera_factory=cam.factory)
    w.resize(*SIZE)
    w.show()

    def grab(name: str, widget=None) -> None:  # type: ignore[no-untyped-def]
        settle(400)
        target = widget or w
        out = OUT / f"{LANG}-{name}.png"
        target.grab().save(str(out))
        print(out)

    def wait(cond, ms: int = 15000) -> None:  # type: ignore[no-untyped-def]
        import time

        end = time.monotonic() + ms / 1000
        while not cond() and time.monotonic() < end:
            settle(50)

    w.desk.refresh()
    wait(lambda: w.desk.today.count() > 0 or w.desk.drafts.count() > 0, 3000)
    grab("10-desk-home")
    service = w.service
    hits = service.search("quang").hits
    w.start_enrollment(hits[0].id)
    wait(lambda: w.wizard is not None and w.wizard.ready)
    wiz = w.wizard
    wiz.steps[0].edits["phone"].setText("09")  # an error and a correction, to see both
    grab("11-wizard-details")
    wiz.steps[0].edits["phone"].setText("0912345678")
    wait(lambda: wiz.ready)
    wiz.go_next()
    wait(lambda: wiz.index == 1)
    portrait = wiz.steps[1]
    cam.show(lying_side_lit())
    portrait.bedridden.setChecked(True)
    wait(lambda: portrait.latest is not None and portrait.latest.report.face is not None)
    grab("12-portrait-bedridden-instructions")
    dialog = OverrideDialog(portrait.latest.report, w)
    dialog.show()
    grab("13-override-dialog", dialog)
    dialog.close()
    cam.unplug()
    wait(lambda: portrait.reconnect_button.isVisible())
    grab("14-portrait-camera-disconnected")
    cam.plug()
    cam.show(good_face())
    portrait.bedridden.setChecked(False)
    portrait.reconnect()
    wait(lambda: portrait.latest is not None and portrait.latest.report.mode is Mode.NORMAL)
    grab("15-portrait-live")
    wait(lambda: portrait._stored)
    grab("16-portrait-captured")
    wait(lambda: wiz.ready)
    wiz.go_next()
    fingers = wiz.steps[2]  # the demo's simulated scanner takes the three slaps by itself
    wait(lambda: wiz.index == 2 and fingers.scanner.busy)
    grab("16b-fingerprints-scanning")
    wait(lambda: not fingers.untaken() and not fingers.writes and wiz.ready, 30000)
    grab("16c-fingerprints-done")
    wiz.go_next()
    wait(lambda: wiz.index == 3 and wiz.steps[3].form.rowCount() > 5)
    grab("17-review")
    wait(lambda: wiz.ready)
    wiz.go_next()
    wait(lambda: wiz.index == 4 and wiz.steps[4].preview is not None)
    grab("18-slip")
    wait(lambda: wiz.ready)
    wiz.go_next()
    wait(lambda: w.wizard is None)
    # an unfinished draft (as after a crash) shows on the home screen
    other = service.search("vu a xa").hits or hits[1:]
    info = service.start_enrollment(other[0].id)
    service.save_step(info.uuid, "details", {"values": {}, "corrections": {}})
    w.desk.refresh()
    wait(lambda: w.desk.drafts.count() > 0, 3000)
    grab("19-desk-draft-to-resume")
    w.start_new_person()
    wait(lambda: w.wizard is not None)
    grab("20-new-person-dc01")
    w.close()
    QApplication.processEvents()


def account_shots(app, db, out: Path, lang: str, settle) -> None:  # type: ignore[no-untyped-def]
    """Sign-in, forced password change, first run, day review, audit trail, idle lock."""
    from db import access
    from db.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
    from gui.audit_view import AuditDialog
    from gui.first_run import FirstRunDialog
    from gui.main_window import MainWindow
    from gui.review import DayReviewDialog
    from gui.signin import ChangePasswordDialog, SignInDialog

    ensure_demo_accounts(db)
    supervisor = access.sign_in(db, "quang.van.thanh", DEMO_PASSWORD).service

    def grab(name: str, widget) -> None:  # type: ignore[no-untyped-def]
        widget.show()
        settle(400)
        path = out / f"{lang}-{name}.png"
        widget.grab().save(str(path))
        print(path)
        widget.close()

    signin = SignInDialog(db, db.info().name, demo=True)
    signin.password.setText("wrong")
    signin.try_sign_in()
    grab("30-signin-wrong-password", signin)
    grab("31-change-password", ChangePasswordDialog(supervisor, forced=True))
    grab("32-first-run", FirstRunDialog())
    grab("33-day-review", DayReviewDialog(supervisor))
    audit_view = AuditDialog(supervisor)
    audit_view.use_day.setChecked(False)
    audit_view.reload()
    grab("34-audit-trail", audit_view)
    officer = access.sign_in(db, "lo.van.duc", DEMO_PASSWORD).service
    window = MainWindow(officer)  # builds its own Supervision menu and idle lock
    window.resize(*SIZE)
    window.show()
    window.lookup.box.setText("giang a")
    window.idle_lock.lock()
    window.idle_lock.cover.password.setText("x")
    window.idle_lock.try_unlock()
    grab("35-idle-lock-keeps-the-work", window)


if __name__ == "__main__":
    main()
    # The PNGs are written and the station closed. Leave without the interpreter's teardown:
    # it destroys the widgets of a dozen windows and dialogs in an arbitrary order, which
    # PySide6 does not survive ("shared QObject was deleted directly"); the app never does this.
    sys.stdout.flush()
    os._exit(0)

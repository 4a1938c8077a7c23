"""Render every screen of the app at 1366×768 into PNG files, to look at them.

Run under a virtual X server (what `make screenshots` does):
    xvfb-run -a -s "-screen 0 1366x768x24" python bench/screenshots.py --out screenshots
Uses a throwaway demo station, never the user's.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _common import isolated_keyring

SIZE = (1366, 768)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    args = parser.parse_args()
    isolated_keyring()
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="shots-"))
    from resources import i18n

    i18n.set_language(args.lang)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from db.demo import open_demo
    from gui.app import make_app
    from gui.main_window import MainWindow

    app = make_app()  # noqa: F841 - keep the application alive
    db = open_demo(Path(os.environ["XDG_DATA_HOME"]) / "demo")
    window = MainWindow(db, db.info())
    window.resize(*SIZE)
    window.show()
    args.out.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()
        QApplication.processEvents()

    def shot(name: str) -> None:
        settle()
        path = args.out / f"{args.lang}-{name}.png"
        window.grab().save(str(path))
        print(path)

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
    window.close()
    db.close()


if __name__ == "__main__":
    main()

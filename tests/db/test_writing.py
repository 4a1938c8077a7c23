"""A busy database in clear words: writers wait for an import (and say so), a second import is
refused, and a killed importer leaves no lock behind (db/writing.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from db.actor import Actor
from db.demo.synth import write_csv
from db.service import StationService
from db.station import StationDB
from db.writing import WAITING_FOR_IMPORT, LongWriteRunning
from resources.problems import describe
from tests.conftest import ROOT
from tests.db.enrollment_fixtures import captured


def _register_file(path: Path, rows: int, seed: int = 2022) -> Path:
    write_csv(path, rows, seed)
    return path


class _HeldImport:
    """An import in a thread that stops inside its transaction until released."""

    def __init__(self, service: StationService, path: Path) -> None:
        self.inside, self.release = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(service, path), daemon=True)
        self.thread.start()
        assert self.inside.wait(30), "the import never reached its first chunk"

    def _progress(self, rows: int, fraction: float) -> bool:
        self.inside.set()
        assert self.release.wait(60)
        return True

    def _run(self, service: StationService, path: Path) -> None:
        try:
            service.import_register(path, progress=self._progress)
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.inside.set()

    def finish(self) -> None:
        self.release.set()
        self.thread.join(60)
        assert self.error is None, self.error


def test_a_submit_during_an_import_waits_says_why_and_succeeds(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    admin = StationService(station, actors["admin"])
    officer = StationService(station, actors["officer"])
    admin.import_register(_register_file(tmp_path / "first.csv", 5))
    from sqlalchemy import select

    from db.models import Resident

    with station.Session() as s:
        person = s.scalars(select(Resident.id)).first()
    assert person is not None
    draft = captured(station, person, officer=actors["officer"].officer_id)
    notices: list[str | None] = []
    waiting = threading.Event()

    def notice(message: str | None) -> None:
        notices.append(message)
        if message:
            waiting.set()

    officer.on_wait(notice)
    held = _HeldImport(admin, _register_file(tmp_path / "second.csv", 600, seed=7))
    result: list[object] = []
    submit = threading.Thread(target=lambda: result.append(officer.submit(draft.uuid)))
    submit.start()
    assert waiting.wait(30), "the submit did not say it was waiting for the import"
    assert not result, "the submit went through while the import held the database"
    held.finish()
    submit.join(60)
    assert result and result[0].status == "submitted"  # type: ignore[attr-defined]
    assert notices == [WAITING_FOR_IMPORT, None]


def test_a_second_import_is_refused_in_words_while_one_runs(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    admin = StationService(station, actors["admin"])
    held = _HeldImport(admin, _register_file(tmp_path / "long.csv", 600))
    try:
        with pytest.raises(LongWriteRunning) as refused:
            admin.import_register(_register_file(tmp_path / "other.csv", 3))
    finally:
        held.finish()
    from resources import i18n

    i18n.set_language("vi")
    try:
        assert describe(refused.value) == "Một lần nhập dữ liệu khác đang chạy trên trạm này. " \
            "Hãy chờ đến khi nó kết thúc."
    finally:
        i18n.set_language("en")
    admin.import_register(tmp_path / "other.csv")  # and once it is over, it runs


_HOLD = """
import sys, time
from pathlib import Path
from db.writing import Writes
with Writes(Path(sys.argv[1])).long_write():
    print("held", flush=True)
    time.sleep(120)
"""


def test_another_process_importing_is_seen_and_its_kill_frees_the_lock(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    child = subprocess.Popen([sys.executable, "-c", _HOLD, str(station.data_dir)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        assert station.writes.long_write_running()
        with pytest.raises(LongWriteRunning):
            StationService(station, actors["admin"]).import_register(
                _register_file(tmp_path / "r.csv", 3))  # fmt: skip
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert not station.writes.long_write_running()
    report = StationService(station, actors["admin"]).import_register(tmp_path / "r.csv")
    assert report.added == 3

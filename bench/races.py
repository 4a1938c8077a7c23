"""Issue 10: sign-in bursts and concurrent decisions, many times over.

Sign-in: bursts of 50 wrong passwords from threads, of 15 wrong and the right one from threads,
and of 10 and 50 wrong passwords from processes. A lockout *failed* when, after the burst, the
account is not locked, the right password is accepted, or more than ``lockout_attempts`` (5)
passwords were checked. Decisions: two supervisors (threads, then processes) decide the same 40
enrollments at once, one approving, one sending back; an enrollment is *doubly decided* when the
audit trail holds two decisions for it. Prints tried / failed for each (target 0 failed).

    .venv/bin/python bench/races.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import ROOT, isolated_keyring

PASSPHRASE = "bench-passphrase"
PASSWORD = "mật khẩu của Đức"
AT = datetime(2026, 3, 12, 2, tzinfo=UTC)

GUESS = """
import sys
from pathlib import Path
from db import accounts
from db.station import open_station
db = open_station(Path(sys.argv[1]), passphrase=lambda c: sys.argv[2])
sys.stdin.readline()
try:
    accounts.sign_in(db, "duc", "wrong " + sys.argv[3])
except (accounts.SignInFailed, accounts.AccountLocked):
    pass
"""

DECIDE = """
import sys
from pathlib import Path
from db.actor import Actor
from db.errors import IllegalTransition
from db.service import StationService
from db.station import open_station
db = open_station(Path(sys.argv[1]), passphrase=lambda c: sys.argv[2])
service = StationService(db, Actor(int(sys.argv[3]), sys.argv[4], sys.argv[4], "supervisor"))
sys.stdin.readline()
for uuid in sys.argv[6:]:
    try:
        service.approve(uuid) if sys.argv[5] == "approve" else service.send_back(uuid, "chụp lại")
    except IllegalTransition:
        pass
"""


def make_station(where: Path) -> tuple[Any, dict[str, Any]]:
    from db import accounts
    from db.actor import Actor
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows
    from db.station import create_station

    db, _key = create_station(where, name="Bench", commune="Nà Hỳ", key_store="keyfile",
                              passphrase=lambda c: PASSPHRASE)  # fmt: skip
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", "mật khẩu quản trị")
    made = {}
    for user, name, role in (("duc", "Lò Văn Đức", "officer"), ("boss", "Quàng Văn Thanh",
                             "supervisor"), ("hoa", "Lò Thị Hoa", "supervisor")):  # fmt: skip
        i = accounts.create_officer(db, admin, user, name, role, PASSWORD, temporary=False)
        made[user] = Actor(i.id, i.username, i.full_name, i.role)
    import_rows(db, rows_for_import(2000), file_name="bench")
    return db, made


def count(db: Any, action: str, entity_id: str | None = None) -> int:
    from sqlalchemy import func, select

    from db.models import AuditEvent

    q = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if entity_id is not None:
        q = q.where(AuditEvent.entity_id == entity_id)
    with db.Session() as s:
        return int(s.scalar(q) or 0)


def reset(db: Any) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE officer SET failed_logins = 0, locked_until = NULL")


def lockout_held(db: Any, failed_before: int) -> bool:
    from db import accounts

    checked = count(db, "signin.failed") - failed_before
    try:
        accounts.sign_in(db, "duc", PASSWORD)
        return False
    except accounts.AccountLocked:
        return checked <= 5
    except accounts.SignInFailed:
        return False


def thread_burst(db: Any, passwords: list[str]) -> bool:
    from db import accounts

    before = count(db, "signin.failed")
    start = threading.Barrier(len(passwords))

    def attempt(password: str) -> None:
        start.wait()
        with contextlib.suppress(accounts.SignInFailed, accounts.AccountLocked):
            accounts.sign_in(db, "duc", password)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lockout_held(db, before)


def process_burst(db: Any, n: int) -> bool:
    before = count(db, "signin.failed")
    children = [subprocess.Popen([sys.executable, "-c", GUESS, str(db.data_dir), PASSPHRASE,
                                  str(i)], cwd=ROOT, stdin=subprocess.PIPE, text=True)
                for i in range(n)]  # fmt: skip
    for c in children:
        assert c.stdin is not None
        c.stdin.write("go\n")
        c.stdin.flush()
    for c in children:
        c.communicate()
    return lockout_held(db, before)


def waiting_enrollments(db: Any, staff: dict[str, Any], people: list[int]) -> list[str]:
    from db import enrollment as en
    from db.actor import SYSTEM

    uuids = []
    for p in people:
        e = en.create_draft(db, p, officer_id=staff["duc"].officer_id, actor=SYSTEM)
        en.attach_portrait(db, e.uuid, JPEG, 480, 640, {}, actor=SYSTEM)
        uuids.append(en.submit(db, e.uuid, now=AT, actor=SYSTEM).uuid)
    return uuids


def decide_threads(db: Any, staff: dict[str, Any], uuids: list[str]) -> None:
    from db.errors import IllegalTransition
    from db.service import StationService

    start = threading.Barrier(2)

    def run(actor: Any, how: str) -> None:
        service = StationService(db, actor)
        start.wait()
        for u in uuids:
            with contextlib.suppress(IllegalTransition):
                service.approve(u) if how == "approve" else service.send_back(u, "chụp lại")

    ts = [threading.Thread(target=run, args=(staff["boss"], "approve")),
          threading.Thread(target=run, args=(staff["hoa"], "send_back"))]  # fmt: skip
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def decide_processes(db: Any, staff: dict[str, Any], uuids: list[str]) -> None:
    children = [subprocess.Popen([sys.executable, "-c", DECIDE, str(db.data_dir), PASSPHRASE,
                                  str(a.officer_id), a.username, how, *uuids], cwd=ROOT,
                                 stdin=subprocess.PIPE, text=True)
                for a, how in ((staff["boss"], "approve"), (staff["hoa"], "send_back"))]
    for c in children:
        assert c.stdin is not None
        c.stdin.write("go\n")
        c.stdin.flush()
    for c in children:
        c.communicate()


def doubly_decided(db: Any, uuids: list[str]) -> int:
    return sum(1 for u in uuids
               if count(db, "enrollment.approve", u) + count(db, "enrollment.send_back", u) != 1)


def jpeg() -> bytes:
    import cv2
    import numpy as np

    _ok, buf = cv2.imencode(".jpg", np.full((640, 480, 3), 200, np.uint8))
    return bytes(buf)


JPEG = b""


def main() -> None:
    global JPEG
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    isolated_keyring()
    JPEG = jpeg()
    with tempfile.TemporaryDirectory() as tmp:
        db, staff = make_station(Path(tmp) / "station")
        from sqlalchemy import select

        from db.models import Resident

        with db.Session() as s:
            people = list(s.scalars(select(Resident.id)))
        bursts = {
            "threads: 50 wrong": lambda: thread_burst(db, [f"w{i}" for i in range(50)]),
            "threads: 15 wrong + the right one": lambda: thread_burst(
                db, [f"w{i}" for i in range(15)] + [PASSWORD]),
            "processes: 10 wrong": lambda: process_burst(db, 10),
        }
        for name, burst in bursts.items():
            failed = 0
            for _ in range(args.rounds):
                reset(db)
                failed += 0 if burst() else 1
            print(f"sign-in burst, {name}: {args.rounds} tried, {failed} lockouts failed")
        reset(db)
        print(f"sign-in burst, processes: 50 wrong: 1 tried, "
              f"{0 if process_burst(db, 50) else 1} lockouts failed")
        for name, decide in (("threads", decide_threads), ("processes", decide_processes)):
            tried = doubled = 0
            for _ in range(max(1, args.rounds // 2)):
                batch, people = people[:40], people[40:]
                uuids = waiting_enrollments(db, staff, batch)
                decide(db, staff, uuids)
                tried += len(uuids)
                doubled += doubly_decided(db, uuids)
            print(f"concurrent decisions, two supervisors ({name}): {tried} enrollments tried, "
                  f"{doubled} doubly decided")
        db.close()


if __name__ == "__main__":
    main()

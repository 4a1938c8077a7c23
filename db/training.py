"""Filling a training station (TRẠM TẬP HUẤN) with synthetic people and enrollments.

For new officers, benches and whole-trip tests (issue 12): residents come from the demo's
generator (db/demo/synth.py) through the real register import; enrollments go through the real
lifecycle (create, details, portrait, prints, submit), so content hashes, slip numbers, audit
events and exceptions are exactly what an officer's work would leave. Only a training station
is ever filled: on a real one the refusal comes before anything is written.

Why the writes are made less durable while seeding (``synchronous=OFF`` on the station's
connections, restored after): a thousand enrollments are six thousand small transactions; with
a full sync each they take minutes, without it seconds. A crash mid-seed loses at most some
synthetic enrollments of a training station — never anything real.

Portraits are synthetic heads and shoulders with a camera's grain, encoded like a captured
portrait (capture/crop.py: 30–80 KB), so bundles and backups weigh what real ones would;
prints are the demo's shipped WSQ files (db/demo/prints.py). Exceptions in a realistic share:
about one in twenty portraits of a bedridden person (a home visit), a few faded or missing
fingers among the elderly.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from capture.fingerprint.fingers import FINGERS
from db import audit, fingerprints
from db import enrollment as en
from db.actor import SYSTEM, Actor
from db.enrollment_state import OPEN
from db.errors import InvalidInput
from db.models import Enrollment, Officer, Resident, Station
from db.permissions import require
from db.station import StationDB
from db.types import NewPrint
from db.vntime import VN_TZ, now_utc, to_local
from resources.i18n import N_

log = logging.getLogger(__name__)

BEDRIDDEN_SHARE = 0.05
FADED_SHARE = 0.25  # of the elderly (born before 1960)
MISSING_SHARE = 0.01
PORTRAITS = 16  # distinct synthetic portraits, reused round-robin

Progress = Callable[[int, int], None]


class NotATrainingStation(InvalidInput):
    message = N_("This is not a training station: synthetic people are added only to a "
                 "training station (main.py init --training).")  # fmt: skip


@dataclass(frozen=True)
class SeedReport:
    residents: int  # added to the register
    enrollments: int  # submitted
    exceptions: int  # of those, with an exception (portrait or fingers)
    wanted: int  # enrollments asked for (fewer when not enough people are free)

    def to_json(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def is_training(db: StationDB) -> bool:
    with db.Session() as s:
        st = s.get(Station, db.station_id)
        return bool(st is not None and st.training)


def seed(
    db: StationDB, *, residents: int = 0, enrollments: int = 0, days: int = 5, actor: Actor,
    now: datetime | None = None, rng_seed: int | None = None, progress: Progress | None = None,
) -> SeedReport:  # fmt: skip
    """Add ``residents`` synthetic residents and/or ``enrollments`` submitted enrollments of
    residents without an open enrollment, received over the last ``days`` days. Audited."""
    require(actor, "station.setup")
    if not is_training(db):
        raise NotATrainingStation()
    if residents < 0 or enrollments < 0 or days < 1:
        raise InvalidInput(N_("Counts cannot be negative and the days start at 1."))
    now = now or now_utc()
    rng = random.Random(rng_seed if rng_seed is not None else now.toordinal())
    added = _residents(db, residents, rng) if residents else 0
    made = exceptions = 0
    if enrollments:
        with _fast_writes(db):
            made, exceptions = _enrollments(db, enrollments, days, now, rng, progress)
    audit.record(db, actor, "training.seed", "station", db.station_id,
                 f"{added} residents, {made} enrollments")  # fmt: skip
    log.info("training seed: %d residents, %d enrollments", added, made)
    return SeedReport(added, made, exceptions, enrollments)


def _residents(db: StationDB, count: int, rng: random.Random) -> int:
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    report = import_rows(db, rows_for_import(count, seed=rng.randrange(1 << 30)),
                         file_name="training-seed")  # fmt: skip
    return int(report.added)


@contextlib.contextmanager
def _fast_writes(db: StationDB) -> Iterator[None]:
    """``synchronous=OFF`` on every connection while seeding, ``FULL`` again after."""
    def off(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    event.listen(db.engine, "checkout", off)
    try:
        yield
    finally:
        event.remove(db.engine, "checkout", off)
        db.engine.dispose()  # pooled connections come back with the engine's FULL


class _Batch:
    """The station as the lifecycle sees it, with its writes sharing one transaction: each
    ``Session.begin()`` of the core is a savepoint in it, each ``Session()`` read sees it.

    Why: the lifecycle's six transactions per enrollment are the same code either way, but a
    commit each (and a fresh session and connection each) is a third of the time. Committed
    every :data:`BATCH` enrollments, so a failure loses at most one batch of synthetic ones.
    """

    def __init__(self, db: StationDB) -> None:
        self.station_id, self.data_dir, self.engine = db.station_id, db.data_dir, db.engine
        self.writes = db.writes
        self.Session = self
        self._db = db
        self._s: Session | None = None

    @contextlib.contextmanager
    def __call__(self) -> Iterator[Session]:
        assert self._s is not None
        yield self._s

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        assert self._s is not None
        with self._s.begin_nested():
            yield self._s

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self._db.Session.begin() as s:
            self._s = s
            try:
                yield
            finally:
                self._s = None


BATCH = 50


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """The cycle collector off for one batch (it walks every ORM object of the batch, many
    times: a fifth of the time), run once after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        gc.collect()


def _enrollments(
    db: StationDB, count: int, days: int, now: datetime, rng: random.Random,
    progress: Progress | None,
) -> tuple[int, int]:  # fmt: skip
    people = _free_residents(db, count, rng)
    officers = _officers(db)
    times = _times(rng, now, days, len(people))
    batch = _Batch(db)
    made = exceptions = 0
    for start in range(0, len(people), BATCH):
        with batch.transaction(), _no_gc():
            for (rid, birth_year, home), at in zip(people[start: start + BATCH],
                                                   times[start: start + BATCH], strict=True):
                officer = rng.choice(officers) if officers else None
                exceptions += _enroll(cast(StationDB, batch), rid, birth_year, home, officer,
                                      at, rng, made)  # fmt: skip
                made += 1
        if progress is not None:
            progress(made, len(people))
    return made, exceptions


def _free_residents(db: StationDB, count: int, rng: random.Random
                    ) -> list[tuple[int, int | None, str]]:  # fmt: skip
    """Up to ``count`` residents of the register without an open enrollment, shuffled."""
    busy = select(Enrollment.resident_id).where(Enrollment.status.in_(OPEN))
    with db.Session() as s:
        rows = [(int(r[0]), r[1], str(r[2] or "none")) for r in s.execute(
            select(Resident.id, Resident.birth_year, Resident.home_visit_reason)
            .where(Resident.id.not_in(busy)).order_by(Resident.id))]  # fmt: skip
    rng.shuffle(rows)
    return rows[:count]


def _officers(db: StationDB) -> list[int]:
    """The active officers who may sign in here (on a laptop: headquarters' accounts from the
    work packet): the enrollments are spread among them."""
    with db.Session() as s:
        return list(s.scalars(select(Officer.id).where(
            Officer.active.is_(True), Officer.role == "officer").order_by(Officer.id)))


def _times(rng: random.Random, now: datetime, days: int, n: int) -> list[datetime]:
    """``n`` receipt times in working hours over the last ``days`` local days, none after
    ``now``, in order (slip numbers follow the order of receipt)."""
    today = to_local(now).date()
    out = []
    for _ in range(n):
        day = today - timedelta(days=rng.randrange(days))
        start = datetime.combine(day, time(7, 30), VN_TZ)
        end = min(datetime.combine(day, time(17, 0), VN_TZ), to_local(now))
        if end <= start:  # before office hours today: the early mobile team
            start = end - timedelta(hours=1)
        out.append(start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds())))
    return sorted(out)


VNEID_EVERY = 3  # one enrollment in three asks for a level-2 account (db/vneid.py)


def _details(resident_id: int, n: int) -> dict[str, Any]:
    """The details step as checked; every third person asks for a level-2 electronic ID
    account with a made-up mobile number (derived, so the seeding's random draws are the
    same as before)."""
    if n % VNEID_EVERY:
        return {"verified": True}
    phone = f"09{(resident_id * 7919) % 10**8:08d}"
    return {"verified": True, "vneid": {"phone": phone, "email": None}}


def _enroll(
    db: StationDB, resident_id: int, birth_year: int | None, home: str, officer: int | None,
    at: datetime, rng: random.Random, n: int,
) -> int:  # fmt: skip
    """One enrollment through the real lifecycle; 1 when it carries an exception."""
    bedridden = home == "bedridden" or rng.random() < BEDRIDDEN_SHARE
    place = "home" if bedridden or home != "none" else rng.choice(("hq", "hq", "hq", "mobile"))
    e = en.create_draft(db, resident_id, place=place, officer_id=officer,
                        now=at - timedelta(minutes=rng.randint(6, 25)), actor=SYSTEM)
    en.save_step(db, e.uuid, "details", _details(resident_id, n), actor=SYSTEM)
    jpeg = portrait_jpeg(n % PORTRAITS)
    en.attach_portrait(db, e.uuid, jpeg, 480, 640, {"passed": not bedridden, "training": True},
                       attempts=rng.choice((3, 4, 5)) if bedridden else 1, bedridden=bedridden,
                       exception_reason="bedridden" if bedridden else None,
                       actor=SYSTEM)  # fmt: skip
    elderly = (birth_year or 2000) < 1960
    faded = sorted(rng.sample((2, 3, 7, 8), rng.randint(1, 2))) \
        if elderly and rng.random() < FADED_SHARE else []  # fmt: skip
    missing = [rng.choice(FINGERS)] if rng.random() < MISSING_SHARE else []
    faded = [f for f in faded if f not in missing]
    en_prints = _prints(rng, n, [f for f in FINGERS if f not in faded and f not in missing],
                        elderly)  # fmt: skip
    fingerprints.record_prints(db, e.uuid, en_prints, actor=SYSTEM)
    if faded:
        fingerprints.record_condition(db, e.uuid, faded, "flat", "faded",
                                      "Vân tay mòn, đã lấy 3 lần", attempts=3,
                                      attempt_scores=[rng.randint(8, 30) for _ in range(3)],
                                      actor=SYSTEM)  # fmt: skip
    if missing:
        fingerprints.record_condition(db, e.uuid, missing, "flat", "missing", "Cụt ngón",
                                      actor=SYSTEM)  # fmt: skip
    en.submit(db, e.uuid, now=at, actor=SYSTEM)
    return int(bedridden or bool(faded) or bool(missing))


def _prints(rng: random.Random, n: int, fingers: list[int], elderly: bool) -> list[NewPrint]:
    from db.demo.prints import demo_prints

    shipped = demo_prints()
    out = []
    for finger in fingers:
        data, score = shipped[(n * 7 + finger) % len(shipped)]
        tries = rng.choices((1, 2, 3), (60, 30, 10) if elderly else (90, 8, 2))[0]
        scores = [rng.randint(20, score - 1) for _ in range(tries - 1)] + [score]
        out.append(NewPrint(finger, "flat", data, "wsq", score, None, tries, tuple(scores),
                            "simulator Synthetic prints"))  # fmt: skip
    return out


@lru_cache(maxsize=PORTRAITS)
def portrait_jpeg(variant: int) -> bytes:
    """A synthetic 480×640 portrait (no real face) with a camera's grain, encoded like a
    captured one (30–80 KB)."""
    import cv2
    import numpy as np

    from capture.crop import encode_portrait

    rng = np.random.default_rng(variant)
    img = np.full((640, 480, 3), (242, 238, 236), np.float32)
    img -= np.linspace(0, 18, 640, dtype=np.float32)[:, None, None]  # light falls off
    skin = (130 - 4 * variant % 40, 160 - 3 * variant % 40, 200 - 2 * variant % 30)
    cv2.rectangle(img, (90, 470), (390, 640), (110, 60 + variant * 5 % 60, 40), -1)
    cv2.ellipse(img, (240, 400), (60, 80), 0, 0, 360, skin, -1)  # neck
    cv2.ellipse(img, (240, 260), (95, 125), 0, 0, 360, skin, -1)
    cv2.ellipse(img, (240, 170), (100, 60), 0, 180, 360, (30, 30, 35), -1)  # hair
    for x in (200, 280):
        cv2.ellipse(img, (x, 245), (14, 7), 0, 0, 360, (40, 40, 50), -1)
    cv2.ellipse(img, (240, 330), (30, 9), 0, 0, 180, (90, 90, 150), 3)
    soft = cv2.GaussianBlur(img, (0, 0), 2.0)
    grain = rng.normal(0.0, 6.0, size=(640, 480, 3)).astype(np.float32)  # sensor noise
    return encode_portrait(np.clip(soft + grain, 0, 255).astype(np.uint8))


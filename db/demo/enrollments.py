"""Realistic enrollments for the demo station: the last few days up to now, so that the tally,
the day list and the slip reprint show something the day the program is first tried.

Three officers and a supervisor; most people come to the headquarters, a mobile team works one
village a day, and a few households with bedridden or elderly people are visited at home (with
a "bedridden" exception on the portrait). Older days are reviewed (mostly approved, a few sent
back); today's wait for the supervisor, and a couple of drafts are left unfinished.

It writes rows directly in one transaction instead of calling the lifecycle service per step:
hundreds of separate durable commits would make opening the demo slow. Slip numbers still come
from the real counter (db/slipno.py), in order of receipt. When the demo is opened on a later
day, :func:`top_up` adds the missing days (at most ``DAYS``) and reviews the older ones.
Deterministic for a given day.
"""

from __future__ import annotations

import io
import logging
import random
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, update

from capture.fingerprint.fingers import FINGERS
from db.demo.accounts import DEMO_OFFICERS, DEMO_SUPERVISOR, ensure_demo_accounts
from db.demo.prints import demo_prints
from db.models import Enrollment, Fingerprint, Portrait, Resident, Setting, new_uuid
from db.slipno import next_slip_no
from db.station import StationDB
from db.vntime import VN_TZ, local_day_bounds, now_utc, to_local

log = logging.getLogger(__name__)

DAYS = 5
SETTING_KEY = "demo.enrollments"
RETURN_NOTES = ("Ảnh bị mờ, đề nghị chụp lại", "Sai ngày sinh so với sổ hộ khẩu",
                "Thiếu vân tay ngón trỏ trái")  # fmt: skip


@lru_cache(maxsize=4)
def _portrait(shade: int) -> bytes:
    """A plain synthetic 480×640 portrait (no real face): a head and shoulders on light grey."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (480, 640), (236, 238, 242))
    d = ImageDraw.Draw(im)
    d.ellipse((150, 130, 330, 370), fill=(200 - shade, 160 - shade, 130 - shade))
    d.rectangle((90, 430, 390, 640), fill=(40 + shade, 60, 110))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _times(rng: random.Random, day: date, n: int, until: datetime | None) -> list[datetime]:
    """``n`` receipt times in working hours of a local day, none after ``until``."""
    start = datetime.combine(day, time(7, 30), VN_TZ)
    end = datetime.combine(day, time(17, 0), VN_TZ)
    if until is not None:
        end = min(end, to_local(until))
        if end - start < timedelta(minutes=30):  # before office hours: the dawn mobile team
            start = max(datetime.combine(day, time(0, 5), VN_TZ), end - timedelta(hours=2))
    if end <= start:
        return []
    span = (end - start).total_seconds()
    return sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(n))


def _seed_day(
    s: Any, db: StationDB, day: date, officers: list[int], supervisor: int,
    pool: dict[str, list[Any]], now: datetime, reviewed: bool,
) -> int:  # fmt: skip
    """One local day's enrollments; returns how many were received."""
    from printing import return_date

    rng = random.Random(day.toordinal())
    weekend = day.weekday() >= 5
    is_today = day == to_local(now).date()
    n_hq = 0 if weekend else rng.randint(28, 44)
    n_mobile = rng.randint(8, 16)
    plan: list[tuple[str, int, Any]] = []
    for r in pool["hq"][:n_hq]:
        plan.append(("hq", officers[rng.randrange(2)], r))
    del pool["hq"][:n_hq]
    village = rng.choice(sorted({r.village for r in pool["hq"][:400] if r.village}))
    mobile = [r for r in pool["hq"] if r.village == village][:n_mobile]
    for r in mobile:
        plan.append(("mobile", officers[2], r))
        pool["hq"].remove(r)
    for _household in range(rng.randint(1, 2) if weekend else rng.randint(2, 4)):  # home visits
        if not pool["home"]:
            break
        first = pool["home"].pop(0)
        plan.append(("home", officers[rng.randrange(3)], first))
    times = _times(rng, day, len(plan), now if is_today else None)
    rng.shuffle(plan)
    received = 0
    for (place, officer, r), at in zip(plan, times, strict=False):
        bedridden = place == "home" and r.home_visit_reason == "bedridden"
        attempts = rng.choice((4, 5)) if bedridden else rng.choices((1, 2, 3), (80, 15, 5))[0]
        exceptions: list[dict[str, Any]] = []
        if bedridden:
            exceptions.append({"subject": "portrait", "reason": "bedridden", "note": None})
        faded = (r.birth_year or 2000) < 1960 and rng.random() < 0.35
        faded_fingers = sorted(rng.sample((2, 3, 7, 8), rng.randint(1, 2))) if faded else []
        if faded_fingers:
            exceptions.append({"subject": "fingerprints", "reason": "faded_fingerprints",
                               "note": None, "fingers": dict.fromkeys(map(str, faded_fingers),
                                                                      "faded")})  # fmt: skip
        for x in exceptions:
            x["at"] = at.isoformat()
        status = "submitted"
        reviewed_at = review_note = None
        if reviewed or (not is_today and rng.random() < 0.7):
            status = "returned" if rng.random() < 0.04 else "approved"
            reviewed_at = datetime.combine(day, time(17, 30), VN_TZ)
            review_note = rng.choice(RETURN_NOTES) if status == "returned" else None
        unfinished = is_today and received >= len(times) - 2 and len(times) > 4
        eid = s.execute(
            insert(Enrollment).returning(Enrollment.id),
            dict(uuid=new_uuid(), station_id=db.station_id, resident_id=r.id, officer_id=officer,
                 place=place, status="captured" if unfinished else status,
                 step="fingerprints" if unfinished else "review",
                 draft={"details": {"verified": True}},
                 receipt_no=None if unfinished else next_slip_no(s, db.station_id, at),
                 appointment_date=None if unfinished else return_date(day),
                 created_at=at - timedelta(minutes=rng.randint(6, 25)), updated_at=at,
                 submitted_at=None if unfinished else at, exceptions=exceptions,
                 has_exception=bool(exceptions),
                 reviewed_by_id=supervisor if reviewed_at and not unfinished else None,
                 reviewed_at=reviewed_at if not unfinished else None, review_note=review_note),
        ).scalar_one()  # fmt: skip
        s.execute(
            insert(Portrait),
            dict(uuid=new_uuid(), station_id=db.station_id, enrollment_id=eid,
                 jpeg=_portrait(received % 4 * 12), width=480, height=640,
                 quality={"demo": True}, attempts=attempts, bedridden=bedridden,
                 exception_reason="bedridden" if bedridden else None, created_at=at),
        )  # fmt: skip
        s.execute(insert(Fingerprint), _fingers(db.station_id, eid, rng, at, faded_fingers,
                                                (2, 3, 4, 5) if unfinished else FINGERS,
                                                elderly=(r.birth_year or 2000) < 1960))
        received += 0 if unfinished else 1
    return received


def _fingers(station_id: str, enrollment_id: int, rng: random.Random, at: datetime,
             faded: list[int], fingers: tuple[int, ...], *, elderly: bool
             ) -> list[dict[str, Any]]:  # fmt: skip
    """The fingerprint rows of one demo enrollment: the shipped prints (db/demo/prints.py),
    more attempts for elderly people, the faded fingers recorded with their condition."""
    prints = demo_prints()
    rows = []
    for finger in fingers:
        base = dict(uuid=new_uuid(), station_id=station_id, enrollment_id=enrollment_id,
                    finger=finger, impression="slap", created_at=at, image=None,
                    image_format=None, quality=None, condition=None, note=None,
                    device=None)  # fmt: skip
        if finger in faded:
            scores = [rng.randint(8, 30) for _ in range(3)]
            rows.append({**base, "condition": "faded", "attempts": 3, "attempt_scores": scores,
                         "note": "Vân tay mòn, đã lấy 3 lần"})  # fmt: skip
            continue
        data, score = prints[(enrollment_id * 7 + finger) % len(prints)]
        tries = rng.choices((1, 2, 3), (60, 30, 10) if elderly else (90, 8, 2))[0]
        scores = [rng.randint(20, score - 1) for _ in range(tries - 1)] + [score]
        rows.append({**base, "image": data, "image_format": "wsq", "quality": score,
                     "attempts": tries, "attempt_scores": scores,
                     "device": "simulator Synthetic prints"})  # fmt: skip
    return rows


def _candidates(s: Any) -> dict[str, list[Any]]:
    """Residents not yet enrolled, in a fixed shuffled order; home-visit cases apart."""
    enrolled = select(Enrollment.resident_id)
    rows = s.execute(
        select(Resident.id, Resident.village, Resident.birth_year, Resident.home_visit_reason)
        .where(Resident.id.not_in(enrolled))
        .order_by(Resident.id)
    ).all()
    random.Random(2022).shuffle(rows)
    return {
        "hq": [r for r in rows if r.home_visit_reason == "none"],
        "home": [r for r in rows if r.home_visit_reason in ("bedridden", "elderly", "disabled")],
    }


def seed(db: StationDB, *, now: datetime | None = None, days: int = DAYS) -> int:
    """Add the demo enrollments of the days not seeded yet, up to ``now``; returns the count."""
    now = now or now_utc()
    today = to_local(now).date()
    ids = ensure_demo_accounts(db)
    officers = [ids[o[0]] for o in DEMO_OFFICERS]
    supervisor = ids[DEMO_SUPERVISOR[0]]
    count = 0
    with db.Session.begin() as s:
        setting = s.get(Setting, SETTING_KEY)
        through = date.fromisoformat(setting.value["through"]) if setting else None
        if through is not None and through >= today:
            return 0
        first = today - timedelta(days=days - 1)
        if through is not None:
            first = max(first, through + timedelta(days=1))
            # The supervisor has reviewed what was waiting from earlier days.
            start, _end = local_day_bounds(first)
            s.execute(
                update(Enrollment)
                .where(Enrollment.status == "submitted", Enrollment.submitted_at < start)
                .values(status="approved", reviewed_by_id=supervisor, reviewed_at=now)
            )
        pool = _candidates(s)
        day = first
        while day <= today:
            count += _seed_day(s, db, day, officers, supervisor, pool, now,
                               reviewed=day < today - timedelta(days=1))  # fmt: skip
            day += timedelta(days=1)
        value = {"through": today.isoformat(), "version": 1}
        if setting is None:
            s.add(Setting(key=SETTING_KEY, value=value))
        else:
            setting.value = value
    log.info("demo: %d enrollments added", count)
    return count


top_up = seed

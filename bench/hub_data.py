"""Synthetic commune bundles for bench/hub.py, in the exact format a commune HQ sends its hub.

Building 100 real SQLCipher stations with 2,000 enrollments each through the lifecycle would
take hours, so each commune's bundle is written here directly — but with the real code's
pieces, so that every check of the hub's import passes as it would for a real one:

- the commune's keys (Ed25519 signs, X25519 receives), its identity file signed like
  ``db.sync.identity.identity_file`` signs it (the same canonical JSON);
- the file written by ``db.sync.container.write_safely`` with the header
  ``db.sync.outgoing.export`` makes, records packed by ``db.sync.records.pack``, in the order
  ``db.sync.for_hub.hub_records`` yields them: the station record, the officers, the register
  in batches of 500 (the demo generator's residents cleaned by the register's own
  ``clean_row``: search name, sort key, match key and content hash as an import makes them),
  the enrollments with their portrait (content hash by ``records.content_hash``, blob hash by
  ``records.sha``), the supervisor's decisions (``db.events`` hashes), and HQ's audit chain
  from seq 1 (``db.audit.event_hash``), with its head in the station record.

Portraits are 2 KB stand-ins (random bytes between JPEG markers) or, with ``real``, what the
station's own capture code makes of a real face photo (tests/photos.py: Grace Hopper before a
plain wall, cropped and encoded by capture/crop.py at 480×640), a few variants with camera
grain. The quality report stored with each is the capture's real report of that photo.
No fingerprints: the issue's figure is "no prints".
"""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 1)  # the demo generator's "today": ages are counted from it
CAMPAIGN_START = date(2026, 9, 1)
CAMPAIGN_DAYS = 60  # 1 September – 30 October 2026: every submission falls in it
VN = timedelta(hours=7)
BATCH = 500  # residents or audit events per record, as db/sync/for_hub.py sends them
STAND_IN_BYTES = 2048
VARIANTS = 8  # distinct real portraits per process, reused round-robin
OFFICERS = (("admin", "Vì Văn Quản", "admin"), ("giamsat", "Lò Thị Hoa", "supervisor"),
            ("duc", "Lò Văn Đức", "officer"), ("senh", "Giàng A Sếnh", "officer"),
            ("hoa", "Đặng Thị Hoà", "officer"))  # fmt: skip
VNEID_EVERY = 3  # as db/training.py: one person in three asks for a level-2 account


@dataclass(frozen=True)
class Plan:
    """What every commune's bundle holds."""

    enrollments: int
    register: int  # residents in the commune's register (≥ enrollments)
    real_portraits: bool
    decided: float  # share of enrollments the commune's supervisor decided (approve/return)


@dataclass(frozen=True)
class Commune:
    index: int
    code: str
    name: str  # official, "Xã …"
    short: str
    province_code: str
    province: str


@dataclass(frozen=True)
class Made:
    """One commune's bundle, written: what the hub must pair and what it must end up with."""

    index: int
    station_id: str
    code: str
    path: str
    identity: bytes
    enrollments: int
    residents: int
    events: int
    audit: int
    image_bytes: int
    file_bytes: int
    seconds: float


def pick_communes(n: int) -> list[Commune]:
    """``n`` real communes by official code: the provinces with the most communes first (a
    province-sized hub), each province's communes in code order."""
    from db import places

    by_province: dict[str, list[Any]] = {}
    for c in places.communes():
        by_province.setdefault(c.province_code, []).append(c)
    order = sorted(by_province, key=lambda p: (-len(by_province[p]), p))
    chosen = [c for p in order for c in by_province[p]][:n]
    if len(chosen) < n:
        raise SystemExit(f"only {len(chosen)} official communes exist")
    out = []
    for i, c in enumerate(chosen):
        province = places.by_code(c.province_code)
        out.append(Commune(i, c.code, c.name, c.short, c.province_code,
                           province.name if province else ""))  # fmt: skip
    return out


def total_communes() -> int:
    from db import places

    return len(places.communes())


def station_name(c: Commune) -> str:
    """"Công an xã Nà Hỳ": the commune police's station, as its HQ would be named."""
    return f"Công an {c.name[:1].lower()}{c.name[1:]}"


# --- portraits ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _photo() -> tuple[Any, dict[str, Any]]:
    """The real face photo and the capture's real quality report of it (as stored)."""
    from capture.quality import assess
    from tests.photos import on_plain_wall

    frame = on_plain_wall()
    report = assess(frame)
    return frame, json.loads(json.dumps(report.to_dict()))


@lru_cache(maxsize=1)
def real_portraits() -> tuple[bytes, ...]:
    """What the station stores for that photo (capture/crop.py), with a camera's grain."""
    import numpy as np

    from capture.crop import portrait
    from capture.quality import assess

    frame, _report = _photo()
    rng = np.random.default_rng(15)
    out = []
    for k in range(VARIANTS):
        noisy = frame.astype(np.float32) + rng.normal(0.0, 1.5 + k * 0.4, frame.shape)
        shot = np.clip(noisy + (k - VARIANTS / 2), 0, 255).astype(np.uint8)
        out.append(portrait(shot, assess(shot)))
    return tuple(out)


def quality_report() -> dict[str, Any]:
    return _photo()[1]


def stand_in(rng: random.Random) -> bytes:
    """2 KB of noise between JPEG markers: as incompressible as a JPEG, a tenth of a photo."""
    return b"\xff\xd8" + rng.randbytes(STAND_IN_BYTES - 4) + b"\xff\xd9"


# --- the register ---------------------------------------------------------------------------


def cleaned_residents(count: int, seed: int, skip: int = 0) -> Iterator[dict[str, Any]]:
    """The demo generator's residents (db/demo/synth.py) as the register's import cleans
    them (db/register/validate.clean_row): every column of ``db.register.chunks.VALUE_COLS``."""
    from itertools import islice

    from db.demo.synth import residents
    from db.register.validate import RowRejected, clean_row

    for raw in islice(residents(count, seed=seed, today=TODAY), skip, None):
        try:
            yield clean_row(raw, TODAY).values
        except RowRejected:
            continue


def resident_item(values: dict[str, Any], uuid: str, station_id: str) -> dict[str, Any]:
    """A register resident as ``db.sync.records.resident_record`` makes it."""
    from db.sync.records import RESIDENT_COLS

    out: dict[str, Any] = {"t": "resident"}
    for c in RESIDENT_COLS:
        v = {"uuid": uuid, "station_id": station_id}.get(c, values.get(c))
        out[c] = v.isoformat() if isinstance(v, date) else v
    return out


# --- the commune's bundle -----------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def identity_bytes(ident: Any, sign_private: bytes) -> bytes:
    """The identity file ``db.sync.identity.identity_file`` writes: its body signed in the
    same canonical JSON (sorted keys, no spaces) by the station's own key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = ident.body()
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True,
                           separators=(",", ":")).encode()  # fmt: skip
    signature = Ed25519PrivateKey.from_private_bytes(sign_private).sign(canonical)
    return json.dumps({**body, "signature": _b64(signature)}, ensure_ascii=False,
                      indent=1).encode() + b"\n"  # fmt: skip


def _at(t: datetime) -> str:
    from db.audit import at_text

    return at_text(t)


class _Chain:
    """HQ's audit trail from seq 1: events collected with their time, hashed in time order."""

    def __init__(self, station_id: str, officers: list[tuple[int, str]]) -> None:
        self.station_id, self.officers = station_id, officers
        self.pending: list[tuple[datetime, int, int, str, str | None, str | None, str | None]] = []

    def add(self, at: datetime, officer: int, action: str, entity: str | None,
            entity_id: str | None, details: str | None) -> None:  # fmt: skip
        self.pending.append((at, len(self.pending), officer, action, entity, entity_id, details))

    def rows(self) -> list[list[Any]]:
        """``db.sync.records.audit_row``'s form, each event hashed as db/audit.append does."""
        from db.audit import GENESIS, HASH_V, event_hash, hashed_officer
        from db.models import new_uuid

        out: list[list[Any]] = []
        prev = GENESIS
        for seq, (at, _n, officer, action, entity, eid, details) in enumerate(
                sorted(self.pending), 1):  # fmt: skip
            oid, ouuid = self.officers[officer]
            uuid, when = new_uuid(), _at(at)
            digest = event_hash(seq, uuid, self.station_id, when,
                                hashed_officer(HASH_V, oid, ouuid), action, entity, eid,
                                details, prev)  # fmt: skip
            out.append([seq, uuid, self.station_id, when, oid, ouuid, action, entity, eid,
                        details, prev, digest, HASH_V])  # fmt: skip
            prev = digest
        return out


def _submissions(rng: random.Random, n: int) -> list[datetime]:
    """``n`` submission times (UTC) over the campaign's days, 07:30–16:30 Vietnam time."""
    out = []
    for _ in range(n):
        day = CAMPAIGN_START + timedelta(days=rng.randrange(CAMPAIGN_DAYS))
        local = datetime(day.year, day.month, day.day, 7, 30) + timedelta(
            seconds=rng.uniform(0, 9 * 3600))  # fmt: skip
        out.append((local - VN).replace(tzinfo=UTC))
    return sorted(out)


def commune_records(c: Commune, station_id: str, slip_code: str, plan: Plan,
                    rng: random.Random, counts: dict[str, int],
                    ) -> Iterator[tuple[dict[str, Any], list[bytes]]]:  # fmt: skip
    """The commune's bundle for the hub, record by record (see the module's note)."""
    from db import events
    from db.models import new_uuid
    from db.slipno import format_slip_no
    from db.sync import records

    officers = [(i, new_uuid()) for i in range(1, len(OFFICERS) + 1)]
    chain = _Chain(station_id, officers)
    people = [(new_uuid(), v) for v in
              cleaned_residents(plan.register, seed=10_000 + c.index)]  # fmt: skip
    # who was enrolled: those who must hold a card first (14 and over), in random order
    order = list(range(len(people)))
    rng.shuffle(order)
    order.sort(key=lambda i: (people[i][1]["birth_year"] or 0) > TODAY.year - 14)
    enrolled = order[: plan.enrollments]
    times = _submissions(rng, len(enrolled))
    portraits = real_portraits() if plan.real_portraits else ()
    quality = quality_report()

    # what the commune did, in its trail: sign-ins, then each enrollment's steps
    for day in range(CAMPAIGN_DAYS):
        start = datetime(CAMPAIGN_START.year, CAMPAIGN_START.month, CAMPAIGN_START.day,
                         0, 15, tzinfo=UTC) + timedelta(days=day)  # fmt: skip
        for k in range(1, len(OFFICERS)):
            chain.add(start + timedelta(minutes=k), k, "signin", "officer",
                      str(officers[k][0]), None)  # fmt: skip
    enrollments: list[tuple[dict[str, Any], list[bytes]]] = []
    decisions: list[dict[str, Any]] = []
    for n, (who, submitted) in enumerate(zip(enrolled, times, strict=True), 1):
        ruuid, values = people[who]
        officer = 2 + n % 3  # the three officers' local ids are 3–5 (index 2–4)
        home = values["home_visit_reason"] != "none"
        place = "home" if home else rng.choice(("hq", "hq", "hq", "mobile"))
        created = submitted - timedelta(minutes=rng.randint(6, 25))
        shot = created + timedelta(minutes=3)
        euuid, slip = new_uuid(), format_slip_no(slip_code, 2026, n)
        details: dict[str, Any] = {"verified": True}
        if n % VNEID_EVERY == 0:
            details["vneid"] = {"phone": f"09{rng.randrange(10**8):08d}", "email": None}
        jpeg = portraits[n % len(portraits)] if portraits else stand_in(rng)
        record: dict[str, Any] = {
            "t": "enrollment", "uuid": euuid, "station_id": station_id, "resident_uuid": ruuid,
            "officer_uuid": officers[officer][1], "place": place, "receipt_no": slip,
            "appointment_date": ((submitted + VN).date() + timedelta(days=10)).isoformat(),
            "created_at": _at(created), "submitted_at": _at(submitted), "notes": None,
            "draft": {"details": details}, "exceptions": [], "has_exception": False,
            "corrects_uuid": None, "redo_reason": None, "redo_note": None, "redo_of": None,
            "portrait": {"uuid": new_uuid(), "width": 480, "height": 640, "quality": quality,
                         "attempts": 1, "bedridden": False, "exception_reason": None,
                         "exception_note": None, "created_at": _at(shot),
                         "jpeg": records.sha(jpeg)},
            "fingerprints": [],
        }  # fmt: skip
        record["content_hash"] = records.content_hash(record)
        enrollments.append((record, [jpeg]))
        counts["image_bytes"] += len(jpeg)
        chain.add(created, officer, "enrollment.create", "enrollment", euuid,
                  f"resident #{who + 1}, {place}")  # fmt: skip
        chain.add(created + timedelta(minutes=1), officer, "enrollment.save", "enrollment",
                  euuid, "details")  # fmt: skip
        chain.add(shot, officer, "enrollment.portrait", "enrollment", euuid, "attempts 1")
        chain.add(submitted, officer, "enrollment.submit", "enrollment", euuid, slip)
        if rng.random() < plan.decided:
            at = submitted + timedelta(hours=rng.uniform(18, 30))
            kind = "approve" if rng.random() < 0.96 else "return"
            note = None if kind == "approve" else "Ảnh chưa đạt: chụp lại"
            ev: dict[str, Any] = {"t": "event", "uuid": new_uuid(), "station_id": station_id,
                                  "enrollment_uuid": euuid, "kind": kind,
                                  "actor_uuid": officers[1][1], "at": _at(at), "note": note}
            ev["content_hash"] = events.record_hash(ev)
            decisions.append(ev)
            chain.add(at, 1, "enrollment.approve" if kind == "approve"
                      else "enrollment.send_back", "enrollment", euuid, note)  # fmt: skip
    trail = chain.rows()
    counts.update(enrollments=len(enrollments), residents=len(people), events=len(decisions),
                  audit=len(trail))  # fmt: skip

    yield {"t": "station", "station_id": station_id, "name": station_name(c),
           "commune": c.short, "province": c.province, "commune_code": c.code,
           "province_code": c.province_code, "slip_last": {"2026": len(enrollments)},
           "stations": [], "station_slips": {station_id: {"2026": len(enrollments)}},
           "audit_heads": {station_id: [trail[-1][0], trail[-1][11]]},
           "enrollments": len(enrollments), "drafts": 0}, []  # fmt: skip
    for (_local, ouuid), (user, name, role) in zip(officers, OFFICERS, strict=True):
        yield {"t": "officer", "uuid": ouuid, "station_id": station_id, "username": user,
               "full_name": name, "role": role, "active": True}, []  # fmt: skip
    for at in range(0, len(people), BATCH):
        yield {"t": "residents", "items": [resident_item(v, u, station_id)
                                           for u, v in people[at : at + BATCH]]}, []
    yield from enrollments
    for ev in decisions:
        yield ev, []
    for at in range(0, len(trail), BATCH):
        yield {"t": "audit", "station_id": station_id, "events": trail[at : at + BATCH]}, []


def make_commune(c: Commune, plan: Plan, hub_id: str, hub_box: bytes, out: Path) -> Made:
    """Keys, identity file and bundle of one commune (run in a worker process)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from db.models import new_uuid
    from db.sync import container, records
    from db.sync.identity import Identity
    from db.sync.outgoing import PROGRAM

    t0 = time.perf_counter()
    rng = random.Random(c.index * 7919 + 15)
    sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    sign_private = sign.private_bytes_raw()
    sign_public = sign.public_key().public_bytes_raw()
    station_id, slip_code = new_uuid(), f"CX{c.index:03d}"
    ident = Identity(station_id, station_name(c), "hq", c.short, slip_code,
                     sign_public, box.public_key().public_bytes_raw())  # fmt: skip
    header = container.Header(
        kind="bundle", bundle_uuid=new_uuid(), seq=1, sender=station_id, recipient=hub_id,
        training=False, created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        program=PROGRAM,
    )  # fmt: skip
    counts = {"image_bytes": 0}
    path = out / f"commune-{c.index:03d}-{c.code}.esb"

    def fill(writer: container.Writer) -> None:
        for record, blobs in commune_records(c, station_id, slip_code, plan, rng, counts):
            writer.add(records.pack(record, blobs))

    container.write_safely(path, fill, header, hub_box, sign_private, sign_public)
    return Made(c.index, station_id, c.code, str(path), identity_bytes(ident, sign_private),
                counts["enrollments"], counts["residents"], counts["events"], counts["audit"],
                counts["image_bytes"], path.stat().st_size,
                time.perf_counter() - t0)  # fmt: skip


def _make_one(job: tuple[Commune, Plan, str, bytes, str]) -> Made:
    c, plan, hub_id, hub_box, out = job
    return make_commune(c, plan, hub_id, hub_box, Path(out))


def make_all(communes: list[Commune], plan: Plan, hub_id: str, hub_box: bytes, out: Path,
             jobs: int, report: Callable[[Made], None] | None = None) -> list[Made]:  # fmt: skip
    """Every commune's bundle, ``jobs`` processes at once (spawned: no state shared)."""
    import multiprocessing

    work = [(c, plan, hub_id, hub_box, str(out)) for c in communes]
    made: list[Made] = []
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        for m in pool.imap_unordered(_make_one, work):
            made.append(m)
            if report is not None:
                report(m)
    return sorted(made, key=lambda m: m.index)


# --- a province's register, straight into the hub's table -----------------------------------


def psycopg_conninfo(url: str) -> str:
    """The libpq address of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def copy_residents(job: tuple[str, list[str], int, int, int, int]) -> int:
    """Residents ``start``..``stop`` of the demo generator's register of ``total`` (seed
    ``seed``: bench/lookup.py's station holds the same people), cleaned by the register's
    import, COPYed into the hub's ``resident`` table; each run of ``total / len(stations)``
    consecutive residents (whole households and villages) is one commune's register."""
    import psycopg

    from db.models import new_uuid
    from db.register.chunks import VALUE_COLS

    url, stations, total, start, stop, seed = job
    now = datetime.now(UTC).replace(tzinfo=None)
    cols = ("uuid", "station_id", *VALUE_COLS, "created_at", "updated_at")
    n = start
    with psycopg.connect(psycopg_conninfo(url)) as conn, conn.cursor() as cur, \
            cur.copy(f"COPY resident ({', '.join(cols)}) FROM STDIN") as copy:  # fmt: skip
        for values in cleaned_residents(total, seed=seed, skip=start):
            if n >= stop:
                break
            station = stations[n * len(stations) // total]
            copy.write_row((new_uuid(), station, *(values[c] for c in VALUE_COLS), now, now))
            n += 1
    return n - start

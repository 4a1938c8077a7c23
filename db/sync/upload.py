"""``sync export --to-hub URL``: a commune HQ sends its bundle to the hub's ``hub serve`` and
applies the receipt the hub answers with — the USB trip over a network, same files.

The bundle is written and checked as for a stick (db/sync/outgoing.py) into the station's own
private folder, then POSTed with its length; a connection that fails, times out or meets a
server error is tried again after a pause that doubles (2, 4, 8 s), the same file each time (the
hub takes a file it already has as a replay, so a retry after a lost answer is harmless). A
refusal by the hub is said with its own code in this station's language; nothing is retried
then. The receipt is applied like one brought back on a stick.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.actor import Actor
from db.errors import StationError
from db.models import PairedStation
from db.station import StationDB
from db.sync.refusal import REASONS, Refused
from db.types import ExportReport, ImportResult
from resources.i18n import N_
from resources.private_files import private_dir

ATTEMPTS = 4
FIRST_PAUSE_S = 2.0
TIMEOUT_S = 300.0


class HubNotReached(StationError):
    message = N_("The district hub could not be reached at {url} after {n} tries: check the "
                 "address and the network, or take the bundle on a USB drive.")


class HubAnswer(StationError):
    message = N_("The district hub did not take the bundle ({status}): try again later, or take "
                 "it on a USB drive.")


@dataclass(frozen=True)
class Upload:
    export: ExportReport
    taken: dict[str, Any]  # the hub's counts (as ``hub import --json``)
    receipt: ImportResult  # the receipt applied here
    tries: int


def the_hub(db: StationDB, for_station: str | None) -> str:
    with db.Session() as s:
        hubs = [p.station_id for p in s.scalars(select(PairedStation).where(
            PairedStation.kind == "hub", PairedStation.unpaired_at.is_(None)))]  # fmt: skip
    if for_station:
        hubs = [h for h in hubs if h == for_station]
    if not hubs:
        raise Refused.because("not_paired")
    return hubs[0]


def upload(db: StationDB, url: str, *, actor: Actor, for_station: str | None = None,
           sleep: Callable[[float], None] = time.sleep) -> Upload:  # fmt: skip
    from db.sync import incoming, outgoing

    hub = the_hub(db, for_station)
    folder = private_dir(db.data_dir / "outgoing")
    bundle, receipt = folder / "for-hub.esb", folder / "from-hub.esb"
    try:
        report = outgoing.export(db, bundle, for_station=hub)
        data, head, tries = _post(url.rstrip("/") + "/bundle", bundle, sleep)
        receipt.write_bytes(data)
        applied = incoming.import_file(db, receipt, actor=actor)
    finally:
        bundle.unlink(missing_ok=True)
        receipt.unlink(missing_ok=True)
    return Upload(report, head, applied, tries)


def _post(url: str, path: Path,
          sleep: Callable[[float], None]) -> tuple[bytes, dict[str, Any], int]:  # fmt: skip
    pause, last = FIRST_PAUSE_S, ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with path.open("rb") as body:
                request = urllib.request.Request(url, data=body, method="POST", headers={
                    "Content-Type": "application/octet-stream",
                    "Content-Length": str(path.stat().st_size)})  # fmt: skip
                with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                    data = answer.read()
                    head = json.loads(answer.headers.get("X-Import-Result") or "{}")
                    return data, head, attempt
        except urllib.error.HTTPError as exc:
            doc = _doc(exc)
            if exc.code == 422 and doc.get("reason") in REASONS:
                raise Refused.because(str(doc["reason"])) from None
            if exc.code < 500:
                raise HubAnswer(status=f"HTTP {exc.code}") from None
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError):
            last = ""
        if attempt < ATTEMPTS:
            sleep(pause)
            pause *= 2
    if last:
        raise HubAnswer(status=last)
    raise HubNotReached(url=url, n=ATTEMPTS)


def _doc(exc: urllib.error.HTTPError) -> dict[str, Any]:
    try:
        found = json.loads(exc.read(64 * 1024) or b"{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}

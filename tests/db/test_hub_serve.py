"""``hub serve`` and ``sync export --to-hub`` on 127.0.0.1 (issue 15): a commune's bundle goes
up and its receipt comes back over HTTP; what is not a bundle, or too big, is refused before
anything is applied; a hub that cannot be reached is tried again, then said in words."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.hub.serve import make_server
from db.models import Enrollment
from db.service import StationService
from db.sync import upload
from db.sync.refusal import Refused
from tests.db.hub_fixtures import Hub, hub, make_commune, pair_with_hub

__all__ = ["hub"]


@pytest.fixture
def served(hub: Hub) -> Iterator[str]:
    running = make_server(hub.service, "127.0.0.1", 0, max_bytes=50 * 1024 * 1024, threads=2)
    stop = threading.Event()

    def loop() -> None:  # waitress's run(), in short turns: closed from here, not under select
        while not stop.is_set():
            running.asyncore.loop(timeout=0.1, map=running._map, count=1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.effective_port}"
    stop.set()
    thread.join(timeout=10)
    running.close()


def _post(url: str, body: bytes, length: int | None = None) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Length": str(len(body) if length is None else length)})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {}
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, json.loads(body) if body.startswith(b"{") else {}


def test_a_commune_sends_its_bundle_over_http(hub: Hub, served: str, tmp_path: Path) -> None:
    hq = make_commune(tmp_path, "Công an xã Nà Hỳ", "Nà Hỳ", "NH", 8, 1)
    pair_with_hub(hub, hq)
    hq.enroll(2)
    service = StationService(hq.db, hq.admin)
    done = service.sync_upload(served)
    assert (done.taken["counts"]["enrollment_added"], done.tries) == (2, 1)
    assert done.receipt.counts["enrollment_acknowledged"] == 2
    with hub.db.Session() as s:
        assert s.scalar(select(func.count()).select_from(Enrollment)) == 2
    again = service.sync_upload(served)  # only the trail's new events (the first trip's)
    assert again.export.enrollments == 0 and "enrollment_added" not in again.taken["counts"]
    assert not list((hq.db.data_dir / "outgoing").iterdir())  # no bundle left behind
    with urllib.request.urlopen(served + "/health", timeout=10) as answer:
        assert json.loads(answer.read())["station_id"] == hub.db.station_id


def test_what_is_not_a_bundle_is_refused_before_anything(hub: Hub, served: str) -> None:
    assert _post(served + "/bundle", b"GET me a shell " * 100) == (422, {
        "reason": "not_a_bundle", "message": "Đây không phải tệp đồng bộ của trạm thu nhận."})
    assert _post(served + "/bundle", b"x" * 10, length=60 * 1024 * 1024)[0] == 413
    assert _post(served + "/elsewhere", b"x")[0] == 404
    with hub.db.Session() as s:
        assert s.scalar(select(func.count()).select_from(Enrollment)) == 0


def test_a_hub_out_of_reach_is_tried_again_then_said(hub: Hub, tmp_path: Path) -> None:
    hq = make_commune(tmp_path, "Công an xã Nà Hỳ", "Nà Hỳ", "NH", 4, 1)
    pair_with_hub(hub, hq)
    pauses: list[float] = []
    with pytest.raises(upload.HubNotReached) as failed:
        upload.upload(hq.db, "http://127.0.0.1:9", actor=hq.admin, sleep=pauses.append)
    assert pauses == [2.0, 4.0, 8.0]
    assert failed.value.fields == {"url": "http://127.0.0.1:9/bundle", "n": 4}
    assert not list((hq.db.data_dir / "outgoing").iterdir())
    with pytest.raises(Refused):  # a station with no hub paired
        upload.upload(hub.db, "http://127.0.0.1:9", actor=hub.admin, sleep=pauses.append)

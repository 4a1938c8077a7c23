"""Bundles from many communes import at the same time (issue 15): four ``hub import``
processes side by side lose nothing and deadlock nowhere; two bundles of one commune at once
are taken one after the other (its lock), each record once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import Enrollment, OriginAuditEvent, Resident
from tests.conftest import ROOT, TEST_PASSWORD
from tests.db.hub_fixtures import HUB_PASSPHRASE, Hub, hub, make_commune, pair_with_hub

__all__ = ["hub"]


def _start(hub: Hub, url: str, *bundles: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, ENROLLMENT_STATION_USER="admin",
               ENROLLMENT_STATION_PASSWORD=TEST_PASSWORD,
               ENROLLMENT_HUB_PASSPHRASE=HUB_PASSPHRASE, PYTHONPATH=str(ROOT))  # fmt: skip
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "hub", "--db", url, "--hub-dir",
         str(hub.db.data_dir), "import", *map(str, bundles), "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


@pytest.mark.real_scrypt
def test_four_importers_at_once_lose_nothing(hub: Hub, hub_url: str, tmp_path: Path) -> None:
    communes = []
    for i, (name, code) in enumerate((("Nà Hỳ", "NH"), ("Nà Bủng", "NB"), ("Chà Tở", "CT"),
                                      ("Nậm Nhừ", "NN"))):  # fmt: skip
        c = make_commune(tmp_path, f"Công an xã {name}", name, code, 12, 10 + i)
        pair_with_hub(hub, c)
        c.enroll(1)
        communes.append(c)
    bundles = [c.export(hub.db.station_id) for c in communes]
    communes[0].enroll(1, first=5)
    later = communes[0].export(hub.db.station_id)  # the first commune's next bundle, at once
    runs = [_start(hub, hub_url, b) for b in bundles] + [_start(hub, hub_url, later)]
    results = []
    for p in runs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    assert all(r["refused"] == 0 or r["reason"] == "replay" for r in results)
    with hub.db.Session() as s:
        assert s.scalar(select(func.count()).select_from(Enrollment)) == 4 + 1
        assert s.scalar(select(func.count()).select_from(Resident)) == 4 * 12
        assert s.scalar(select(func.count(func.distinct(Enrollment.uuid)))) == 5
        for c in communes:  # every chain whole: seq 1..head with no gap
            seqs = list(s.scalars(select(OriginAuditEvent.seq).where(
                OriginAuditEvent.station_id == c.db.station_id).order_by(OriginAuditEvent.seq)))
            assert seqs == list(range(1, len(seqs) + 1)) and seqs
    # the hub's own chain took every import's event, one after the other
    from db import audit

    assert audit.verify(hub.db).ok

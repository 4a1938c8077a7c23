"""Pairing (issue 12, first part): real stations exchange identity files; the fingerprint each
shows for itself is the one the other computes; only an administrator pairs, and a file that
was changed, is not one, or would break the rules is refused in words."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from db import accounts, audit
from db.actor import SYSTEM, Actor
from db.errors import InvalidInput, PermissionDenied
from db.labels import audit_details
from db.service import StationService
from db.station import StationDB, create_station
from db.sync.identity import BadIdentity, Identity, _canonical, identity_file, read_identity
from resources.problems import describe
from tests.cli_runner import run
from tests.conftest import TEST_PASSWORD


def admin_of(db: StationDB) -> StationService:
    info = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    return StationService(db, info)


def laptop(tmp_path: Path, name: str, commune: str, series: str | None = None) -> StationDB:
    db, _key = create_station(tmp_path / name, name=name, commune=commune, kind="mobile",
                              slip_series=series)  # fmt: skip
    return db


def forged(station_id: str, name: str = "Máy lạ") -> bytes:
    """A validly self-signed identity file claiming someone else's station id."""
    sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    ident = Identity(station_id, name, "mobile", "Nà Bủng", "NB",
                     sign.public_key().public_bytes_raw(), box.public_key().public_bytes_raw())
    body = ident.body()
    sig = base64.b64encode(sign.sign(_canonical(body))).decode()
    return json.dumps({**body, "signature": sig}).encode()


def test_hq_and_a_laptop_pair_after_comparing_the_same_fingerprint(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    hq = StationService(station, actors["admin"])
    team = laptop(tmp_path, "Tổ lưu động 1", "Mường Chà")
    field = admin_of(team)
    to_hq, to_field = field.identity_file(), hq.identity_file()
    # what the laptop's screen shows for itself is what HQ computes from its file
    assert hq.preview_identity(to_hq).fingerprint == field.own_identity().fingerprint
    assert field.preview_identity(to_field).fingerprint == hq.own_identity().fingerprint
    assert len(field.own_identity().fingerprint.replace(" ", "")) == 24
    paired = hq.pair_station(to_hq)
    assert (paired.name, paired.kind, paired.slip_code, paired.active) == (
        "Tổ lưu động 1", "mobile", "MCL", True)  # a laptop's series: the commune's, with L
    assert field.pair_station(to_field).kind == "hq"
    assert hq.pair_station(to_hq) == paired  # the same file again: nothing changes
    assert [p.station_id for p in hq.paired_stations()] == [team.station_id]
    [event] = [e for e in audit.show(station, SYSTEM, limit=20) if e.action == "station.pair"]
    assert event.entity_id == team.station_id
    assert audit_details(event.details) == "máy lưu động, loạt số giấy hẹn MCL"
    # only an administrator: a supervisor's or an officer's call is refused by the core
    for role in ("supervisor", "officer"):
        with pytest.raises(PermissionDenied):
            StationService(station, actors[role]).pair_station(to_hq)
    # unpaired: listed as such; the same laptop (same keys) may be paired again
    gone = hq.unpair_station(team.station_id)
    assert not gone.active and not hq.paired_stations()[0].active
    with pytest.raises(InvalidInput):
        hq.unpair_station(team.station_id)
    assert hq.pair_station(to_hq).active
    team.close()


def test_what_pairing_refuses(
    station: StationDB, actors: dict[str, Actor], tmp_path: Path
) -> None:
    hq = StationService(station, actors["admin"])
    team = laptop(tmp_path, "Tổ lưu động 1", "Mường Chà")
    good = identity_file(team)
    hq.pair_station(good)

    def refused(data: bytes) -> str:
        with pytest.raises(InvalidInput) as caught:
            hq.pair_station(data)
        return describe(caught.value)

    assert "chính trạm này" in refused(hq.identity_file())
    doc = json.loads(good)
    # changed after it was made: another name, another key, a cut, garbage, too big
    renamed = json.dumps({**doc, "name": "Trạm giả"}).encode()
    other_key = json.dumps({**doc, "box_public": base64.b64encode(b"\1" * 32).decode()}).encode()
    for bad in (renamed, other_key, good[: len(good) // 2], b"\xff\xfe rubbish", b"",
                b"{" + b" " * 70_000 + b"}", json.dumps({**doc, "kind": "hub"}).encode()):
        with pytest.raises(BadIdentity):
            hq.pair_station(bad)
    assert "phiên bản" in refused(json.dumps({**doc, "version": 99}).encode())
    # the same station id with other keys (a reinstalled or a foreign laptop): unpair first
    assert "hủy ghép trước" in refused(forged(team.station_id))
    # two of a kind do not pair; a series HQ knows already would make slip numbers collide
    hq2, _key = create_station(tmp_path / "hq2", name="Trụ sở khác", commune="Chà Tở")
    assert "đều là" in refused(identity_file(hq2))
    twin = laptop(tmp_path, "Tổ lưu động 2", "Mường Chà")  # MCL too: given MCL2 at init instead
    assert "MCL" in refused(identity_file(twin))
    same_as_hq = laptop(tmp_path, "Tổ lưu động 3", "Nà Hỳ", series="NH")
    assert "NH" in refused(identity_file(same_as_hq))
    own = laptop(tmp_path, "Tổ lưu động 4", "Mường Chà", series="MCL2")
    assert hq.pair_station(identity_file(own)).slip_code == "MCL2"
    assert [p.name for p in hq.paired_stations()] == ["Tổ lưu động 1", "Tổ lưu động 4"]
    read_identity(good)  # the good file still reads
    for db in (team, hq2, twin, same_as_hq, own):
        db.close()


def test_identity_pair_and_status_from_the_command_line(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    for name, commune, kind in (("hq", "Nà Hỳ", "hq"), ("team", "Mường Chà", "mobile")):
        out = run(cli_env, "--data-dir", str(tmp_path / name), "init", "--station",
                  f"Trạm {name}", "--commune", commune, "--kind", kind, "--admin", "admin",
                  *(["--slip-series", "MC1"] if kind == "mobile" else []))  # fmt: skip
        assert out.returncode == 0, out.stderr
    hq, team = ["--data-dir", str(tmp_path / "hq")], ["--data-dir", str(tmp_path / "team")]
    card = tmp_path / "USB" / "tram-luu-dong.json"
    card.parent.mkdir()
    out = run(admin, *team, "sync", "identity", "--out", str(card))
    assert out.returncode == 0, out.stderr
    shown = out.stdout.split("Dấu xác thực: ")[1].strip()
    assert card.stat().st_mode & 0o077 == 0
    out = run(admin, *hq, "sync", "pair", str(card))  # no terminal to confirm: not paired
    assert out.returncode == 1 and shown in out.stdout and "Chưa ghép" in out.stdout
    out = run(admin, *hq, "sync", "pair", str(card), "--yes")
    assert out.returncode == 0 and "Đã ghép với Trạm team" in out.stdout
    status = json.loads(run(admin, *hq, "sync", "status", "--json").stdout)
    assert [p["fingerprint"] for p in status["paired"]] == [shown]
    mine = json.loads(run(admin, *team, "sync", "status", "--json").stdout)
    assert mine["slip_code"] == "MC1" and status["paired"][0]["slip_code"] == "MC1"
    assert mine["fingerprint"] == shown and mine["station_id"] == status["paired"][0]["station_id"]
    out = run(dict(admin, ENROLLMENT_STATION_USER="nobody"), *hq, "sync", "pair", str(card))
    assert out.returncode == 2
    out = run(admin, *hq, "sync", "unpair", mine["station_id"])
    assert out.returncode == 0 and "không còn được ghép" in out.stdout

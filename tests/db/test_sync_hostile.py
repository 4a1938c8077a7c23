"""Files a careless or hostile user brings (issue 12): each is refused with its code and a
Vietnamese sentence, and nothing is applied. A laptop whose audit trail was rewritten between
two exports is caught. kill -9 during HQ's import and during the laptop's export."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from db import audit
from db.models import PairedStation, SyncAck, SyncBundle
from db.station import StationDB, create_station
from db.sync import container, pairing
from db.sync.refusal import Refused
from resources.problems import describe
from tests.conftest import ROOT
from tests.db.sync_fixtures import Station, Trip, make_station, pair_both, trip

__all__ = ["trip"]


def bundles(st: Station) -> int:
    with st.db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(SyncBundle)) or 0)


def refused(st: Station, path: Path) -> str:
    before = (st.count(), bundles(st))
    with pytest.raises(Refused) as caught:
        st.take(path)
    assert (st.count(), bundles(st)) == before, "a refused file changed something"
    sentence = caught.value.text_in("vi")
    assert sentence and sentence != caught.value.template  # in Vietnamese
    assert describe(caught.value)
    return caught.value.code


def test_damaged_and_foreign_files_are_refused_with_their_reason(trip: Trip, tmp_path: Path
                                                                 ) -> None:  # fmt: skip
    hq, team = trip.hq, trip.team1
    team.enroll(2)
    good = team.export()
    data = good.read_bytes()
    cut = tmp_path / "cut.esb"
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert refused(hq, cut) == "truncated"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x10
    (tmp_path / "flip.esb").write_bytes(bytes(flipped))
    assert refused(hq, tmp_path / "flip.esb") == "damaged"
    # intact, but signed by a key that is not the laptop's
    body = data[: -64]
    forged = body + Ed25519PrivateKey.generate().sign(data[-96:-64])
    (tmp_path / "forged.esb").write_bytes(forged)
    assert refused(hq, tmp_path / "forged.esb") == "bad_signature"
    # made for HQ, brought to the other laptop
    assert refused(trip.team2, good) == "wrong_recipient"
    # a newer program's file
    newer = bytearray(data)
    newer[8:10] = (container.VERSION + 1).to_bytes(2, "big")
    (tmp_path / "newer.esb").write_bytes(bytes(newer))
    assert refused(hq, tmp_path / "newer.esb") == "newer_version"
    (tmp_path / "junk.esb").write_bytes(b"PK\x03\x04 not a bundle at all")
    assert refused(hq, tmp_path / "junk.esb") == "not_a_bundle"
    # a work packet is not for HQ
    assert refused(hq, hq.export(team.db.station_id)) == "wrong_recipient"
    # and the good file still goes in after all that
    assert hq.take(good).counts["enrollment_added"] == 2


def test_unknown_unpaired_and_training_senders_are_refused(trip: Trip, tmp_path: Path) -> None:
    hq, team = trip.hq, trip.team2
    stranger = make_station(tmp_path, "Máy lạ", "mobile", "ML")
    from db.sync import identity

    pairing.pair(stranger.db, identity.identity_file(hq.db), actor=stranger.admin)  # one-sided
    assert refused(hq, stranger.export()) == "unknown_sender"
    stranger.db.close()
    team.enroll(1)
    bundle = team.export()
    pairing.unpair(hq.db, team.db.station_id, actor=hq.admin)
    assert refused(hq, bundle) == "unpaired"
    with hq.db.engine.begin() as conn:  # HQ as a training station: a real laptop's file
        conn.execute(text("UPDATE station SET training = 1 WHERE id = :id"),
                     {"id": hq.db.station_id})  # fmt: skip
    assert refused(hq, trip.team1.export()) == "training_mismatch"


def _rewrite(db: StationDB, seq: int) -> None:
    """What someone with the database key could do: change an event and recompute the chain
    from there, so that the laptop's own check passes."""
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET details = 'đã sửa' WHERE seq = :s"), {"s": seq})
        rows = conn.execute(text(f"SELECT {audit.COLUMNS} FROM audit_event WHERE seq >= :s "
                                 "ORDER BY seq"), {"s": seq}).all()  # fmt: skip
        prev = conn.execute(text("SELECT hash FROM audit_event WHERE seq = :s"),
                            {"s": seq - 1}).scalar() or audit.GENESIS  # fmt: skip
        for r in rows:
            digest = audit.event_hash(r.seq, r.uuid, r.station_id, r.at,
                                      audit.hashed_officer(r.hash_v, r.officer_id, r.officer_uuid),
                                      r.action, r.entity, r.entity_id, r.details, prev)  # fmt: skip
            conn.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s"),
                         {"p": prev, "h": digest, "s": r.seq})  # fmt: skip
            prev = digest
        conn.execute(text("DELETE FROM setting WHERE key = :k"), {"k": audit.CHECKPOINT_KEY})
    assert audit.verify(db).ok  # the laptop alone cannot tell


def test_a_laptop_whose_trail_was_rewritten_is_caught_at_its_next_export(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    team.enroll(1)
    hq.take(team.export())
    _rewrite(team.db, 3)  # no receipt yet: the next bundle carries the whole chain again
    assert refused(hq, team.export()) == "chain_fork"
    # after a receipt the next bundle starts past HQ's head: the rewrite still shows
    other = trip.team2
    other.enroll(1, first=5)
    hq.take(other.export())
    other.take(trip.receipt(other))
    other.enroll(1, first=6)
    _rewrite(other.db, 4)
    assert refused(hq, other.export()) == "chain_fork"


def _script(body: str) -> str:
    return textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from db.actor import SYSTEM
        from db.station import open_station
        db = open_station(Path(sys.argv[1]))
        calls = []
        def die(*_):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
    """) + textwrap.dedent(body)


def _killed(script: str, *args: str) -> None:
    env = {**os.environ, "ENROLLMENT_STATION_PASSPHRASE": "mật khẩu trạm thử"}
    done = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]


@pytest.fixture
def keyfile_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Trip:
    """HQ and a laptop whose keys are in key files (a second process can open them)."""
    monkeypatch.setenv("ENROLLMENT_STATION_PASSPHRASE", "mật khẩu trạm thử")
    from db import accounts
    from tests.conftest import TEST_PASSWORD

    def made(name: str, kind: str, series: str) -> Station:
        db, _ = create_station(tmp_path / series, name=name, commune="Nà Hỳ", kind=kind,
                               slip_series=series, key_store="keyfile")  # fmt: skip
        admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
        (tmp_path / f"usb-{series}").mkdir()
        return Station(db, admin, tmp_path / f"usb-{series}")

    hq, team = made("Công an xã", "hq", "NH"), made("Tổ lưu động 1", "mobile", "L1")
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    import_rows(hq.db, rows_for_import(12), file_name="register")
    pair_both(hq, team)
    team.take(hq.export(team.db.station_id))
    return Trip(hq, team, team)


@pytest.mark.real_scrypt  # its subprocesses read the key file with the real costs
def test_kill_9_during_the_hq_import_applies_all_or_nothing(keyfile_trip: Trip) -> None:
    hq, team = keyfile_trip.hq, keyfile_trip.team1
    team.enroll(4)
    bundle = team.export()
    hq.db.close()
    _killed(_script("""
        from db.sync.incoming import import_file
        import_file(db, Path(sys.argv[2]), actor=SYSTEM, hook=lambda name: die())
    """), str(hq.db.data_dir), str(bundle))  # fmt: skip
    from db.station import open_station

    again = open_station(hq.db.data_dir)
    hq = Station(again, hq.admin, hq.files)
    assert (hq.count(), bundles(hq)) == (0, 0)  # nothing of it, not half
    assert hq.take(bundle).counts["enrollment_added"] == 4
    again.close()


@pytest.mark.real_scrypt  # its subprocesses read the key file with the real costs
def test_kill_9_during_an_export_leaves_no_file_and_no_acknowledgement(keyfile_trip: Trip
                                                                       ) -> None:  # fmt: skip
    team = keyfile_trip.team1
    team.enroll(3)
    target = team.files / "bundle.esb"

    def acks() -> tuple[int, int | None]:
        with team.db.Session() as s:
            n = int(s.scalar(select(func.count()).select_from(SyncAck)) or 0)
            out = s.scalar(select(PairedStation.bundles_out))
        return n, out

    before = acks()
    team.db.close()
    _killed(_script("""
        from db.sync.outgoing import export
        export(db, Path(sys.argv[2]), progress=lambda done, total: die())
    """), str(team.db.data_dir), str(target))  # fmt: skip
    assert not target.exists()  # at most a hidden ".bundle.esb.partial"
    from db.station import open_station

    team = Station(open_station(team.db.data_dir), team.admin, team.files)
    assert acks() == before
    partial = target.with_name(f".{target.name}.partial")
    if partial.exists():  # were it renamed by hand, it is still refused as incomplete
        os.replace(partial, target)
        with pytest.raises(Refused) as caught:
            container.verify(target, b"\0" * 32)
        assert caught.value.code in ("truncated", "damaged")
    team.export(name="bundle-2.esb")
    team.db.close()
    assert team.files.joinpath("bundle-2.esb").stat().st_size > 0

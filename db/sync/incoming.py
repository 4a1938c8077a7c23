"""Taking a file in: checks first, then one transaction (all or nothing), idempotent by UUID
and content hash.

Checks, in order, each refusing with its code (db/sync/refusal.py) before anything is
applied: the file is ours and not from a newer program; it is for this station; its sender is
paired (and still is); training matches; the whole file is intact and signed by the sender;
the kind fits this station; it was not imported already (a replay is harmless: "đã nhập").

Then headquarters merges a return bundle (db/sync/merge.py) and writes a receipt; a laptop
applies a work packet or a receipt (db/sync/apply.py). Written with SQLAlchemy Core/ORM only,
no SQLite-only SQL: the district hub runs the same merge on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from db import audit
from db.actor import Actor
from db.models import PairedStation, Station, SyncBundle
from db.station import StationDB
from db.sync import container, records
from db.sync.refusal import Refused
from db.sync.results import Checked
from db.types import ImportResult
from db.vntime import now_utc

Progress = Callable[[int, int], None]

#: (this station, the sender, the file) that may be taken: a laptop's bundle at its HQ, HQ's
#: packet and receipt on a laptop, a commune HQ's bundle at the hub and the hub's receipt.
FITS = {("hq", "mobile", "bundle"), ("mobile", "hq", "packet"), ("mobile", "hq", "receipt"),
        ("hub", "hq", "bundle"), ("hq", "hub", "receipt")}  # fmt: skip


def check(db: StationDB, path: Path) -> Checked:
    """Every check that needs no decryption (see the module's note)."""
    header = container.peek(path)
    with db.Session() as s:
        me = s.get(Station, db.station_id)
        assert me is not None
        if header.recipient != db.station_id:
            raise Refused.because("wrong_recipient")
        peer = s.get(PairedStation, header.sender)
        if peer is None:
            raise Refused.because("unknown_sender")
        if peer.unpaired_at is not None:
            raise Refused.because("unpaired")
        if header.training != bool(me.training):
            raise Refused.because("training_mismatch")
        digest = container.verify(path, peer.sign_public)
        if (me.kind, peer.kind, header.kind) not in FITS:
            raise Refused.because("wrong_kind")
        box = db.private_keys(s).box_private
        s.expunge(peer)
    return Checked(header, digest, peer, box)


def _already(db: StationDB, c: Checked) -> bool:
    with db.Session() as s:
        return s.scalar(select(SyncBundle.id).where(
            (SyncBundle.uuid == c.header.bundle_uuid) | (SyncBundle.sha256 == c.sha256))
        ) is not None  # fmt: skip


def _know(s: Any, peer: PairedStation) -> None:
    """A row for the sender in ``station``: the records it made refer to it as their origin."""
    if s.get(Station, peer.station_id) is None:
        s.add(Station(id=peer.station_id, name=peer.name, commune=peer.commune or "",
                      kind=peer.kind, slip_code=peer.slip_code))  # fmt: skip
        s.flush()


def _records(path: Path, box: bytes) -> Iterator[tuple[dict[str, Any], list[bytes]]]:
    for packet in container.packets(path, box):
        try:
            yield records.unpack(packet)
        except (ValueError, UnicodeDecodeError):
            raise Refused.because("damaged") from None


def import_file(
    db: StationDB, path: Path, *, actor: Actor, progress: Progress | None = None,
    hook: Callable[[str], None] | None = None,
) -> ImportResult:  # fmt: skip
    """Check and apply one file; raises :class:`Refused` (nothing applied) when it cannot be.

    ``hook`` is called at named points ("applying", "applied") for tests that kill the process
    there.
    """
    c = check(db, path)
    result = ImportResult(c.header.kind, c.peer.station_id, c.peer.name,
                          sender_kind=c.peer.kind)
    # An older file than one already taken from this sender: a packet or a receipt would only
    # bring older data (skipped); a bundle's records are immutable, so it is merged, and if it
    # holds nothing new the merge is rolled back — either way nothing changes ("đã nhập").
    older = c.header.seq <= (c.peer.last_bundle_seq or 0)
    if _already(db, c) or (older and c.header.kind != "bundle"):
        return _replay(db, c, result)
    try:
        _apply(db, c, path, result, actor, progress, hook, older)
    except DataError:  # text PostgreSQL cannot hold (a NUL): the hub rolls the file back
        raise Refused.because("damaged") from None
    except IntegrityError:  # a UUID or key already held from another station
        raise Refused.because("foreign_record") from None
    except _NothingNew:
        return _replay(db, c, ImportResult(c.header.kind, c.peer.station_id, c.peer.name,
                          sender_kind=c.peer.kind))
    if hook is not None:
        hook("applied")
    return result


class _NothingNew(Exception):
    """An older bundle that held nothing HQ lacked: its transaction is rolled back."""


def _replay(db: StationDB, c: Checked, result: ImportResult) -> ImportResult:
    result.refused, result.reason = 1, "replay"
    if c.header.kind == "bundle":
        with db.Session() as s:
            result.receipt = receipt_for(s, db.station_id, c.peer.station_id)
    return result


def receipt_for(s: Any, me: str, sender: str) -> dict[str, Any]:
    """The receipt a bundle's sender gets: a laptop's from its HQ, an HQ's from the hub."""
    st = s.get(Station, me)
    if st is not None and st.kind == "hub":
        from db.sync.for_hub import hub_receipt_record

        return hub_receipt_record(s, sender)
    from db.sync.outgoing import receipt_record

    return receipt_record(s, sender)


def _apply(
    db: StationDB, c: Checked, path: Path, result: ImportResult, actor: Actor,
    progress: Progress | None, hook: Callable[[str], None] | None, older: bool,
) -> None:  # fmt: skip
    from db.sync import apply, for_hub, merge

    with db.import_session(c.peer.station_id) as s:
        _know(s, c.peer)
        if c.header.kind == "bundle":
            kind = None
            if c.peer.kind == "hq":  # this is the hub
                from db.hub.merge import HubMerge

                kind = HubMerge
            merge.merge(s, db.station_id, c, _records(path, c.box_private), result, progress,
                        hook, kind=kind)  # fmt: skip
        elif c.peer.kind == "hub":
            for_hub.take_receipt(s, db.station_id, c, _records(path, c.box_private), result)
        else:
            apply.apply(s, db.station_id, c, _records(path, c.box_private), result)
        if older and not result.added and not result.conflicts:
            raise _NothingNew()
        s.add(SyncBundle(uuid=c.header.bundle_uuid, origin_station_id=c.peer.station_id,
                         sha256=c.sha256, counts=result.to_json(), kind=c.header.kind,
                         seq=c.header.seq))  # fmt: skip
        peer = s.get(PairedStation, c.peer.station_id)
        assert peer is not None
        peer.last_bundle_at = now_utc()
        peer.last_bundle_seq = max(peer.last_bundle_seq or 0, c.header.seq)
        audit.append(s, db.station_id, actor,
                     "sync.import_bundle" if c.header.kind == "bundle" else "sync.import_packet"
                     if c.header.kind == "packet" else "sync.import_receipt", "station",
                     c.peer.station_id, f"added {result.added}, unchanged {result.unchanged}, "
                     f"conflicts {result.conflicts}")  # fmt: skip
        if c.header.kind == "bundle":
            s.flush()
            result.receipt = receipt_for(s, db.station_id, c.peer.station_id)
        if hook is not None:
            hook("applying")

"""The card lists as the printed sheets take them (printing/cards.py): the notice list of
cards waiting, by village, and the handover register people sign or thumbprint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from db.station import StationDB
from db.types import CardInfo
from db.vntime import local_date, now_utc

if TYPE_CHECKING:
    from printing.model import CardListData

KINDS = ("waiting", "handover")


def place_text(c: CardInfo) -> str:
    """How the card went out, in words ("Tại nhà: thôn Nà Hỳ 2"), "" while it waits."""
    from db.labels import CARD_PLACES, label

    if c.delivered_place is None:
        return ""
    said = label(CARD_PLACES, c.delivered_place)
    return f"{said}: {c.delivered_note}" if c.delivered_note else said


def card_list_sheet(db: StationDB, kind: str, cards: Sequence[CardInfo],
                    village: str | None = None, *,
                    public: bool = False) -> CardListData:  # fmt: skip
    from db.documents import print_station, unknown_village
    from db.models import Station
    from printing.model import CardLine, CardListData

    if kind not in KINDS:
        raise ValueError(f"unknown card list: {kind}")
    lines = tuple(
        CardLine(village=c.village or unknown_village(), name=c.full_name, birth=c.birth_text(),
                 personal_id=c.personal_id or "", slip_no=c.slip_no, phone=c.phone or "",
                 arrived=local_date(c.arrived_at) if c.arrived_at else None,
                 delivered=local_date(c.delivered_at) if c.delivered_at else None,
                 place=place_text(c), officer=c.delivered_by)
        for c in cards
    )  # fmt: skip
    with db.Session() as s:
        st = s.get(Station, db.station_id)
        training = bool(st is not None and st.training)
    return CardListData(station=print_station(db), kind=kind,  # type: ignore[arg-type]
                        generated_at=now_utc(), lines=lines, village=village or "",
                        training=training, public=public and kind == "waiting")  # fmt: skip

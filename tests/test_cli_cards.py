"""``main.py card`` as an officer runs it: read a card's QR text, record the cards that came,
hand one over, list those waiting; a second handover and a card that did not arrive refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import enrollment as en
from db import review
from db.actor import SYSTEM
from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from tests.cli_runner import run
from tests.db.enrollment_fixtures import captured, make_staff

QR = "{pid}|123456789|Nguyen Van An|15031989|Nam|Thon Dong, xa Na Hy|10082021"


@pytest.fixture
def station_dir(tmp_path: Path, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
                ) -> tuple[Path, list[tuple[str, str]]]:  # fmt: skip
    """A key-file station with three approved enrollments: (slip no, personal ID) of each."""
    from db.station import create_station

    monkeypatch.setenv("ENROLLMENT_STATION_PASSPHRASE", cli_env["ENROLLMENT_STATION_PASSPHRASE"])
    data = tmp_path / "station"
    db, _key = create_station(data, name="Công an xã Nà Hỳ", commune="Nà Hỳ",
                              key_store="keyfile")  # fmt: skip
    made = []
    try:
        import_rows(db, rows_for_import(12), file_name="t")
        staff = make_staff(db)
        from sqlalchemy import select

        from db.models import Resident

        with db.Session() as s:
            people = list(s.execute(select(Resident.id, Resident.personal_id).where(
                Resident.personal_id.is_not(None)).order_by(Resident.id).limit(3)))  # fmt: skip
        at = datetime.now(UTC) - timedelta(days=2)
        for rid, pid in people:
            e = en.submit(db, captured(db, rid, officer=staff["duc"].officer_id).uuid, now=at,
                          actor=SYSTEM)  # fmt: skip
            review.approve(db, e.uuid, actor=staff["boss"])
            made.append((str(e.receipt_no), str(pid)))
    finally:
        db.close()
    return data, made


def test_cards_from_the_command_line(station_dir: tuple[Path, list[tuple[str, str]]],
                                     tmp_path: Path, cli_env: dict[str, str]) -> None:  # fmt: skip
    data, made = station_dir
    d = ["--data-dir", str(data)]
    duc = dict(cli_env, ENROLLMENT_STATION_USER="duc")
    (slip1, pid1), (slip2, _pid2), (slip3, _pid3) = made

    out = run(cli_env, "card", "parse", QR.format(pid=pid1), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "personal_id": pid1, "old_id": "123456789", "full_name": "Nguyen Van An",
        "birth_date": "1989-03-15", "sex": "M", "address": "Thon Dong, xa Na Hy",
        "issued": "2021-08-10"}
    bad = run(cli_env, "card", "parse", "https://example.com/not-a-card")
    assert bad.returncode == 2 and "thẻ căn cước" in bad.stderr and "Traceback" not in bad.stderr

    out = run(duc, *d, "card", "arrived", QR.format(pid=pid1), slip2, "NH-2026-999999")
    assert out.returncode == 1, out.stderr  # one was not found: said, the others recorded
    assert "không tìm thấy" in out.stdout and "Đã ghi nhận 2 thẻ về." in out.stdout

    out = run(duc, *d, "card", "deliver", slip3, "--place", "hq")
    assert out.returncode == 2 and "chưa về" in out.stderr
    out = run(duc, *d, "card", "deliver", pid1, "--place", "post", "--note", "RR123456789VN")
    assert out.returncode == 0 and f"Đã trả thẻ {slip1}: Qua bưu điện." in out.stdout
    again = run(duc, *d, "card", "deliver", slip1, "--place", "hq")
    assert again.returncode == 2 and "đã được trả ngày" in again.stderr

    out = run(duc, *d, "card", "waiting", "--json")
    assert out.returncode == 0, out.stderr
    waiting = json.loads(out.stdout)
    assert [c["slip_no"] for c in waiting] == [slip2] and waiting[0]["status"] == "card_ready"
    out = run(duc, *d, "card", "waiting")
    assert "1 thẻ chờ trả" in out.stdout and slip2 in out.stdout
    out = run(duc, *d, "card", "waiting", "--out", str(tmp_path / "waiting.pdf"))
    assert out.returncode == 0, out.stderr
    from tests.printing.pdfcheck import pdf_text

    text = pdf_text((tmp_path / "waiting.pdf").read_bytes())
    assert slip2 in text and slip1 not in text and "chờ trả" in text
    assert _pid2 in text
    out = run(duc, *d, "card", "waiting", "--public", "--out", str(tmp_path / "public.pdf"))
    assert out.returncode == 0, out.stderr
    posted = pdf_text((tmp_path / "public.pdf").read_bytes())
    assert slip2 in posted and _pid2 not in posted and _pid2[-4:] in posted

    boss = dict(cli_env, ENROLLMENT_STATION_USER="boss")
    tally = json.loads(run(boss, *d, "tally", "--json").stdout)
    assert tally["cards"] == {"arrived": 2, "delivered": {"hq": 0, "home": 0, "post": 1}}
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    refused = run(admin, *d, "card", "waiting")
    assert refused.returncode == 2 and "không làm việc trả thẻ" in refused.stderr

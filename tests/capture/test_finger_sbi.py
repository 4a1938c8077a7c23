"""The MOSIP SBI client against a fake SBI service running in the test (tests/capture/sbi_fake.py):
discovery, device info, registration capture of slaps, thumbs and single fingers with
exceptions, the device's score, the signed data kept, and each way a device can fail."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pytest

from capture.fingerprint.fingers import SLAPS, Impression, Placement
from capture.fingerprint.sbi import BIO_SUBTYPES, SbiScanner, decode_bio_value
from capture.fingerprint.scanner import (
    ScanCancelled,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
)
from resources.problems import describe
from tests.capture.sbi_fake import FakeSbi, b64url, iso_record, ridges

RIGHT, LEFT, THUMBS = (Placement(f, Impression.SLAP) for f in SLAPS)


def closed_ports(n: int) -> list[int]:
    """Ports where nothing listens (taken from the OS, then let go)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.fixture
def fake() -> Iterator[FakeSbi]:
    with FakeSbi() as service:
        yield service


@pytest.fixture
def scanner(fake: FakeSbi) -> Iterator[SbiScanner]:
    with SbiScanner(ports=[fake.port], grace=0.3) as s:
        assert isinstance(s, SbiScanner)
        yield s


def captures(fake: FakeSbi) -> list[dict]:
    return [body for verb, _path, body in fake.requests if verb == "RCAPTURE"]


def test_discovery_finds_the_service_among_closed_ports(fake: FakeSbi) -> None:
    s = SbiScanner(ports=[*closed_ports(5), fake.port])
    info = s.open()
    assert s.is_open and s.device is not None and s.device.port == fake.port
    assert (info.backend, info.model, info.serial, info.offers_slaps) == (
        "sbi", "Fake SLAP01", "FAKE00000001", True)  # fmt: skip
    assert s.offers_slaps
    verbs = [(v, p) for v, p, _b in fake.requests]
    assert verbs == [("MOSIPDISC", "/device"), ("MOSIPDINFO", "/info")]
    assert fake.requests[0][2] == {"type": "Finger"}
    # the fingerprint device's signed info is kept, not the face camera's listed before it
    assert s.device.device_id == "fake-slap-1" and s.device.device_info.count(".") == 2
    s.close()
    s.close()
    assert not s.is_open and not s.offers_slaps


def test_no_service_on_any_port() -> None:
    s = SbiScanner(ports=closed_ports(20))
    with pytest.raises(ScannerNotFound) as err:
        s.open()
    assert "plugged in" in str(err.value) and not s.is_open


def test_a_single_finger_device_is_no_slap_scanner() -> None:
    with FakeSbi(sub_type="Single") as service:
        s = SbiScanner(ports=[service.port])
        assert s.open().offers_slaps is False


def test_right_slap(fake: FakeSbi, scanner: SbiScanner) -> None:
    states: list[ScanState] = []
    scan = scanner.capture(RIGHT, timeout=10, on_state=states.append)
    assert states == [ScanState.WAITING, ScanState.DONE]
    assert sorted(scan.fingers) == [2, 3, 4, 5] and scan.placement == RIGHT
    for code, finger in scan.fingers.items():
        assert finger.finger == code and finger.device_score == 82
        assert finger.image.dtype == np.uint8 and finger.image.shape == (440, 360)
        assert np.array_equal(finger.image, ridges(code))  # PNG is lossless
    body = captures(fake)[0]
    assert (body["env"], body["purpose"], body["specVersion"], body["timeout"]) == (
        "Developer", "Registration", "0.9.5", "10000")  # fmt: skip
    assert datetime.fromisoformat(body["captureTime"]).tzinfo is not None
    assert re.fullmatch(r"[A-Za-z0-9-]{4,50}", body["transactionId"])
    assert body["customOpts"] is None and "domainUri" not in body
    assert body["bio"] == [{
        "type": "Finger", "count": "4",
        "bioSubType": ["Right IndexFinger", "Right MiddleFinger", "Right RingFinger",
                       "Right LittleFinger"],
        "exception": [], "requestedScore": "40", "deviceId": "fake-slap-1",
        "deviceSubId": "2", "previousHash": "",
    }]  # fmt: skip


def test_the_signed_data_is_kept_for_the_record(fake: FakeSbi, scanner: SbiScanner) -> None:
    scan = scanner.capture(LEFT, timeout=10)
    data = json.loads(scan.extra["sbi_data"])
    assert len(data) == 4 and all(d.count(".") == 2 for d in data)
    assert len(json.loads(scan.extra["sbi_hash"])) == 4
    assert scan.extra["sbi_hash_chain"] == "verified"
    assert scan.extra["sbi_transaction_id"] == captures(fake)[0]["transactionId"]
    assert scan.extra["sbi_device_info"] == scanner.device.device_info  # type: ignore[union-attr]
    assert scan.extra["sbi_spec_version"] == "0.9.5"
    assert all(isinstance(v, str) for v in scan.extra.values())


def test_exceptions_are_sent_and_not_returned(fake: FakeSbi, scanner: SbiScanner) -> None:
    scan = scanner.capture(LEFT, timeout=10, skip={8, 10})
    assert sorted(scan.fingers) == [7, 9]
    bio = captures(fake)[0]["bio"][0]
    assert (bio["deviceSubId"], bio["count"]) == ("1", "2")
    assert bio["exception"] == ["Left MiddleFinger", "Left LittleFinger"]
    assert bio["bioSubType"] == ["Left IndexFinger", "Left RingFinger"]


def test_thumbs_and_a_score_below_the_threshold(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.quality = 35.6
    scan = scanner.capture(THUMBS, timeout=10)
    assert sorted(scan.fingers) == [1, 6]
    assert {f.device_score for f in scan.fingers.values()} == {36}
    assert captures(fake)[0]["bio"][0]["deviceSubId"] == "3"


def test_one_finger_on_a_slap_scanner(fake: FakeSbi, scanner: SbiScanner) -> None:
    """A single flat (or rolled) finger is the slap sensor with the others as exceptions."""
    scan = scanner.capture(Placement((3,), Impression.ROLLED), timeout=10)
    assert list(scan.fingers) == [3]
    bio = captures(fake)[0]["bio"][0]
    assert (bio["deviceSubId"], bio["count"]) == ("2", "1")
    assert bio["bioSubType"] == ["Right MiddleFinger"]
    assert bio["exception"] == ["Right IndexFinger", "Right RingFinger", "Right LittleFinger"]


def test_every_finger_skipped_asks_nothing(fake: FakeSbi, scanner: SbiScanner) -> None:
    assert scanner.capture(THUMBS, skip={1, 6}).fingers == {}
    assert captures(fake) == []


def test_a_finger_the_device_could_not_take_is_absent(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.absent = {"Right RingFinger"}
    scan = scanner.capture(RIGHT, timeout=10)
    assert sorted(scan.fingers) == [2, 3, 5]
    assert scan.extra["sbi_hash_chain"] == "verified"  # the chain restarts after an error entry
    data, hashes = json.loads(scan.extra["sbi_data"]), json.loads(scan.extra["sbi_hash"])
    assert [bool(d) for d in data] == [bool(h) for h in hashes] == [True, True, False, True]


@pytest.mark.parametrize("image_format", ["WSQ", "JPEG2000"])
@pytest.mark.parametrize("record", ["2011", "2005", "bare"])
def test_image_formats(image_format: str, record: str) -> None:
    with FakeSbi(image_format=image_format, record=record) as service:
        s = SbiScanner(ports=[service.port])
        s.open()
        scan = s.capture(THUMBS, timeout=10)
    for code, finger in scan.fingers.items():
        truth = ridges(code).astype(float)
        assert finger.image.shape == truth.shape
        assert np.corrcoef(finger.image.ravel(), truth.ravel())[0, 1] > 0.9


def test_an_uncompressed_record() -> None:
    img = ridges(4, 60, 40)
    rec = bytearray(iso_record(img, 4, "PNG", "2011", 50))
    # made compression 0 (uncompressed): general header 16, representation header up to the
    # quality block 18 + 6, position, number, units 3, sampling rates 8, bit depth 1
    at = 16 + 18 + 6 + 3 + 8 + 1
    assert rec[at - 1 : at + 1] == bytes([8, 6])  # 8 bits, PNG
    rec[at] = 0
    rec = rec[: at + 1 + 1 + 4] + img.size.to_bytes(4, "big") + img.tobytes()
    assert np.array_equal(decode_bio_value(bytes(rec)), img)


def test_the_device_disconnects_mid_capture(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.mode = "disconnect"
    with pytest.raises(ScannerDisconnected):
        scanner.capture(RIGHT, timeout=10)
    assert not scanner.is_open  # reopen (or fall back to the image folder)


def test_the_service_is_gone(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.stop()
    with pytest.raises(ScannerDisconnected):
        scanner.capture(RIGHT, timeout=10)


def test_the_device_times_out(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.mode, fake.error_code = "error", "701"
    with pytest.raises(ScanTimeout) as err:
        scanner.capture(RIGHT, timeout=7)
    assert err.value.fields == {"seconds": 7}


def test_the_device_hangs_past_the_timeout(fake: FakeSbi, scanner: SbiScanner) -> None:
    fake.mode = "hang"
    with pytest.raises(ScanTimeout):
        scanner.capture(RIGHT, timeout=0.2)


@pytest.mark.parametrize(("code", "error"), [
    ("101", ScanTimeout), ("503", ScannerDisconnected), ("111", ScannerError),
    ("100", ScannerError), ("5x", ScannerError),
])  # fmt: skip
def test_device_error_codes(fake: FakeSbi, scanner: SbiScanner, code: str, error: type) -> None:
    fake.mode, fake.error_code = "error", code
    with pytest.raises(error) as err:
        scanner.capture(RIGHT, timeout=5)
    assert type(err.value) is error
    if code == "100":
        assert err.value.fields == {"code": "100"}
    if code == "111":
        assert "busy" in str(err.value)


@pytest.mark.parametrize("mode", ["garbage", "bad_jwt"])
def test_a_malformed_answer(fake: FakeSbi, scanner: SbiScanner, mode: str) -> None:
    fake.mode = mode
    with pytest.raises(ScannerError) as err:
        scanner.capture(RIGHT, timeout=5)
    assert type(err.value) is ScannerError
    assert str(err.value) == "The fingerprint scanner's answer cannot be read."
    assert describe(err.value) != str(err.value)  # said in Vietnamese


def test_cancel_before_and_while_waiting(fake: FakeSbi, scanner: SbiScanner) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(ScanCancelled):
        scanner.capture(RIGHT, cancel=stop)
    assert captures(fake) == []
    fake.mode = "hang"
    stop.clear()
    threading.Thread(target=lambda: fake.captured.wait(5) and stop.set(), daemon=True).start()
    with pytest.raises(ScanCancelled):
        scanner.capture(RIGHT, timeout=30, cancel=stop)


def test_capture_needs_an_open_scanner() -> None:
    with pytest.raises(ScannerError):
        SbiScanner(ports=[]).capture(RIGHT)


def test_bio_subtype_names_follow_the_finger_codes() -> None:
    assert BIO_SUBTYPES[1] == "Right Thumb" and BIO_SUBTYPES[6] == "Left Thumb"
    right = ["Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger"]
    assert [BIO_SUBTYPES[f] for f in SLAPS[0]] == right
    assert len(set(BIO_SUBTYPES.values())) == 10


def test_garbage_bio_values_are_refused() -> None:
    for raw in (b"", b"FIR\x00", b"FIR\x00020\x00" + b"\x00" * 10, b"FIR\x00999\x00",
                b"\x89PNG\r\n\x1a\n broken", b"hello"):  # fmt: skip
        with pytest.raises(ScannerError):
            decode_bio_value(raw)
    assert b64url(b"x") == "eA"

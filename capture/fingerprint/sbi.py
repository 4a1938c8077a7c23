"""A MOSIP SBI scanner: the open device interface many ID fingerprint scanners speak.

MOSIP's Secure Biometric Interface (SBI 0.9.5, called MDS — MOSIP Device Service — before;
mosip/documentation ``docs/MOSIP-Device-Service-Specification.md`` and
``docs/secure-biometric-interface.md``) is a vendor service on the station's own computer that
answers HTTP on ``127.0.0.1`` (never ``localhost``), on one of the ports 4501–4600, with three
custom verbs we use:

- ``MOSIPDISC /device`` with ``{"type": "Finger"}``: a list of devices (``deviceId``,
  ``deviceStatus``, ``deviceSubId``, ``callbackId``, an unsigned ``digitalId``, …). Ports are
  tried in order with a short connect timeout; a refused port costs nothing on loopback, so
  the whole range takes a few milliseconds when no service runs.
- ``MOSIPDINFO /info``: ``[{"deviceInfo": JWT, "error": …}]``. The JWT (header.payload.
  signature, base64url; a bare base64url payload when the device is not registered) is
  decoded without verifying it — the station has no MOSIP trust root — and kept as it came
  (``Scan.extra["sbi_device_info"]``) so that it can be verified later.
- ``RCAPTURE /capture`` (registration capture) with ``env``, ``purpose: "Registration"``,
  ``specVersion``, ``timeout`` (ms), ``captureTime``, ``transactionId`` and one ``bio`` entry:
  ``type: "Finger"``, ``count``, ``bioSubType`` (the fingers wanted), ``exception`` (the
  fingers of that sensor not to take), ``requestedScore``, ``deviceId``, ``deviceSubId`` (1 the
  left slap, 2 the right slap, 3 the two thumbs, 0 unknown) and ``previousHash``; no
  ``domainUri`` (that belongs to the authentication ``CAPTURE``). The numbers go as strings:
  MOSIP's compliance toolkit (mosip/mosip-compliance-toolkit
  ``resources/schemas/sbi/0.9.5/RegistrationCaptureRequestSchema.json``) requires them so,
  and MOSIP's mock service (mosip/mosip-mock-services ``MockMDS``) accepts either.

The answer is ``{"biometrics": [{"specVersion", "data": JWT, "hash", "error": {"errorCode",
"errorInfo"}}]}``, one entry per finger; the JWT's payload has ``bioType``, ``bioSubType``
(``"Right IndexFinger"``, ``"Left Thumb"``, …), ``bioValue`` (base64url ISO/IEC 19794-4 finger
image record: JPEG 2000 lossless by MOSIP's rules, WSQ or PNG from some devices; a bare image
is accepted too), ``qualityScore`` (the device's own, 0–100, kept as
``ScannedFinger.device_score``), ``transactionId``, ``timestamp``. The signed ``data`` strings
and hashes are kept as they came (``Scan.extra["sbi_data"]``, ``["sbi_hash"]``: JSON lists,
one entry per ``biometrics`` entry in the device's order, ``""`` for an error entry)
and the hash chain — sha256(previous hash + sha256(bioValue)), as MOSIP's mock computes it —
is checked and its result recorded (``["sbi_hash_chain"]``); a device that computes it
otherwise is still used.

Errors: no service on any port → :class:`ScannerNotFound`; a refused or dropped connection →
:class:`ScannerDisconnected`; the device's capture timeout (701) or "no biometric object"
(101), or no answer by the timeout plus a grace → :class:`ScanTimeout`; busy / not ready →
:class:`ScannerError` saying so; anything malformed → :class:`ScannerError` (messages never
quote the device's answer).

Cancelling: SBI has no cancel verb; the capture is one blocking request, so ``cancel`` is
checked before it and polled while waiting for the answer — when it is set the connection is
closed and :class:`ScanCancelled` raised at once (the device itself stops at its timeout). No
live preview: SBI's ``STREAM`` (M-JPEG) is not read, ``on_preview`` is not called.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import importlib
import io
import json
import logging
import math
import select
import struct
import threading
import time
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import numpy as np

from capture.fingerprint.fingers import SLAPS, Placement
from capture.fingerprint.scanner import (
    DEFAULT_TIMEOUT,
    DeviceInfo,
    PreviewCallback,
    Scan,
    ScanCancelled,
    ScannedFinger,
    Scanner,
    ScannerDisconnected,
    ScannerError,
    ScannerNotFound,
    ScanState,
    ScanTimeout,
    StateCallback,
)
from resources.i18n import N_

log = logging.getLogger(__name__)

SPEC_VERSION = "0.9.5"
PORTS = range(4501, 4601)
APP_NAME = "enrollment-station"

BIO_SUBTYPES: dict[int, str] = {
    1: "Right Thumb",
    2: "Right IndexFinger",
    3: "Right MiddleFinger",
    4: "Right RingFinger",
    5: "Right LittleFinger",
    6: "Left Thumb",
    7: "Left IndexFinger",
    8: "Left MiddleFinger",
    9: "Left RingFinger",
    10: "Left LittleFinger",
}
"""SBI ``bioSubType`` names of our finger codes (ISO/IEC 19794-4 positions 1–10)."""
FINGER_OF: dict[str, int] = {name: code for code, name in BIO_SUBTYPES.items()}

SUB_IDS: dict[tuple[int, ...], str] = {SLAPS[1]: "1", SLAPS[0]: "2", SLAPS[2]: "3"}
"""``deviceSubId`` of each sensor of a slap scanner: 1 left slap, 2 right slap, 3 thumbs."""

TIMEOUT_CODES = frozenset({"701", "801", "609"})  # capture / auth capture / stream timed out
NO_FINGER_CODES = frozenset({"101"})  # unable to detect a biometric object
GONE_CODES = frozenset({"106", "202", "503", "605", "705"})  # device not found / connected
BUSY_CODES = frozenset({"110", "111", "607", "703"})  # not ready, busy, capture in progress

MAX_ANSWER = 64 * 1024 * 1024
"""Largest answer read (ten JPEG 2000 fingers are ~3 MB)."""
MAX_PIXELS = 16_000_000
"""Largest finger image decoded (a four-finger slap at 1000 ppi is ~10 MP)."""
PICTURE_FORMATS = ("PNG", "JPEG", "JPEG2000", "WSQ", "BMP")


class _Unreachable(Exception):
    """Nothing answers on that port (refused, or the connect timed out)."""


class _Dropped(Exception):
    """The service closed or reset the connection before answering."""


class _Slow(Exception):
    """No answer before the deadline."""


class _Cancelled(Exception):
    pass


class _BadAnswer(Exception):
    """Not an SBI answer: HTTP error status, broken HTTP, not JSON, wrong shape, too big."""


def _unreadable() -> ScannerError:
    return ScannerError(N_("The fingerprint scanner's answer cannot be read."))


@dataclass(frozen=True)
class SbiDevice:
    """The device found by discovery and described by MOSIPDINFO."""

    port: int
    device_id: str
    sub_ids: tuple[str, ...]
    sub_type: str  # "Slap", "Single", "Touchless"
    status: str
    make: str = ""
    model: str = ""
    serial: str = ""
    certification: str = ""
    service_version: str = ""
    device_info: str = ""  # the signed MOSIPDINFO deviceInfo, as it came


class SbiScanner(Scanner):
    """A fingerprint scanner behind a MOSIP SBI service on this computer."""

    backend: ClassVar[str] = "sbi"

    def __init__(
        self,
        host: str = "127.0.0.1",
        ports: Iterable[int] = PORTS,
        env: str = "Developer",
        connect_timeout: float = 0.2,
        *,
        answer_timeout: float = 2.0,
        grace: float = 5.0,
        requested_score: int = 40,
    ) -> None:
        """``env``: the MOSIP environment the device is registered for ("Developer",
        "Staging", "Pre-Production", "Production"). ``answer_timeout``: how long discovery and
        device info may take on a port that accepted the connection. ``grace``: how long past
        the capture timeout to wait for the device's own answer before giving up."""
        self.host = host
        self.ports = tuple(ports)
        self.env = env
        self.connect_timeout = connect_timeout
        self.answer_timeout = answer_timeout
        self.grace = grace
        self.requested_score = requested_score
        self.device: SbiDevice | None = None

    # --- Scanner ---------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.device is not None

    @property
    def offers_slaps(self) -> bool:
        return self.device is not None and self.device.sub_type == "Slap"

    def open(self) -> DeviceInfo:
        self.device = self._describe(*self._discover())
        d = self.device
        log.info("SBI fingerprint scanner on port %d: %s %s (%s, %s)", d.port, d.make, d.model,
                 d.sub_type, d.status)  # fmt: skip
        return DeviceInfo(backend=self.backend, model=f"{d.make} {d.model}".strip(),
                          serial=d.serial, offers_slaps=self.offers_slaps)  # fmt: skip

    def close(self) -> None:
        self.device = None  # SBI keeps no session: nothing to release

    def capture(
        self,
        placement: Placement,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        skip: Collection[int] = (),
        on_state: StateCallback | None = None,
        on_preview: PreviewCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Scan:
        device = self.device
        if device is None:
            raise ScannerError(N_("The fingerprint scanner is not open."))
        if cancel is not None and cancel.is_set():
            raise ScanCancelled()
        skipped = set(skip)
        wanted = [f for f in placement.fingers if f not in skipped]
        if not wanted:
            return Scan(placement, {})
        request = self.capture_request(device, placement, wanted, timeout)
        _tell(on_state, ScanState.WAITING)
        try:
            answer = self._call(device.port, "RCAPTURE", "/capture", request,
                                wait=timeout + self.grace, cancel=cancel)  # fmt: skip
        except (_Unreachable, _Dropped) as exc:
            self.device = None
            raise ScannerDisconnected() from exc
        except _Slow as exc:
            raise ScanTimeout(seconds=round(timeout)) from exc
        except _Cancelled as exc:
            raise ScanCancelled() from exc
        except _BadAnswer as exc:
            raise _unreadable() from exc
        scan = self._scan(answer, placement, wanted, device, request, timeout)
        _tell(on_state, ScanState.DONE)
        return scan

    # --- discovery ---------------------------------------------------------------------------

    def _discover(self) -> tuple[int, dict[str, Any]]:
        """The first port whose service lists a fingerprint device, and that device."""
        for port in self.ports:
            try:
                answer = self._call(port, "MOSIPDISC", "/device", {"type": "Finger"},
                                    wait=self.answer_timeout)  # fmt: skip
            except (_Unreachable, _Dropped, _Slow, _BadAnswer, _Cancelled):
                continue  # no SBI service there (or something else on the port)
            for entry in answer if isinstance(answer, list) else []:
                if isinstance(entry, dict) and _is_finger(entry):
                    return port, entry
        raise ScannerNotFound()

    def _describe(self, port: int, found: dict[str, Any]) -> SbiDevice:
        """MOSIPDINFO for the device discovery found (its callback port when it gives one)."""
        port = _callback_port(found.get("callbackId"), self.host) or port
        try:
            answer = self._call(port, "MOSIPDINFO", "/info", None, wait=self.answer_timeout)
        except (_Unreachable, _Dropped) as exc:
            raise ScannerDisconnected() from exc
        except (_Slow, _BadAnswer, _Cancelled) as exc:
            raise _unreadable() from exc
        info, raw = _pick_info(answer, str(found.get("deviceId", "")))
        digital = _digital_id(info.get("digitalId")) or _digital_id(found.get("digitalId"))
        sub_ids = info.get("deviceSubId") or found.get("deviceSubId") or []
        return SbiDevice(
            port=port,
            device_id=str(info.get("deviceId") or found.get("deviceId") or ""),
            sub_ids=tuple(str(s) for s in sub_ids) if isinstance(sub_ids, list) else (),
            sub_type=str(digital.get("deviceSubType", "")),
            status=str(info.get("deviceStatus") or found.get("deviceStatus") or ""),
            make=str(digital.get("make", "")),
            model=str(digital.get("model", "")),
            serial=str(digital.get("serialNo", "")),
            certification=str(info.get("certification", "")),
            service_version=str(info.get("serviceVersion", "")),
            device_info=raw,
        )

    # --- capture -----------------------------------------------------------------------------

    def capture_request(
        self, device: SbiDevice, placement: Placement, wanted: Sequence[int], timeout: float
    ) -> dict[str, Any]:
        """The RCAPTURE body for ``wanted`` fingers of ``placement`` (SBI 0.9.5)."""
        sensor = next((group for group in SLAPS if set(placement.fingers) <= set(group)), None)
        if device.sub_type == "Slap" and sensor is not None:
            sub_id = SUB_IDS[sensor]
            exceptions = [f for f in sensor if f not in wanted]
        else:  # a single-finger device: its own (first) sensor
            sub_id = device.sub_ids[0] if device.sub_ids else "0"
            exceptions = [f for f in placement.fingers if f not in wanted]
        now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {
            "env": self.env,
            "purpose": "Registration",
            "specVersion": SPEC_VERSION,
            "timeout": str(max(1, round(timeout * 1000))),
            "captureTime": now,
            "transactionId": str(uuid.uuid4()),
            "bio": [
                {
                    "type": "Finger",
                    "count": str(len(wanted)),
                    "bioSubType": [BIO_SUBTYPES[f] for f in wanted],
                    "exception": [BIO_SUBTYPES[f] for f in exceptions],
                    "requestedScore": str(self.requested_score),
                    "deviceId": device.device_id,
                    "deviceSubId": sub_id,
                    "previousHash": "",
                }
            ],
            "customOpts": None,
        }

    def _scan(
        self,
        answer: Any,
        placement: Placement,
        wanted: Sequence[int],
        device: SbiDevice,
        request: dict[str, Any],
        timeout: float,
    ) -> Scan:
        items = answer.get("biometrics") if isinstance(answer, dict) else None
        if not isinstance(items, list) or not items:
            raise _unreadable()
        fingers: dict[int, ScannedFinger] = {}
        codes: list[str] = []
        signed: list[str] = []  # each entry's data and hash as they came, in order
        hashes: list[str] = []
        chain: list[tuple[bytes | None, str]] = []
        for item in items:
            if not isinstance(item, dict):
                raise _unreadable()
            code = _error_code(item.get("error"))
            data = item.get("data")
            hashes.append(str(item.get("hash") or ""))
            signed.append(data if isinstance(data, str) else json.dumps(data) if data else "")
            if code != "0" or not data:
                codes.append(code)
                chain.append((None, hashes[-1]))
                continue
            payload = _jws_payload(data) if isinstance(data, str) else data
            if not isinstance(payload, dict):
                raise _unreadable()
            raw = _b64decode(payload.get("bioValue"))
            chain.append((raw, hashes[-1]))
            finger = _finger_of(payload, wanted, fingers)
            if finger is None:
                continue  # another modality, a finger not asked for, or one we have
            fingers[finger] = ScannedFinger(finger, decode_bio_value(raw),
                                            _score(payload.get("qualityScore")))  # fmt: skip
        if not fingers:
            raise _device_error(codes[0] if codes else "", timeout)
        extra = {
            "sbi_data": json.dumps(signed),
            "sbi_hash": json.dumps(hashes),
            "sbi_hash_chain": "verified" if _chain_ok(chain) else "mismatch",
            "sbi_transaction_id": str(request["transactionId"]),
            "sbi_spec_version": SPEC_VERSION,
            "sbi_device_info": device.device_info,
        }
        return Scan(placement, fingers, extra=extra)

    # --- HTTP --------------------------------------------------------------------------------

    def _call(
        self,
        port: int,
        method: str,
        path: str,
        body: Any,
        *,
        wait: float,
        cancel: threading.Event | None = None,
    ) -> Any:
        """One SBI request; the answer's JSON. Waits ``wait`` seconds at most for the answer to
        begin, polling ``cancel``."""
        conn = http.client.HTTPConnection(self.host, port, timeout=self.connect_timeout)
        try:
            try:
                conn.connect()
            except OSError as exc:  # refused, timed out, unreachable
                raise _Unreachable() from exc
            payload = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json", "Accept": "application/json",
                       "EXT": APP_NAME}  # fmt: skip
            try:
                conn.request(method, path, body=payload, headers=headers)
                _await(conn, wait, cancel)
                response = conn.getresponse()
                length = response.getheader("Content-Length")
                if length is not None and length.isdigit() and int(length) > MAX_ANSWER:
                    raise _BadAnswer()
                text = response.read(MAX_ANSWER + 1)
            except (ConnectionError, http.client.IncompleteRead) as exc:
                raise _Dropped() from exc  # RemoteDisconnected is a ConnectionResetError
            except TimeoutError as exc:  # the answer began but stalled
                raise _Slow() from exc
            except (http.client.HTTPException, OSError) as exc:
                raise _BadAnswer() from exc
            if response.status != 200 or len(text) > MAX_ANSWER:
                raise _BadAnswer()
            try:
                return json.loads(text)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise _BadAnswer() from exc
        finally:
            conn.close()


def _await(conn: http.client.HTTPConnection, wait: float, cancel: threading.Event | None) -> None:
    """Wait for the answer to begin (the device answers when the finger is taken)."""
    sock = conn.sock
    if sock is None:
        raise _Dropped()
    deadline = time.monotonic() + wait
    while True:
        if cancel is not None and cancel.is_set():
            raise _Cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Slow()
        readable, _, _ = select.select([sock], [], [], min(0.1, left))
        if readable:
            sock.settimeout(max(left, 5.0))  # the rest of the answer may be megabytes
            return


def _tell(on_state: StateCallback | None, state: ScanState) -> None:
    if on_state is not None:
        on_state(state)


def _device_error(code: str, timeout: float) -> ScannerError:
    """The scanner error for an SBI error code (the device took no finger)."""
    if code in TIMEOUT_CODES or code in NO_FINGER_CODES:
        return ScanTimeout(seconds=round(timeout))
    if code in GONE_CODES:
        return ScannerDisconnected()
    if code in BUSY_CODES:
        return ScannerError(
            N_("The fingerprint scanner is busy or not ready: wait a moment and try again.")
        )
    if code.isdigit() and len(code) <= 6:
        return ScannerError(N_("The fingerprint scanner reported error {code}."), code=code)
    return _unreadable()


def _error_code(error: Any) -> str:
    if error is None:
        return "0"
    if not isinstance(error, dict):
        return "?"
    code = error.get("errorCode", "0")
    return str(code).strip() if code is not None else "0"


# --- JWT and the device's identity --------------------------------------------------------------


def _b64decode(text: Any) -> bytes:
    """base64url (padding optional; plain base64 accepted too)."""
    if not isinstance(text, str) or not text:
        raise _unreadable()
    clean = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.urlsafe_b64decode(clean + "=" * (-len(clean) % 4))
    except (binascii.Error, ValueError) as exc:
        raise _unreadable() from exc


def _jws_payload(token: str) -> Any:
    """The JSON payload of a JWS (``header.payload.signature``) or of a bare base64url
    payload (an unregistered device's unsigned form). The signature is not checked."""
    parts = token.strip().split(".")
    if len(parts) not in (1, 3):
        raise _unreadable()
    try:
        return json.loads(_b64decode(parts[0] if len(parts) == 1 else parts[1]))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable() from exc


def _digital_id(value: Any) -> dict[str, Any]:
    """A digital ID (signed, unsigned or already decoded); empty when absent or unreadable."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value:
        return {}
    try:
        decoded = _jws_payload(value)
    except ScannerError:
        return {}
    return decoded if isinstance(decoded, dict) else {}


def _is_finger(entry: dict[str, Any]) -> bool:
    kind = _digital_id(entry.get("digitalId")).get("type")
    return kind in (None, "Finger")  # we asked for fingers: trust a service that omits it


def _pick_info(answer: Any, device_id: str) -> tuple[dict[str, Any], str]:
    """The fingerprint device's decoded deviceInfo and its raw (signed) string."""
    if not isinstance(answer, list):
        raise _unreadable()
    best: tuple[dict[str, Any], str] | None = None
    for entry in answer:
        raw = entry.get("deviceInfo") if isinstance(entry, dict) else None
        if not isinstance(raw, str) or not raw:
            continue
        try:
            info = _jws_payload(raw)
        except ScannerError:
            continue
        if not isinstance(info, dict) or _digital_id(info.get("digitalId")).get("type") not in (
            None, "Finger"
        ):  # fmt: skip
            continue
        if best is None or str(info.get("deviceId", "")) == device_id:
            best = (info, raw)
    if best is None:
        raise _unreadable()
    return best


def _callback_port(callback: Any, host: str) -> int | None:
    """The port of a discovery ``callbackId`` — only if it is this computer: biometrics are
    never sent anywhere a device service names."""
    if not isinstance(callback, str) or not callback.startswith("http"):
        return None
    try:
        url = urlsplit(callback)
        port = url.port
    except ValueError:
        return None
    return port if url.hostname in {host, "127.0.0.1"} and port else None


def _finger_of(payload: dict[str, Any], wanted: Sequence[int], have: dict[int, Any]) -> int | None:
    if payload.get("bioType", "Finger") != "Finger":
        return None
    name = payload.get("bioSubType")
    finger = FINGER_OF.get(name) if isinstance(name, str) else None
    if finger is None and name == "UNKNOWN" and len(wanted) == 1:
        finger = wanted[0]  # a single-finger device that does not name the finger
    if finger is None or finger not in wanted or finger in have:
        return None
    return finger


def _score(value: Any) -> int | None:
    """The device's quality score as an int 0–100 (SBI sends a float as text)."""
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(score):
        return None
    return round(min(100.0, max(0.0, score)))


def _chain_ok(chain: Sequence[tuple[bytes | None, str]]) -> bool:
    """Each block's hash is sha256(previous hash + sha256(bioValue)), hex (the first block's
    "previous" is the hash of the empty string)."""
    previous = ""
    for raw, given in chain:
        if raw is not None:
            try:
                before = bytes.fromhex(previous) if previous else hashlib.sha256(b"").digest()
            except ValueError:
                return False
            expected = hashlib.sha256(before + hashlib.sha256(raw).digest()).hexdigest()
            if expected.upper() != given.upper():
                return False
        previous = given
    return True


# --- ISO/IEC 19794-4 finger image records -----------------------------------------------------

# Image compression codes 0 and 1 (both editions): uncompressed, uncompressed bit-packed. The
# others (WSQ 2, JPEG 3, JPEG 2000 4-5, PNG 6 in 2011 / 5 in 2005) are recognised by their bytes.
_RAW, _PACKED = 0, 1


def decode_bio_value(raw: bytes) -> np.ndarray:
    """The finger image (grey uint8) in an SBI ``bioValue``: an ISO/IEC 19794-4 finger image
    record (2011 ``FIR\\0 020\\0`` or 2005 ``010\\0``; its first representation) or a bare
    PNG / JPEG / JPEG 2000 / WSQ / BMP image."""
    if raw[:4] != b"FIR\x00":
        return _picture(raw)
    try:
        if raw[4:8] == b"020\x00":
            width, height, depth, compression, image = _fir_2011(raw)
        elif raw[4:8] == b"010\x00":
            width, height, depth, compression, image = _fir_2005(raw)
        else:
            raise _unreadable()
    except (struct.error, IndexError) as exc:
        raise _unreadable() from exc
    if width * height > MAX_PIXELS or width == 0 or height == 0:
        raise _unreadable()
    if compression == _RAW and depth == 8:
        if len(image) < width * height:
            raise _unreadable()
        return np.frombuffer(image, np.uint8, width * height).reshape(height, width).copy()
    if compression in (_RAW, _PACKED):
        raise _unreadable()  # other bit depths, bit packing: no device of ours sends them
    return _picture(image)


def _fir_2011(raw: bytes) -> tuple[int, int, int, int, bytes]:
    """ISO/IEC 19794-4:2011: general header (16 bytes), representation header, image."""
    cert_flag = raw[14]
    at = 16 + 4 + 9 + 1 + 2 + 2  # representation length, capture time, device ids
    at += 1 + 5 * raw[at]  # quality blocks
    if cert_flag:
        at += 1 + 3 * raw[at]  # certification blocks
    (_pos, _num, _units, _sh, _sv, _ih, _iv, depth, compression, _impression, width, height,
     length) = struct.unpack_from(">BBBHHHHBBBHHI", raw, at)  # fmt: skip
    at += 22
    return width, height, depth, compression, raw[at : at + length]


def _fir_2005(raw: bytes) -> tuple[int, int, int, int, bytes]:
    """ISO/IEC 19794-4:2005: general header (32 bytes), finger header (14 bytes), image."""
    depth, compression = raw[28], raw[29]  # 0 raw, 1 bit-packed, else sniffed by Pillow
    length, _pos, _views, _view, _quality, _impression, width, height = struct.unpack_from(
        ">IBBBBBHH", raw, 32
    )
    return width, height, depth, compression, raw[46 : 32 + length]


def _picture(data: bytes) -> np.ndarray:
    """A compressed finger image decoded by Pillow (WSQ through IDEMIA's plugin)."""
    from PIL import Image, UnidentifiedImageError

    importlib.import_module("wsq")  # registers the WSQ format with Pillow

    try:
        with Image.open(io.BytesIO(data), formats=PICTURE_FORMATS) as img:
            if img.width * img.height > MAX_PIXELS:
                raise _unreadable()
            grey = np.asarray(img.convert("L"), dtype=np.uint8).copy()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _unreadable() from exc
    if grey.ndim != 2 or grey.size == 0:
        raise _unreadable()
    return grey

"""A small fake MOSIP SBI 0.9.5 service for tests: a slap scanner on 127.0.0.1.

It answers ``MOSIPDISC /device``, ``MOSIPDINFO /info`` and ``RCAPTURE /capture`` as the
specification (mosip/documentation ``docs/MOSIP-Device-Service-Specification.md``) and MOSIP's
own mock (mosip/mosip-mock-services ``MockMDS``) do: JWTs that are well formed but carry a
dummy signature, ISO/IEC 19794-4 finger image records wrapping synthetic ridge images (PNG,
WSQ or JPEG 2000), the hash chain, the error entries. It checks a capture request the way the
mock does (count + exceptions fill the sensor, names valid for it) and can be told to

- give another ``quality`` score, images in another ``image_format``, a 2005 record or a bare
  image (``record``), leave fingers out (``absent``: an error entry in their place);
- ``mode = "hang"``: answer nothing until the test ends; ``"disconnect"``: close the
  connection mid-capture; ``"error"``: answer ``error_code``; ``"garbage"``: not JSON;
  ``"bad_jwt"``: a ``data`` that is no JWT.

Use it as a context manager; ``port`` is where it listens (a free port in 4501–4600), and
``requests`` holds what it was asked ``(method, path, body)``::

    with FakeSbi() as fake:
        scanner = SbiScanner(ports=[fake.port])
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import socket
import socketserver
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

SLAP_SENSORS = {
    "1": ("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger"),
    "2": ("Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger"),
    "3": ("Left Thumb", "Right Thumb"),
}
POSITIONS = {
    "Right Thumb": 1, "Right IndexFinger": 2, "Right MiddleFinger": 3, "Right RingFinger": 4,
    "Right LittleFinger": 5, "Left Thumb": 6, "Left IndexFinger": 7, "Left MiddleFinger": 8,
    "Left RingFinger": 9, "Left LittleFinger": 10,
}  # fmt: skip
ERRORS = {
    "0": "Success",
    "100": "Device not registered",
    "101": "Unable to detect a biometric object",
    "109": "Requested number of biometric (Finger/IRIS) not supported",
    "111": "Device is busy",
    "122": "BioSubType/Exception MisMatch for given Biometric Type",
    "503": "Devices are not Connected, please connect devices",
    "701": "RCapture Failed because Capture Timeout has happened",
    "999": "Unknown Error",
}
DEVICE_ID = "fake-slap-1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(payload: dict[str, Any]) -> str:
    """header.payload.signature, base64url; the signature is a dummy (tests trust nothing)."""
    header = {"alg": "RS256", "typ": "JWT", "x5c": ["RkFLRQ"]}
    return ".".join([b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode()),
                     b64url(b"not-a-real-signature")])  # fmt: skip


def ridges(position: int, width: int = 360, height: int = 440) -> np.ndarray:
    """A synthetic fingertip: a loop of ridges (period 9 px) inside an ellipse, dark on light;
    the core moves with the finger position so that each finger's image differs."""
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = width / 2 + 6 * (position - 5), height * 0.55 - 4 * position
    r = np.hypot(xx - cx, (yy - cy) * 1.15)
    angle = np.arctan2(yy - cy, xx - cx)
    img = 128 + 80 * np.cos(2 * math.pi * r / 9.0 + 0.4 * np.sin(angle))
    inside = ((xx - width / 2) / (0.45 * width)) ** 2 + ((yy - height / 2) / (0.47 * height)) ** 2
    img = np.where(inside <= 1, img, 236)
    return np.clip(img, 0, 255).astype(np.uint8)


def encode(img: np.ndarray, image_format: str) -> bytes:
    from PIL import Image

    if image_format == "WSQ":
        import wsq  # noqa: F401  (Pillow plugin)
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {"irreversible": False} if image_format == "JPEG2000" else {}
    Image.fromarray(img).save(buf, image_format, **kwargs)
    return buf.getvalue()


COMPRESSION_2011 = {"WSQ": 2, "JPEG": 3, "JPEG2000": 5, "PNG": 6}
COMPRESSION_2005 = {"WSQ": 2, "JPEG": 3, "JPEG2000": 4, "PNG": 5}


def iso_record(img: np.ndarray, position: int, image_format: str, record: str,
               quality: int) -> bytes:  # fmt: skip
    """An ISO/IEC 19794-4 finger image record (``"2011"`` or ``"2005"``) or, for ``"bare"``,
    the image alone."""
    data = encode(img, image_format)
    h, w = img.shape
    if record == "bare":
        return data
    if record == "2005":
        finger = (struct.pack(">IBBBBBHHB", 14 + len(data), position, 1, 1, quality, 0, w, h, 0)
                  + data)  # fmt: skip
        total = 32 + len(finger)
        head = (b"FIR\x00" + b"010\x00" + total.to_bytes(6, "big")
                + struct.pack(">HHBBHHHHBBH", 0, 31, 1, 1, 500, 500, 500, 500, 8,
                              COMPRESSION_2005[image_format], 0))  # fmt: skip
        return head + finger
    quality_block = struct.pack(">BHH", quality, 0, 0)
    rep = (struct.pack(">HBBBBBH", 2026, 1, 2, 3, 4, 5, 0) + struct.pack(">BHH", 0, 0, 0)
           + struct.pack(">B", 1) + quality_block
           + struct.pack(">BBBHHHHBBBHHI", position, 1, 1, 500, 500, 500, 500, 8,
                         COMPRESSION_2011[image_format], 0, w, h, len(data))
           + data)  # fmt: skip
    rep = struct.pack(">I", 4 + len(rep)) + rep
    return b"FIR\x00" + b"020\x00" + struct.pack(">IHBB", 16 + len(rep), 1, 0, 1) + rep


class FakeSbi:
    """A fake slap scanner's SBI service on a free port of 4501–4600, in a thread."""

    def __init__(self, *, quality: float = 82.0, image_format: str = "PNG", record: str = "2011",
                 sub_type: str = "Slap", ports: range = range(4501, 4601)) -> None:  # fmt: skip
        self.quality = quality
        self.image_format = image_format
        self.record = record
        self.sub_type = sub_type
        self.mode = "ok"
        self.error_code = "701"
        self.absent: set[str] = set()
        self.requests: list[tuple[str, str, Any]] = []
        self.captured = threading.Event()  # an RCAPTURE arrived
        self._release = threading.Event()
        self._ports = ports
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- life --------------------------------------------------------------------------------

    def __enter__(self) -> FakeSbi:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        handler = _handler_for(self)
        for port in self._ports:
            try:
                server = _Server(("127.0.0.1", port), handler)
            except OSError:
                continue  # in use (another test worker's fake, a real service)
            self._server, self.port = server, port
            break
        else:
            raise RuntimeError("no free port in the SBI range")
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-sbi", daemon=True)  # fmt: skip
        self._thread.start()

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    # --- answers -----------------------------------------------------------------------------

    def digital_id(self) -> dict[str, Any]:
        return {"serialNo": "FAKE00000001", "make": "Fake", "model": "SLAP01", "type": "Finger",
                "deviceSubType": self.sub_type, "deviceProvider": "Tests",
                "deviceProviderId": "tests.fake", "dateTime": "2026-01-01T00:00:00Z"}  # fmt: skip

    def discover(self, body: Any) -> Any:
        if not isinstance(body, dict) or body.get("type") not in ("Finger", "Biometric Device"):
            return [{"error": {"errorCode": "502", "errorInfo": "type"}}]
        return [{
            "deviceId": DEVICE_ID, "deviceStatus": "Ready", "certification": "L0",
            "serviceVersion": "0.9.5", "deviceSubId": ["1", "2", "3"],
            "callbackId": f"http://127.0.0.1:{self.port}/",
            "digitalId": b64url(json.dumps(self.digital_id()).encode()),
            "deviceCode": "fake-code", "specVersion": ["0.9.5"], "purpose": "Registration",
            "error": {"errorCode": "0", "errorInfo": "Success"},
        }]  # fmt: skip

    def info(self) -> Any:
        info = {
            "deviceStatus": "Ready", "deviceId": DEVICE_ID, "firmware": "FAKE.1.0",
            "certification": "L0", "serviceVersion": "0.9.5", "deviceSubId": ["1", "2", "3"],
            "callbackId": f"http://127.0.0.1:{self.port}/", "digitalId": jwt(self.digital_id()),
            "deviceCode": "fake-code", "env": "Developer", "purpose": "Registration",
            "specVersion": ["0.9.5"],
        }  # fmt: skip
        face = {**info, "deviceId": "fake-face", "digitalId": jwt({**self.digital_id(),
                "type": "Face", "deviceSubType": "Full face"})}  # fmt: skip
        ok = {"errorCode": "0", "errorInfo": "Success"}
        return [{"deviceInfo": jwt(face), "error": ok}, {"deviceInfo": jwt(info), "error": ok}]

    def capture(self, req: Any) -> Any:
        spec = str(req.get("specVersion", "")) if isinstance(req, dict) else ""
        try:
            bio = req["bio"][0]
            sub_id, count = str(bio["deviceSubId"]), int(bio["count"])
            exceptions = list(bio.get("exception") or [])
            wanted = list(bio.get("bioSubType") or [])
            timeout_ms = int(req["timeout"])
            assert req["env"] in ("Staging", "Developer", "Pre-Production", "Production")
            assert req["purpose"] == "Registration" and bio["type"] == "Finger"
            assert bio["deviceId"] == DEVICE_ID and timeout_ms > 0
        except (KeyError, IndexError, TypeError, ValueError, AssertionError):
            return _error(spec, "999")
        sensor = SLAP_SENSORS.get(sub_id, ())
        if not sensor or count + len(exceptions) != len(sensor):
            return _error(spec, "109")
        if any(name not in sensor for name in [*exceptions, *wanted]):
            return _error(spec, "122")
        if self.mode == "error":
            return _error(spec, self.error_code)
        items, previous = [], ""
        for name in sensor:
            if name in exceptions:
                continue  # an exception is not returned at all
            if name in self.absent:  # taken badly: an error entry, as MOSIP's mock does
                items.append(_error(spec, "701")["biometrics"][0])
                previous = ""
                continue
            position = POSITIONS[name]
            record = iso_record(ridges(position), position, self.image_format, self.record,
                                int(self.quality))  # fmt: skip
            payload = {
                "digitalId": jwt(self.digital_id()), "deviceCode": "fake-code",
                "deviceServiceVersion": "0.9.5", "bioType": "Finger", "bioSubType": name,
                "purpose": "Registration", "env": req["env"], "bioValue": b64url(record),
                "transactionId": req.get("transactionId", ""),
                "timestamp": "2026-01-01T00:00:00.000Z",
                "requestedScore": str(bio.get("requestedScore", "")),
                "qualityScore": str(self.quality),
            }  # fmt: skip
            before = bytes.fromhex(previous) if previous else hashlib.sha256(b"").digest()
            digest = hashlib.sha256(before + hashlib.sha256(record).digest()).hexdigest().upper()
            data = "not a jwt at all" if self.mode == "bad_jwt" else jwt(payload)
            items.append({"specVersion": spec, "data": data, "hash": digest,
                          "error": {"errorCode": "0", "errorInfo": "Success"}})  # fmt: skip
            previous = digest
        return {"biometrics": items}

    def wait_released(self, seconds: float) -> None:
        self._release.wait(seconds)


def _error(spec: str, code: str) -> dict[str, Any]:
    return {"biometrics": [{"specVersion": spec, "data": "", "hash": "",
                            "error": {"errorCode": code,
                                      "errorInfo": ERRORS.get(code, "Error")}}]}  # fmt: skip


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # never share a port with a real service

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host (slow on some machines)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


def _handler_for(fake: FakeSbi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else None
            except json.JSONDecodeError:
                return "<not json>"

        def _answer(self, obj: Any, raw: bytes | None = None) -> None:
            data = raw if raw is not None else json.dumps(obj).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("CACHE-CONTROL", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (cancelled, timed out)
            self.close_connection = True

        def do_MOSIPDISC(self) -> None:
            body = self._body()
            fake.requests.append(("MOSIPDISC", self.path, body))
            self._answer(fake.discover(body))

        def do_MOSIPDINFO(self) -> None:
            fake.requests.append(("MOSIPDINFO", self.path, self._body()))
            self._answer(fake.info())

        def do_RCAPTURE(self) -> None:
            body = self._body()
            fake.requests.append(("RCAPTURE", self.path, body))
            fake.captured.set()
            if fake.mode == "hang":
                fake.wait_released(30)
                return  # no answer: the connection closes when the test ends
            if fake.mode == "disconnect":
                self.connection.shutdown(socket.SHUT_RDWR)  # dropped mid-capture
                self.close_connection = True
                return
            if fake.mode == "garbage":
                self._answer(None, b'{"biometrics": [ {"data": "')
                return
            self._answer(fake.capture(body))

    return Handler

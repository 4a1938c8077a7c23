"""``hub serve``: the hub takes communes' bundles over HTTP, as it takes them from a USB stick.

The bundle is its own authentication: it is signed by a paired commune HQ and encrypted to the
hub, and every check of a file taken from a stick runs before anything of it is decrypted
(db/sync/incoming.py) — an unknown sender, a cut or altered file is refused with its code. So
the server adds only what a network needs: one route (``POST /bundle``), a size limit checked
on the declared length before the body is read and again while it is written, timeouts
(waitress's ``channel_timeout``), a few worker threads (imports of different communes run side
by side, as with ``hub import``), and answers that carry no personal data — the hub's signed
receipt for the sender (encrypted to it), or the refusal's code and sentence. ``GET /health``
says the hub's station id (public, like its identity file).

waitress (pure Python, Windows and Linux) serves it; TLS, where wanted on top of the bundle's
own encryption, is a reverse proxy's job.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from db.hub.service import HubService
from db.sync.refusal import Refused
from resources.private_files import private_dir

log = logging.getLogger(__name__)

#: The largest bundle taken by default: a commune's first bundle with real portraits and prints
#: is some 40 KB an enrollment plus the register (bench/sync.py): 2 GB is 40,000 enrollments.
MAX_BYTES = 2 * 1024**3
CHUNK = 1024 * 1024

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _answer(start: StartResponse, status: str, body: bytes,
            kind: str = "application/json", extra: list[tuple[str, str]] | None = None,
            ) -> Iterable[bytes]:  # fmt: skip
    start(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                   ("Cache-Control", "no-store"), *(extra or [])])  # fmt: skip
    return [body]


def _json(start: StartResponse, status: str, doc: dict[str, Any]) -> Iterable[bytes]:
    return _answer(start, status, json.dumps(doc, ensure_ascii=False).encode())


def make_app(service: HubService, max_bytes: int = MAX_BYTES) -> Callable[..., Iterable[bytes]]:
    """The WSGI application: imports as ``service``'s account (audited as it)."""
    incoming = private_dir(service.db.data_dir / "incoming")
    hub_id = service.db.station_id

    def app(environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/health" and method == "GET":
            return _json(start, "200 OK", {"station_id": hub_id, "kind": "hub"})
        if path != "/bundle":
            return _json(start, "404 Not Found", {"reason": "not_found"})
        if method != "POST":
            return _json(start, "405 Method Not Allowed", {"reason": "method"})
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return _json(start, "411 Length Required", {"reason": "length_required"})
        if length <= 0 or length > max_bytes:
            return _json(start, "413 Content Too Large", {"reason": "too_large",
                                                          "max_bytes": max_bytes})
        return _take(environ["wsgi.input"], length, incoming, service, start)

    return app


def _take(body: Any, length: int, folder: Path, service: HubService,
          start: StartResponse) -> Iterable[bytes]:  # fmt: skip
    from resources.problems import describe

    fd, name = tempfile.mkstemp(prefix=".bundle-", suffix=".esb", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            left = length
            while left:
                piece = body.read(min(CHUNK, left))
                if not piece:
                    return _json(start, "400 Bad Request", {"reason": "truncated"})
                out.write(piece)
                left -= len(piece)
        try:
            result = service.import_bundle(path)
        except Refused as exc:
            return _json(start, "422 Unprocessable Content",
                         {"reason": exc.code, "message": describe(exc)})  # fmt: skip
        receipt = folder / f".receipt-{path.stem}.esb"
        try:
            service.write_receipt(result.sender, receipt)
            data = receipt.read_bytes()
        finally:
            receipt.unlink(missing_ok=True)
        head = json.dumps(result.to_json(), ensure_ascii=True)
        return _answer(start, "200 OK", data, "application/octet-stream",
                       [("X-Import-Result", head)])  # fmt: skip
    except Exception as exc:  # never a traceback to the network; the log keeps the frames
        from resources.problems import log_unexpected

        log_unexpected(exc, "hub serve")
        return _json(start, "500 Internal Server Error", {"reason": "server_error"})
    finally:
        path.unlink(missing_ok=True)


def make_server(service: HubService, host: str, port: int, *, max_bytes: int = MAX_BYTES,
                threads: int = 4) -> Any:  # fmt: skip
    """The waitress server (port 0: any free one, ``effective_port`` says which). A body
    declared larger than ``max_bytes`` is answered 413 before it is read."""
    from waitress.server import create_server

    return create_server(make_app(service, max_bytes), host=host, port=port, threads=threads,
                         channel_timeout=120, max_request_body_size=max_bytes,
                         ident="enrollment-hub", expose_tracebacks=False)  # fmt: skip


def serve(service: HubService, host: str, port: int, *, max_bytes: int = MAX_BYTES,
          threads: int = 4, ready: Callable[[str], None] | None = None) -> None:  # fmt: skip
    """Serve until interrupted."""
    server = make_server(service, host, port, max_bytes=max_bytes, threads=threads)
    if ready is not None:
        ready(f"http://{host}:{server.effective_port}")
    try:
        server.run()
    finally:
        server.close()

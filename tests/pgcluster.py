"""A throwaway PostgreSQL server for the hub's tests (DESIGN §12), started by ``make test``.

``python tests/pgcluster.py start DIR`` makes a cluster in DIR (``initdb`` refuses to run as
root, and CI runs as root: then the cluster and its socket directory belong to ``postgres`` and
the server runs under ``runuser``), starts it on a Unix socket only (``listen_addresses=''``,
trust on that socket) and prints the SQLAlchemy URL of its ``postgres`` database;
``stop DIR`` stops it and removes DIR. The binaries are found with ``pg_config --bindir`` (or
``/usr/lib/postgresql/*/bin``): a later Debian has a later version.

Durability is off (``fsync``, ``synchronous_commit``, ``full_page_writes``): a test database is
thrown away, and a test run should not wait on the disk.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "128MB",
}


def bindir() -> Path | None:
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True,
                             check=True).stdout.strip()  # fmt: skip
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))  # fmt: skip
    return Path(found[-1]).parent if found else None


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def url(directory: Path) -> str:
    return f"postgresql+psycopg://postgres@/postgres?host={directory / 'socket'}"


def start(directory: Path) -> str:
    bin_ = bindir()
    if bin_ is None:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    data, socket = directory / "data", directory / "socket"
    directory.mkdir(parents=True, exist_ok=True)
    socket.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
        shutil.chown(socket, "postgres", "postgres")
    subprocess.run(_as_owner([str(bin_ / "initdb"), "-D", str(data), "-U", "postgres",
                              "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
    options += f" -c unix_socket_directories={socket}"
    subprocess.run(_as_owner([str(bin_ / "pg_ctl"), "-D", str(data), "-l",
                              str(directory / "server.log"), "-o", options, "-w", "start"]),
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return url(directory)


def stop(directory: Path) -> None:
    bin_ = bindir()
    if bin_ is not None and (directory / "data" / "postmaster.pid").exists():
        subprocess.run(_as_owner([str(bin_ / "pg_ctl"), "-D", str(directory / "data"), "-m",
                                  "immediate", "-w", "stop"]),
                       check=False, stdout=subprocess.DEVNULL)  # fmt: skip
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        raise SystemExit("usage: pgcluster.py start|stop DIR")
    where = Path(sys.argv[2])
    if sys.argv[1] == "start":
        print(start(where))
    else:
        stop(where)

"""Run the command line as a user would, in this process: ``main(argv)`` with the environment
of ``cli_env``, no keyring, and captured output (one smoke test still starts a real process)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import keyring
from keyring.backends import fail

from tests.conftest import ROOT


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _as_a_fresh_process(env: dict[str, str]) -> Iterator[None]:
    """The environment, keyring, logging, umask and language a new process would have;
    restored."""
    from resources import i18n

    saved_env = dict(os.environ)
    saved_keyring = keyring.get_keyring()
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_language = i18n.language()
    saved_umask = os.umask(0o022)  # main() sets 077; a fresh process starts with the usual
    os.environ.clear()
    os.environ.update(env)
    keyring.set_keyring(fail.Keyring())  # PYTHON_KEYRING_BACKEND of cli_env, in-process
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in saved_handlers:
                handler.close()
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        keyring.set_keyring(saved_keyring)
        os.environ.clear()
        os.environ.update(saved_env)
        i18n.set_language(saved_language)
        os.umask(saved_umask)


def run(env: dict[str, str], *args: str) -> Ran:
    """``main.py ARGS`` in this process; exit status and output as a subprocess would give."""
    from main import main

    out, err = io.StringIO(), io.StringIO()
    with _as_a_fresh_process(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Ran(int(code), out.getvalue(), err.getvalue())


def run_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``main.py ARGS`` in a real new process (the smoke test of the whole entry point)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip

"""Expected failures, and the one place that turns any exception into a sentence for a person.

Why here (``resources``) and not in ``db``: the capture engine, the database layer and the
printing code all raise failures an officer must understand, and ``capture``/``printing`` may
not import ``db``. Every such exception is a :class:`Problem`: an English message id marked
with ``N_()`` plus named fields, never an f-string, so the GUI and the command line both show
``describe(exc)`` — the same translated sentence — and the log gets the English one. Fields
never hold personal data (names, ID numbers): counts, line numbers, minutes, file names.
"""

from __future__ import annotations

import logging
import traceback
from typing import ClassVar

from resources.i18n import N_, _, catalogue

log = logging.getLogger(__name__)

UNEXPECTED = N_("Something went wrong. The details were written to the log file.")


class Msg(str):
    """A field value that is itself a message id (translated when the sentence is shown)."""

    __slots__ = ()


class Problem(Exception):
    """Base of every expected failure: ``Problem(N_("… {count} …"), count=3)``.

    A subclass names its usual sentence in ``message``; a raise site may give a more precise
    one. ``str(exc)`` is the English sentence (for logs and tests).
    """

    message: ClassVar[str] = UNEXPECTED

    def __init__(self, template: str | None = None, /, **fields: object) -> None:
        self.template = template if template is not None else type(self).message
        self.fields = fields
        super().__init__(_fill(self.template, fields, translate=False))

    def text(self) -> str:
        """The sentence in the current language."""
        return _fill(_(self.template), self.fields, translate=True)

    def text_in(self, lang: str) -> str:
        """The sentence in ``lang`` (JSON output carries both languages)."""
        gettext = catalogue(lang).gettext
        shown = {k: (gettext(v) if isinstance(v, Msg) else v) for k, v in self.fields.items()}
        return _fill(gettext(self.template), shown, translate=False)


def _fill(template: str, fields: dict[str, object], *, translate: bool) -> str:
    shown = {k: (_(v) if translate and isinstance(v, Msg) else v) for k, v in fields.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):  # a translation that lost a field: say it plainly
        log.error("message template does not match its fields: %r", template)
        return template


def describe(exc: BaseException) -> str:
    """The sentence a person reads for ``exc``: its own for a :class:`Problem`, else the
    generic one (the traceback goes to the log, never to the screen)."""
    if isinstance(exc, Problem):
        return exc.text()
    return _(UNEXPECTED)


def log_unexpected(exc: BaseException, where: str) -> None:
    """Log a failure with its traceback. The frames hold code, not data; the message of a
    foreign exception is left out (a driver's error may quote the SQL parameters)."""
    if isinstance(exc, Problem):
        log.warning("%s: %s: %s", where, type(exc).__name__, exc)
        return
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s: unexpected %s\n%s", where, type(exc).__name__, frames)

"""The station passphrase, asked in a dialog when the key file needs it (the environment
variable wins, for automation)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QInputDialog, QLineEdit

from db.access import PASSPHRASE_ENV
from db.errors import PassphraseRequired
from resources.i18n import _


def passphrase_dialog(confirm: bool) -> str:
    """Ask the officer for the station passphrase (the environment variable wins)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    text, ok = QInputDialog.getText(
        None,
        _("Enrollment Station"),
        _("Station passphrase:"),
        QLineEdit.EchoMode.Password,
    )
    if not ok or not text:
        raise PassphraseRequired()
    return text

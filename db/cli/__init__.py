"""The station administrator's command line: one ``register(subparsers)`` for main.py.

Every command signs in like the GUI and acts through the bound station service (db/service.py);
nothing outside db/cli and main.py imports this package.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    from db.cli import (
        accounts,
        backup,
        cards,
        coverage,
        enrollment,
        hub,
        quality,
        renewals,
        station,
        sync,
        training,
        visits,
    )

    station.register(sub)
    enrollment.register(sub)
    accounts.register(sub)
    sync.register(sub)
    training.register(sub)
    coverage.register(sub)
    renewals.register(sub)
    visits.register(sub)
    quality.register(sub)
    cards.register(sub)
    hub.register(sub)
    backup.register(sub)

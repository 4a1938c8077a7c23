"""The station's own commands: ``init``, ``import`` and ``search`` (same core as the GUI)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from db.access import data_dir_of, open_from_args
from db.cli.common import add_user_option, ask_password, cli_service, wrap
from db.types import ImportIssue, ResidentHit
from resources.i18n import N_, _


def cmd_init(args: argparse.Namespace) -> int:
    from db.access import create_with_admin, recovery_sheet
    from db.cli.common import UsageError
    from resources.private_files import write_private

    if args.demo:
        open_from_args(args).close()
        print(_("Demo station ready."))
        return 0
    if not args.admin:
        raise UsageError(N_("Name the first administrator: --admin NAME."))
    password = ask_password(_("Password for {user}: ").format(user=args.admin), confirm=True)
    data_dir = data_dir_of(args)
    db, admin, key = create_with_admin(
        data_dir,
        name=args.station,
        commune=args.commune,
        province=args.province,
        kind=args.kind,
        key_store=args.key_store,
        admin=args.admin,
        admin_name=args.admin_name or args.admin,
        password=password,
        slip_series=args.slip_series,
        training=args.training,
    )
    from db import places

    if places.find_commune(args.commune, args.province) is None:
        print(_("“{commune}” is not in the official list of communes ({version}): the station "
                "keeps it as typed, and the district hub can group it only by that name.").format(
            commune=args.commune, version=places.data_version()), file=sys.stderr)  # fmt: skip
    with db:
        info = admin.station()
        if args.recovery_sheet:
            write_private(Path(args.recovery_sheet), recovery_sheet(db, key))
            admin.recovery_sheet_kept("save")
    print(_("Station created: {name} ({commune}) in {path}").format(
        name=info.name, commune=info.commune, path=data_dir
    ))  # fmt: skip
    if info.training:
        print(_("This is a training station (TRẠM TẬP HUẤN): fill it with main.py training "
                "seed."))  # fmt: skip
    if args.recovery_sheet:
        print(_("Recovery sheet written to {path}: print it, put it in the safe, then delete "
                "the file.").format(path=args.recovery_sheet))  # fmt: skip
    else:
        print(_("No recovery sheet was made (--recovery-sheet FILE.pdf): without it a lost "
                "keyring means a lost database."), file=sys.stderr)  # fmt: skip
    return 0


def _progress(rows: int, fraction: float) -> None:
    print(f"\r{fraction * 100:5.1f}%  {rows:,}", end="", file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    from db.errors import StationError

    try:
        with open_from_args(args) as db:
            report = cli_service(db, args).import_register(
                Path(args.file), progress=None if args.quiet else _progress
            )
    except StationError as exc:
        if args.json:  # the refusal as JSON too: a stable code beside the translated sentence
            error = {"code": exc.template, "message": exc.text(),
                     "fields": {k: str(v) for k, v in exc.fields.items()}}  # fmt: skip
            print(json.dumps({"error": error}, ensure_ascii=False, indent=1))
        raise
    finally:
        if not args.quiet:
            print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
        return 0
    print(
        _("Imported {rows} rows: {added} added, {updated} updated, {unchanged} unchanged, "
          "{flagged} flagged for review, {rejected} rejected.").format(
            rows=report.rows, added=report.added, updated=report.updated,
            unchanged=report.unchanged, flagged=report.flagged, rejected=report.rejected,
        )
    )  # fmt: skip
    labels = {"rejected": _("rejected"), "flagged": _("flagged"), "duplicate": _("duplicate")}
    shown = report.issues[: args.max_issues]
    for issue in shown:
        kind = labels.get(issue.kind, issue.kind)
        print(_("line {line}: {kind}: {reason}").format(
            line=issue.line, kind=kind, reason=issue.text()
        ))  # fmt: skip
    if report.issues_total > len(shown):
        print(_("... and {n} more (use --json for all)").format(
            n=report.issues_total - len(shown)
        ))  # fmt: skip
        for kind_code, code, count in report.summary():
            reason = ImportIssue.fill(code, (), _)
            print(_("{count} × {kind}: {reason}").format(
                count=count, kind=labels.get(kind_code, kind_code), reason=reason
            ))  # fmt: skip
    if report.ignored_columns:
        print(_("Columns not used: {columns}").format(columns=", ".join(report.ignored_columns)))
    return 0


def _hit_row(hit: ResidentHit) -> str:
    sex = {"M": _("Male"), "F": _("Female")}.get(hit.sex or "", "")
    return "  ".join(
        [
            f"{hit.full_name:<28}",
            f"{hit.birth_display:<10}",
            f"{sex:<4}",
            f"{hit.personal_id or '':<12}",
            hit.village or "",
        ]
    )


def cmd_search(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        result = cli_service(db, args).search(args.query, village=args.village, limit=args.limit)
    if args.json:
        print(json.dumps([h.to_json() for h in result.hits], ensure_ascii=False, indent=1))
        return 0
    for hit in result.hits:
        print(_hit_row(hit))
    if not result.hits:
        print(_("Nobody found."))
    elif result.more:
        print(_("More people match: add a word, a birth year or a village."))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("init", help=_("set up a new station"))
    p.add_argument("--station", required=True, help=_("station name"))
    p.add_argument("--commune", required=True, help=_("commune (xã/phường)"))
    p.add_argument("--province", help=_("province"))
    p.add_argument("--kind", choices=("hq", "mobile"), default="hq")
    p.add_argument("--slip-series", metavar="CODE",
                   help=_("this station's slip series, fixed for good (default: the commune's "
                          "initials, with L for a mobile laptop)"))  # fmt: skip
    p.add_argument("--key-store", choices=("auto", "keyring", "keyfile"), default="auto")
    p.add_argument("--training", action="store_true",
                   help=_("a training station (TRẠM TẬP HUẤN): synthetic people only, exchanges "
                          "files only with training stations"))  # fmt: skip
    p.add_argument("--admin", help=_("user name of the first administrator"))
    p.add_argument("--admin-name", help=_("full name of the first administrator"))
    p.add_argument("--recovery-sheet", help=_("write the key recovery sheet to this PDF"))
    p.set_defaults(func=wrap(cmd_init))

    p = sub.add_parser("import", help=_("import a population register (CSV or XLSX)"))
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help=_("print the import report as JSON"))
    p.add_argument("--quiet", action="store_true", help=_("no progress display"))
    p.add_argument("--max-issues", type=int, default=50)
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_import))

    p = sub.add_parser("search", help=_("look residents up"))
    p.add_argument("query")
    p.add_argument("--village", help=_("only this village (thôn/bản)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_search))

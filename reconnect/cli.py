"""`reconnect`: the project's own commands (database, demo clinic, CSV import).

    reconnect db upgrade            migrate the database to the current schema
    reconnect db status             show the database URL and its migration state
    reconnect demo load [--if-empty]   load the demo clinic (dated from the clinic's today)
    reconnect demo export DIR       write the demo clinic's CSV files to DIR
    reconnect import --staff F --clients F --appointments F
    reconnect digest [--dry-run]    send the morning digest to staff in Slack
    reconnect conversations prune [--days N]   delete conversations idle longer than the
                                    retention period (clinic.yml)
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from sqlalchemy.engine import make_url

from reconnect.records import db
from reconnect.records.conversations import prune_conversations, tracker_store_url
from reconnect.records.importer import ImportFailed, import_clinic
from reconnect.settings import ClinicConfigError, clinic_config, clinic_today, database_url


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _db_upgrade(args) -> int:
    print(f"Migrating {_safe_url(database_url())} ...", flush=True)
    db.upgrade()
    print(f"Database is at revision {db.current_revision()}.")
    return 0


def _db_status(args) -> int:
    current, head = db.current_revision(), db.head_revision()
    print(f"Database: {_safe_url(database_url())}")
    print(f"Revision: {current or 'none (not migrated)'}; code needs {head}.")
    return 0 if current == head else 1


def _report(report) -> None:
    print(f"Staff: {report.staff}\nClients: {report.clients}\n"
          f"Appointments: {report.appointments}")
    if not report.changed:
        print("Nothing changed.")


def _run_import(staff, clients, appointments, progress: bool) -> int:
    db.check_migrated()
    try:
        report = import_clinic(staff, clients, appointments, progress=progress)
    except ImportFailed as failed:
        print(f"Import refused: {len(failed.errors)} problem(s) found, nothing was written.",
              file=sys.stderr)
        for error in failed.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    _report(report)
    return 0


def _import(args) -> int:
    for path in (args.staff, args.clients, args.appointments):
        if path and not Path(path).is_file():
            print(f"No such file: {path}", file=sys.stderr)
            return 2
    if not (args.staff or args.clients or args.appointments):
        print("Give at least one of --staff, --clients, --appointments.", file=sys.stderr)
        return 2
    return _run_import(args.staff, args.clients, args.appointments, not args.quiet)


def _demo_load(args) -> int:
    from reconnect.records.demo import write_csvs
    from reconnect.records.queries import ClientRecords

    db.check_migrated()
    if args.if_empty and ClientRecords().counts()["clients"] > 0:
        print("The database already holds clinic records; the demo clinic was not loaded.")
        return 0
    today = clinic_today()
    print(f"Loading the demo clinic, dated from {today} ...", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        staff, clients, appointments = write_csvs(Path(folder), today)
        return _run_import(staff, clients, appointments, progress=True)


def _demo_export(args) -> int:
    from reconnect.records.demo import write_csvs

    folder = Path(args.directory)
    folder.mkdir(parents=True, exist_ok=True)
    for path in write_csvs(folder, clinic_today()):
        print(path)
    return 0


def _digest(args) -> int:
    from reconnect.channels.digest import run_digest
    from reconnect.settings import slack_mode

    db.check_migrated()
    token = os.environ.get("RECONNECT_SLACK_BOT_TOKEN") or ""
    if not token and not args.dry_run:
        print("Set RECONNECT_SLACK_BOT_TOKEN to send the digest (or use --dry-run).",
              file=sys.stderr)
        return 2
    mode = slack_mode()
    print(f"Slack mode: {mode.line}", flush=True)
    run = run_digest(token, os.environ.get("RECONNECT_SLACK_API_URL") or None,
                     dry_run=args.dry_run, mode=mode)
    verb = "Would send" if args.dry_run else "Sent"
    print(f"{verb}: {len(run.sent)}; nothing to report: {len(run.nothing)}; already sent "
          f"today: {len(run.already)}; failed: {len(run.failed)}.")
    return 1 if run.failed else 0


def _prune(args) -> int:
    try:
        days = args.days if args.days is not None else clinic_config().conversation_retention_days
        url = args.url or tracker_store_url()
        pruned = prune_conversations(url, days)
    except (ClinicConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the type only: the store holds conversations
        print(f"error: the conversation store could not be pruned ({type(exc).__name__})",
              file=sys.stderr)
        return 1
    print(f"Deleted {pruned.conversations} conversation(s) ({pruned.events} events) with no "
          f"message in the last {days} days from {_safe_url(url)}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reconnect", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    db_parser = commands.add_parser("db", help="database schema")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrate to the current schema").set_defaults(
        func=_db_upgrade)
    db_commands.add_parser("status", help="show the migration state").set_defaults(
        func=_db_status)

    demo = commands.add_parser("demo", help="the demo clinic")
    demo_commands = demo.add_subparsers(dest="demo_command", required=True)
    load = demo_commands.add_parser("load", help="load the demo clinic")
    load.add_argument("--if-empty", action="store_true",
                      help="only when the database holds no clients yet")
    load.set_defaults(func=_demo_load)
    export = demo_commands.add_parser("export", help="write the demo CSV files")
    export.add_argument("directory")
    export.set_defaults(func=_demo_export)

    imp = commands.add_parser("import", help="import the clinic's CSV exports")
    imp.add_argument("--staff", help="staff CSV")
    imp.add_argument("--clients", help="clients CSV")
    imp.add_argument("--appointments", help="appointments CSV")
    imp.add_argument("--quiet", action="store_true", help="no progress bars")
    imp.set_defaults(func=_import)

    digest = commands.add_parser("digest", help="send the morning digest in Slack")
    digest.add_argument("--dry-run", action="store_true",
                        help="print each digest instead of sending it (nothing is recorded)")
    digest.set_defaults(func=_digest)
    conversations = commands.add_parser("conversations", help="the conversation store")
    conversation_commands = conversations.add_subparsers(dest="conversations_command",
                                                         required=True)
    prune = conversation_commands.add_parser(
        "prune", help="delete conversations idle longer than the retention period")
    prune.add_argument("--days", type=int, help="instead of conversation_retention_days "
                                                "in clinic.yml")
    prune.add_argument("--url", help="the store's SQLAlchemy URL (default: TRACKER_STORE_URL, "
                                     "else sqlite:///$TRACKER_DB)")
    prune.set_defaults(func=_prune)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except db.DatabaseNotReady as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark of the CSV importer (not a test).

Generates a synthetic clinic (a few hundred clients, N appointments) as CSV files in a
temporary folder, imports it into a fresh SQLite database (or --database-url, which must hold
no clinic records yet), imports the same files again (which must change nothing), and prints
the figures: rows, seconds, rows per second, and the process's peak memory.

    .venv/bin/python scripts/bench_import.py [--appointments 100000] [--clients 400]
                                             [--database-url URL] [--no-progress]
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from reconnect.records import db  # noqa: E402
from reconnect.records.csv_out import SafeWriter  # noqa: E402
from reconnect.records.importer import import_clinic  # noqa: E402
from reconnect.records.queries import ClientRecords  # noqa: E402

FIRST_NAMES = ["Ana", "José", "Zoë", "Mia", "Noah", "Liam", "Chloé", "Ola", "Søren", "Aisha",
               "Wei", "Priya", "Mateo", "Fatima", "Jonas", "Emma", "Kofi", "Ingrid"]
LAST_NAMES = ["Núñez", "Smith", "Berg", "O'Brien", "Nguyen", "Okafor", "Müller", "Rossi",
              "Kowalski", "García", "Haddad", "Tanaka", "Dubois", "Nordmann", "Papadopoulos"]


def _write(path: Path, columns, rows) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeWriter(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(folder: Path, appointments: int, clients: int, therapists: int, seed: int = 7):
    rng = random.Random(seed)
    staff_rows = [(f"T{i:03d}", f"Dr. {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                   "therapist", f"U{i:08d}", f"t{i}@clinic.example")
                  for i in range(1, therapists + 1)]
    staff_rows += [("F001", "Front Desk", "front_desk", "", ""),
                   ("S001", "Clinical Supervisor", "supervisor", "", "")]
    therapist_of = {}
    client_rows = []
    for i in range(1, clients + 1):
        client_id = f"C{i:05d}"
        therapist = f"T{rng.randint(1, therapists):03d}"
        therapist_of[client_id] = therapist
        review = (datetime(2025, 1, 1) + timedelta(days=rng.randint(0, 420))).date()
        client_rows.append((
            client_id, rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES),
            rng.choice(["", "", "", "Sam", "Jo"]), therapist,
            rng.choice(["active"] * 6 + ["paused", "discharged"]),
            rng.choice(["self_pay", "commercial", "medicaid", "medicare"]),
            rng.choice(["yes", "no"]), rng.choice(["yes", "no"]), rng.choice(["Y", "N"]),
            rng.choice(["yes", "no"]), rng.choice(["none", "low", "low", "elevated", "high"]),
            rng.choice([review.isoformat(), ""]),
        ))
    client_ids = list(therapist_of)
    start0 = datetime(2023, 1, 2, 8, 0)
    statuses = ["attended"] * 14 + ["no_show"] * 3 + ["late_cancel", "cancelled", "scheduled"]

    def appointment_rows():
        for i in range(1, appointments + 1):
            client_id = client_ids[i % len(client_ids)]
            start = start0 + timedelta(days=rng.randint(0, 3 * 365),
                                       minutes=30 * rng.randint(0, 20))
            status = rng.choice(statuses)
            fee = "" if status in ("cancelled", "scheduled") else f"{rng.randint(60, 200)}.00"
            paid = "" if not fee else rng.choice([fee, fee, "0", ""])
            yield (f"A{i:07d}", client_id, therapist_of[client_id], start.isoformat(),
                   rng.choice(["50", "50", "45", "60"]),
                   rng.choice(["in_person", "telehealth", "phone"]), status, fee, paid)

    paths = (folder / "staff.csv", folder / "clients.csv", folder / "appointments.csv")
    counts = (
        _write(paths[0], ["staff_id", "name", "role", "slack_user_id", "email"], staff_rows),
        _write(paths[1], ["client_id", "first_name", "last_name", "preferred_name",
                          "therapist_id", "status", "payer", "sms_consent", "email_consent",
                          "phone_consent", "emergency_contact_on_file", "risk_level",
                          "last_risk_review"], client_rows),
        _write(paths[2], ["appointment_id", "client_id", "therapist_id", "start",
                          "duration_min", "modality", "status", "fee_charged", "fee_paid"],
               appointment_rows()),
    )
    return paths, counts


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--therapists", type=int, default=25)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="reconnect-bench-") as folder:
        folder = Path(folder)
        url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
        db.upgrade(url)
        if any(ClientRecords(url).counts().values()):
            print(f"{url} already holds clinic records; give an empty database.",
                  file=sys.stderr)
            return 2

        began = time.perf_counter()
        paths, counts = generate(folder, args.appointments, args.clients, args.therapists)
        generated = time.perf_counter() - began
        rows = sum(counts)
        size_mib = sum(p.stat().st_size for p in paths) / 2 ** 20
        print(f"Generated {counts[0]} staff, {counts[1]} clients, {counts[2]} appointments "
              f"({size_mib:.1f} MiB of CSV) in {generated:.1f} s", flush=True)

        began = time.perf_counter()
        first = import_clinic(*paths, url=url, progress=not args.no_progress)
        first_seconds = time.perf_counter() - began
        if (first.staff.inserted, first.clients.inserted, first.appointments.inserted) != counts:
            print(f"unexpected first import: {first}", file=sys.stderr)
            return 1

        began = time.perf_counter()
        again = import_clinic(*paths, url=url, progress=not args.no_progress)
        again_seconds = time.perf_counter() - began
        db.dispose_engines()

    print()
    print(f"database:            {make_url(url).get_backend_name()}")
    print(f"rows:                {rows:,} ({counts[2]:,} appointments)")
    print(f"first import:        {first_seconds:.2f} s  ({rows / first_seconds:,.0f} rows/s)")
    print(f"re-import:           {again_seconds:.2f} s  ({rows / again_seconds:,.0f} rows/s); "
          f"{'changed nothing' if not again.changed else 'CHANGED ' + str(again.appointments)}")
    print(f"peak memory (RSS):   {_peak_mib():.0f} MiB")
    return 0 if not again.changed else 1


if __name__ == "__main__":
    sys.exit(main())

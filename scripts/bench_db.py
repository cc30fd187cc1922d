#!/usr/bin/env python
"""The clinic database at a clinic group's size (not a test).

Generates a clinic group (500 therapists, 20,000 clients, 2,000,000 appointments, an open
plan for one client in four, ten audit entries a client) straight into a migrated SQLite
database with bulk inserts, kept in var/bench-db/ and reused while the schema's head revision
is the same (new migrations, such as indexes, are applied to it). Copies it into PostgreSQL
(scripts/postgres.sh, a server of its own; COPY). On each, times the summary query (one
client's record, as the summary reads it: the client, every appointment, plans, outreach,
concerns, and its audit entry) and the follow-ups query (a therapist's plans due in the coming
week) for random therapists and their own clients: p50, p95, worst. Then imports the
appointments through the real importer (scripts/bench_import.py, in a process of its own) at
two sizes, printing time and peak memory of each.

    .venv/bin/python scripts/bench_db.py [--appointments 2000000] [--queries 300]
                                         [--no-postgres] [--import-sizes 200000,2000000]
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from reconnect.records import db  # noqa: E402
from reconnect.records.models import (  # noqa: E402
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Client,
    ClientStatus,
    Modality,
    Payer,
    Plan,
    PlanStatus,
    RiskLevel,
    Staff,
    StaffRole,
)
from reconnect.records.queries import ClientRecords  # noqa: E402

CACHE = ROOT / "var" / "bench-db"
TODAY = date(2026, 3, 16)
CHUNK = 20_000
TABLES = ("staff", "clients", "appointments", "plans", "audit_events")


def _head() -> str:
    versions = ROOT / "reconnect" / "records" / "migrations" / "versions"
    return str(len(list(versions.glob("*.py"))))


def _rows_staff(therapists: int) -> Iterator[dict]:
    for i in range(1, therapists + 1):
        yield dict(id=f"T{i:04d}", name=f"Therapist {i}", role=StaffRole.therapist,
                   slack_user_id=f"U{i:08d}", email=f"t{i}@clinic.example")


def _rows_clients(clients: int, therapists: int, rng: random.Random) -> Iterator[dict]:
    for i in range(1, clients + 1):
        yield dict(id=f"C{i:06d}", first_name=f"First{i}", last_name=f"Last{i % 997}",
                   preferred_name=None, therapist_id=f"T{1 + i % therapists:04d}",
                   status=ClientStatus.active, payer=rng.choice(list(Payer)),
                   sms_consent=rng.random() < 0.6, email_consent=True, phone_consent=True,
                   emergency_contact_on_file=rng.random() < 0.8,
                   risk_level=rng.choice([RiskLevel.none] * 6 + [RiskLevel.low, RiskLevel.elevated]),
                   last_risk_review=None)


STATUSES = ([AppointmentStatus.attended] * 14 + [AppointmentStatus.no_show] * 3
            + [AppointmentStatus.late_cancel, AppointmentStatus.cancelled])


def _rows_appointments(appointments: int, clients: int, therapists: int,
                       rng: random.Random) -> Iterator[dict]:
    per_client = max(1, appointments // clients)
    first = datetime(TODAY.year - 2, TODAY.month, 1, 8, 0)
    n = 0
    for c in range(1, clients + 1):
        slot = timedelta(hours=rng.randint(0, 9))
        for k in range(per_client):
            n += 1
            if n > appointments:
                return
            start = first + timedelta(days=7 * k * 104 // per_client) + slot
            status = (AppointmentStatus.scheduled if start.date() > TODAY
                      else rng.choice(STATUSES))
            fee = Decimal(rng.choice([0, 75, 150])) if status is not AppointmentStatus.scheduled \
                else None
            yield dict(id=f"A{n:08d}", client_id=f"C{c:06d}",
                       therapist_id=f"T{1 + c % therapists:04d}", start=start, duration_min=50,
                       modality=rng.choice(list(Modality)), status=status, fee_charged=fee,
                       fee_paid=fee if fee is not None and rng.random() < 0.8 else None)


def _rows_plans(clients: int, therapists: int, rng: random.Random) -> Iterator[dict]:
    for c in range(1, clients + 1, 4):
        created = TODAY - timedelta(days=rng.randint(1, 60))
        yield dict(client_id=f"C{c:06d}", staff_id=f"T{1 + c % therapists:04d}",
                   created_at=datetime.combine(created, datetime.min.time()),
                   created_on=created, steps='[{"text": "call on Friday"}]', owner="therapist",
                   barriers="schedule", follow_up_on=TODAY + timedelta(days=rng.randint(-20, 20)),
                   status=PlanStatus.open, outcome=None, outcome_on=None, withdrawn_at=None)


def _rows_audit(clients: int, therapists: int, rng: random.Random) -> Iterator[dict]:
    for c in range(1, clients + 1):
        for _ in range(10):
            yield dict(at=datetime(2025, 1, 1) + timedelta(minutes=rng.randint(0, 600_000)),
                       staff_id=f"T{1 + c % therapists:04d}", client_id=f"C{c:06d}",
                       action=rng.choice(["summary", "summary", "draft", "plan_saved"]),
                       channel="rest", detail=None)


def _insert_all(connection, model, rows: Iterator[dict]) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            connection.execute(insert(model.__table__), batch)
            count, batch = count + len(batch), []
    if batch:
        connection.execute(insert(model.__table__), batch)
        count += len(batch)
    return count


def generate(path: Path, therapists: int, clients: int, appointments: int) -> None:
    url = f"sqlite:///{path}"
    db.upgrade(url)
    engine = create_engine(url, future=True)

    @event.listens_for(engine, "connect")
    def fast(connection, _record) -> None:  # a generated cache: no need to survive a crash
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")

    rng = random.Random(15)
    began = time.perf_counter()
    with engine.begin() as connection:
        counts = [_insert_all(connection, Staff, _rows_staff(therapists)),
                  _insert_all(connection, Client, _rows_clients(clients, therapists, rng)),
                  _insert_all(connection, Appointment,
                              _rows_appointments(appointments, clients, therapists, rng)),
                  _insert_all(connection, Plan, _rows_plans(clients, therapists, rng)),
                  _insert_all(connection, AuditEvent, _rows_audit(clients, therapists, rng))]
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    print(f"Generated {', '.join(f'{n:,} {t}' for n, t in zip(counts, TABLES, strict=True))} "
          f"in {time.perf_counter() - began:.0f} s", flush=True)


def cached_sqlite(therapists: int, clients: int, appointments: int) -> str:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"clinic-{therapists}-{clients}-{appointments}-base{_head()}.db"
    if not path.exists():
        print(f"Generating the clinic group into {path.relative_to(ROOT)} ...", flush=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        generate(partial, therapists, clients, appointments)
        partial.rename(path)
    url = f"sqlite:///{path}"
    db.upgrade(url)  # migrations newer than the cache (indexes) are applied to it
    return url


def copy_to_postgres(sqlite_url: str, postgres_url: str) -> None:
    """Copy every generated table into an empty, migrated PostgreSQL database (COPY)."""
    db.upgrade(postgres_url)
    source = create_engine(sqlite_url, future=True)
    target = create_engine(postgres_url, future=True)
    began = time.perf_counter()
    raw = target.raw_connection()
    try:
        cursor = raw.cursor()
        with source.connect() as reading:
            for table in TABLES:
                columns = [c.name for c in db_table(table).columns]
                rows = reading.execution_options(stream_results=True).execute(
                    text(f"SELECT {', '.join(_q(c) for c in columns)} FROM {table}"))
                while True:
                    chunk = rows.fetchmany(100_000)
                    if not chunk:
                        break
                    buffer = io.StringIO()
                    csv.writer(buffer).writerows(_pg_row(r) for r in chunk)
                    buffer.seek(0)
                    cursor.copy_expert(f"COPY {table} ({', '.join(_q(c) for c in columns)}) "
                                       "FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
            for table in ("plans", "audit_events"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    source.dispose()
    target.dispose()
    print(f"Copied into PostgreSQL in {time.perf_counter() - began:.0f} s", flush=True)


def db_table(name: str):
    from reconnect.records.models import Base
    return Base.metadata.tables[name]


def _q(column: str) -> str:
    return f'"{column}"'


def _pg_row(row: Sequence) -> List[str]:
    out = []
    for value in row:
        if value is None:
            out.append("\\N")
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        else:
            out.append(str(value))
    return out


def time_queries(url: str, queries: int, therapists: int, clients: int) -> Dict[str, List[float]]:
    records = ClientRecords(url)
    rng = random.Random(3)
    times: Dict[str, List[float]] = {"summary": [], "follow-ups": []}
    for _ in range(queries):
        c = rng.randint(1, clients)
        client_id, staff_id = f"C{c:06d}", f"T{1 + c % therapists:04d}"
        began = time.perf_counter()
        record = records.client_record(staff_id, client_id)
        times["summary"].append(time.perf_counter() - began)
        assert record is not None and record.appointments, (staff_id, client_id)
        began = time.perf_counter()
        records.due_follow_ups(staff_id, TODAY + timedelta(days=7))
        times["follow-ups"].append(time.perf_counter() - began)
    db.dispose_engines()
    return times


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def print_queries(label: str, times: Dict[str, List[float]]) -> None:
    for name, values in times.items():
        ms = [v * 1000 for v in values[5:]]  # the first few warm the caches
        print(f"| {label} | {name} | {statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f} "
              f"| {max(ms):.1f} |")


def postgres_server() -> Tuple[str, Callable[[], None]]:
    given = os.environ.get("RECONNECT_BENCH_POSTGRES_URL")
    if given:
        return given, lambda: None
    env = dict(os.environ, PG_TEST_PORT=os.environ.get("PG_BENCH_PORT", "55442"),
               PG_TEST_DIR=f"/tmp/reconnect-pg-bench-{os.getuid()}")
    url = subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "start"], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip().splitlines()[-1]

    def stop() -> None:
        subprocess.run([str(ROOT / "scripts" / "postgres.sh"), "stop"], env=env, check=False)
    return url, stop


def fresh_postgres_database(server_url: str, name: str) -> str:
    url = make_url(server_url)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                           future=True)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return str(url.set(database=name))


def bench_import(sizes: Sequence[int], clients: int, therapists: int) -> None:
    print("\n| import (SQLite, scripts/bench_import.py) | first import | rows/s | re-import "
          "| peak memory |")
    print("|---|---|---|---|---|")
    for size in sizes:
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_import.py"), "--appointments",
             str(size), "--clients", str(clients), "--therapists", str(therapists),
             "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
        lines = {line.split(":")[0].strip(): line.split(":", 1)[1].strip()
                 for line in done.stdout.splitlines() if ":" in line}
        if done.returncode:
            print(f"| {size:,} appointments | failed ({done.returncode}) | | | |")
            continue
        print(f"| {size:,} appointments | {lines['first import'].split('(')[0].strip()} | "
              f"{lines['first import'].split('(')[1].split()[0]} | "
              f"{lines['re-import'].split('(')[0].strip()} | {lines['peak memory (RSS)']} |",
              flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--therapists", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--appointments", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--import-sizes", default="200000,2000000",
                        help="appointments per import run (comma-separated; empty: none)")
    args = parser.parse_args(argv)

    sqlite_url = cached_sqlite(args.therapists, args.clients, args.appointments)
    results = [("SQLite", time_queries(sqlite_url, args.queries, args.therapists,
                                       args.clients))]
    if not args.no_postgres:
        server, stop = postgres_server()
        try:
            url = fresh_postgres_database(server, "reconnect_bench_db")
            copy_to_postgres(sqlite_url, url)
            results.append(("PostgreSQL", time_queries(url, args.queries, args.therapists,
                                                       args.clients)))
        finally:
            stop()
    print(f"\n{args.therapists:,} therapists, {args.clients:,} clients, "
          f"{args.appointments:,} appointments; {args.queries} queries each (ms)")
    print("| database | query | p50 | p95 | worst |")
    print("|---|---|---|---|---|")
    for label, times in results:
        print_queries(label, times)
    sizes = [int(s) for s in args.import_sizes.split(",") if s.strip()]
    if sizes:
        bench_import(sizes, args.clients, args.therapists)
    return 0


if __name__ == "__main__":
    sys.exit(main())

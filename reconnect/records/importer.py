"""Import a clinic's CSV exports (staff, clients, appointments).

Every row of every file is checked first. If any row is bad, each problem is reported with
its file, line and reason, and nothing at all is written. Otherwise the rows are written in
one transaction: new ids are inserted, changed rows updated, identical rows left alone, so
importing the same files again changes nothing. Records missing from an export are kept
(an export may cover only part of the clinic's history).

Appointments (the large file: millions of rows for a clinic group) are read, checked and
written in batches of WRITE_CHUNK rows inside that one transaction, so memory stays bounded by
a batch whatever the file's size: ids already seen in the file are kept in a temporary table,
not in memory, to report a repeated id with its first line. Once any row is bad nothing more
is written, the rest of the file is still checked, and the transaction is rolled back.
"""
from __future__ import annotations

import csv
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from reconnect.records.csv_out import unquote
from reconnect.records.db import session_scope
from reconnect.records.models import (
    Appointment,
    AppointmentStatus,
    Client,
    ClientStatus,
    Modality,
    Payer,
    RiskLevel,
    Staff,
    StaffRole,
)
from reconnect.settings import clinic_timezone

TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0"}
WRITE_CHUNK = 5_000
# Amounts are stored as whole cents in an INTEGER column (PostgreSQL: at most 2**31 - 1).
MONEY_LIMIT = Decimal(10 ** 7)
# Dates outside these years are typing slips ("0001-03-02", "20226-03-02"), not clinic history.
FIRST_YEAR, LAST_YEAR = 1900, 2100


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class ImportFailed(Exception):
    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problem(s); nothing was imported")


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    staff: TableCounts = field(default_factory=TableCounts)
    clients: TableCounts = field(default_factory=TableCounts)
    appointments: TableCounts = field(default_factory=TableCounts)

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated for c in (self.staff, self.clients, self.appointments))


class _BadValue(ValueError):
    pass


# --- value parsers: each returns the clean value or raises _BadValue with a reason ---------

def _required(column: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if not value:
            raise _BadValue(f"{column} is missing")
        return unquote(value)
    return parse


def _optional_text(value: str) -> Optional[str]:
    return unquote(value) or None


def _plausible_year(column: str, value: str, year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _BadValue(f"{column} {value!r} is outside the years {FIRST_YEAR} to {LAST_YEAR}")


def _choice(column: str, enum_cls) -> Callable[[str], object]:
    allowed = [m.value for m in enum_cls]

    def parse(value: str):
        try:
            return enum_cls(value.lower())
        except ValueError:
            raise _BadValue(
                f"{column} {value!r} is not one of {', '.join(allowed)}"
            ) from None
    return parse


def _yes_no(column: str) -> Callable[[str], bool]:
    def parse(value: str) -> bool:
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise _BadValue(f"{column} {value!r} is not yes or no")
    return parse


def _optional_date(column: str) -> Callable[[str], Optional[date]]:
    def parse(value: str) -> Optional[date]:
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise _BadValue(f"{column} {value!r} is not a date (YYYY-MM-DD)") from None
        _plausible_year(column, value, parsed.year)
        return parsed
    return parse


def _local_datetime(value: str) -> datetime:
    if not value:
        raise _BadValue("start is missing")
    try:
        # "Z" (UTC) is ISO 8601 too, though Python 3.10's parser only reads "+00:00".
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1:] in "Zz" else value)
    except ValueError:
        raise _BadValue(
            f"start {value!r} is not an ISO 8601 date and time (e.g. 2026-03-02T09:00)"
        ) from None
    _plausible_year("start", value, parsed.year)
    if parsed.tzinfo is not None:  # an offset or Z: the clinic's wall-clock time
        parsed = parsed.astimezone(clinic_timezone()).replace(tzinfo=None)
    return parsed


def _positive_int(column: str, maximum: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise _BadValue(f"{column} {value!r} is not a whole number") from None
        if number <= 0:
            raise _BadValue(f"{column} must be more than 0")
        if number > maximum:
            raise _BadValue(f"{column} {value!r} is more than {maximum}")
        return number
    return parse


def _money(column: str) -> Callable[[str], Optional[Decimal]]:
    def parse(value: str) -> Optional[Decimal]:
        if not value:
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise _BadValue(f"{column} {value!r} is not an amount") from None
        if not amount.is_finite() or amount < 0:
            raise _BadValue(f"{column} must be 0 or more")
        if amount >= MONEY_LIMIT:
            raise _BadValue(f"{column} {value!r} is too large (at most {MONEY_LIMIT - 1}.99)")
        if amount != amount.quantize(Decimal("0.01")):
            raise _BadValue(f"{column} {value!r} has more than 2 decimals")
        return amount.quantize(Decimal("0.01"))
    return parse


@dataclass(frozen=True)
class _Table:
    model: Any  # a mapped model class
    id_column: str
    columns: Dict[str, Tuple[str, Callable[[str], object]]]  # csv column -> (attribute, parser)
    # Columns a file may leave out: then the records keep what they hold.
    optional: Tuple[str, ...] = ()


STAFF = _Table(Staff, "staff_id", {
    "staff_id": ("id", _required("staff_id")),
    "name": ("name", _required("name")),
    "role": ("role", _choice("role", StaffRole)),
    "slack_user_id": ("slack_user_id", _optional_text),
    "email": ("email", _optional_text),
    "supervisor_id": ("supervisor_id", _optional_text),
}, optional=("supervisor_id",))

CLIENTS = _Table(Client, "client_id", {
    "client_id": ("id", _required("client_id")),
    "first_name": ("first_name", _required("first_name")),
    "last_name": ("last_name", _required("last_name")),
    "preferred_name": ("preferred_name", _optional_text),
    "therapist_id": ("therapist_id", _required("therapist_id")),
    "status": ("status", _choice("status", ClientStatus)),
    "payer": ("payer", _choice("payer", Payer)),
    "sms_consent": ("sms_consent", _yes_no("sms_consent")),
    "email_consent": ("email_consent", _yes_no("email_consent")),
    "phone_consent": ("phone_consent", _yes_no("phone_consent")),
    "emergency_contact_on_file": ("emergency_contact_on_file",
                                  _yes_no("emergency_contact_on_file")),
    "risk_level": ("risk_level", _choice("risk_level", RiskLevel)),
    "last_risk_review": ("last_risk_review", _optional_date("last_risk_review")),
})

APPOINTMENTS = _Table(Appointment, "appointment_id", {
    "appointment_id": ("id", _required("appointment_id")),
    "client_id": ("client_id", _required("client_id")),
    "therapist_id": ("therapist_id", _required("therapist_id")),
    "start": ("start", _local_datetime),
    "duration_min": ("duration_min", _positive_int("duration_min", 24 * 60)),
    "modality": ("modality", _choice("modality", Modality)),
    "status": ("status", _choice("status", AppointmentStatus)),
    "fee_charged": ("fee_charged", _money("fee_charged")),
    "fee_paid": ("fee_paid", _money("fee_paid")),
})


@dataclass
class _Parsed:
    file: str
    rows: Dict[str, dict] = field(default_factory=dict)   # id -> attributes
    lines: Dict[str, int] = field(default_factory=dict)   # id -> line


class _BadCsv(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line


def _read_rows(path: Path) -> Iterator[Tuple[int, Dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        try:
            if reader.fieldnames is None:
                return
            reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames]
            yield 1, {"__header__": ",".join(reader.fieldnames)}
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:  # a NUL byte, a field over csv's size limit
            # DictReader.line_num is only updated after a good row: ask the csv reader.
            raise _BadCsv(reader.reader.line_num, str(exc)) from None


def _parse_row(values: Dict[str, str], table: _Table,
               limits: Dict[str, Optional[int]]) -> Tuple[dict, List[str]]:
    """One row's values, parsed and checked: (record, problems)."""
    record: dict = {}
    problems: List[str] = []
    for column, (attribute, parse) in table.columns.items():
        if column in table.optional and column not in values:
            continue  # left out of this file: the records keep their value
        try:
            record[attribute] = parse(values.get(column) or "")
        except _BadValue as bad:
            problems.append(str(bad))
            continue
        limit = limits[attribute]
        if limit and isinstance(record[attribute], str) and len(record[attribute]) > limit:
            problems.append(f"{column} is longer than {limit} characters")
    return record, problems


def _checked_rows(path: Path, table: _Table, errors: List[RowError],
                  show: bool) -> Iterator[Tuple[int, dict]]:
    """(line, record) for each good row, in file order; each bad row's problem in `errors`."""
    try:
        rows = _read_rows(path)
        header = next(rows, None)
        if header is None:
            errors.append(RowError(path.name, 1, "the file is empty (a header row is needed)"))
            return
        columns = header[1]["__header__"].split(",")
        repeated = sorted({c for c in table.columns if columns.count(c) > 1})
        if repeated:  # csv.DictReader would keep the last one's values, silently
            errors.append(RowError(path.name, 1, "column(s) given more than once in the "
                                                 f"header: {', '.join(repeated)}"))
            return
        present = set(columns)
        missing = [c for c in table.columns if c not in present and c not in table.optional]
        if missing:
            errors.append(RowError(path.name, 1, f"missing column(s): {', '.join(missing)}"))
            return
        limits = {attribute: getattr(table.model.__table__.c[attribute].type, "length", None)
                  for attribute, _ in table.columns.values()}
        for line, raw in tqdm(rows, desc=f"Checking {path.name}", unit=" rows",
                              disable=not show, mininterval=0.5, file=sys.stderr):
            if None in raw:
                errors.append(RowError(path.name, line, "more values than columns"))
                continue
            values = {k: (v or "").strip() for k, v in raw.items()}
            if not any(values.values()):
                continue  # blank line
            record, problems = _parse_row(values, table, limits)
            if problems:
                errors.append(RowError(path.name, line, "; ".join(problems)))
                continue
            yield line, record
    except UnicodeDecodeError as exc:
        errors.append(RowError(path.name, _undecodable_line(path),
                               f"not UTF-8 text ({exc.reason}); save it as CSV UTF-8"))
    except _BadCsv as exc:
        errors.append(RowError(path.name, exc.line, f"not readable as CSV ({exc})"))
    except OSError as exc:
        errors.append(RowError(path.name, 0, f"cannot read the file ({exc.strerror})"))


def _repeated(table: _Table, key: str, first_line: int) -> str:
    return f"{table.id_column} {key!r} appears again (first on line {first_line})"


def _parse_file(path: Path, table: _Table, errors: List[RowError], show: bool) -> _Parsed:
    parsed = _Parsed(file=path.name)
    for line, record in _checked_rows(path, table, errors, show):
        key = record["id"]
        if key in parsed.rows:
            errors.append(RowError(path.name, line, _repeated(table, key, parsed.lines[key])))
            continue
        parsed.rows[key] = record
        parsed.lines[key] = line
    return parsed


def _undecodable_line(path: Path) -> int:
    """The line holding the file's first byte that is not UTF-8 (the decoder reads ahead
    in blocks, so the csv reader's line is not it)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


def _existing(session, model, ids: Optional[Iterable[str]] = None) -> Dict[str, dict]:
    table = model.__table__
    query = select(table) if ids is None else select(table).where(table.c.id.in_(list(ids)))
    return {row["id"]: dict(row) for row in session.execute(query).mappings()}


def _check_references(staff: _Parsed, clients: _Parsed, db_staff: Dict[str, dict],
                      db_clients: Dict[str, dict],
                      errors: List[RowError]) -> None:
    roles = {k: v["role"] for k, v in db_staff.items()}
    roles.update({k: v["role"] for k, v in staff.rows.items()})
    _check_slack_ids(staff, db_staff, errors)
    _check_supervisors(staff, roles, errors)
    _check_client_therapists(clients, roles, errors)
    _check_caseloads_kept(staff, clients, db_clients, errors)


def _check_slack_ids(staff: _Parsed, db_staff: Dict[str, dict], errors: List[RowError]) -> None:
    slack_owner = {v["slack_user_id"]: k for k, v in db_staff.items()
                   if v["slack_user_id"] and k not in staff.rows}
    for key, row in staff.rows.items():
        slack_id = row["slack_user_id"]
        if slack_id and slack_owner.setdefault(slack_id, key) != key:
            errors.append(RowError(staff.file, staff.lines[key],
                                   f"slack_user_id {slack_id!r} is already staff "
                                   f"{slack_owner[slack_id]}'s"))


def _check_supervisors(staff: _Parsed, roles: Dict[str, str], errors: List[RowError]) -> None:
    for key, row in staff.rows.items():
        supervisor = row.get("supervisor_id")
        if not supervisor:
            continue
        role = roles.get(supervisor)
        if role is None:
            problem = f"supervisor_id {supervisor!r} is not a known staff id"
        elif StaffRole(role) is not StaffRole.supervisor:
            problem = f"supervisor_id {supervisor!r} is a {StaffRole(role).value}, not a supervisor"
        elif supervisor == key:
            problem = "a staff member cannot supervise themself"
        else:
            continue
        errors.append(RowError(staff.file, staff.lines[key], problem))


def _check_client_therapists(clients: _Parsed, roles: Dict[str, str],
                             errors: List[RowError]) -> None:
    for key, row in clients.rows.items():
        role = roles.get(row["therapist_id"])
        if role is None:
            errors.append(RowError(clients.file, clients.lines[key],
                                   f"therapist_id {row['therapist_id']!r} is not a known staff id"))
        elif StaffRole(role) is not StaffRole.therapist:
            errors.append(RowError(clients.file, clients.lines[key],
                                   f"therapist_id {row['therapist_id']!r} is a "
                                   f"{StaffRole(role).value}, not a therapist"))


def _check_caseloads_kept(staff: _Parsed, clients: _Parsed, db_clients: Dict[str, dict],
                          errors: List[RowError]) -> None:
    """A therapist made front desk or supervisor by this import must not keep clients in the
    database (clients in this import are checked with their new therapist)."""
    caseload: Dict[str, List[str]] = {}
    for client_id, row in db_clients.items():
        if client_id not in clients.rows:
            caseload.setdefault(row["therapist_id"], []).append(client_id)
    for key, row in staff.rows.items():
        if StaffRole(row["role"]) is not StaffRole.therapist and caseload.get(key):
            held = sorted(caseload[key])
            errors.append(RowError(
                staff.file, staff.lines[key],
                f"staff {key!r} would become {StaffRole(row['role']).value} but is still the "
                f"therapist of {len(held)} client(s) ({', '.join(held[:3])}"
                f"{', ...' if len(held) > 3 else ''}); reassign them first"))


def _appointment_problems(row: dict, client_ids: set, roles: Dict[str, str]) -> List[str]:
    problems = []
    if row["client_id"] not in client_ids:
        problems.append(f"client_id {row['client_id']!r} is not a known client")
    role = roles.get(row["therapist_id"])
    if role is None:
        problems.append(f"therapist_id {row['therapist_id']!r} is not a known staff id")
    elif StaffRole(role) is not StaffRole.therapist:
        problems.append(f"therapist_id {row['therapist_id']!r} is a "
                        f"{StaffRole(role).value}, not a therapist")
    charged, paid = row["fee_charged"], row["fee_paid"]
    if charged is None and paid is not None:
        problems.append("fee_paid is given without fee_charged")
    elif charged is not None and paid is not None and paid > charged:
        problems.append(f"fee_paid {paid} is more than fee_charged {charged}")
    return problems


def _normal(value):
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    if hasattr(value, "value"):  # enum members compare by their stored text
        return value.value
    return value


def _free_unique_values(session, model, changed: List[dict], existing: Dict[str, dict]) -> None:
    """Clear the unique values (Slack ids) that changed rows give up or change, before any row
    takes its new one: two staff members swapping Slack ids in one import would otherwise
    trip the UNIQUE constraint half-way (all inside the import's one transaction)."""
    for column in [c.name for c in model.__table__.columns if c.unique]:
        moving = [r["id"] for r in changed
                  if existing[r["id"]].get(column) is not None
                  and existing[r["id"]].get(column) != r.get(column)]
        for start in range(0, len(moving), WRITE_CHUNK):
            chunk = moving[start:start + WRITE_CHUNK]
            session.execute(update(model.__table__)
                            .where(model.__table__.c.id.in_(chunk)).values({column: None}))


def _write(session, model, parsed: _Parsed, existing: Dict[str, dict], counts: TableCounts,
           show: bool) -> None:
    new, changed = [], []
    for key, record in parsed.rows.items():
        old = existing.get(key)
        if old is None:
            new.append(record)
        elif any(_normal(old.get(a)) != _normal(v) for a, v in record.items()):
            changed.append(record)
        else:
            counts.unchanged += 1
    if model is Staff:
        # A supervisor's row goes in before the rows naming them (the key is checked at once).
        new.sort(key=lambda r: (r["role"] is not StaffRole.supervisor, bool(r.get("supervisor_id"))))
    total = len(new) + len(changed)
    with tqdm(total=total, desc=f"Writing {model.__tablename__}", unit=" rows",
              disable=not show or total == 0, mininterval=0.5, file=sys.stderr) as bar:
        _free_unique_values(session, model, changed, existing)  # before a new row takes one
        for start in range(0, len(new), WRITE_CHUNK):
            chunk = new[start:start + WRITE_CHUNK]
            # One executemany per chunk (bulk_insert_mappings splits rows by which values
            # are empty, which costs thousands of round trips).
            session.execute(insert(model.__table__), chunk)
            bar.update(len(chunk))
        for start in range(0, len(changed), WRITE_CHUNK):
            chunk = changed[start:start + WRITE_CHUNK]
            session.bulk_update_mappings(model, chunk)
            bar.update(len(chunk))
    session.flush()
    counts.inserted += len(new)
    counts.updated += len(changed)


class _SeenIds:
    """The ids already read from a file with the line of each, in a temporary table, so that
    a repeated id is found without holding every id of a large file in memory."""

    def __init__(self, session):
        self.session = session
        self.table = Table(f"import_seen_{uuid.uuid4().hex[:12]}", MetaData(),
                           Column("id", String(64), primary_key=True),
                           Column("line", Integer, nullable=False), prefixes=["TEMPORARY"])
        self.table.create(session.connection())

    def first_lines(self, ids: Iterable[str]) -> Dict[str, int]:
        query = select(self.table.c.id, self.table.c.line).where(self.table.c.id.in_(list(ids)))
        return {key: line for key, line in self.session.execute(query).all()}

    def add(self, lines: Dict[str, int]) -> None:
        if lines:
            self.session.execute(insert(self.table),
                                 [{"id": key, "line": line} for key, line in lines.items()])

    def drop(self) -> None:
        try:
            self.table.drop(self.session.connection())
        except SQLAlchemyError:
            pass  # a failed transaction is rolled back, and the table with it


def _write_batch(session, model, records: List[dict], counts: TableCounts) -> None:
    existing = _existing(session, model, [r["id"] for r in records])
    new = [r for r in records if r["id"] not in existing]
    changed = [r for r in records if r["id"] in existing and any(
        _normal(existing[r["id"]].get(a)) != _normal(v) for a, v in r.items())]
    if new:
        session.execute(insert(model.__table__), new)
    if changed:
        session.bulk_update_mappings(model, changed)
    counts.inserted += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(records) - len(new) - len(changed)


@dataclass
class _Known:
    client_ids: set
    roles: Dict[str, str]


def _appointment_batch(session, file: str, batch: List[Tuple[int, dict]], seen: _SeenIds,
                       known: _Known, errors: List[RowError], counts: TableCounts) -> int:
    """Check a batch of appointments and write it while the import has no bad row: how many
    rows were written (0 once any row is bad)."""
    earlier = seen.first_lines(record["id"] for _, record in batch)
    fresh: Dict[str, int] = {}
    good = []
    for line, record in batch:
        key = record["id"]
        first = earlier.get(key) or fresh.get(key)
        if first:
            errors.append(RowError(file, line, _repeated(APPOINTMENTS, key, first)))
            continue
        fresh[key] = line
        problems = _appointment_problems(record, known.client_ids, known.roles)
        if problems:
            errors.append(RowError(file, line, "; ".join(problems)))
            continue
        good.append(record)
    seen.add(fresh)
    if errors:  # after the first bad row nothing more is written; checking goes on
        return 0
    _write_batch(session, Appointment, good, counts)
    return len(good)


def _import_appointments(session, path: Path, known: _Known, errors: List[RowError],
                         counts: TableCounts, show: bool) -> None:
    """Check and write the appointments file in batches of WRITE_CHUNK rows."""
    seen = _SeenIds(session)
    written = tqdm(desc="Writing appointments", unit=" rows", disable=not show,
                   mininterval=0.5, file=sys.stderr)
    try:
        batch: List[Tuple[int, dict]] = []
        for row in _checked_rows(path, APPOINTMENTS, errors, show):
            batch.append(row)
            if len(batch) == WRITE_CHUNK:
                written.update(_appointment_batch(session, path.name, batch, seen, known,
                                                  errors, counts))
                batch = []
        if batch:
            written.update(_appointment_batch(session, path.name, batch, seen, known, errors,
                                              counts))
        session.flush()
    finally:
        written.close()
        seen.drop()


def import_clinic(staff: Optional[Path] = None, clients: Optional[Path] = None,
                  appointments: Optional[Path] = None, url: Optional[str] = None,
                  progress: bool = False) -> ImportReport:
    """Check every row, then write all of them in one transaction, or none."""
    if not (staff or clients or appointments):
        raise ValueError("give at least one of the staff, clients or appointments files")
    errors: List[RowError] = []
    empty = _Parsed(file="")
    parsed_staff = _parse_file(Path(staff), STAFF, errors, progress) if staff else empty
    parsed_clients = _parse_file(Path(clients), CLIENTS, errors, progress) if clients else empty

    report = ImportReport()
    with session_scope(url) as session:
        db_staff = _existing(session, Staff)
        db_clients = _existing(session, Client)
        _check_references(parsed_staff, parsed_clients, db_staff, db_clients, errors)
        if not errors:
            _write(session, Staff, parsed_staff, db_staff, report.staff, progress)
            _write(session, Client, parsed_clients, db_clients, report.clients, progress)
        if appointments:
            roles = {k: v["role"] for k, v in db_staff.items()}
            roles.update({k: v["role"] for k, v in parsed_staff.rows.items()})
            known = _Known(set(db_clients) | set(parsed_clients.rows), roles)
            _import_appointments(session, Path(appointments), known, errors,
                                 report.appointments, progress)
        if errors:  # nothing is kept: the transaction is rolled back
            raise ImportFailed(sorted(errors, key=lambda e: (e.file, e.line)))
    return report

"""Helpers for the records tests: a small valid clinic written as CSV files in tmp_path, the
contents of the clinic tables, and a database with no tables at all."""
from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import pytest
from sqlalchemy import MetaData, select

from reconnect.records import db
from reconnect.records.models import Appointment, Client, Staff

STAFF_COLUMNS = ["staff_id", "name", "role", "slack_user_id", "email"]
CLIENT_COLUMNS = ["client_id", "first_name", "last_name", "preferred_name", "therapist_id",
                  "status", "payer", "sms_consent", "email_consent", "phone_consent",
                  "emergency_contact_on_file", "risk_level", "last_risk_review"]
APPOINTMENT_COLUMNS = ["appointment_id", "client_id", "therapist_id", "start", "duration_min",
                       "modality", "status", "fee_charged", "fee_paid"]


def write_csv(path: Path, rows: Sequence[Dict[str, str]],
              fieldnames: Optional[Sequence[str]] = None, encoding: str = "utf-8") -> Path:
    """Write rows (dicts) as a CSV file with a header; columns in `fieldnames` order."""
    fieldnames = list(fieldnames or (rows[0].keys() if rows else []))
    with Path(path).open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)
    return Path(path)


def staff_row(staff_id: str, /, **values: str) -> Dict[str, str]:
    row = {"staff_id": staff_id, "name": f"Staff {staff_id}", "role": "therapist",
           "slack_user_id": "", "email": ""}
    row.update(values)
    return row


def client_row(client_id: str, /, **values: str) -> Dict[str, str]:
    row = {"client_id": client_id, "first_name": "First", "last_name": f"Last{client_id}",
           "preferred_name": "", "therapist_id": "T1", "status": "active",
           "payer": "self_pay", "sms_consent": "no", "email_consent": "no",
           "phone_consent": "no", "emergency_contact_on_file": "no", "risk_level": "none",
           "last_risk_review": ""}
    row.update(values)
    return row


def appointment_row(appointment_id: str, /, **values: str) -> Dict[str, str]:
    row = {"appointment_id": appointment_id, "client_id": "C1", "therapist_id": "T1",
           "start": "2026-03-02T09:00", "duration_min": "50", "modality": "in_person",
           "status": "attended", "fee_charged": "120.00", "fee_paid": "120.00"}
    row.update(values)
    return row


class Clinic:
    """A small valid clinic, as rows to change at will, written as CSV files on demand."""

    staff_row = staticmethod(staff_row)
    client_row = staticmethod(client_row)
    appointment_row = staticmethod(appointment_row)

    def __init__(self, folder: Path):
        self.folder = folder
        self.staff: List[Dict[str, str]] = [
            staff_row("T1", name="Dr. Ana Ruiz", slack_user_id="U0T1",
                      email="ana.ruiz@example.org"),
            staff_row("T2", name="Ben Okafor", role="Therapist"),
            staff_row("F1", name="Fran Desk", role="front_desk"),
            staff_row("S1", name="Sam Super", role="supervisor"),
        ]
        self.clients: List[Dict[str, str]] = [
            client_row("C1", first_name="José", last_name="Núñez-Łukasz", preferred_name="Pepe",
                       status="active", payer="medicaid", sms_consent="yes",
                       email_consent="No", phone_consent="Y",
                       emergency_contact_on_file="true", risk_level="elevated",
                       last_risk_review="2026-02-01"),
            client_row("C2", first_name="Mia", last_name="Berg", status="paused",
                       payer="commercial", risk_level="low"),
            client_row("C3", first_name="Ola", last_name="Nordmann", therapist_id="T2",
                       status="discharged", payer="medicare", risk_level="high"),
        ]
        self.appointments: List[Dict[str, str]] = [
            appointment_row("A1", fee_charged="120", fee_paid="120.00"),
            appointment_row("A2", start="2026-03-09T09:00:00", modality="telehealth",
                            status="no_show", fee_charged="60.5", fee_paid="0"),
            appointment_row("A3", client_id="C2", start="2026-03-03T15:30",
                            duration_min="45", modality="phone", status="late_cancel",
                            fee_charged="", fee_paid=""),
            # With an offset: stored as the clinic's wall-clock time (New York, EST here).
            appointment_row("A4", client_id="C3", therapist_id="T2",
                            start="2026-03-04T14:00:00+00:00", status="scheduled",
                            fee_charged="", fee_paid=""),
        ]

    def write(self, name: str, rows: Sequence[Dict[str, str]], columns: Sequence[str],
              **kwargs) -> Path:
        return write_csv(self.folder / name, rows, kwargs.pop("fieldnames", columns), **kwargs)

    def staff_csv(self, rows=None, **kwargs) -> Path:
        return self.write("staff.csv", self.staff if rows is None else rows, STAFF_COLUMNS,
                          **kwargs)

    def clients_csv(self, rows=None, **kwargs) -> Path:
        return self.write("clients.csv", self.clients if rows is None else rows,
                          CLIENT_COLUMNS, **kwargs)

    def appointments_csv(self, rows=None, **kwargs) -> Path:
        return self.write("appointments.csv", self.appointments if rows is None else rows,
                          APPOINTMENT_COLUMNS, **kwargs)

    def files(self) -> Dict[str, Path]:
        """All three files, as keyword arguments of import_clinic."""
        return {"staff": self.staff_csv(), "clients": self.clients_csv(),
                "appointments": self.appointments_csv()}


@pytest.fixture
def clinic(tmp_path) -> Clinic:
    folder = tmp_path / "csv"
    folder.mkdir()
    return Clinic(folder)


def table_contents(url: str) -> Dict[str, list]:
    """Every row of the three clinic tables, as comparable tuples ordered by id."""
    contents = {}
    with db.session_scope(url) as session:
        for name, model in (("staff", Staff), ("clients", Client),
                            ("appointments", Appointment)):
            table = model.__table__
            rows = session.execute(select(table).order_by(table.c.id)).all()
            contents[name] = [tuple(row) for row in rows]
    return contents


@pytest.fixture
def contents():
    """table_contents(url): every row of the clinic tables."""
    return table_contents


@pytest.fixture
def empty_db_url(db_url) -> str:
    """The db_url database with every table dropped, alembic_version too: never migrated."""
    engine = db.get_engine(db_url)
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        metadata.drop_all(connection)
    db.dispose_engines()
    return db_url


@pytest.fixture
def local_time_not_utc():
    """Run with the process's local time zone 5:30 ahead of UTC, so local time != UTC time."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Asia/Kolkata")
        time.tzset()
        yield
    time.tzset()

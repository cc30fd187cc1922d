"""A small hand-made clinic, imported through the real CSV importer, for action tests."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Dict, List

from reconnect.records.importer import import_clinic

STAFF = [
    dict(staff_id="T01", name="Dr. Alex Rivera", role="therapist", slack_user_id="U1", email=""),
    dict(staff_id="T02", name="Sam Okafor", role="therapist", slack_user_id="U2", email=""),
    dict(staff_id="F01", name="Jamie Chen", role="front_desk", slack_user_id="U3", email=""),
]

_CLIENT_DEFAULTS = dict(preferred_name="", status="active", payer="commercial",
                        sms_consent="yes", email_consent="yes", phone_consent="yes",
                        emergency_contact_on_file="yes", risk_level="none",
                        last_risk_review="")
CLIENTS = [
    dict(_CLIENT_DEFAULTS, client_id="C001", first_name="Dana", last_name="Whitfield",
         therapist_id="T01", payer="self_pay", risk_level="low", last_risk_review="2026-01-15"),
    dict(_CLIENT_DEFAULTS, client_id="C002", first_name="Maya", last_name="Patel",
         therapist_id="T01"),
    dict(_CLIENT_DEFAULTS, client_id="C003", first_name="Maya", last_name="Chen",
         therapist_id="T01", payer="medicaid"),
    dict(_CLIENT_DEFAULTS, client_id="C004", first_name="Noah", last_name="Kim",
         therapist_id="T02"),
    dict(_CLIENT_DEFAULTS, client_id="C005", first_name="Dana", last_name="Ortiz",
         therapist_id="T02"),
    dict(_CLIENT_DEFAULTS, client_id="C006", first_name="Sam", last_name="Greene",
         therapist_id="T01"),
]


def _appt(n: int, client: str, start: str, status: str, modality: str = "in_person",
          charged: str = "", paid: str = "", therapist: str = "T01") -> Dict[str, str]:
    return dict(appointment_id=f"A{n:04d}", client_id=client, therapist_id=therapist,
                start=start, duration_min="50", modality=modality, status=status,
                fee_charged=charged, fee_paid=paid)


# Clinic today in the tests is Monday 2026-03-16 (tests/conftest.py).
APPOINTMENTS = [
    _appt(1, "C001", "2026-01-05T09:00", "attended", charged="150.00", paid="150.00"),
    _appt(2, "C001", "2026-01-12T09:00", "no_show", charged="75.00"),
    _appt(3, "C001", "2026-01-19T09:00", "no_show", charged="75.00", paid="25.00"),
    _appt(4, "C001", "2026-02-05T17:00", "attended", charged="150.00", paid="150.00"),
    _appt(5, "C001", "2026-02-12T17:00", "attended", charged="150.00", paid="150.00"),
    _appt(6, "C001", "2026-02-19T17:00", "late_cancel", charged="75.00", paid="75.00"),
    _appt(7, "C001", "2026-03-02T09:00", "no_show", charged="75.00"),
    _appt(8, "C001", "2026-03-09T09:00", "no_show", charged="75.00"),
    _appt(9, "C001", "2026-03-23T09:00", "scheduled"),
    _appt(10, "C002", "2026-03-10T11:00", "attended", "telehealth", "30.00", "30.00"),
    _appt(11, "C003", "2026-03-11T14:00", "attended"),
    _appt(12, "C004", "2026-03-12T10:00", "no_show", therapist="T02"),
    _appt(13, "C005", "2026-03-12T11:00", "attended", therapist="T02"),
]


def write_csv(path: Path, rows: List[Dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def load_small_clinic(folder: Path, url: str) -> None:
    import_clinic(write_csv(folder / "staff.csv", STAFF),
                  write_csv(folder / "clients.csv", CLIENTS),
                  write_csv(folder / "appointments.csv", APPOINTMENTS), url=url)

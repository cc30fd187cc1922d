"""The small test clinic (tests/clinic_fixture.py) with what Slack's role views need:
supervisors (S01 supervises T01, S02 supervises T02), Slack users for each staff member, a
no-show today, and follow-ups due today and overdue. Clinic today is Monday 2026-03-16."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from reconnect.records.importer import import_clinic
from reconnect.records.queries import ClientRecords
from tests.clinic_fixture import CLIENTS, load_small_clinic, write_csv

SLACK_USERS = {"T01": "U1", "T02": "U2", "F01": "U3", "S01": "U4", "S02": "U5"}
UNKNOWN_USER = "U999"
STAFF_WITH_SUPERVISORS = [
    dict(staff_id="S01", name="Dr. Morgan Ellis", role="supervisor", slack_user_id="U4",
         email="", supervisor_id=""),
    dict(staff_id="S02", name="Dr. Lee Park", role="supervisor", slack_user_id="U5", email="",
         supervisor_id=""),
    dict(staff_id="T01", name="Dr. Alex Rivera", role="therapist", slack_user_id="U1",
         email="", supervisor_id="S01"),
    dict(staff_id="T02", name="Sam Okafor", role="therapist", slack_user_id="U2", email="",
         supervisor_id="S02"),
]
MORE_APPOINTMENTS = [
    dict(appointment_id="A0100", client_id="C002", therapist_id="T01", start="2026-03-16T09:00",
         duration_min="50", modality="telehealth", status="no_show", fee_charged="",
         fee_paid=""),
]
# Every client's name, and facts of their records, none of which may reach Slack in the
# default mode ("Chen" alone is also a staff member's name, so only full names are checked).
CLIENT_NAMES = sorted({f"{c['first_name']} {c['last_name']}" for c in CLIENTS}
                      | {c["last_name"] for c in CLIENTS if c["last_name"] != "Chen"})
CLIENT_FACTS = ["C00", "Medicaid", "medicaid", "self_pay", "self-pay", "elevated", "low risk",
                "$", "call her Friday"]


def load_slack_clinic(folder: Path, url: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    load_small_clinic(folder, url)
    import_clinic(write_csv(folder / "staff_supervisors.csv", STAFF_WITH_SUPERVISORS),
                  appointments=write_csv(folder / "more.csv", MORE_APPOINTMENTS), url=url)
    records = ClientRecords(url)
    today = date(2026, 3, 16)
    steps = [{"text": "call her Friday", "who": "therapist"}]
    records.save_plan("T01", "C001", steps, "therapist", today, [], date(2026, 3, 2))
    records.save_plan("T01", "C002", steps, "therapist", date(2026, 3, 10), [], date(2026, 3, 2))
    records.save_plan("T02", "C004", steps, "therapist", date(2026, 3, 12), [], date(2026, 3, 2))

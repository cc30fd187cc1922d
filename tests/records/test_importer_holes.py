"""import_clinic's stricter checks: each problem a `file:line: reason` with nothing written,
and the cases handled rightly (a Slack id swap, a start time in UTC). SQLite and PostgreSQL."""
from __future__ import annotations

import csv
from datetime import datetime

import pytest

from reconnect.records import db
from reconnect.records.csv_out import spreadsheet_safe, unquote
from reconnect.records.demo import write_csvs
from reconnect.records.importer import ImportFailed, RowError, import_clinic
from reconnect.records.models import Appointment, Client, Staff
from reconnect.records.queries import ClientRecords
from tests.conftest import TEST_TODAY
from tests.records.conftest import CLIENT_COLUMNS

EMPTY = {"staff": 0, "clients": 0, "appointments": 0}


def _get(url, model, key):
    with db.session_scope(url) as session:
        return session.get(model, key)


def _refused(url, **files):
    with pytest.raises(ImportFailed) as failed:
        import_clinic(**files, url=url)
    return failed.value.errors


def test_a_column_given_twice_in_the_header_is_refused(db_url, clinic, contents):
    path = clinic.folder / "clients.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLIENT_COLUMNS + ["status"])
        for row in clinic.clients:
            writer.writerow([row[c] for c in CLIENT_COLUMNS] + ["discharged"])
    before = contents(db_url)

    errors = _refused(db_url, staff=clinic.staff_csv(), clients=path)

    assert errors == [RowError("clients.csv", 1,
                               "column(s) given more than once in the header: status")]
    assert str(errors[0]) == ("clients.csv:1: column(s) given more than once in the header: "
                              "status")
    assert contents(db_url) == before


def test_two_staff_members_swap_slack_ids_in_one_import(db_url, clinic):
    clinic.staff[1]["slack_user_id"] = "U0T2"
    import_clinic(staff=clinic.staff_csv(), url=db_url)
    clinic.staff[0]["slack_user_id"], clinic.staff[1]["slack_user_id"] = "U0T2", "U0T1"

    report = import_clinic(staff=clinic.staff_csv(), url=db_url)

    assert (report.staff.inserted, report.staff.updated) == (0, 2)
    assert _get(db_url, Staff, "T1").slack_user_id == "U0T2"
    assert _get(db_url, Staff, "T2").slack_user_id == "U0T1"


def test_a_slack_id_given_up_by_a_later_row_can_be_taken_by_an_earlier_or_new_one(db_url,
                                                                                  clinic):
    import_clinic(staff=clinic.staff_csv(), url=db_url)
    clinic.staff[0]["slack_user_id"] = ""  # T1 gives U0T1 up ...
    clinic.staff.insert(0, clinic.staff_row("T0", slack_user_id="U0T1"))  # ... T0, new, takes it

    import_clinic(staff=clinic.staff_csv(), url=db_url)

    assert _get(db_url, Staff, "T0").slack_user_id == "U0T1"
    assert _get(db_url, Staff, "T1").slack_user_id is None


def test_a_file_that_is_not_utf8_is_reported_at_its_line(db_url, clinic):
    clinic.clients[0].update(first_name="Jose", last_name="Nunez")  # line 2: plain ASCII
    clinic.clients[1]["last_name"] = "Bergström"  # line 3: é in Latin-1, not UTF-8
    errors = _refused(db_url, staff=clinic.staff_csv(),
                      clients=clinic.clients_csv(encoding="latin-1"))

    assert [(e.file, e.line) for e in errors] == [("clients.csv", 3)]
    assert "not UTF-8" in errors[0].reason
    assert ClientRecords(db_url).counts() == EMPTY


BAD_APPOINTMENTS = [
    pytest.param({"therapist_id": "F1"}, "therapist_id 'F1' is a front_desk, not a therapist",
                 id="front-desk-therapist"),
    pytest.param({"fee_charged": "60", "fee_paid": "60.01"},
                 "fee_paid 60.01 is more than fee_charged 60.00", id="paid-more-than-charged"),
    pytest.param({"start": "0001-03-02T09:00"},
                 "start '0001-03-02T09:00' is outside the years 1900 to 2100", id="year-0001"),
    pytest.param({"start": "2226-03-02T09:00"},
                 "start '2226-03-02T09:00' is outside the years 1900 to 2100", id="year-2226"),
    pytest.param({"start": "0001-01-01T00:00+05:00"},
                 "start '0001-01-01T00:00+05:00' is outside the years", id="year-0001-offset"),
]


@pytest.mark.parametrize("values, reason", BAD_APPOINTMENTS)
def test_impossible_appointments_are_refused(db_url, clinic, values, reason):
    clinic.appointments.append(clinic.appointment_row("A9", **values))  # line 6

    errors = _refused(db_url, **clinic.files())

    assert [(e.file, e.line) for e in errors] == [("appointments.csv", 6)]
    assert errors[0].reason.startswith(reason), errors[0].reason
    assert ClientRecords(db_url).counts() == EMPTY


def test_a_risk_review_in_year_0001_is_refused(db_url, clinic):
    clinic.clients[0]["last_risk_review"] = "0001-02-01"

    errors = _refused(db_url, staff=clinic.staff_csv(), clients=clinic.clients_csv())

    assert errors == [RowError("clients.csv", 2, "last_risk_review '0001-02-01' is outside "
                                                 "the years 1900 to 2100")]


@pytest.mark.parametrize("start, local", [
    ("2026-03-04T14:00:00Z", datetime(2026, 3, 4, 9, 0)),        # EST
    ("2026-03-04T14:00z", datetime(2026, 3, 4, 9, 0)),
    ("2026-03-10T13:00:00Z", datetime(2026, 3, 10, 9, 0)),       # EDT, after 8 March
    ("2026-03-10T15:00:00+02:00", datetime(2026, 3, 10, 9, 0)),
    ("2026-03-10T09:00:00-04:00", datetime(2026, 3, 10, 9, 0)),
])
def test_a_start_in_utc_or_with_an_offset_is_the_clinics_wall_clock_time(db_url, clinic,
                                                                          start, local):
    clinic.appointments[0]["start"] = start

    import_clinic(**clinic.files(), url=db_url)

    assert _get(db_url, Appointment, "A1").start == local


# --- CSV files Reconnect writes: no formulas for a spreadsheet to run -----------------------

def test_text_a_spreadsheet_would_run_is_quoted_and_imports_back_unchanged():
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert spreadsheet_safe(text) == "'" + text
        assert unquote(spreadsheet_safe(text)) == text
    for text in ("Dana", "O'Brien", "'quoted", "", "2026-03-02T09:00"):
        assert spreadsheet_safe(text) == text
        assert unquote(text) == text
    assert spreadsheet_safe(-5) == -5  # numbers are no formulas


def test_the_demo_files_neutralise_formulas_and_import_back_as_written(db_url, tmp_path,
                                                                       monkeypatch):
    from reconnect.records import demo

    real = demo.build_demo

    def with_formulas(anchor):
        clinic = real(anchor)
        clinic.clients[0]["first_name"] = "=cmd|' /C calc'!A0"
        clinic.clients[0]["preferred_name"] = "@Pepe"
        clinic.staff[0]["name"] = "-Dr. Minus"
        return clinic

    monkeypatch.setattr(demo, "build_demo", with_formulas)
    staff, clients, appointments = write_csvs(tmp_path / "csv", TEST_TODAY)

    with clients.open(newline="", encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert first["first_name"] == "'=cmd|' /C calc'!A0"
    assert first["preferred_name"] == "'@Pepe"
    for path in (staff, clients, appointments):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row), row

    import_clinic(staff=staff, clients=clients, appointments=appointments, url=db_url)
    client = _get(db_url, Client, first["client_id"])
    assert (client.first_name, client.preferred_name) == ("=cmd|' /C calc'!A0", "@Pepe")

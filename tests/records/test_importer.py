"""import_clinic: clean imports, idempotent re-imports, and bad rows refused with nothing written.

Every test runs on SQLite and, when the test server runs, PostgreSQL (the db_url fixture).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from reconnect.records import db
from reconnect.records.importer import ImportFailed, RowError, import_clinic
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
from reconnect.records.queries import ClientRecords

CLINIC_COUNTS = {"staff": 4, "clients": 3, "appointments": 4}


def _get(url, model, key):
    with db.session_scope(url) as session:
        return session.get(model, key)


def _counts(report):
    return {name: (getattr(report, name).inserted, getattr(report, name).updated,
                   getattr(report, name).unchanged)
            for name in ("staff", "clients", "appointments")}


def _assert_clinic_stored(url):
    """The values of the Clinic fixture's rows, as the database must hold them."""
    assert ClientRecords(url).counts() == CLINIC_COUNTS

    ana = _get(url, Staff, "T1")
    assert (ana.name, ana.role, ana.slack_user_id, ana.email) == (
        "Dr. Ana Ruiz", StaffRole.therapist, "U0T1", "ana.ruiz@example.org")
    ben = _get(url, Staff, "T2")
    assert ben.role is StaffRole.therapist  # "Therapist" in the file
    assert ben.slack_user_id is None and ben.email is None  # empty cells are NULL, not ""
    assert _get(url, Staff, "F1").role is StaffRole.front_desk
    assert _get(url, Staff, "S1").role is StaffRole.supervisor

    jose = _get(url, Client, "C1")
    assert (jose.first_name, jose.last_name, jose.preferred_name) == ("José", "Núñez-Łukasz",
                                                                      "Pepe")
    assert jose.therapist_id == "T1"
    assert jose.status is ClientStatus.active and jose.payer is Payer.medicaid
    # yes / No / Y / true
    assert (jose.sms_consent, jose.email_consent, jose.phone_consent,
            jose.emergency_contact_on_file) == (True, False, True, True)
    assert jose.risk_level is RiskLevel.elevated
    assert jose.last_risk_review == date(2026, 2, 1)
    mia = _get(url, Client, "C2")
    assert mia.preferred_name is None and mia.last_risk_review is None
    assert (mia.status, mia.payer, mia.risk_level) == (ClientStatus.paused, Payer.commercial,
                                                       RiskLevel.low)
    assert (mia.sms_consent, mia.email_consent, mia.phone_consent,
            mia.emergency_contact_on_file) == (False, False, False, False)
    ola = _get(url, Client, "C3")
    assert (ola.therapist_id, ola.status, ola.payer, ola.risk_level) == (
        "T2", ClientStatus.discharged, Payer.medicare, RiskLevel.high)

    a1 = _get(url, Appointment, "A1")
    assert (a1.client_id, a1.therapist_id, a1.start, a1.duration_min) == (
        "C1", "T1", datetime(2026, 3, 2, 9, 0), 50)
    assert (a1.modality, a1.status) == (Modality.in_person, AppointmentStatus.attended)
    assert isinstance(a1.fee_charged, Decimal) and isinstance(a1.fee_paid, Decimal)
    assert (a1.fee_charged, a1.fee_paid) == (Decimal("120.00"), Decimal("120.00"))
    a2 = _get(url, Appointment, "A2")
    assert (a2.start, a2.modality, a2.status) == (datetime(2026, 3, 9, 9, 0),
                                                  Modality.telehealth, AppointmentStatus.no_show)
    assert (a2.fee_charged, a2.fee_paid) == (Decimal("60.50"), Decimal("0.00"))
    a3 = _get(url, Appointment, "A3")
    assert (a3.client_id, a3.duration_min, a3.modality, a3.status) == (
        "C2", 45, Modality.phone, AppointmentStatus.late_cancel)
    assert a3.fee_charged is None and a3.fee_paid is None  # empty fee: NULL, not 0
    a4 = _get(url, Appointment, "A4")
    # 14:00 UTC is 09:00 in New York (EST, before the DST change of 8 March 2026).
    assert a4.start == datetime(2026, 3, 4, 9, 0)
    assert a4.status is AppointmentStatus.scheduled


# --- clean imports ----------------------------------------------------------------------------

def test_clean_import_counts_and_values(db_url, clinic):
    report = import_clinic(**clinic.files(), url=db_url)

    assert _counts(report) == {"staff": (4, 0, 0), "clients": (3, 0, 0),
                               "appointments": (4, 0, 0)}
    assert report.changed
    _assert_clinic_stored(db_url)


def test_columns_in_any_order_with_untidy_header_and_extra_columns(db_url, clinic):
    def untidy(columns):
        # reversed order, upper case with spaces around, plus a column the importer ignores
        return [f" {c.upper()} " for c in reversed(columns)] + ["Notes"]

    def rows(records):
        return [{f" {k.upper()} ": v for k, v in r.items()} | {"Notes": "ignored"}
                for r in records]

    files = {
        "staff": clinic.staff_csv(rows(clinic.staff),
                                  fieldnames=untidy(list(clinic.staff[0]))),
        "clients": clinic.clients_csv(rows(clinic.clients),
                                      fieldnames=untidy(list(clinic.clients[0]))),
        "appointments": clinic.appointments_csv(
            rows(clinic.appointments), fieldnames=untidy(list(clinic.appointments[0]))),
    }
    assert files["staff"].read_text(encoding="utf-8").startswith(" EMAIL , SLACK_USER_ID ")

    import_clinic(**files, url=db_url)
    _assert_clinic_stored(db_url)


def test_utf8_files_with_byte_order_mark(db_url, clinic):
    files = {
        "staff": clinic.staff_csv(encoding="utf-8-sig"),
        "clients": clinic.clients_csv(encoding="utf-8-sig"),
        "appointments": clinic.appointments_csv(encoding="utf-8-sig"),
    }
    assert files["clients"].read_bytes().startswith(b"\xef\xbb\xbfclient_id,")

    import_clinic(**files, url=db_url)
    _assert_clinic_stored(db_url)


def test_header_only_files_import_nothing(db_url, clinic):
    report = import_clinic(staff=clinic.staff_csv([]), clients=clinic.clients_csv([]),
                           appointments=clinic.appointments_csv([]), url=db_url)
    assert not report.changed
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_at_least_one_file_is_needed(db_url):
    with pytest.raises(ValueError):
        import_clinic(url=db_url)


# --- re-imports -------------------------------------------------------------------------------

def test_reimporting_identical_files_changes_nothing(db_url, clinic, contents):
    files = clinic.files()
    import_clinic(**files, url=db_url)
    before = contents(db_url)

    report = import_clinic(**files, url=db_url)

    assert _counts(report) == {"staff": (0, 0, 4), "clients": (0, 0, 3),
                               "appointments": (0, 0, 4)}
    assert not report.changed
    assert contents(db_url) == before


def test_reimport_of_equal_values_written_differently_changes_nothing(db_url, clinic,
                                                                      contents):
    import_clinic(**clinic.files(), url=db_url)
    before = contents(db_url)
    # Same values, other spellings: case of enums and yes/no, trailing zeros of fees,
    # the same instant given with another offset, spaces around values.
    clinic.staff[0]["role"] = "THERAPIST"
    clinic.clients[0].update(sms_consent="TRUE", email_consent="n", status=" Active ")
    clinic.appointments[0].update(fee_charged="120.0", fee_paid="120")
    clinic.appointments[3]["start"] = "2026-03-04T09:00:00-05:00"

    report = import_clinic(**clinic.files(), url=db_url)

    assert not report.changed, _counts(report)
    assert contents(db_url) == before


def test_changed_rows_are_updated(db_url, clinic, contents):
    import_clinic(**clinic.files(), url=db_url)
    before = contents(db_url)
    clinic.clients[1]["status"] = "discharged"
    clinic.appointments[2].update(fee_charged="80.25", fee_paid="")

    report = import_clinic(**clinic.files(), url=db_url)

    assert _counts(report) == {"staff": (0, 0, 4), "clients": (0, 1, 2),
                               "appointments": (0, 1, 3)}
    assert _get(db_url, Client, "C2").status is ClientStatus.discharged
    a3 = _get(db_url, Appointment, "A3")
    assert (a3.fee_charged, a3.fee_paid) == (Decimal("80.25"), None)
    after = contents(db_url)
    assert after["staff"] == before["staff"]
    # only the changed rows differ
    assert [r for r in after["clients"] if r not in before["clients"]] == [
        r for r in after["clients"] if r[0] == "C2"]
    assert [r for r in after["appointments"] if r not in before["appointments"]] == [
        r for r in after["appointments"] if r[0] == "A3"]


def test_rows_missing_from_a_later_export_are_kept(db_url, clinic):
    import_clinic(**clinic.files(), url=db_url)

    report = import_clinic(clients=clinic.clients_csv(clinic.clients[:1]), url=db_url)

    assert _counts(report)["clients"] == (0, 0, 1)
    assert ClientRecords(db_url).counts() == CLINIC_COUNTS


def test_appointments_alone_against_clients_already_in_the_database(db_url, clinic):
    import_clinic(staff=clinic.staff_csv(), clients=clinic.clients_csv(), url=db_url)

    report = import_clinic(appointments=clinic.appointments_csv(), url=db_url)

    assert _counts(report) == {"staff": (0, 0, 0), "clients": (0, 0, 0),
                               "appointments": (4, 0, 0)}
    _assert_clinic_stored(db_url)


def test_appointments_alone_still_need_known_clients(db_url, clinic):
    import_clinic(staff=clinic.staff_csv(), clients=clinic.clients_csv(), url=db_url)
    clinic.appointments.append(clinic.appointment_row("A5", client_id="C7"))

    with pytest.raises(ImportFailed) as failed:
        import_clinic(appointments=clinic.appointments_csv(), url=db_url)

    assert failed.value.errors == [
        RowError("appointments.csv", 6, "client_id 'C7' is not a known client")]
    assert ClientRecords(db_url).counts()["appointments"] == 0


# --- bad rows: reported with file, line and reason; nothing written ---------------------------

BAD_ROWS = [
    # (file, values of the bad row, what the reason must say)
    pytest.param("staff", {"role": "boss"},
                 "role 'boss' is not one of therapist, front_desk, supervisor", id="role"),
    pytest.param("staff", {"staff_id": ""}, "staff_id is missing", id="staff-id-missing"),
    pytest.param("staff", {"name": ""}, "name is missing", id="staff-name-missing"),
    pytest.param("clients", {"status": "gone"},
                 "status 'gone' is not one of active, paused, discharged", id="client-status"),
    pytest.param("clients", {"payer": "cash"},
                 "payer 'cash' is not one of self_pay, commercial, medicaid, medicare",
                 id="payer"),
    pytest.param("clients", {"risk_level": "severe"},
                 "risk_level 'severe' is not one of none, low, elevated, high", id="risk-level"),
    pytest.param("clients", {"sms_consent": "maybe"}, "sms_consent 'maybe' is not yes or no",
                 id="yes-no"),
    pytest.param("clients", {"emergency_contact_on_file": ""},
                 "emergency_contact_on_file '' is not yes or no", id="yes-no-empty"),
    pytest.param("clients", {"last_risk_review": "03/01/2026"},
                 "last_risk_review '03/01/2026' is not a date (YYYY-MM-DD)", id="date-format"),
    pytest.param("clients", {"last_risk_review": "2026-02-30"},
                 "last_risk_review '2026-02-30' is not a date", id="date-impossible"),
    pytest.param("clients", {"client_id": ""}, "client_id is missing", id="client-id-missing"),
    pytest.param("clients", {"last_name": ""}, "last_name is missing", id="last-name-missing"),
    pytest.param("clients", {"therapist_id": "T99"},
                 "therapist_id 'T99' is not a known staff id", id="client-unknown-therapist"),
    pytest.param("clients", {"therapist_id": "F1"},
                 "therapist_id 'F1' is a front_desk, not a therapist", id="therapist-front-desk"),
    pytest.param("clients", {"therapist_id": "S1"},
                 "therapist_id 'S1' is a supervisor, not a therapist", id="therapist-supervisor"),
    pytest.param("appointments", {"modality": "video"},
                 "modality 'video' is not one of in_person, telehealth, phone", id="modality"),
    pytest.param("appointments", {"status": "missed"},
                 "status 'missed' is not one of attended, no_show, late_cancel, cancelled, "
                 "scheduled", id="appointment-status"),
    pytest.param("appointments", {"start": "2026-03-02 9am"},
                 "start '2026-03-02 9am' is not an ISO 8601 date and time", id="start-format"),
    pytest.param("appointments", {"start": "2026-02-30T09:00"},
                 "start '2026-02-30T09:00' is not an ISO 8601 date and time",
                 id="start-impossible"),
    pytest.param("appointments", {"start": ""}, "start is missing", id="start-missing"),
    pytest.param("appointments", {"duration_min": "0"}, "duration_min must be more than 0",
                 id="duration-zero"),
    pytest.param("appointments", {"duration_min": "-50"}, "duration_min must be more than 0",
                 id="duration-negative"),
    pytest.param("appointments", {"duration_min": "50.5"},
                 "duration_min '50.5' is not a whole number", id="duration-fraction"),
    pytest.param("appointments", {"duration_min": ""},
                 "duration_min '' is not a whole number", id="duration-missing"),
    pytest.param("appointments", {"fee_charged": "-1", "fee_paid": ""},
                 "fee_charged must be 0 or more", id="fee-negative"),
    pytest.param("appointments", {"fee_paid": "-0.01"}, "fee_paid must be 0 or more",
                 id="fee-paid-negative"),
    pytest.param("appointments", {"fee_charged": "12.345"},
                 "fee_charged '12.345' has more than 2 decimals", id="fee-3-decimals"),
    pytest.param("appointments", {"fee_charged": "12,50"},
                 "fee_charged '12,50' is not an amount", id="fee-not-a-number"),
    pytest.param("appointments", {"fee_charged": "NaN"}, "fee_charged must be 0 or more",
                 id="fee-nan"),
    pytest.param("appointments", {"appointment_id": ""}, "appointment_id is missing",
                 id="appointment-id-missing"),
    pytest.param("appointments", {"client_id": "C99"}, "client_id 'C99' is not a known client",
                 id="unknown-client"),
    pytest.param("appointments", {"therapist_id": "T99"},
                 "therapist_id 'T99' is not a known staff id", id="appointment-unknown-therapist"),
    pytest.param("appointments", {"fee_charged": "", "fee_paid": "10"},
                 "fee_paid is given without fee_charged", id="paid-without-charged"),
    # Values the database cannot hold: refused at the check, not by a database error later.
    pytest.param("appointments", {"fee_charged": "10000000", "fee_paid": ""},
                 "fee_charged '10000000' is too large (at most 9999999.99)",
                 id="fee-too-large"),
    pytest.param("appointments", {"fee_paid": "99999999.99"},
                 "fee_paid '99999999.99' is too large", id="fee-paid-too-large"),
    pytest.param("appointments", {"fee_charged": "1e30", "fee_paid": ""},
                 "fee_charged '1e30' is too large", id="fee-huge"),
    pytest.param("appointments", {"duration_min": "3000000000"},
                 "duration_min '3000000000' is more than 1440", id="duration-too-large"),
    pytest.param("staff", {"staff_id": "T" * 65}, "staff_id is longer than 64 characters",
                 id="id-too-long"),
    pytest.param("staff", {"name": "N" * 201}, "name is longer than 200 characters",
                 id="name-too-long"),
    pytest.param("clients", {"first_name": "F" * 101},
                 "first_name is longer than 100 characters", id="first-name-too-long"),
    pytest.param("staff", {"slack_user_id": "U0T1"},
                 "slack_user_id 'U0T1' is already staff T1's", id="slack-id-taken"),
]


def test_largest_fee_is_stored_exactly(db_url, clinic):
    clinic.appointments[0].update(fee_charged="9999999.99", fee_paid="0.01")

    import_clinic(**clinic.files(), url=db_url)

    a1 = _get(db_url, Appointment, "A1")
    assert (a1.fee_charged, a1.fee_paid) == (Decimal("9999999.99"), Decimal("0.01"))


def _with_new_and_changed_rows(clinic):
    """Good changes in every file: a new row each, and a changed value each."""
    clinic.staff.append(clinic.staff_row("T5", name="Noor Haddad"))
    clinic.staff[1]["email"] = "ben@example.org"
    clinic.clients.append(clinic.client_row("C5", therapist_id="T5"))
    clinic.clients[1]["risk_level"] = "high"
    clinic.appointments.append(clinic.appointment_row("A5", client_id="C5", therapist_id="T5"))
    clinic.appointments[1]["status"] = "attended"


@pytest.mark.parametrize("kind, values, reason", BAD_ROWS)
def test_bad_row_is_reported_and_nothing_is_written(db_url, clinic, contents, kind, values,
                                                    reason):
    import_clinic(**clinic.files(), url=db_url)
    before = contents(db_url)
    _with_new_and_changed_rows(clinic)
    make_row, new_id = {"staff": (clinic.staff_row, "T9"),
                        "clients": (clinic.client_row, "C9"),
                        "appointments": (clinic.appointment_row, "A9")}[kind]
    bad = make_row(new_id, **values)
    getattr(clinic, kind).insert(1, bad)  # line 3: after the header and the first row

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**clinic.files(), url=db_url)

    errors = failed.value.errors
    assert [(e.file, e.line) for e in errors] == [(f"{kind}.csv", 3)], errors
    assert reason in errors[0].reason
    assert str(errors[0]).startswith(f"{kind}.csv:3: ")
    assert contents(db_url) == before


LAST_FILE_CASES = {"modality", "start-format", "duration-fraction", "fee-3-decimals",
                   "unknown-client", "appointment-unknown-therapist", "paid-without-charged"}


@pytest.mark.parametrize("kind, values, reason",
                         [p for p in BAD_ROWS if p.id in LAST_FILE_CASES])
def test_bad_row_in_the_last_file_into_an_empty_database(db_url, clinic, kind, values, reason):
    """Good staff and clients files are not written when the appointments file is bad."""
    clinic.appointments.append(clinic.appointment_row("A9", **values))

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**clinic.files(), url=db_url)

    assert [(e.file, e.line) for e in failed.value.errors] == [("appointments.csv", 6)]
    assert reason in failed.value.errors[0].reason
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


@pytest.mark.parametrize("kind, make_row, id_column", [
    ("staff", "staff_row", "staff_id"),
    ("clients", "client_row", "client_id"),
    ("appointments", "appointment_row", "appointment_id"),
])
def test_duplicate_id_in_a_file(db_url, clinic, kind, make_row, id_column):
    rows = getattr(clinic, kind)
    first_id = rows[0][id_column]
    rows.append(getattr(clinic, make_row)(first_id))  # same id as line 2, on the last line
    line = len(rows) + 1

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**clinic.files(), url=db_url)

    assert failed.value.errors == [RowError(
        f"{kind}.csv", line, f"{id_column} {first_id!r} appears again (first on line 2)")]
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_missing_columns_in_the_header(db_url, clinic):
    columns = [c for c in clinic.clients[0] if c not in ("risk_level", "payer")]
    rows = [{c: r[c] for c in columns} for r in clinic.clients]
    files = clinic.files()
    files["clients"] = clinic.clients_csv(rows, fieldnames=columns)

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**files, url=db_url)

    # (The clients file is refused as a whole, so the appointments of its clients are
    # reported as unknown clients too.)
    assert RowError("clients.csv", 1, "missing column(s): payer, risk_level") in (
        failed.value.errors)
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_empty_file(db_url, clinic):
    files = clinic.files()
    files["staff"].write_bytes(b"")

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**files, url=db_url)

    assert RowError("staff.csv", 1, "the file is empty (a header row is needed)") in (
        failed.value.errors)
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_line_numbers_count_blank_lines(db_url, clinic):
    path = clinic.staff_csv()
    lines = path.read_text(encoding="utf-8").splitlines()
    # header, T1, blank, T2, blank, bad, F1, S1
    lines[2:2] = [""]
    lines[4:4] = ["", "T9,Bad Role,boss,,"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=path, url=db_url)

    assert [(e.file, e.line) for e in failed.value.errors] == [("staff.csv", 6)]


def test_more_values_than_columns(db_url, clinic):
    path = clinic.staff_csv()
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("T9,Extra Value,therapist,,,surplus\r\n")

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=path, url=db_url)

    assert failed.value.errors == [RowError("staff.csv", 6, "more values than columns")]


def test_file_that_is_not_utf8(db_url, clinic):
    files = clinic.files()
    clinic.clients[0]["last_name"] = "Núñez"
    files["clients"] = clinic.clients_csv(encoding="latin-1")  # a spreadsheet's old default

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**files, url=db_url)

    assert any(e.file == "clients.csv" and "not UTF-8" in e.reason
               for e in failed.value.errors), failed.value.errors
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_file_with_a_nul_byte_is_refused_cleanly(db_url, clinic):
    path = clinic.staff_csv()
    path.write_bytes(path.read_bytes().replace(b"Ben Okafor", b"Ben\x00Okafor"))

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=path, url=db_url)

    [error] = failed.value.errors
    assert (error.file, error.line) == ("staff.csv", 3)
    assert "NUL" in error.reason
    assert ClientRecords(db_url).counts()["staff"] == 0


def test_one_row_with_several_problems_gives_one_error_with_every_reason(db_url, clinic):
    clinic.clients.append(clinic.client_row("C9", status="gone", payer="cash",
                                            sms_consent="maybe"))

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**clinic.files(), url=db_url)

    [error] = failed.value.errors
    assert (error.file, error.line) == ("clients.csv", 5)
    for fragment in ("status 'gone'", "payer 'cash'", "sms_consent 'maybe'"):
        assert fragment in error.reason


def test_several_errors_are_reported_at_once_sorted_by_file_and_line(db_url, clinic):
    clinic.staff.insert(1, clinic.staff_row("T9", role="boss"))                   # staff 3
    clinic.clients.insert(0, clinic.client_row("C8", therapist_id="T99"))         # clients 2
    clinic.clients.insert(2, clinic.client_row("C9", last_risk_review="soon"))    # clients 4
    clinic.appointments.insert(1, clinic.appointment_row("A8", status="missed"))  # appts 3
    clinic.appointments.insert(3, clinic.appointment_row("A9", client_id="C77"))  # appts 5

    with pytest.raises(ImportFailed) as failed:
        import_clinic(**clinic.files(), url=db_url)

    errors = failed.value.errors
    assert [(e.file, e.line) for e in errors] == [
        ("appointments.csv", 3), ("appointments.csv", 5),
        ("clients.csv", 2), ("clients.csv", 4),
        ("staff.csv", 3),
    ]
    assert "status 'missed'" in errors[0].reason
    assert "client_id 'C77' is not a known client" in errors[1].reason
    assert "therapist_id 'T99' is not a known staff id" in errors[2].reason
    assert "last_risk_review 'soon'" in errors[3].reason
    assert "role 'boss'" in errors[4].reason
    assert "5 problem(s)" in str(failed.value)
    assert ClientRecords(db_url).counts() == {"staff": 0, "clients": 0, "appointments": 0}


def test_same_slack_id_on_two_rows_of_one_file(db_url, clinic):
    """Two rows of one file giving the same Slack id: the second is refused."""
    clinic.staff[3]["slack_user_id"] = "U0T1"  # S1, line 5; T1 (line 2) has it

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=clinic.staff_csv(), url=db_url)

    assert failed.value.errors == [
        RowError("staff.csv", 5, "slack_user_id 'U0T1' is already staff T1's")]


def test_slack_id_of_a_staff_member_already_in_the_database(db_url, clinic, contents):
    import_clinic(staff=clinic.staff_csv(), url=db_url)
    before = contents(db_url)
    newcomer = [clinic.staff_row("T9", slack_user_id="U0T1")]

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=clinic.staff_csv(newcomer), url=db_url)

    assert failed.value.errors == [
        RowError("staff.csv", 2, "slack_user_id 'U0T1' is already staff T1's")]
    assert contents(db_url) == before


def test_slack_id_given_up_in_the_same_file_can_be_taken(db_url, clinic):
    """The check looks at the ids as the file leaves them, not as the database holds them
    (in either order of the rows: test_importer_holes.py swaps two)."""
    import_clinic(staff=clinic.staff_csv(), url=db_url)
    clinic.staff[0]["slack_user_id"] = ""      # T1 gives it up
    clinic.staff[1]["slack_user_id"] = "U0T1"  # T2 takes it

    report = import_clinic(staff=clinic.staff_csv(), url=db_url)

    assert _counts(report)["staff"] == (0, 2, 2)
    assert _get(db_url, Staff, "T2").slack_user_id == "U0T1"
    assert _get(db_url, Staff, "T1").slack_user_id is None


def test_a_therapist_with_clients_cannot_become_front_desk(db_url, clinic, contents):
    import_clinic(**clinic.files(), url=db_url)
    before = contents(db_url)
    staff = [dict(row) for row in clinic.staff]
    staff[1]["role"] = "front_desk"  # T2 still has C3 in the database

    with pytest.raises(ImportFailed) as failed:
        import_clinic(staff=clinic.staff_csv(staff), url=db_url)

    assert failed.value.errors == [RowError(
        "staff.csv", 3, "staff 'T2' would become front_desk but is still the therapist of "
        "1 client(s) (C3); reassign them first")]
    assert contents(db_url) == before
    # Reassigning the client in the same import makes the change possible.
    clients = [dict(row) for row in clinic.clients]
    clients[2]["therapist_id"] = "T1"
    import_clinic(staff=clinic.staff_csv(staff), clients=clinic.clients_csv(clients),
                  url=db_url)

"""ClientRecords: staff lookup, caseloads, client records only for their own therapist, and an
audit entry for every access (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from reconnect.records import db
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
from reconnect.records.queries import AppointmentView, ClientRecords, StaffView


def _client(client_id, therapist_id, first, last, **values):
    fields = dict(id=client_id, first_name=first, last_name=last, therapist_id=therapist_id,
                  status=ClientStatus.active, payer=Payer.self_pay, sms_consent=False,
                  email_consent=False, phone_consent=False, emergency_contact_on_file=False,
                  risk_level=RiskLevel.none)
    fields.update(values)
    return Client(**fields)


def _appointment(appointment_id, client_id, therapist_id, start, **values):
    fields = dict(id=appointment_id, client_id=client_id, therapist_id=therapist_id,
                  start=start, duration_min=50, modality=Modality.in_person,
                  status=AppointmentStatus.attended, fee_charged=None, fee_paid=None)
    fields.update(values)
    return Appointment(**fields)


@pytest.fixture
def records(db_url) -> ClientRecords:
    """T1 has Zoe Young (C1) and Annie Baker (C2); T2 has C3; F1 is the front desk."""
    with db.session_scope(db_url) as session:
        session.add_all([
            Staff(id="T1", name="Dr. Ana Ruiz", role=StaffRole.therapist, slack_user_id="U0T1"),
            Staff(id="T2", name="Ben Okafor", role=StaffRole.therapist),
            Staff(id="F1", name="Fran Desk", role=StaffRole.front_desk),
        ])
        session.flush()
        session.add_all([
            _client("C1", "T1", "Zoe", "Young", sms_consent=True, risk_level=RiskLevel.elevated,
                    last_risk_review=date(2026, 2, 1), payer=Payer.medicaid),
            _client("C2", "T1", "Anne", "Baker", preferred_name="Annie",
                    status=ClientStatus.paused),
            _client("C3", "T2", "Ola", "Nordmann"),
        ])
        session.flush()
        session.add_all([  # not in time order on purpose
            _appointment("A2", "C1", "T1", datetime(2026, 3, 9, 9, 0),
                         status=AppointmentStatus.no_show, fee_charged=Decimal("60.00"),
                         fee_paid=Decimal("0.00")),
            _appointment("A1", "C1", "T1", datetime(2026, 3, 2, 9, 0),
                         modality=Modality.telehealth, fee_charged=Decimal("120.00"),
                         fee_paid=Decimal("120.00")),
            _appointment("A3", "C1", "T1", datetime(2026, 2, 23, 15, 30), duration_min=45),
            _appointment("A9", "C3", "T2", datetime(2026, 3, 1, 10, 0)),
        ])
    return ClientRecords(db_url)


def _utc_now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _audit(records):
    return [(e.action, e.staff_id, e.client_id, e.channel) for e in records.audit_events()]


# --- staff ------------------------------------------------------------------------------------

def test_staff_lookup(records):
    assert records.staff("T1") == StaffView("T1", "Dr. Ana Ruiz", "therapist", "U0T1")
    assert records.staff("F1").role == "front_desk"
    assert records.staff("nobody") is None
    assert records.staff(None) is None
    assert records.staff("") is None


# --- caseload ---------------------------------------------------------------------------------

def test_caseload_holds_only_the_therapists_own_clients_by_surname(records):
    caseload = records.caseload("T1")

    assert [c.id for c in caseload] == ["C2", "C1"]  # Baker, then Young
    assert {c.therapist_id for c in caseload} == {"T1"}
    assert [c.display_name for c in caseload] == ["Annie Baker", "Zoe Young"]
    assert [c.id for c in records.caseload("T2")] == ["C3"]
    assert records.caseload("F1") == []
    assert records.caseload("nobody") == []


def test_caseload_search_is_audited(records, local_time_not_utc):
    before = _utc_now()
    records.caseload("T1", channel="slack")
    after = _utc_now()

    [event] = records.audit_events()
    assert (event.action, event.staff_id, event.client_id, event.channel) == (
        "caseload_search", "T1", None, "slack")
    assert event.detail == "2 clients"
    # UTC, not the process's local time (5:30 ahead here)
    assert before - timedelta(seconds=1) <= event.at <= after + timedelta(seconds=1)


def test_caseload_of_an_unknown_id_is_audited_too(records):
    records.caseload("nobody")

    assert _audit(records) == [("caseload_search", "nobody", None, None)]


# --- client record ----------------------------------------------------------------------------

def test_client_record_for_the_clients_own_therapist(records):
    record = records.client_record("T1", "C1", channel="rest")

    assert record is not None
    client, appointments = record.client, record.appointments
    assert (client.id, client.display_name, client.therapist_id) == ("C1", "Zoe Young", "T1")
    assert (client.status, client.payer, client.risk_level) == ("active", "medicaid",
                                                                "elevated")
    assert (client.sms_consent, client.email_consent) == (True, False)
    assert client.last_risk_review == date(2026, 2, 1)
    # in time order, and only this client's
    assert [a.id for a in appointments] == ["A3", "A1", "A2"]
    assert appointments[1] == AppointmentView("A1", datetime(2026, 3, 2, 9, 0), 50,
                                              "telehealth", "attended", Decimal("120.00"),
                                              Decimal("120.00"))
    assert (appointments[2].status, appointments[2].fee_paid) == ("no_show", Decimal("0.00"))
    assert appointments[0].fee_charged is None


def test_client_record_viewing_is_audited_with_the_client(records, local_time_not_utc):
    before = _utc_now()
    records.client_record("T1", "C1", channel="rest")
    after = _utc_now()

    [event] = records.audit_events()
    assert (event.action, event.staff_id, event.client_id, event.channel) == (
        "record_viewed", "T1", "C1", "rest")
    assert before - timedelta(seconds=1) <= event.at <= after + timedelta(seconds=1)


@pytest.mark.parametrize("staff_id, client_id", [
    ("T2", "C1"),       # another therapist's client
    ("F1", "C1"),       # the front desk
    ("T1", "C404"),     # no such client
    ("nobody", "C1"),   # no such staff member
])
def test_client_record_is_refused_outside_the_caseload(records, local_time_not_utc,
                                                       staff_id, client_id):
    before = _utc_now()
    assert records.client_record(staff_id, client_id, channel="slack") is None
    after = _utc_now()

    [event] = records.audit_events()
    assert (event.action, event.staff_id, event.channel) == ("record_denied", staff_id,
                                                             "slack")
    # The audit entry records what was asked for (an id that exists or not, the same way).
    assert event.client_id == client_id
    assert event.detail == "not in caseload"
    assert before - timedelta(seconds=1) <= event.at <= after + timedelta(seconds=1)


def test_access_refused_is_audited(records, local_time_not_utc):
    before = _utc_now()
    records.record_denied("X9", "unknown Slack user", channel="slack")
    records.record_denied(None, "no staff id in the message")
    after = _utc_now()

    events = records.audit_events()
    assert [(e.action, e.staff_id, e.client_id, e.channel, e.detail) for e in events] == [
        ("access_refused", "X9", None, "slack", "unknown Slack user"),
        ("access_refused", None, None, None, "no staff id in the message"),
    ]
    for event in events:
        assert before - timedelta(seconds=1) <= event.at <= after + timedelta(seconds=1)


def test_every_access_leaves_one_audit_entry_in_order(records):
    records.caseload("T1")
    records.client_record("T1", "C2")
    records.client_record("T2", "C2")
    records.record_denied("T2", "asked for a client not in caseload")
    records.staff("T1")  # a staff lookup reads no client record

    assert _audit(records) == [
        ("caseload_search", "T1", None, None),
        ("record_viewed", "T1", "C2", None),
        ("record_denied", "T2", "C2", None),
        ("access_refused", "T2", None, None),
    ]
    assert [e.action for e in records.audit_events("T2")] == ["record_denied",
                                                              "access_refused"]


def test_counts(records):
    assert records.counts() == {"staff": 3, "clients": 3, "appointments": 4}


HUGE = "T1" * 500_000  # a 1 MB "staff id"


@pytest.mark.parametrize("odd", [HUGE, "T" * 65, "T1' OR '1'='1", "T1\x00", "C1 ", ""])
def test_ids_are_checked_for_length_and_form_before_any_query(records, odd):
    """On SQLite and PostgreSQL alike: no crash (PostgreSQL's VARCHAR(64)), no query, and
    no audit row holding what was sent."""
    assert records.staff(odd) is None
    assert records.is_own_client("T1", odd) is False
    assert records.is_own_client(odd, "C1") is False
    assert records.client_record(odd, "C1") is None
    records.record_denied(odd, "unknown staff id", "rest")
    rows = records.audit_events()
    assert rows, "the refusals are still audited"
    for row in rows:
        assert row.staff_id in (None, "T1") and row.client_id in (None, "C1")
        assert len(row.detail or "") < 200
    if odd:
        assert any(f"staff id of {len(odd)} characters is not an id" in (row.detail or "")
                   for row in rows)

"""The demo clinic: deterministic, importable, with the patterns its named clients promise."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from sqlalchemy import func, select

from reconnect.records import db
from reconnect.records.demo import DemoClinic, build_demo, write_csvs
from reconnect.records.importer import APPOINTMENTS, CLIENTS, STAFF, import_clinic
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

ANCHORS = (date(2026, 3, 16), date(2026, 11, 28))  # a Monday and a Saturday
OUTCOMES = {"attended", "no_show", "late_cancel", "cancelled"}
MISSED = {"no_show", "late_cancel"}

Row = Dict[str, str]


@pytest.fixture(scope="module", params=ANCHORS, ids=str)
def demo(request) -> Tuple[date, DemoClinic]:
    return request.param, build_demo(request.param)


# --- helpers -------------------------------------------------------------------------------

def start(row: Row) -> datetime:
    return datetime.fromisoformat(row["start"])


def past(clinic: DemoClinic, client_id: str, anchor: date) -> List[Row]:
    return [a for a in clinic.appointments_of(client_id) if start(a).date() < anchor]


def future(clinic: DemoClinic, client_id: str, anchor: date) -> List[Row]:
    return [a for a in clinic.appointments_of(client_id) if start(a).date() >= anchor]


def money(value: str) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def owed(rows: List[Row]) -> Decimal:
    return sum((money(a["fee_charged"]) - money(a["fee_paid"]) for a in rows), Decimal(0))


def current_run(rows: List[Row]) -> int:
    """No-shows since the last attended session (cancellations neither count nor break it)."""
    run = 0
    for row in reversed(rows):
        if row["status"] == "attended":
            break
        run += row["status"] == "no_show"
    return run


def miss_rate(rows: List[Row]) -> float:
    kept = [a for a in rows if a["status"] in OUTCOMES - {"cancelled"}]
    return sum(a["status"] in MISSED for a in kept) / len(kept)


# --- shape ---------------------------------------------------------------------------------

def test_same_anchor_same_clinic() -> None:
    assert build_demo(ANCHORS[0]) == build_demo(ANCHORS[0])
    assert build_demo(ANCHORS[0]) != build_demo(ANCHORS[1])


def test_columns_are_the_importers(demo) -> None:
    _, clinic = demo
    for table, rows in ((STAFF, clinic.staff), (CLIENTS, clinic.clients),
                        (APPOINTMENTS, clinic.appointments)):
        assert rows
        for row in rows:
            assert list(row) == list(table.columns)
            assert all(isinstance(v, str) for v in row.values())
            for column, (_attribute, parse) in table.columns.items():
                parse(row[column])  # raises on a value the importer would refuse


def test_values_in_allowed_sets(demo) -> None:
    _, clinic = demo
    assert {s["role"] for s in clinic.staff} <= {r.value for r in StaffRole}
    assert {c["status"] for c in clinic.clients} == {s.value for s in ClientStatus}
    assert {c["payer"] for c in clinic.clients} == {p.value for p in Payer}
    assert {c["risk_level"] for c in clinic.clients} == {r.value for r in RiskLevel}
    assert {a["modality"] for a in clinic.appointments} == {m.value for m in Modality}
    assert {a["status"] for a in clinic.appointments} == {s.value for s in AppointmentStatus}
    for client in clinic.clients:
        for column in ("sms_consent", "email_consent", "phone_consent",
                       "emergency_contact_on_file"):
            assert client[column] in ("yes", "no")


def test_staff_exactly() -> None:
    staff = {s["staff_id"]: s for s in build_demo(ANCHORS[0]).staff}
    assert list(staff) == ["T01", "T02", "T03", "F01", "S01"]
    assert staff["T01"]["name"] == "Dr. Alex Rivera"
    assert staff["T01"]["slack_user_id"] == "U0T01RIVER"
    assert staff["T01"]["email"] == "alex.rivera@demo-clinic.example"
    assert (staff["T02"]["name"], staff["T02"]["slack_user_id"]) == ("Sam Okafor", "U0T02OKAFO")
    assert (staff["T03"]["name"], staff["T03"]["slack_user_id"]) == ("Priya Nair", "U0T03NAIRP")
    assert (staff["F01"]["name"], staff["F01"]["role"]) == ("Jamie Chen", "front_desk")
    assert (staff["S01"]["name"], staff["S01"]["role"]) == ("Dr. Morgan Ellis", "supervisor")
    assert staff["S01"]["slack_user_id"] == "U0S01ELLIS"
    assert staff["F01"]["slack_user_id"] == "U0F01CHENJ"


def test_clients_and_caseloads(demo) -> None:
    _, clinic = demo
    ids = [c["client_id"] for c in clinic.clients]
    assert 36 <= len(ids) <= 44
    assert ids == [f"C{n:03d}" for n in range(1, len(ids) + 1)]
    full_names = [(c["first_name"], c["last_name"]) for c in clinic.clients]
    assert len(set(full_names)) == len(full_names)
    caseloads = defaultdict(int)
    for client in clinic.clients:
        caseloads[client["therapist_id"]] += 1
    assert set(caseloads) == {"T01", "T02", "T03"}
    assert all(11 <= n <= 15 for n in caseloads.values())
    high = [c for c in clinic.clients if c["risk_level"] == "high"]
    assert [c["therapist_id"] for c in high] == ["T03"]
    assert sum(c["risk_level"] in ("none", "low") for c in clinic.clients) >= 0.8 * len(ids)


def test_a_year_back_and_a_few_weeks_ahead(demo) -> None:
    anchor, clinic = demo
    starts = [start(a) for a in clinic.appointments]
    first = min(starts).date()
    assert anchor - timedelta(days=365) <= first <= anchor - timedelta(days=355)
    assert max(s for s in starts if s.date() < anchor).date() >= anchor - timedelta(days=3)
    assert max(starts).date() < anchor + timedelta(weeks=6)
    assert len(clinic.appointments) > 1000
    ids = [a["appointment_id"] for a in clinic.appointments]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 7 and i[0] == "A" and i[1:].isdigit() for i in ids)


def test_no_past_bookings_no_future_outcomes(demo) -> None:
    anchor, clinic = demo
    for a in clinic.appointments:
        if start(a).date() < anchor:
            assert a["status"] in OUTCOMES, a
        else:
            assert a["status"] == "scheduled", a
            assert a["fee_charged"] == a["fee_paid"] == "", a


def test_active_clients_booked_two_to_six_weeks_ahead(demo) -> None:
    anchor, clinic = demo
    booked = 0
    for client in clinic.clients:
        ahead = future(clinic, client["client_id"], anchor)
        if client["status"] != "active":
            assert not ahead, client["client_id"]
        elif ahead:
            booked += 1
            assert start(ahead[-1]).date() < anchor + timedelta(weeks=6)
    assert booked >= 30


def test_times_are_clinic_hours_on_weekdays(demo) -> None:
    _, clinic = demo
    for a in clinic.appointments:
        begins = start(a)
        ends = begins + timedelta(minutes=int(a["duration_min"]))
        assert begins.weekday() < 5, a
        assert begins.minute in (0, 30) and begins.second == 0, a
        assert begins.hour >= 8 and (ends.hour, ends.minute) <= (19, 0), a
        assert a["duration_min"] in ("30", "50", "80"), a
    durations = [a["duration_min"] for a in clinic.appointments]
    assert durations.count("50") > 0.9 * len(durations)


def test_appointments_match_the_client_and_nobody_is_double_booked(demo) -> None:
    _, clinic = demo
    therapist = {c["client_id"]: c["therapist_id"] for c in clinic.clients}
    busy = defaultdict(list)
    for a in clinic.appointments:
        assert a["therapist_id"] == therapist[a["client_id"]]
        begins = start(a)
        busy[(a["therapist_id"], begins.date())].append(
            (begins, begins + timedelta(minutes=int(a["duration_min"]))))
    for intervals in busy.values():
        intervals.sort()
        for (_, end), (next_start, _) in zip(intervals, intervals[1:], strict=False):
            assert end <= next_start


def test_fees_follow_the_payer_rules(demo) -> None:
    _, clinic = demo
    payer = {c["client_id"]: c["payer"] for c in clinic.clients}
    session_fee = {"self_pay": "150.00", "commercial": "30.00", "medicare": "30.00",
                   "medicaid": "0.00"}
    for a in clinic.appointments:
        kind, status = payer[a["client_id"]], a["status"]
        if status == "attended":
            assert a["fee_charged"] == session_fee[kind], a
        elif status in MISSED:
            # 42 CFR 447.15: no missed-session fee for Medicaid clients.
            expected = ("", "0.00") if kind == "medicaid" else ("75.00",)
            assert a["fee_charged"] in expected, a
        else:
            assert a["fee_charged"] == "" and a["fee_paid"] == "", a
        assert money(a["fee_paid"]) <= money(a["fee_charged"]), a
    paid_up = [a for a in clinic.appointments if a["fee_charged"]]
    assert sum(a["fee_paid"] == a["fee_charged"] for a in paid_up) > 0.9 * len(paid_up)


# --- the named clients ---------------------------------------------------------------------

def test_named_client_records() -> None:
    clinic = build_demo(ANCHORS[0])
    expected = {
        "C001": ("Dana", "Whitfield", "", "T01"),
        "C002": ("Maya", "Patel", "", "T01"),
        "C003": ("Maya", "Chen", "", "T01"),
        "C004": ("Jordan", "Lee", "", "T01"),
        "C005": ("Ellen", "Brooks", "", "T01"),
        "C006": ("Katherine", "Morales", "Kat", "T01"),
        "C007": ("Rosa", "Delgado", "", "T01"),
        "C008": ("Victor", "Hale", "", "T01"),
        "C009": ("Tom", "Becker", "", "T01"),
        "C010": ("Noah", "Kim", "", "T02"),
        "C011": ("Dana", "Ortiz", "", "T02"),
        "C012": ("Maya", "Singh", "", "T03"),
        "C013": ("Sam", "Greene", "", "T01"),
    }
    for client_id, (first, last, preferred, therapist) in expected.items():
        c = clinic.client(client_id)
        assert (c["first_name"], c["last_name"], c["preferred_name"], c["therapist_id"]) == (
            first, last, preferred, therapist)
    payers = {cid: clinic.client(cid)["payer"] for cid in expected}
    assert payers["C001"] == payers["C009"] == "self_pay"
    assert payers["C002"] == payers["C004"] == payers["C006"] == "commercial"
    assert payers["C003"] == payers["C007"] == "medicaid"
    assert payers["C005"] == "medicare"


def test_name_collisions_are_only_the_intended_ones(demo) -> None:
    _, clinic = demo
    t01 = [c for c in clinic.clients if c["therapist_id"] == "T01"]
    firsts = [c["preferred_name"] or c["first_name"] for c in t01]
    assert [c["client_id"] for c in t01 if "Dana" in (c["first_name"], c["preferred_name"])] \
        == ["C001"]
    assert sorted(c["client_id"] for c in clinic.clients if c["first_name"] == "Dana") \
        == ["C001", "C011"]
    assert sorted(c["client_id"] for c in clinic.clients if c["first_name"] == "Maya") \
        == ["C002", "C003", "C012"]
    assert firsts.count("Maya") == 2


def test_dana_misses_mondays_and_owes_fees(demo) -> None:
    anchor, clinic = demo
    dana = clinic.client("C001")
    assert (dana["status"], dana["risk_level"]) == ("active", "low")
    assert all(dana[c] == "yes" for c in ("sms_consent", "email_consent", "phone_consent",
                                          "emergency_contact_on_file"))
    reviewed = date.fromisoformat(dana["last_risk_review"])
    assert 50 <= (anchor - reviewed).days <= 70

    history = past(clinic, "C001", anchor)
    assert [a["status"] for a in history[-3:]] == ["attended", "no_show", "no_show"]
    assert current_run(history) == 2
    mondays = [a for a in history if start(a).weekday() == 0]
    thursdays = [a for a in history if start(a).weekday() == 3]
    assert len(mondays) + len(thursdays) == len(history)
    assert {(start(a).hour, start(a).minute) for a in mondays} == {(9, 0)}
    assert {(start(a).hour, start(a).minute) for a in thursdays} == {(17, 0)}
    assert {a["modality"] for a in history} == {"in_person"}
    assert sum(a["status"] in MISSED for a in thursdays) == 0
    assert miss_rate(mondays) > miss_rate(thursdays) + 0.2
    recent_mondays = [a for a in mondays if start(a).date() >= anchor - timedelta(days=120)]
    assert sum(a["status"] == "no_show" for a in recent_mondays) > len(recent_mondays) / 2

    assert Decimal("200") <= owed(history) <= Decimal("500")
    unpaid = [a for a in history if money(a["fee_charged"]) > money(a["fee_paid"])]
    assert len(unpaid) >= 3 and all(a["status"] == "no_show" for a in unpaid)

    next_booked = start(future(clinic, "C001", anchor)[0])
    assert next_booked.weekday() == 0 and (next_booked.hour, next_booked.minute) == (9, 0)
    assert anchor <= next_booked.date() < anchor + timedelta(days=7)


def test_maya_patel_reliable_with_one_recent_no_show(demo) -> None:
    anchor, clinic = demo
    history = past(clinic, "C002", anchor)
    no_shows = [a for a in history if a["status"] == "no_show"]
    assert len(no_shows) == 1
    assert start(no_shows[0]).date() >= anchor - timedelta(days=30)
    assert sum(a["status"] == "attended" for a in history) > 0.85 * len(history)


def test_maya_chen_medicaid_no_shows_never_charged(demo) -> None:
    anchor, clinic = demo
    history = past(clinic, "C003", anchor)
    no_shows = [a for a in history if a["status"] == "no_show"]
    assert 2 <= len(no_shows) <= 5
    assert all(a["fee_charged"] in ("", "0.00") for a in history)
    assert owed(history) == 0


def test_jordan_stopped_coming_six_weeks_ago(demo) -> None:
    anchor, clinic = demo
    jordan = clinic.client("C004")
    assert (jordan["risk_level"], jordan["emergency_contact_on_file"]) == ("elevated", "yes")
    assert (jordan["sms_consent"], jordan["email_consent"], jordan["phone_consent"]) == (
        "no", "yes", "yes")
    assert 110 <= (anchor - date.fromisoformat(jordan["last_risk_review"])).days <= 130
    history = past(clinic, "C004", anchor)
    last_attended = max(start(a) for a in history if a["status"] == "attended")
    assert last_attended.date() <= anchor - timedelta(weeks=5)
    assert all(a["status"] == "no_show" for a in history if start(a) > last_attended)
    assert current_run(history) >= 4
    weekdays = {start(a).weekday() for a in history}
    assert len(weekdays) == 1  # weekly, same slot
    assert len(future(clinic, "C004", anchor)) == 1


def test_ellen_always_comes_and_owes_nothing(demo) -> None:
    anchor, clinic = demo
    ellen = clinic.client("C005")
    assert (ellen["payer"], ellen["risk_level"]) == ("medicare", "none")
    history = past(clinic, "C005", anchor)
    assert len(history) > 40
    assert {a["status"] for a in history} <= {"attended", "cancelled"}
    assert sum(a["status"] == "cancelled" for a in history) <= 1
    assert owed(history) == 0


def test_kat_misses_telehealth(demo) -> None:
    anchor, clinic = demo
    history = past(clinic, "C006", anchor)
    in_person = [a for a in history if a["modality"] == "in_person"]
    telehealth = [a for a in history if a["modality"] == "telehealth"]
    assert len(in_person) >= 8 and len(telehealth) >= 8
    assert miss_rate(in_person) <= 0.1
    assert miss_rate(telehealth) >= 0.6


def test_rosa_chronic_medicaid_never_charged(demo) -> None:
    anchor, clinic = demo
    history = past(clinic, "C007", anchor)
    recent = [a for a in history if start(a).date() >= anchor - timedelta(days=90)]
    assert sum(a["status"] == "no_show" for a in recent) >= 3
    assert all(a["fee_charged"] in ("", "0.00") for a in history if a["status"] in MISSED)
    assert owed(history) == 0


def test_victor_discharged_four_months_ago(demo) -> None:
    anchor, clinic = demo
    assert clinic.client("C008")["status"] == "discharged"
    rows = clinic.appointments_of("C008")
    assert len(rows) > 20
    assert max(start(a) for a in rows).date() < anchor - timedelta(days=110)
    assert rows[-1]["status"] == "attended"


def test_tom_owes_a_lot(demo) -> None:
    anchor, clinic = demo
    tom = clinic.client("C009")
    assert (tom["payer"], tom["sms_consent"], tom["phone_consent"]) == ("self_pay", "no", "yes")
    history = past(clinic, "C009", anchor)
    assert sum(a["status"] == "late_cancel" for a in history) >= 3
    assert owed(history) >= Decimal("500")
    assert any(a["status"] == "attended" and money(a["fee_paid"]) < money(a["fee_charged"])
               for a in history)


def test_sam_greene_has_no_appointments(demo) -> None:
    _, clinic = demo
    sam = clinic.client("C013")
    assert (sam["status"], sam["therapist_id"]) == ("active", "T01")
    assert clinic.appointments_of("C013") == []


def test_a_paused_client_of_t02(demo) -> None:
    anchor, clinic = demo
    paused = [c for c in clinic.clients if c["status"] == "paused"]
    assert [c["therapist_id"] for c in paused] == ["T02"]
    assert past(clinic, paused[0]["client_id"], anchor)
    assert not future(clinic, paused[0]["client_id"], anchor)


# --- the CSV files import cleanly -----------------------------------------------------------

def test_csvs_import_cleanly_and_again_change_nothing(tmp_path: Path) -> None:
    anchor = ANCHORS[1]
    clinic = build_demo(anchor)
    paths = write_csvs(tmp_path / "export", anchor)
    assert [p.name for p in paths] == ["staff.csv", "clients.csv", "appointments.csv"]
    header = paths[2].read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(APPOINTMENTS.columns)

    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    db.upgrade(url)
    try:
        report = import_clinic(*paths, url=url)
        assert (report.staff.inserted, report.clients.inserted, report.appointments.inserted) \
            == (5, len(clinic.clients), len(clinic.appointments))
        with db.session_scope(url) as session:
            def count(model) -> int:
                return session.execute(select(func.count()).select_from(model)).scalar_one()
            assert (count(Staff), count(Client), count(Appointment)) == (
                5, len(clinic.clients), len(clinic.appointments))
            dana_next = session.execute(
                select(Appointment.start).where(Appointment.client_id == "C001",
                                                Appointment.status == "scheduled")
                .order_by(Appointment.start)).scalars().first()
            assert dana_next == start(future(clinic, "C001", anchor)[0])
            assert session.get(Client, "C006").preferred_name == "Kat"
            assert session.get(Client, "C013").last_risk_review is None

        again = import_clinic(*paths, url=url)
        assert not again.changed
        for counts in (again.staff, again.clients, again.appointments):
            assert (counts.inserted, counts.updated) == (0, 0)
        assert again.appointments.unchanged == len(clinic.appointments)
    finally:
        db.get_engine(url).dispose()

"""A made-up clinic, so that Reconnect can be run, shown and tested without real records.

`build_demo(anchor)` gives the staff, clients and appointments a practice-management export
would hold (every value a string, columns exactly the importer's), dated around `anchor`, the
clinic's "today": about a year of past appointments with their outcomes, and a few weeks of
bookings from the anchor on. The output depends on the anchor only (one `random.Random` seeded
with DEMO_SEED, no clock), so docs and tests can name its clients and rely on their patterns
whichever day the demo is built.

Clients C001-C013 are named on purpose, and docs and tests rely on them. T01's (see
`_named_plans`) each carry a pattern the assistant must handle: Monday misses, a risk-flagged
client who stopped coming, Medicaid no-shows that must not be charged, a large balance, a
discharge, a client with no appointments yet. C010-C012 belong to other therapists and share
first names with T01's clients (Dana, Maya), so that name matching must stay within a caseload.
The other clients (in `FILLERS` too) have plausible, varied attendance.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from reconnect.records.csv_out import SafeDictWriter
from reconnect.records.importer import APPOINTMENTS, CLIENTS, STAFF

DEMO_SEED = 2026

Row = Dict[str, str]

# Values as the importer accepts them (see reconnect.records.models).
ATTENDED, NO_SHOW, LATE_CANCEL, CANCELLED, SCHEDULED = (
    "attended", "no_show", "late_cancel", "cancelled", "scheduled")
IN_PERSON, TELEHEALTH, PHONE = "in_person", "telehealth", "phone"
SELF_PAY, COMMERCIAL, MEDICAID, MEDICARE = "self_pay", "commercial", "medicaid", "medicare"
MON, TUE, WED, THU, FRI = range(5)

SESSION_FEE = Decimal("150.00")       # self-pay
COPAY = Decimal("30.00")              # commercial and Medicare
MEDICAID_CHARGE = Decimal("0.00")
MISSED_SESSION_FEE = Decimal("75.00")  # no-show or late cancellation, never for Medicaid

HISTORY_DAYS = 365
USUAL_MINUTES = 50
INTAKE_MINUTES = 80
BRIEF_MINUTES = 30
DAY_OPENS = time(8, 0)
DAY_CLOSES = time(19, 0)  # every session ends by then

# Weeks each therapist was away, counted back from the anchor's week (-1 = the week before).
# None falls in the last 8 weeks, where the named clients' patterns are set.
LEAVE_WEEKS: Dict[str, Tuple[int, ...]] = {"T01": (-30, -11), "T02": (-22, -9), "T03": (-35, -16)}

# T01 and T02 are supervised by S01; T03 by no one here (their clients stay out of S01's view).
STAFF_ROWS: Tuple[Tuple[str, str, str, str, str, str], ...] = (
    ("T01", "Dr. Alex Rivera", "therapist", "U0T01RIVER", "alex.rivera@demo-clinic.example",
     "S01"),
    ("T02", "Sam Okafor", "therapist", "U0T02OKAFO", "sam.okafor@demo-clinic.example", "S01"),
    ("T03", "Priya Nair", "therapist", "U0T03NAIRP", "priya.nair@demo-clinic.example", ""),
    ("F01", "Jamie Chen", "front_desk", "U0F01CHENJ", "jamie.chen@demo-clinic.example", ""),
    ("S01", "Dr. Morgan Ellis", "supervisor", "U0S01ELLIS", "morgan.ellis@demo-clinic.example",
     ""),
)


@dataclass(frozen=True)
class DemoClinic:
    """The demo clinic's three exports, one dict (CSV column -> text) per row."""

    staff: List[Row]
    clients: List[Row]
    appointments: List[Row]

    def client(self, client_id: str) -> Row:
        return next(c for c in self.clients if c["client_id"] == client_id)

    def appointments_of(self, client_id: str) -> List[Row]:
        """The client's appointments in start order."""
        return sorted((a for a in self.appointments if a["client_id"] == client_id),
                      key=lambda a: a["start"])


# --- internal model ------------------------------------------------------------------------

def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class _Slot:
    """A client's usual weekly or fortnightly booking."""

    weekday: int
    start: time
    modality: str
    every_weeks: int = 1
    phase: int = 0                      # fortnightly: booked in weeks where index % 2 == phase
    odd_week_modality: Optional[str] = None  # alternates with `modality` week by week

    def books(self, week: int) -> bool:
        return self.every_weeks == 1 or week % 2 == self.phase

    def modality_in(self, week: int) -> str:
        if self.odd_week_modality and week % 2:
            return self.odd_week_modality
        return self.modality


@dataclass
class _Session:
    day: date
    start: time
    duration: int
    modality: str
    status: str = SCHEDULED
    fee_charged: Optional[Decimal] = None
    fee_paid: Optional[Decimal] = None

    @property
    def owed(self) -> Decimal:
        return (self.fee_charged or Decimal(0)) - (self.fee_paid or Decimal(0))


# Both rules get the client's past sessions in date order; outcome rules set `status`,
# payment rules set `fee_paid` once fees have been charged.
OutcomeRule = Callable[[List[_Session], date, random.Random], None]
PaymentRule = Callable[[List[_Session], random.Random], None]


def _no_skip(_day: date) -> bool:
    return False


@dataclass
class _Plan:
    """One client: the clients.csv row and how their appointments are made up."""

    profile: Row
    slots: List[_Slot]
    outcomes: OutcomeRule
    payments: PaymentRule
    first_day: Optional[date] = None   # care began (None: before the year shown)
    last_day: Optional[date] = None    # discharged or paused on (None: ongoing)
    weeks_ahead: int = 0               # weeks of bookings from the anchor on (0: none)
    varies: bool = True                # occasional reschedules, modality and length changes
    skip: Callable[[date], bool] = _no_skip

    @property
    def therapist(self) -> str:
        return self.profile["therapist_id"]

    @property
    def footprint(self) -> int:
        """Minutes the usual slot blocks in the therapist's week."""
        # Room for an intake or a longer session, unless the plan never changes the length.
        return INTAKE_MINUTES if self.varies or self.first_day is not None else USUAL_MINUTES


class _Calendar:
    """Each therapist's usual weekly slots and one-off moves, so that nobody is double-booked."""

    def __init__(self) -> None:
        self._weekly: Dict[str, List[Tuple[int, int, int]]] = {}
        self._moved: Dict[Tuple[str, date], List[Tuple[int, int]]] = {}

    @staticmethod
    def _fits(start: int, length: int) -> bool:
        return _minutes(DAY_OPENS) <= start and start + length <= _minutes(DAY_CLOSES)

    def weekly_free(self, therapist: str, weekday: int, start: int, length: int) -> bool:
        return self._fits(start, length) and all(
            day != weekday or start + length <= s or e <= start
            for day, s, e in self._weekly.get(therapist, []))

    def reserve(self, therapist: str, slot: _Slot, length: int) -> None:
        start = _minutes(slot.start)
        if not self.weekly_free(therapist, slot.weekday, start, length):
            raise ValueError(f"{therapist}: slot {slot} clashes with another client's")
        self._weekly.setdefault(therapist, []).append((slot.weekday, start, start + length))

    def pick_weekly(self, therapist: str, rng: random.Random) -> Tuple[int, time]:
        """A free weekday and half-hour start for a new client's usual slot."""
        starts = range(_minutes(DAY_OPENS), _minutes(DAY_CLOSES) - INTAKE_MINUTES + 1, 30)
        while True:
            weekday, start = rng.randrange(5), rng.choice(starts)
            if self.weekly_free(therapist, weekday, start, INTAKE_MINUTES):
                return weekday, time(start // 60, start % 60)

    def move_free(self, therapist: str, day: date, start: int, length: int) -> bool:
        return self.weekly_free(therapist, day.weekday(), start, length) and all(
            start + length <= s or e <= start for s, e in self._moved.get((therapist, day), []))

    def book_move(self, therapist: str, day: date, start: int, length: int) -> None:
        self._moved.setdefault((therapist, day), []).append((start, start + length))


# --- outcome rules -------------------------------------------------------------------------

def _draw(rng: random.Random, no_show: float, late_cancel: float, cancelled: float) -> str:
    r = rng.random()
    if r < no_show:
        return NO_SHOW
    if r < no_show + late_cancel:
        return LATE_CANCEL
    if r < no_show + late_cancel + cancelled:
        return CANCELLED
    return ATTENDED


def _typical(no_show: float, late_cancel: float = 0.03, cancelled: float = 0.05,
             ends_attended: bool = False) -> OutcomeRule:
    """Independent draws per session; optionally a last session kept (a planned ending)."""
    def rule(past: List[_Session], _anchor: date, rng: random.Random) -> None:
        for session in past:
            session.status = _draw(rng, no_show, late_cancel, cancelled)
        if ends_attended and past:
            past[-1].status = ATTENDED
    return rule


def _dana_outcomes(past: List[_Session], anchor: date, rng: random.Random) -> None:
    """Thursdays kept; Mondays mostly missed in the last four months; the last two missed."""
    recent = anchor - timedelta(days=120)
    mondays = [s for s in past if s.day.weekday() == MON]
    thursdays = [s for s in past if s.day.weekday() == THU]
    for session in past:
        session.status = ATTENDED
    thursdays[len(thursdays) // 4].status = CANCELLED  # once, with notice, long ago
    for session in mondays:
        if session.day < recent and rng.random() < 0.15:
            session.status = NO_SHOW
    # Latest first: two missed (her current run), then one kept for every two missed.
    for i, session in enumerate(reversed([s for s in mondays if s.day >= recent])):
        session.status = NO_SHOW if i < 2 or (i - 2) % 3 else ATTENDED


def _maya_patel_outcomes(past: List[_Session], _anchor: date, _rng: random.Random) -> None:
    """Reliable-ish: kept sessions, two timely cancellations, one late one, one recent no-show."""
    n = len(past)
    for session in past:
        session.status = ATTENDED
    past[n // 5].status = CANCELLED
    past[3 * n // 5].status = CANCELLED
    past[n // 2].status = LATE_CANCEL
    past[-1].status = NO_SHOW


def _maya_chen_outcomes(past: List[_Session], _anchor: date, _rng: random.Random) -> None:
    """Three no-shows over the year, one of them recent."""
    n = len(past)
    for session in past:
        session.status = ATTENDED
    for i in (n // 5, n // 2, n - 2):
        past[i].status = NO_SHOW


def _jordan_outcomes(past: List[_Session], anchor: date, _rng: random.Random) -> None:
    """Kept every session until six weeks ago; every session since is a no-show."""
    stopped = anchor - timedelta(days=42)
    for session in past:
        session.status = NO_SHOW if session.day >= stopped else ATTENDED
    past[len(past) // 3].status = CANCELLED


def _ellen_outcomes(past: List[_Session], _anchor: date, _rng: random.Random) -> None:
    """Every session kept, bar one cancelled with notice."""
    for session in past:
        session.status = ATTENDED
    past[len(past) // 3].status = CANCELLED


def _kat_outcomes(past: List[_Session], _anchor: date, _rng: random.Random) -> None:
    """In-person sessions kept; three telehealth sessions in four missed."""
    telehealth = 0
    for session in past:
        if session.modality == TELEHEALTH:
            session.status = ATTENDED if telehealth % 4 == 0 else NO_SHOW
            telehealth += 1
        else:
            session.status = ATTENDED


def _rosa_outcomes(past: List[_Session], anchor: date, rng: random.Random) -> None:
    """Occasional misses all year; one session in three missed in the last 90 days."""
    recent = anchor - timedelta(days=90)
    for session in past:
        session.status = (_draw(rng, 0.12, 0.05, 0.04) if session.day < recent else ATTENDED)
    for i, session in enumerate(reversed([s for s in past if s.day >= recent])):
        if i % 3 == 1:
            session.status = NO_SHOW


def _tom_outcomes(past: List[_Session], _anchor: date, _rng: random.Random) -> None:
    """Mostly kept, with late cancellations spread over the year and one no-show."""
    n = len(past)
    for session in past:
        session.status = ATTENDED
    for k in range(1, 5):
        past[k * n // 5].status = LATE_CANCEL
    past[n // 3].status = NO_SHOW


# --- fees and payments ---------------------------------------------------------------------

def _charge(session: _Session, payer: str) -> None:
    """What the clinic bills the client (insurers' shares are not in the export)."""
    if session.status == ATTENDED:
        session.fee_charged = {SELF_PAY: SESSION_FEE, COMMERCIAL: COPAY, MEDICARE: COPAY,
                               MEDICAID: MEDICAID_CHARGE}[payer]
    elif session.status in (NO_SHOW, LATE_CANCEL) and payer != MEDICAID:
        # Medicaid clients may not be charged for missed sessions (evidence.MEDICAID_NO_FEE).
        session.fee_charged = MISSED_SESSION_FEE
    else:
        session.fee_charged = None


def _charged(past: List[_Session]) -> List[_Session]:
    return [s for s in past if s.fee_charged is not None]


def _pays_in_full(past: List[_Session], _rng: random.Random) -> None:
    for session in _charged(past):
        session.fee_paid = session.fee_charged


def _owes_latest(count: int) -> PaymentRule:
    """Pays everything except the latest `count` charges (not yet paid)."""
    def rule(past: List[_Session], rng: random.Random) -> None:
        _pays_in_full(past, rng)
        for session in _charged(past)[-count:] if count else []:
            session.fee_paid = None
    return rule


def _owes_missed_fees(count: int) -> PaymentRule:
    """Pays for sessions, but not the latest `count` missed-session fees."""
    def rule(past: List[_Session], rng: random.Random) -> None:
        _pays_in_full(past, rng)
        missed = [s for s in _charged(past) if s.status in (NO_SHOW, LATE_CANCEL)]
        for session in missed[-count:]:
            session.fee_paid = None
    return rule


def _tom_payments(past: List[_Session], rng: random.Random) -> None:
    """Paid in full until about five months ago; since then part payments or nothing."""
    _pays_in_full(past, rng)
    since = past[-1].day - timedelta(days=150) if past else date.min
    for i, session in enumerate(s for s in _charged(past) if s.day >= since):
        if session.status == ATTENDED:
            session.fee_paid = Decimal("40.00") if i % 2 == 0 else None
        else:
            session.fee_paid = None


# --- the clients ---------------------------------------------------------------------------

def _client(client_id: str, first: str, last: str, therapist: str, *, preferred: str = "",
            status: str = "active", payer: str, sms: bool, email: bool, phone: bool,
            emergency: bool, risk: str, reviewed: Optional[date]) -> Row:
    yes_no = {True: "yes", False: "no"}
    return {
        "client_id": client_id, "first_name": first, "last_name": last,
        "preferred_name": preferred, "therapist_id": therapist, "status": status,
        "payer": payer, "sms_consent": yes_no[sms], "email_consent": yes_no[email],
        "phone_consent": yes_no[phone], "emergency_contact_on_file": yes_no[emergency],
        "risk_level": risk, "last_risk_review": reviewed.isoformat() if reviewed else "",
    }


def _named_plans(anchor: date) -> List[_Plan]:
    """T01's clients with the patterns the assistant, its docs and tests are built around."""
    def ago(days: int) -> date:
        return anchor - timedelta(days=days)

    def week(day: date) -> int:
        return (_monday(day) - _monday(anchor)).days // 7

    # Dana's next Monday (today, if today is a Monday). Her Thursdays are fortnightly and none
    # is booked in the two weeks before it, so that her two latest sessions are the Mondays
    # she missed and her next booking is that Monday.
    next_monday = anchor + timedelta(days=(MON - anchor.weekday()) % 7)
    dana_thursday_phase = week(next_monday) % 2

    def dana_skip(day: date) -> bool:
        return day.weekday() == THU and next_monday - timedelta(days=14) < day < next_monday

    return [
        _Plan(_client("C001", "Dana", "Whitfield", "T01", payer=SELF_PAY, sms=True, email=True,
                      phone=True, emergency=True, risk="low", reviewed=ago(60)),
              [_Slot(MON, time(9, 0), IN_PERSON),
               _Slot(THU, time(17, 0), IN_PERSON, every_weeks=2, phase=dana_thursday_phase)],
              _dana_outcomes, _owes_missed_fees(4), weeks_ahead=4, varies=False,
              skip=dana_skip),
        _Plan(_client("C002", "Maya", "Patel", "T01", payer=COMMERCIAL, sms=True, email=True,
                      phone=True, emergency=True, risk="none", reviewed=ago(75)),
              [_Slot(WED, time(14, 0), IN_PERSON)],
              _maya_patel_outcomes, _owes_latest(1), weeks_ahead=4),
        _Plan(_client("C003", "Maya", "Chen", "T01", payer=MEDICAID, sms=True, email=False,
                      phone=True, emergency=False, risk="low", reviewed=ago(45)),
              [_Slot(TUE, time(11, 0), TELEHEALTH, every_weeks=2, phase=0)],
              _maya_chen_outcomes, _pays_in_full, weeks_ahead=4),
        _Plan(_client("C004", "Jordan", "Lee", "T01", payer=COMMERCIAL, sms=False, email=True,
                      phone=True, emergency=True, risk="elevated", reviewed=ago(120)),
              [_Slot(TUE, time(16, 0), IN_PERSON)],
              _jordan_outcomes, _owes_missed_fees(6), weeks_ahead=1, varies=False),
        _Plan(_client("C005", "Ellen", "Brooks", "T01", payer=MEDICARE, sms=False, email=True,
                      phone=True, emergency=True, risk="none", reviewed=ago(150)),
              [_Slot(WED, time(10, 0), IN_PERSON)],
              _ellen_outcomes, _pays_in_full, weeks_ahead=5),
        _Plan(_client("C006", "Katherine", "Morales", "T01", preferred="Kat", payer=COMMERCIAL,
                      sms=True, email=True, phone=False, emergency=True, risk="none",
                      reviewed=ago(90)),
              [_Slot(FRI, time(12, 0), IN_PERSON, odd_week_modality=TELEHEALTH)],
              _kat_outcomes, _pays_in_full, weeks_ahead=3, varies=False),
        _Plan(_client("C007", "Rosa", "Delgado", "T01", payer=MEDICAID, sms=True, email=False,
                      phone=True, emergency=True, risk="low", reviewed=ago(30)),
              [_Slot(THU, time(10, 0), TELEHEALTH)],
              _rosa_outcomes, _pays_in_full, weeks_ahead=3),
        _Plan(_client("C008", "Victor", "Hale", "T01", status="discharged", payer=COMMERCIAL,
                      sms=True, email=True, phone=True, emergency=True, risk="none",
                      reviewed=ago(150)),
              [_Slot(TUE, time(9, 0), IN_PERSON)],
              _typical(0.05, ends_attended=True), _pays_in_full, last_day=ago(120)),
        _Plan(_client("C009", "Tom", "Becker", "T01", payer=SELF_PAY, sms=False, email=True,
                      phone=True, emergency=False, risk="low", reviewed=ago(100)),
              [_Slot(WED, time(17, 30), IN_PERSON, every_weeks=2, phase=1)],
              _tom_outcomes, _tom_payments, weeks_ahead=4, varies=False),
        # A new client whose intake is not yet held: a record, no appointments.
        _Plan(_client("C013", "Sam", "Greene", "T01", payer=COMMERCIAL, sms=True, email=True,
                      phone=True, emergency=False, risk="none", reviewed=None),
              [], _typical(0.0), _pays_in_full),
    ]


@dataclass(frozen=True)
class _Filler:
    """A client of ordinary attendance. Unset traits are drawn from the seeded generator."""

    client_id: str
    first: str
    last: str
    therapist: str
    preferred: str = ""
    status: str = "active"
    started_days_ago: Optional[int] = None   # None: in care all year
    ended_days_ago: Optional[int] = None     # discharged or paused that many days ago
    booked_ahead: bool = True
    risk: Optional[str] = None
    reviewed_days_ago: Optional[int] = None


# Names are fixed (and unique); no first name here sounds like T01's named clients', so that
# matching a name in T01's caseload stays unambiguous except where meant (C001/C011, Mayas).
FILLERS: Tuple[_Filler, ...] = (
    _Filler("C010", "Noah", "Kim", "T02"),
    _Filler("C011", "Dana", "Ortiz", "T02"),
    _Filler("C012", "Maya", "Singh", "T03"),
    _Filler("C014", "Lucia", "Ferreira", "T02", status="paused", ended_days_ago=56),
    _Filler("C015", "Aisha", "Rahman", "T01"),
    _Filler("C016", "Grace", "Nakamura", "T01", started_days_ago=70),
    _Filler("C017", "Luis", "Herrera", "T01"),
    _Filler("C018", "Daniel", "Kowalski", "T02"),
    _Filler("C019", "Fatima", "Haddad", "T02"),
    _Filler("C020", "Owen", "McCarthy", "T02", status="discharged", ended_days_ago=200),
    _Filler("C021", "Chloé", "Dubois", "T02"),
    _Filler("C022", "Kwame", "Mensah", "T02"),
    _Filler("C023", "Hannah", "Goldberg", "T02"),
    _Filler("C024", "Mateo", "Alvarez", "T02", started_days_ago=150),
    _Filler("C025", "Olivia", "Bennett", "T02"),
    _Filler("C026", "Ravi", "Sharma", "T02"),
    _Filler("C027", "Zoe", "Papadopoulos", "T02"),
    _Filler("C028", "Ethan", "Walsh", "T03"),
    _Filler("C029", "Leila", "Karimi", "T03"),
    _Filler("C030", "Benjamin", "Osei", "T03", preferred="Ben"),
    _Filler("C031", "Sofia", "Rossi", "T03"),
    _Filler("C032", "Tyler", "Jackson", "T03"),
    _Filler("C033", "Mei", "Wong", "T03"),
    _Filler("C034", "Isaac", "Levi", "T03", status="discharged", ended_days_ago=90),
    _Filler("C035", "Nadia", "Petrova", "T03"),
    _Filler("C036", "Caleb", "Whitaker", "T03"),
    _Filler("C037", "Amara", "Nwosu", "T03", risk="high", reviewed_days_ago=9),
    _Filler("C038", "Henry", "Lindqvist", "T03", started_days_ago=45),
    _Filler("C039", "Julia", "Santos", "T03", booked_ahead=False),  # books as she goes
    _Filler("C040", "Diego", "Ramirez", "T03"),
)


def _filler_plan(spec: _Filler, anchor: date, calendar: _Calendar,
                 rng: random.Random) -> _Plan:
    ended = anchor - timedelta(days=spec.ended_days_ago) if spec.ended_days_ago else None
    payer = rng.choices([COMMERCIAL, MEDICAID, MEDICARE, SELF_PAY], weights=[45, 20, 10, 25])[0]
    risk = spec.risk or rng.choices(["none", "low"], weights=[60, 40])[0]
    reviewed_ago = spec.reviewed_days_ago or rng.randint(14, 170)
    reviewed = (ended or anchor) - timedelta(days=reviewed_ago)
    if spec.started_days_ago:  # reviewed at intake at the earliest
        reviewed = max(reviewed, anchor - timedelta(days=spec.started_days_ago))
    profile = _client(
        spec.client_id, spec.first, spec.last, spec.therapist, preferred=spec.preferred,
        status=spec.status, payer=payer, sms=rng.random() < 0.75, email=rng.random() < 0.7,
        phone=rng.random() < 0.9, emergency=risk in ("elevated", "high") or rng.random() < 0.8,
        risk=risk, reviewed=reviewed)

    weekday, start = calendar.pick_weekly(spec.therapist, rng)
    modality = rng.choices([IN_PERSON, TELEHEALTH, PHONE], weights=[60, 35, 5])[0]
    every_weeks = rng.choices([1, 2], weights=[65, 35])[0]
    slot = _Slot(weekday, start, modality, every_weeks, phase=rng.randint(0, 1))

    no_show = rng.choice([0.02, 0.04, 0.06, 0.08, 0.1, 0.15])
    payments = _owes_latest(rng.randint(1, 2)) if rng.random() < 0.2 else _pays_in_full
    ongoing = spec.status == "active" and spec.booked_ahead
    return _Plan(
        profile, [slot], _typical(no_show, ends_attended=ended is not None), payments,
        first_day=anchor - timedelta(days=spec.started_days_ago) if spec.started_days_ago
        else None,
        last_day=ended, weeks_ahead=rng.randint(2, 6) if ongoing else 0)


# --- making the appointments ---------------------------------------------------------------

def _vary(session: _Session, plan: _Plan, earliest: date, latest: date, calendar: _Calendar,
          rng: random.Random) -> None:
    """Now and then a past session moved within its week, held another way, or shortened."""
    if rng.random() < 0.04:
        monday = _monday(session.day)
        days = [d for d in (monday + timedelta(days=i) for i in range(5))
                if d != session.day and earliest <= d <= latest]
        for _ in range(8 if days else 0):
            day = rng.choice(days)
            start = rng.randrange(_minutes(DAY_OPENS), _minutes(DAY_CLOSES) - INTAKE_MINUTES,
                                  30)
            if calendar.move_free(plan.therapist, day, start, session.duration):
                calendar.book_move(plan.therapist, day, start, session.duration)
                session.day, session.start = day, time(start // 60, start % 60)
                break
    if rng.random() < 0.06:
        session.modality = TELEHEALTH if session.modality == IN_PERSON else PHONE
    if rng.random() < 0.03 and session.duration == USUAL_MINUTES:
        session.duration = BRIEF_MINUTES  # a check-in


def _sessions(plan: _Plan, anchor: date, calendar: _Calendar,
              rng: random.Random) -> Tuple[List[_Session], List[_Session]]:
    """The client's past sessions and future bookings, each in date order."""
    earliest = max(plan.first_day or date.min, anchor - timedelta(days=HISTORY_DAYS))
    latest_past = min(plan.last_day or date.max, anchor - timedelta(days=1))
    horizon = anchor + timedelta(weeks=plan.weeks_ahead) - timedelta(days=1)
    leave = LEAVE_WEEKS.get(plan.therapist, ())
    past: List[_Session] = []
    future: List[_Session] = []
    for slot in plan.slots:
        day = earliest + timedelta(days=(slot.weekday - earliest.weekday()) % 7)
        while day <= max(latest_past, horizon):
            week = (_monday(day) - _monday(anchor)).days // 7
            if slot.books(week) and week not in leave and not plan.skip(day):
                session = _Session(day, slot.start, USUAL_MINUTES, slot.modality_in(week))
                if day <= latest_past:
                    past.append(session)
                elif anchor <= day <= horizon:
                    future.append(session)
            day += timedelta(weeks=1)
    past.sort(key=lambda s: (s.day, s.start))
    future.sort(key=lambda s: (s.day, s.start))
    if plan.first_day and past:
        past[0].duration = INTAKE_MINUTES
    if plan.varies:
        for session in past:
            _vary(session, plan, earliest, latest_past, calendar, rng)
        past.sort(key=lambda s: (s.day, s.start))
    return past, future


def _appointment_row(client: Row, session: _Session) -> Row:
    def money(amount: Optional[Decimal]) -> str:
        return f"{amount:.2f}" if amount is not None else ""

    return {
        "appointment_id": "",  # numbered once all appointments are known
        "client_id": client["client_id"],
        "therapist_id": client["therapist_id"],
        "start": datetime.combine(session.day, session.start).isoformat(timespec="minutes"),
        "duration_min": str(session.duration),
        "modality": session.modality,
        "status": session.status,
        "fee_charged": money(session.fee_charged),
        "fee_paid": money(session.fee_paid),
    }


def build_demo(anchor: date) -> DemoClinic:
    """The demo clinic as of `anchor` (its "today"). Same anchor, same clinic, row for row."""
    rng = random.Random(DEMO_SEED)
    calendar = _Calendar()
    plans = _named_plans(anchor)
    for plan in plans:  # reserved first: the named clients' slots are fixed
        for slot in plan.slots:
            calendar.reserve(plan.therapist, slot, plan.footprint)
    for spec in FILLERS:
        plan = _filler_plan(spec, anchor, calendar, rng)
        for slot in plan.slots:
            calendar.reserve(plan.therapist, slot, plan.footprint)
        plans.append(plan)
    plans.sort(key=lambda p: p.profile["client_id"])

    appointments: List[Row] = []
    for plan in plans:
        past, future = _sessions(plan, anchor, calendar, rng)
        if past:
            plan.outcomes(past, anchor, rng)
            for session in past:
                _charge(session, plan.profile["payer"])
            plan.payments(past, rng)
        appointments.extend(_appointment_row(plan.profile, s) for s in past + future)

    appointments.sort(key=lambda a: (a["start"], a["therapist_id"], a["client_id"]))
    for number, row in enumerate(appointments, start=1):
        row["appointment_id"] = f"A{number:06d}"

    staff = [dict(zip(STAFF.columns, values, strict=True)) for values in STAFF_ROWS]
    return DemoClinic(staff=staff, clients=[p.profile for p in plans],
                      appointments=appointments)


def _write(path: Path, columns: Sequence[str], rows: List[Row]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeDictWriter(handle, fieldnames=list(columns), extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_csvs(directory: Path, anchor: date) -> Tuple[Path, Path, Path]:
    """Write staff.csv, clients.csv and appointments.csv (UTF-8, header row) into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    clinic = build_demo(anchor)
    return (_write(directory / "staff.csv", list(STAFF.columns), clinic.staff),
            _write(directory / "clients.csv", list(CLIENTS.columns), clinic.clients),
            _write(directory / "appointments.csv", list(APPOINTMENTS.columns),
                   clinic.appointments))

"""What each staff role may see across the clinic, for Slack and the morning digest.

- Therapists: their own caseload only (follow-ups due and overdue, clients over the chronic
  rule, clients at the review threshold).
- Front desk (`front_desk`): the schedule view. Names, therapist, dates and counts; never a
  risk level, a barrier, a plan's content or a fee.
- Supervisors: their supervisees' clients who need attention, and one of those clients'
  summaries, audited as a supervisor's access.

Every method checks the role first; a refusal is audited and returns None. Definitions:
a no-show rate is no-shows over the sessions that were due (attended, no-show, late
cancellation; cancellations with notice are left out), over the last N weeks up to today.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reconnect.guidance.attendance import (
    ATTENDED,
    LATE_CANCEL,
    MODALITY_NAMES,
    NO_SHOW,
    SCHEDULED,
    WEEKDAYS,
    current_run,
    summarize,
    time_of_day,
)
from reconnect.guidance.review import review_reasons
from reconnect.records.db import session_scope
from reconnect.records.models import (
    Appointment,
    Client,
    ClientStatus,
    OutreachAttempt,
    Plan,
    PlanStatus,
    SlackDigest,
    Staff,
    StaffRole,
)
from reconnect.records.queries import (
    AppointmentView,
    ClientRecord,
    ClientRecords,
    _appointment_view,
    _audit,
    _client_view,
    _current,
    _plan_view,
    _utcnow,
)
from reconnect.settings import clinic_config

DUE = (ATTENDED, NO_SHOW, LATE_CANCEL)
RECENT_MISS_DAYS = 14


@dataclass(frozen=True)
class ClientLine:
    """One client in a list: who, whose, when (no clinical detail)."""

    client_id: str
    client_name: str
    therapist_name: str
    when: Optional[datetime] = None          # the missed session, or the follow-up day
    next_booking: Optional[datetime] = None
    run: int = 0


@dataclass(frozen=True)
class Rate:
    label: str
    no_shows: int
    due: int

    @property
    def rate(self) -> float:
        return self.no_shows / self.due if self.due else 0.0


@dataclass(frozen=True)
class NoShowRates:
    weeks: int
    overall: Rate
    by: Dict[str, Tuple[Rate, ...]]   # "therapist", "weekday", "time of day", "modality"


@dataclass(frozen=True)
class FrontDeskView:
    missed_today: Tuple[ClientLine, ...]
    missed_in_a_row: Tuple[ClientLine, ...]      # 2 or more consecutive no-shows
    rates: Tuple[NoShowRates, ...]               # last 4 and 12 weeks
    follow_ups_today: Tuple[ClientLine, ...]
    lost_no_shows: int                           # this month
    lost_late_cancels: int


@dataclass(frozen=True)
class SupervisorView:
    supervisees: Tuple[str, ...]                 # staff names
    at_review: Tuple[ClientLine, ...]
    risk_missed: Tuple[ClientLine, ...]          # risk above none, missed in the last 2 weeks
    overdue: Tuple[ClientLine, ...]

    @property
    def client_ids(self) -> set:
        return {c.client_id for c in self.at_review + self.risk_missed + self.overdue}

    @property
    def empty(self) -> bool:
        return not self.client_ids


@dataclass(frozen=True)
class TherapistView:
    due_today: Tuple[ClientLine, ...]
    overdue: Tuple[ClientLine, ...]
    chronic: Tuple[ClientLine, ...]              # over the chronic rule now
    at_review: Tuple[ClientLine, ...]
    newly_chronic: Tuple[ClientLine, ...] = field(default=())   # since the last digest

    @property
    def empty(self) -> bool:
        return not (self.due_today or self.overdue or self.newly_chronic or self.at_review)


def _c(model, name: str):
    """A model's column (the models annotate their attributes with the instance types)."""
    return model.__table__.c[name]


def _start(day: Optional[date]) -> Optional[datetime]:
    return datetime.combine(day, datetime.min.time()) if day else None


def _staff_names(session) -> Dict[str, str]:
    return {s.id: s.name for s in session.execute(select(Staff)).scalars()}


def _appointments(session, client_ids: Optional[Iterable[str]] = None
                  ) -> Dict[str, List[AppointmentView]]:
    query = select(Appointment).order_by(Appointment.start)
    if client_ids is not None:
        query = query.where(_c(Appointment, 'client_id').in_(list(client_ids)))
    found: Dict[str, List[AppointmentView]] = defaultdict(list)
    for row in session.execute(query).scalars():
        found[row.client_id].append(_appointment_view(row))
    return found


def _next_booking(appointments: Sequence[AppointmentView], now: datetime) -> Optional[datetime]:
    return next((a.start for a in appointments if a.status == SCHEDULED and a.start >= now),
                None)


def _clients(session, therapist_ids: Optional[Iterable[str]] = None) -> List[Client]:
    query = select(Client).where(Client.status != ClientStatus.discharged)
    if therapist_ids is not None:
        query = query.where(_c(Client, 'therapist_id').in_(list(therapist_ids)))
    return list(session.execute(query.order_by(Client.last_name, Client.first_name)).scalars())


def _line(client: Client, names: Dict[str, str], **kwargs) -> ClientLine:
    return ClientLine(client.id, _client_view(client).display_name,
                      names.get(client.therapist_id, client.therapist_id), **kwargs)


def _open_follow_ups(session, therapist_ids: Optional[Iterable[str]], first: Optional[date],
                     last: date) -> List[Tuple[Plan, Client]]:
    follow_up = Plan.__table__.c.follow_up_on
    query = (select(Plan, Client).join(Client, Client.id == Plan.client_id)
             .where(Plan.status == PlanStatus.open, _current(Plan), follow_up.is_not(None),
                    follow_up <= last)
             .order_by(Plan.follow_up_on, Client.last_name))
    if first is not None:
        query = query.where(follow_up >= first)
    if therapist_ids is not None:
        query = query.where(_c(Client, 'therapist_id').in_(list(therapist_ids)))
    return list(session.execute(query).all())


def _rates(appointments: Dict[str, List[AppointmentView]], therapist_of: Dict[str, str],
           today: date, weeks: int) -> NoShowRates:
    first = today - timedelta(days=weeks * 7 - 1)
    keys: Dict[str, Callable[[str, AppointmentView], str]] = {
        "therapist": lambda client, a: therapist_of.get(client, "?"),
        "weekday": lambda client, a: WEEKDAYS[a.start.weekday()],
        "time of day": lambda client, a: time_of_day(a.start),
        "modality": lambda client, a: MODALITY_NAMES.get(a.modality, a.modality),
    }
    tallies: Dict[str, Dict[str, List[int]]] = {k: defaultdict(lambda: [0, 0]) for k in keys}
    overall = [0, 0]
    for client, rows in appointments.items():
        for a in rows:
            if a.status not in DUE or not first <= a.start.date() <= today:
                continue
            missed = int(a.status == NO_SHOW)
            overall[0] += missed
            overall[1] += 1
            for name, key in keys.items():
                tally = tallies[name][key(client, a)]
                tally[0] += missed
                tally[1] += 1
    by = {name: tuple(Rate(label, n, d) for label, (n, d) in sorted(t.items()))
          for name, t in tallies.items()}
    return NoShowRates(weeks, Rate("clinic", *overall), by)


class StaffViews:
    """The role views for one database URL (None: the configured DATABASE_URL)."""

    def __init__(self, url: Optional[str] = None):
        self.url = url
        self.records = ClientRecords(url)

    def _role(self, session, staff_id: Optional[str], role: StaffRole, view: str,
              channel: Optional[str]) -> Optional[Staff]:
        staff = session.get(Staff, staff_id) if staff_id else None
        if staff is None or staff.role is not role:
            _audit(session, staff_id, "access_refused", channel=channel,
                   detail=f"{view}: not {role.value}")
            return None
        return staff

    # -- front desk -------------------------------------------------------------------

    def front_desk(self, staff_id: str, today: date, now: datetime,
                   channel: Optional[str] = None) -> Optional[FrontDeskView]:
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.front_desk, "schedule view",
                          channel) is None:
                return None
            names = _staff_names(session)
            clients = {c.id: c for c in _clients(session)}
            appointments = _appointments(session)
            therapist_of = {cid: names.get(c.therapist_id, c.therapist_id)
                            for cid, c in clients.items()}
            missed_today, in_a_row = [], []
            for cid, client in clients.items():
                rows = appointments.get(cid, [])
                upcoming = _next_booking(rows, now)
                for a in rows:
                    if a.status == NO_SHOW and a.start.date() == today:
                        missed_today.append(_line(client, names, when=a.start,
                                                  next_booking=upcoming))
                run = current_run([a for a in rows if a.status != SCHEDULED
                                   and a.start.date() <= today])
                if run >= 2:
                    in_a_row.append(_line(client, names, run=run, next_booking=upcoming))
            follow_ups = [_line(c, names, when=_start(p.follow_up_on))
                          for p, c in _open_follow_ups(session, None, today, today)]
            month = [a for rows in appointments.values() for a in rows
                     if (a.start.year, a.start.month) == (today.year, today.month)
                     and a.start.date() <= today]
            _audit(session, staff_id, "schedule_view", channel=channel,
                   detail=f"{len(missed_today)} missed today, {len(in_a_row)} in a row")
            return FrontDeskView(
                tuple(sorted(missed_today, key=lambda line: line.when or now)),
                tuple(sorted(in_a_row, key=lambda line: -line.run)),
                tuple(_rates(appointments, therapist_of, today, w) for w in (4, 12)),
                tuple(follow_ups),
                sum(1 for a in month if a.status == NO_SHOW),
                sum(1 for a in month if a.status == LATE_CANCEL))

    def clients_named(self, staff_id: str, text: str, channel: Optional[str] = None
                      ) -> Optional[List[Tuple[str, str]]]:
        """Front desk: the clinic's current clients whose full name the text holds, as
        (client id, name); None when the asker is not front desk."""
        words = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower())
                               .split()) + " "
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.front_desk, "client by name",
                          channel) is None:
                return None
            found = []
            for client in _clients(session):
                firsts = {client.first_name.lower(), (client.preferred_name or "").lower()}
                if any(f and f" {f} {client.last_name.lower()} " in words for f in firsts):
                    found.append((client.id, _client_view(client).display_name))
            return found

    def record_front_desk_outreach(self, staff_id: str, client_id: str, outreach_channel: str,
                                   outcome: str, on: date, channel: Optional[str] = None
                                   ) -> Optional[int]:
        """An outreach attempt the front desk made; the therapist sees it with the client's
        record. None when the asker is not front desk or the client is unknown."""
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.front_desk, "record outreach",
                          channel) is None or session.get(Client, client_id) is None:
                return None
            attempt = OutreachAttempt(client_id=client_id, staff_id=staff_id, at=_utcnow(),
                                      on=on, channel=outreach_channel, outcome=outcome)
            session.add(attempt)
            session.flush()
            _audit(session, staff_id, "outreach_recorded", client_id=client_id,
                   channel=channel, detail=f"attempt {attempt.id}: {outreach_channel}: "
                                           f"{outcome} (front desk)")
            return attempt.id

    # -- supervisors ------------------------------------------------------------------

    def _supervisor_view(self, session, supervisor_id: str, today: date, now: datetime
                         ) -> SupervisorView:
        names = _staff_names(session)
        supervisees = [s for s in session.execute(
            select(Staff).where(Staff.supervisor_id == supervisor_id).order_by(Staff.id)
        ).scalars()]
        ids = [s.id for s in supervisees]
        clients = _clients(session, ids)
        appointments = _appointments(session, [c.id for c in clients])
        plans = _plans(session, [c.id for c in clients])
        config = clinic_config()
        at_review, risk_missed = [], []
        recent = today - timedelta(days=RECENT_MISS_DAYS - 1)
        for client in clients:
            rows = appointments.get(client.id, [])
            summary = summarize(rows, now, config.chronic, config.summary_window_days)
            if review_reasons(summary, plans.get(client.id, []), config.review):
                at_review.append(_line(client, names, run=summary.current_run))
            if client.risk_level.value != "none" and any(
                    a.status == NO_SHOW and recent <= a.start.date() <= today for a in rows):
                risk_missed.append(_line(client, names))
        overdue = [_line(c, names, when=_start(p.follow_up_on))
                   for p, c in _open_follow_ups(session, ids, None, today - timedelta(days=1))]
        return SupervisorView(tuple(s.name for s in supervisees), tuple(at_review),
                              tuple(risk_missed), tuple(overdue))

    def supervisor(self, staff_id: str, today: date, now: datetime,
                   channel: Optional[str] = None) -> Optional[SupervisorView]:
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.supervisor, "supervision view",
                          channel) is None:
                return None
            view = self._supervisor_view(session, staff_id, today, now)
            _audit(session, staff_id, "supervision_view", channel=channel,
                   detail=f"{len(view.client_ids)} clients need attention")
            return view

    def supervisee_summary(self, staff_id: str, client_id: str, today: date, now: datetime,
                           channel: Optional[str] = None) -> Optional[ClientRecord]:
        """One client's record for a supervisor: only a client of their supervisees who needs
        attention now. Audited as a supervisor's access (or its refusal)."""
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.supervisor, "supervisee summary",
                          channel) is None:
                return None
            allowed = client_id in self._supervisor_view(session, staff_id, today,
                                                         now).client_ids
            if not allowed:
                _audit(session, staff_id, "record_denied", channel=channel,
                       detail="supervisor: not a supervisee's client needing attention")
                return None
            client = session.get(Client, client_id)
            rows = _appointments(session, [client_id]).get(client_id, [])
            _audit(session, staff_id, "supervisor_record_viewed", client_id=client_id,
                   channel=channel, detail=f"therapist {client.therapist_id}")
            return ClientRecord(_client_view(client), rows,
                                [_plan_view(p) for p in session.execute(
                                    select(Plan).where(Plan.client_id == client_id,
                                                       _current(Plan)).order_by(Plan.id)
                                ).scalars()])

    # -- therapists -------------------------------------------------------------------

    def therapist(self, staff_id: str, today: date, now: datetime,
                  channel: Optional[str] = None, since_ids: Optional[set] = None
                  ) -> Optional[TherapistView]:
        """A therapist's own caseload: follow-ups due today and overdue, clients over the
        chronic rule (and those not in `since_ids`: crossed since), clients at review."""
        with session_scope(self.url) as session:
            if self._role(session, staff_id, StaffRole.therapist, "caseload counts",
                          channel) is None:
                return None
            view = _therapist_view(session, staff_id, today, now, since_ids)
            _audit(session, staff_id, "caseload_counts", channel=channel,
                   detail=f"{len(view.due_today)} due, {len(view.overdue)} overdue")
            return view

    # -- the digest's memory ----------------------------------------------------------

    def last_digest_chronic(self, staff_id: str) -> Optional[set]:
        """The chronic client ids at this staff member's last digest (None: never sent)."""
        with session_scope(self.url) as session:
            row = session.execute(
                select(SlackDigest).where(SlackDigest.staff_id == staff_id)
                .order_by(_c(SlackDigest, 'sent_on').desc()).limit(1)).scalar_one_or_none()
            return set(json.loads(row.chronic_client_ids)) if row else None

    def digest_sent(self, staff_id: str, on: date) -> bool:
        with session_scope(self.url) as session:
            return session.execute(
                select(SlackDigest.id).where(SlackDigest.staff_id == staff_id,
                                             SlackDigest.sent_on == on)).first() is not None

    def claim_digest(self, staff_id: str, on: date, chronic_ids: Iterable[str]) -> bool:
        """Note that today's digest goes to this staff member; False when one already did
        (the unique key decides, so two runs at once cannot both send)."""
        try:
            with session_scope(self.url) as session:
                session.add(SlackDigest(staff_id=staff_id, sent_on=on, sent_at=_utcnow(),
                                        chronic_client_ids=json.dumps(sorted(chronic_ids))))
        except IntegrityError:
            return False
        return True

    def release_digest(self, staff_id: str, on: date) -> None:
        """Sending failed: let a later run that day try again."""
        with session_scope(self.url) as session:
            row = session.execute(select(SlackDigest).where(
                SlackDigest.staff_id == staff_id, SlackDigest.sent_on == on)
            ).scalar_one_or_none()
            if row is not None:
                session.delete(row)

    def staff_by_slack(self, slack_user_id: str) -> Optional[Tuple[str, str, str]]:
        """(staff id, name, role) of the staff member linked to a Slack user, or None."""
        with session_scope(self.url) as session:
            row = session.execute(select(Staff).where(Staff.slack_user_id == slack_user_id)
                                  ).scalar_one_or_none()
            return (row.id, row.name, row.role.value) if row else None

    def linked_staff(self) -> List[Tuple[str, str, str, str]]:
        """(staff id, name, role, Slack user id) of everyone linked to Slack."""
        with session_scope(self.url) as session:
            return [(s.id, s.name, s.role.value, s.slack_user_id) for s in session.execute(
                select(Staff).where(_c(Staff, 'slack_user_id').is_not(None)).order_by(Staff.id)
            ).scalars()]


def _plans(session, client_ids: Sequence[str]) -> Dict[str, list]:
    found: Dict[str, list] = defaultdict(list)
    for row in session.execute(select(Plan).where(_c(Plan, 'client_id').in_(list(client_ids)),
                                                  _current(Plan)).order_by(Plan.id)).scalars():
        found[row.client_id].append(_plan_view(row))
    return found


def _therapist_view(session, staff_id: str, today: date, now: datetime,
                    since_ids: Optional[set]) -> TherapistView:
    names = _staff_names(session)
    clients = _clients(session, [staff_id])
    appointments = _appointments(session, [c.id for c in clients])
    plans = _plans(session, [c.id for c in clients])
    config = clinic_config()
    chronic, at_review = [], []
    for client in clients:
        summary = summarize(appointments.get(client.id, []), now, config.chronic,
                            config.summary_window_days)
        if summary.verdict.chronic:
            chronic.append(_line(client, names, run=summary.current_run))
        if review_reasons(summary, plans.get(client.id, []), config.review):
            at_review.append(_line(client, names, run=summary.current_run))
    due: List[ClientLine] = []
    overdue: List[ClientLine] = []
    for plan, client in _open_follow_ups(session, [staff_id], None, today):
        line = _line(client, names, when=_start(plan.follow_up_on))
        (due if plan.follow_up_on == today else overdue).append(line)
    newly = tuple(c for c in chronic if since_ids is None or c.client_id not in since_ids)
    return TherapistView(tuple(due), tuple(overdue), tuple(chronic), tuple(at_review), newly)

"""Read and write the clinic's records for the assistant: the only place actions touch SQL.

Every read of a client's record goes through a method that writes an audit entry in the same
transaction, so an access is never shown without being recorded.
"""
from __future__ import annotations

import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple

from sqlalchemy import desc, func, select

from reconnect.records.db import session_scope
from reconnect.records.models import (
    Appointment,
    AuditEvent,
    Client,
    OutreachAttempt,
    Plan,
    PlanOutcome,
    PlanStatus,
    SafetyConcern,
    Staff,
    StaffRole,
)


@dataclass(frozen=True)
class StaffView:
    id: str
    name: str
    role: str
    slack_user_id: Optional[str]


@dataclass(frozen=True)
class ClientView:
    id: str
    first_name: str
    last_name: str
    preferred_name: Optional[str]
    therapist_id: str
    status: str
    payer: str
    sms_consent: bool
    email_consent: bool
    phone_consent: bool
    emergency_contact_on_file: bool
    risk_level: str
    last_risk_review: Optional[date]

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


@dataclass(frozen=True)
class AppointmentView:
    id: str
    start: datetime
    duration_min: int
    modality: str
    status: str
    fee_charged: Optional[Decimal]
    fee_paid: Optional[Decimal]


@dataclass(frozen=True)
class PlanView:
    id: int
    created_on: date
    steps: Tuple[str, ...]
    owner: str
    follow_up_on: Optional[date]
    status: str
    outcome: Optional[str]
    barriers: Tuple[str, ...]


@dataclass(frozen=True)
class OutreachView:
    on: date
    channel: str
    outcome: str
    id: int = 0


@dataclass(frozen=True)
class ConcernView:
    """An open safety concern: raised when, reported by whom (never its words)."""

    id: int
    raised_on: date
    reported_by: str


@dataclass(frozen=True)
class ClientRecord:
    """Everything the walkthrough reads about one client."""

    client: ClientView
    appointments: List[AppointmentView]
    plans: List[PlanView] = field(default_factory=list)          # oldest first
    outreach: List[OutreachView] = field(default_factory=list)   # oldest first
    concerns: List[ConcernView] = field(default_factory=list)    # open ones, oldest first


@dataclass(frozen=True)
class DueFollowUp:
    client_id: str
    client_name: str
    follow_up_on: date
    steps: Tuple[str, ...]


def _plan_view(row: Plan) -> PlanView:
    steps = tuple(step["text"] if isinstance(step, dict) else str(step)
                  for step in json.loads(row.steps))
    return PlanView(row.id, row.created_on, steps, row.owner, row.follow_up_on,
                    row.status.value, row.outcome.value if row.outcome else None,
                    tuple(b for b in (row.barriers or "").split(",") if b))


def _staff_view(row: Staff) -> StaffView:
    return StaffView(row.id, row.name, row.role.value, row.slack_user_id)


def _client_view(row: Client) -> ClientView:
    return ClientView(
        id=row.id, first_name=row.first_name, last_name=row.last_name,
        preferred_name=row.preferred_name, therapist_id=row.therapist_id,
        status=row.status.value, payer=row.payer.value, sms_consent=row.sms_consent,
        email_consent=row.email_consent, phone_consent=row.phone_consent,
        emergency_contact_on_file=row.emergency_contact_on_file,
        risk_level=row.risk_level.value, last_risk_review=row.last_risk_review,
    )


def _appointment_view(row: Appointment) -> AppointmentView:
    return AppointmentView(row.id, row.start, row.duration_min, row.modality.value,
                           row.status.value, row.fee_charged, row.fee_paid)


def _current(model):
    """Entries not taken back (withdrawn) by the therapist."""
    return model.__table__.c.withdrawn_at.is_(None)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# An id as the clinic's records hold them (staff, clients): letters, digits and . _ -, at most
# 64 characters (the columns' width). Anything else is refused before any query, so that a
# huge or odd id never reaches the database (a 1 MB audit row on SQLite, a crash on
# PostgreSQL's VARCHAR(64)).
ID_FORM = re.compile(r"[A-Za-z0-9._-]{1,64}")


def valid_id(value: Any) -> Optional[str]:
    """`value` when it has the form of a record id, else None."""
    return value if isinstance(value, str) and ID_FORM.fullmatch(value) else None


# A conversation id (Rasa's sender id) as channels make them: a UUID, a Slack or widget id.
CONVERSATION_ID_FORM = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")

# The channel and conversation of the request being served, for every audit row it writes.
_ORIGIN: ContextVar[Tuple[Optional[str], Optional[str]]] = ContextVar(
    "audit_origin", default=(None, None))

# The audit rows that record a refusal (the outcome "denied"): something was asked for and
# not shown. Every other action is an access or a write.
REFUSALS = frozenset({"record_denied", "access_refused", "name_not_found"})


@contextmanager
def audit_origin(channel: Optional[str], conversation_id: Optional[str]) -> Iterator[None]:
    """Every audit row written inside carries this channel and conversation id."""
    token = _ORIGIN.set((channel, conversation_id))
    try:
        yield
    finally:
        _ORIGIN.reset(token)


def _audit(session, staff_id: Optional[str], action: str, client_id: Optional[str] = None,
           channel: Optional[str] = None, detail: Optional[str] = None) -> None:
    origin_channel, conversation = _ORIGIN.get()
    channel = channel or origin_channel
    invalid = [f"{what} of {len(str(value))} characters is not an id"
               for what, value in (("staff id", staff_id), ("client id", client_id))
               if value is not None and valid_id(value) is None]
    good_conversation = (conversation if isinstance(conversation, str)
                         and CONVERSATION_ID_FORM.fullmatch(conversation) else None)
    if conversation is not None and good_conversation is None:
        invalid.append(f"conversation id of {len(str(conversation))} characters is not an id")
    if invalid:  # said, never stored as given
        detail = "; ".join(([detail] if detail else []) + invalid)
    session.add(AuditEvent(at=_utcnow(),
                           staff_id=valid_id(staff_id), client_id=valid_id(client_id),
                           action=action, channel=(channel or "")[:32] or None,
                           conversation_id=good_conversation, detail=detail))


def _audit_listed(session, staff_id: Optional[str], action: str, client_ids: List[str],
                  channel: Optional[str], detail: Optional[str] = None) -> None:
    """A listing: one row per client shown; one row without a client when it was empty."""
    shown: List[Optional[str]] = list(client_ids) or [None]
    for client_id in shown:
        _audit(session, staff_id, action, client_id=client_id, channel=channel, detail=detail)


class ClientRecords:
    """Queries for one database URL (None: the configured DATABASE_URL)."""

    def __init__(self, url: Optional[str] = None):
        self.url = url

    def staff(self, staff_id: Optional[str]) -> Optional[StaffView]:
        if not valid_id(staff_id):
            return None  # no query for what cannot be an id
        with session_scope(self.url) as session:
            row = session.get(Staff, staff_id)
            return _staff_view(row) if row else None

    def staff_members(self) -> List[StaffView]:
        """Every staff member, by id (the widget's demo sign-in offers them)."""
        with session_scope(self.url) as session:
            rows = session.execute(select(Staff).order_by(Staff.id)).scalars().all()
            return [_staff_view(r) for r in rows]

    def caseload(self, therapist_id: str, channel: Optional[str] = None) -> List[ClientView]:
        """The therapist's own clients (names and ids only are used to match a name)."""
        with session_scope(self.url) as session:
            rows = session.execute(
                select(Client).where(Client.therapist_id == therapist_id)
                .order_by(Client.last_name, Client.first_name)
            ).scalars().all()
            _audit(session, therapist_id, "caseload_search", channel=channel,
                   detail=f"{len(rows)} clients")
            return [_client_view(r) for r in rows]

    @staticmethod
    def _own_client(session, staff_id: str, client_id: str, channel: Optional[str]
                    ) -> Optional[Client]:
        client = session.get(Client, client_id) if valid_id(client_id) and valid_id(
            staff_id) else None
        if client is None or client.therapist_id != staff_id:
            # The id asked for is recorded (an invalid one is said to be so, not stored).
            _audit(session, staff_id, "record_denied", client_id=client_id, channel=channel,
                   detail="not in caseload")
            return None
        return client

    def is_own_client(self, staff_id: str, client_id: str, channel: Optional[str] = None
                      ) -> bool:
        """Whether the client is in this therapist's caseload (a refusal is audited)."""
        with session_scope(self.url) as session:
            return self._own_client(session, staff_id, client_id, channel) is not None

    def client_record(self, staff_id: str, client_id: str, channel: Optional[str] = None
                      ) -> Optional[ClientRecord]:
        """A client's record, only when the client is in this therapist's caseload."""
        with session_scope(self.url) as session:
            client = self._own_client(session, staff_id, client_id, channel)
            if client is None:
                return None
            appointments = session.execute(
                select(Appointment).where(Appointment.client_id == client_id)
                .order_by(Appointment.start)
            ).scalars().all()
            plans = session.execute(
                select(Plan).where(Plan.client_id == client_id, _current(Plan))
                .order_by(Plan.id)
            ).scalars().all()
            outreach = session.execute(
                select(OutreachAttempt).where(OutreachAttempt.client_id == client_id,
                                              _current(OutreachAttempt))
                .order_by(OutreachAttempt.on, OutreachAttempt.at)
            ).scalars().all()
            concerns = session.execute(
                select(SafetyConcern).where(SafetyConcern.client_id == client_id,
                                            _current(SafetyConcern),
                                            SafetyConcern.__table__.c.in_hand_at.is_(None))
                .order_by(SafetyConcern.raised_at)
            ).scalars().all()
            _audit(session, staff_id, "record_viewed", client_id=client_id, channel=channel)
            return ClientRecord(
                _client_view(client), [_appointment_view(a) for a in appointments],
                [_plan_view(p) for p in plans],
                [OutreachView(o.on, o.channel, o.outcome, o.id) for o in outreach],
                [ConcernView(c.id, c.raised_on, c.reported_by) for c in concerns])

    def save_plan(self, staff_id: str, client_id: str, steps: Sequence[dict], owner: str,
                  follow_up_on: Optional[date], barriers: Sequence[str], today: date,
                  channel: Optional[str] = None) -> Optional[int]:
        """Record an agreed plan; None when the client is not in this caseload."""
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return None
            plan = Plan(client_id=client_id, staff_id=staff_id, created_at=_utcnow(),
                        created_on=today, steps=json.dumps(list(steps), default=str),
                        owner=owner, barriers=",".join(barriers) or None,
                        follow_up_on=follow_up_on, status=PlanStatus.open)
            session.add(plan)
            session.flush()
            _audit(session, staff_id, "plan_saved", client_id=client_id, channel=channel,
                   detail=f"plan {plan.id}")
            return plan.id

    def record_outreach(self, staff_id: str, client_id: str, outreach_channel: str,
                        outcome: str, on: date, channel: Optional[str] = None
                        ) -> Optional[int]:
        """Record a contact attempt made on `on`; its id, or None outside the caseload."""
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return None
            attempt = OutreachAttempt(client_id=client_id, staff_id=staff_id, at=_utcnow(),
                                      on=on, channel=outreach_channel, outcome=outcome)
            session.add(attempt)
            session.flush()
            _audit(session, staff_id, "outreach_recorded", client_id=client_id,
                   channel=channel, detail=f"attempt {attempt.id}: {outreach_channel}: {outcome}")
            return attempt.id

    def record_plan_outcome(self, staff_id: str, client_id: str, outcome: str, today: date,
                            channel: Optional[str] = None) -> Optional[PlanView]:
        """Close the client's latest open plan with how it went; None if there is none."""
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return None
            plan = session.execute(
                select(Plan).where(Plan.client_id == client_id,
                                   Plan.status == PlanStatus.open, _current(Plan))
                .order_by(desc(Plan.id)).limit(1)
            ).scalar_one_or_none()
            if plan is None:
                return None
            plan.outcome = PlanOutcome(outcome)
            plan.outcome_on = today
            plan.status = PlanStatus.closed
            _audit(session, staff_id, "plan_outcome_recorded", client_id=client_id,
                   channel=channel, detail=f"plan {plan.id}: {outcome}")
            session.flush()
            return _plan_view(plan)

    def due_follow_ups(self, staff_id: str, until: date, channel: Optional[str] = None
                       ) -> List[DueFollowUp]:
        """Open plans of this therapist's own clients whose follow-up falls by `until`."""
        follow_up = Plan.__table__.c.follow_up_on  # the column (the model annotates a date)
        with session_scope(self.url) as session:
            rows = session.execute(
                select(Plan, Client).join(Client, Client.id == Plan.client_id)
                .where(Client.therapist_id == staff_id, Plan.status == PlanStatus.open,
                       _current(Plan), follow_up.is_not(None), follow_up <= until)
                .order_by(Plan.follow_up_on, Client.last_name)
            ).all()
            _audit_listed(session, staff_id, "follow_ups_listed", [c.id for _, c in rows],
                          channel, detail=f"{len(rows)} due")
            return [DueFollowUp(c.id, _client_view(c).display_name, p.follow_up_on,
                                _plan_view(p).steps) for p, c in rows]

    def take_back(self, staff_id: str, client_id: str, kind: str, entry_id: int,
                  channel: Optional[str] = None) -> bool:
        """Undo one entry this therapist made: a plan or an outreach attempt is withdrawn
        (kept, marked, left out of every read), a plan's outcome is cleared and the plan
        reopened, a safety concern is withdrawn. The audit trail records the correction and
        keeps the entry's own line. False when there is no such current entry."""
        model = {"plan": Plan, "outreach": OutreachAttempt, "plan_outcome": Plan,
                 "concern": SafetyConcern}[kind]
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return False
            row = session.get(model, entry_id)
            if row is None or row.client_id != client_id or row.withdrawn_at is not None:
                return False
            if kind == "plan_outcome":
                if row.status != PlanStatus.closed:
                    return False
                row.status, row.outcome, row.outcome_on = PlanStatus.open, None, None
            else:
                row.withdrawn_at = _utcnow()
            _audit(session, staff_id, "entry_corrected", client_id=client_id, channel=channel,
                   detail=f"{kind} {entry_id} taken back")
            return True

    def raise_concern(self, staff_id: str, client_id: str, reported_by: str, today: date,
                      channel: Optional[str] = None) -> Optional[int]:
        """Record that a safety concern was raised (when, by whom; never its words)."""
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return None
            concern = SafetyConcern(client_id=client_id, staff_id=staff_id,
                                    raised_at=_utcnow(), raised_on=today,
                                    reported_by=reported_by)
            session.add(concern)
            session.flush()
            _audit(session, staff_id, "safety_concern_raised", client_id=client_id,
                   channel=channel, detail=f"concern {concern.id}: reported by {reported_by}")
            return concern.id

    def concerns_in_hand(self, staff_id: str, client_id: str,
                         channel: Optional[str] = None) -> int:
        """The therapist has safety in hand: close the client's open concerns; how many."""
        with session_scope(self.url) as session:
            if self._own_client(session, staff_id, client_id, channel) is None:
                return 0
            rows = session.execute(
                select(SafetyConcern).where(SafetyConcern.client_id == client_id,
                                            _current(SafetyConcern),
                                            SafetyConcern.__table__.c.in_hand_at.is_(None))
            ).scalars().all()
            for row in rows:
                row.in_hand_at = _utcnow()
            # Audited whether or not a concern was open: the safety steps the record calls
            # for were answered too, and that is not asked again the same day.
            _audit(session, staff_id, "safety_in_hand", client_id=client_id,
                   channel=channel, detail=f"{len(rows)} concern(s)")
            return len(rows)

    def safety_in_hand_since(self, staff_id: str, client_id: str, since: datetime
                             ) -> Optional[datetime]:
        """When this therapist last said safety was in hand for this client, if after
        `since` (UTC); None otherwise."""
        with session_scope(self.url) as session:
            return session.execute(
                select(func.max(AuditEvent.at)).where(
                    AuditEvent.staff_id == staff_id, AuditEvent.client_id == client_id,
                    AuditEvent.action == "safety_in_hand", AuditEvent.at >= since)
            ).scalar()

    def client_surnames(self) -> List[str]:
        """Every client's surname in the clinic, across caseloads, so that a surname alone of
        another therapist's client ("does ortiz owe anything") is known for a name and gets
        "no client called Ortiz in your caseload"; nothing else of those clients is read."""
        with session_scope(self.url) as session:
            return list(session.execute(select(Client.last_name).distinct()).scalars())

    def staff_names(self, role: str) -> List[str]:
        """The names of the clinic's staff in a role, so that "Jamie calls her" is a
        front-desk step and "Dr. Ellis reviews it" the supervisor's."""
        with session_scope(self.url) as session:
            return [s.name for s in session.execute(
                select(Staff).where(Staff.role == StaffRole(role))).scalars()]

    def record_denied(self, staff_id: Optional[str], reason: str,
                      channel: Optional[str] = None, client_id: Optional[str] = None) -> None:
        with session_scope(self.url) as session:
            _audit(session, staff_id, "access_refused", client_id=client_id, channel=channel,
                   detail=reason)

    def record_name_not_found(self, staff_id: Optional[str],
                              channel: Optional[str] = None) -> None:
        """A name search in this therapist's caseload found nobody: the fact, never the name
        typed (it may be another clinic's client, or no client at all)."""
        with session_scope(self.url) as session:
            _audit(session, staff_id, "name_not_found", channel=channel,
                   detail="a name matched no client in the caseload")

    def record_listed(self, staff_id: str, action: str, client_ids: Iterable[str],
                      channel: Optional[str] = None) -> None:
        """Clients named to this staff member in a list (the buttons of "which one do you
        mean?"): a row for each, so that the trail answers who saw a client's name."""
        with session_scope(self.url) as session:
            _audit_listed(session, staff_id, action, list(client_ids), channel)

    def audit_events(self, staff_id: Optional[str] = None) -> List[AuditEvent]:
        with session_scope(self.url) as session:
            query = select(AuditEvent).order_by(AuditEvent.id)
            if staff_id is not None:
                query = query.where(AuditEvent.staff_id == staff_id)
            return list(session.execute(query).scalars().all())

    def counts(self) -> dict:
        with session_scope(self.url) as session:
            return {
                name: session.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in (("staff", Staff), ("clients", Client),
                                    ("appointments", Appointment))
            }

"""SQLAlchemy models of the clinic's records.

Identifiers are the clinic's own (from its practice-management exports), kept as text so that
re-importing the same export updates the same rows.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

# Any: the models annotate their columns with the instance types (Plan.id: int).
Base: Any = declarative_base()


class Money(TypeDecorator):
    """An amount in dollars, stored as whole cents: exact on SQLite too (which has no
    decimal type and would round-trip through floating point)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_exact())

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / 100).quantize(Decimal("0.01"))


class StaffRole(str, enum.Enum):
    therapist = "therapist"
    front_desk = "front_desk"
    supervisor = "supervisor"


class ClientStatus(str, enum.Enum):
    active = "active"
    paused = "paused"
    discharged = "discharged"


class Payer(str, enum.Enum):
    self_pay = "self_pay"
    commercial = "commercial"
    medicaid = "medicaid"
    medicare = "medicare"


class RiskLevel(str, enum.Enum):
    none = "none"
    low = "low"
    elevated = "elevated"
    high = "high"


class Modality(str, enum.Enum):
    in_person = "in_person"
    telehealth = "telehealth"
    phone = "phone"


class AppointmentStatus(str, enum.Enum):
    attended = "attended"
    no_show = "no_show"
    late_cancel = "late_cancel"
    cancelled = "cancelled"
    scheduled = "scheduled"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint: portable across SQLite and PostgreSQL
    # and simple to extend in a migration.
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                validate_strings=True)


class Staff(Base):
    __tablename__ = "staff"

    id: str = Column(String(64), primary_key=True)
    name: str = Column(String(200), nullable=False)
    role: StaffRole = Column(_enum(StaffRole, "staff_role"), nullable=False)
    slack_user_id: Optional[str] = Column(String(64), unique=True)
    email: Optional[str] = Column(String(320))
    # Who supervises this staff member (a supervisor's id), if anyone.
    supervisor_id: Optional[str] = Column(
        ForeignKey("staff.id", name="fk_staff_supervisor_id"))

    clients = relationship("Client", back_populates="therapist")


class Client(Base):
    __tablename__ = "clients"

    id: str = Column(String(64), primary_key=True)
    first_name: str = Column(String(100), nullable=False)
    last_name: str = Column(String(100), nullable=False)
    preferred_name: Optional[str] = Column(String(100))
    therapist_id: str = Column(ForeignKey("staff.id"), nullable=False, index=True)
    status: ClientStatus = Column(_enum(ClientStatus, "client_status"), nullable=False)
    payer: Payer = Column(_enum(Payer, "payer"), nullable=False)
    sms_consent: bool = Column(Boolean(create_constraint=False), nullable=False, default=False)
    email_consent: bool = Column(Boolean(create_constraint=False), nullable=False, default=False)
    phone_consent: bool = Column(Boolean(create_constraint=False), nullable=False, default=False)
    emergency_contact_on_file: bool = Column(
        Boolean(create_constraint=False), nullable=False, default=False
    )
    risk_level: RiskLevel = Column(_enum(RiskLevel, "risk_level"), nullable=False)
    last_risk_review: Optional[date] = Column(Date)

    therapist = relationship("Staff", back_populates="clients")
    appointments = relationship("Appointment", back_populates="client")

    @property
    def display_name(self) -> str:
        """The name a therapist uses: preferred first name, then the surname."""
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"


class Appointment(Base):
    __tablename__ = "appointments"

    id: str = Column(String(64), primary_key=True)
    client_id: str = Column(ForeignKey("clients.id"), nullable=False)
    therapist_id: str = Column(ForeignKey("staff.id"), nullable=False)
    # Clinic-local wall-clock time, as the practice-management export gives it.
    start: datetime = Column(DateTime, nullable=False)
    duration_min: int = Column(Integer, nullable=False)
    modality: Modality = Column(_enum(Modality, "modality"), nullable=False)
    status: AppointmentStatus = Column(_enum(AppointmentStatus, "appointment_status"),
                                       nullable=False)
    fee_charged: Optional[Decimal] = Column(Money)
    fee_paid: Optional[Decimal] = Column(Money)

    client = relationship("Client", back_populates="appointments")

    __table_args__ = (Index("ix_appointments_client_start", "client_id", "start"),)


class AuditEvent(Base):
    """Who looked at which client's record, and when.

    Holds identifiers and the kind of access only: never message text or health information.
    `staff_id` is not a foreign key so that attempts by unknown ids are recorded too.
    """

    __tablename__ = "audit_events"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    at: datetime = Column(DateTime, nullable=False)  # UTC
    staff_id: Optional[str] = Column(String(64), index=True)
    client_id: Optional[str] = Column(String(64), index=True)
    action: str = Column(String(64), nullable=False)
    channel: Optional[str] = Column(String(32))
    # The conversation the request came in (Rasa's sender id): which exchange to look at.
    conversation_id: Optional[str] = Column(String(128), index=True)
    detail: Optional[str] = Column(Text)


class PlanStatus(str, enum.Enum):
    open = "open"
    closed = "closed"


class PlanOutcome(str, enum.Enum):
    worked = "worked"
    partly = "partly"
    did_not_work = "did_not_work"


class Plan(Base):
    """What a therapist agreed with (or for) a client, who does what, and when to review."""

    __tablename__ = "plans"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    client_id: str = Column(ForeignKey("clients.id"), nullable=False, index=True)
    staff_id: str = Column(ForeignKey("staff.id"), nullable=False, index=True)
    created_at: datetime = Column(DateTime, nullable=False)  # UTC
    created_on: date = Column(Date, nullable=False)          # the clinic's date
    steps: str = Column(Text, nullable=False)                # JSON list of step objects
    owner: str = Column(String(20), nullable=False)
    barriers: Optional[str] = Column(String(300))           # comma-separated barrier keys
    follow_up_on: Optional[date] = Column(Date, index=True)
    status: PlanStatus = Column(_enum(PlanStatus, "plan_status"), nullable=False)
    outcome: Optional[PlanOutcome] = Column(_enum(PlanOutcome, "plan_outcome"))
    outcome_on: Optional[date] = Column(Date)
    # Taken back by the therapist ("undo"): kept, marked, and left out of every read.
    withdrawn_at: Optional[datetime] = Column(DateTime)


class OutreachAttempt(Base):
    """A contact attempt with a client: channel and result, never message content."""

    __tablename__ = "outreach_attempts"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    client_id: str = Column(ForeignKey("clients.id"), nullable=False, index=True)
    staff_id: str = Column(ForeignKey("staff.id"), nullable=False)
    at: datetime = Column(DateTime, nullable=False)         # UTC
    on: date = Column(Date, nullable=False)                 # the clinic's date
    channel: str = Column(String(20), nullable=False)
    outcome: str = Column(String(20), nullable=False)
    withdrawn_at: Optional[datetime] = Column(DateTime)  # taken back: kept, never read


class SafetyConcern(Base):
    """That a safety concern about a client was raised, when and by whom: never its words.

    Open until the therapist says safety is in hand; while open, no closing letter or
    discharge step is drafted for the client.
    """

    __tablename__ = "safety_concerns"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    client_id: str = Column(ForeignKey("clients.id"), nullable=False, index=True)
    staff_id: str = Column(ForeignKey("staff.id"), nullable=False)
    raised_at: datetime = Column(DateTime, nullable=False)   # UTC
    raised_on: date = Column(Date, nullable=False)           # the clinic's date
    reported_by: str = Column(String(20), nullable=False)    # therapist | relative | other
    in_hand_at: Optional[datetime] = Column(DateTime)
    withdrawn_at: Optional[datetime] = Column(DateTime)


class SlackDigest(Base):
    """A morning digest sent to a staff member on a clinic day (one a day at most).

    `chronic_client_ids`: JSON list of the client ids over the chronic rule when it was sent,
    so that the next digest names only clients who crossed it since."""

    __tablename__ = "slack_digests"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    staff_id: str = Column(ForeignKey("staff.id"), nullable=False)
    sent_on: date = Column(Date, nullable=False)
    sent_at: datetime = Column(DateTime, nullable=False)  # UTC
    chronic_client_ids: str = Column(Text, nullable=False)

    __table_args__ = (UniqueConstraint("staff_id", "sent_on", name="uq_slack_digests_staff_day"),)


class SlackEventHandled(Base):
    """A Slack event or click already handled, by its key alone (Slack's event id, the
    click's trigger id, or a sha256 of either): never a message's text or a user.

    The key is the primary key, so claiming one is a single INSERT that only the first
    process to see it wins. Rows older than an hour are pruned as keys are claimed
    (reconnect/records/slack_events.py)."""

    __tablename__ = "slack_events_handled"

    event_key: str = Column(String(128), primary_key=True)
    first_seen_at: datetime = Column(DateTime, nullable=False, index=True)  # UTC


class FrontDeskReadBack(Base):
    """A front-desk outreach attempt read back in Slack or the widget and waiting for its
    yes, one per staff member, in the clinic database so that the yes counts whichever
    process it reaches (reconnect/records/read_backs.py). Taken (deleted) by the yes or the
    cancel that answers it; one older than READ_BACK_FOR is dropped unanswered."""

    __tablename__ = "front_desk_read_backs"

    staff_id: str = Column(String(64), ForeignKey("staff.id"), primary_key=True)
    client_id: str = Column(String(64), ForeignKey("clients.id"), nullable=False)
    client_name: str = Column(String(200), nullable=False)
    outreach_channel: str = Column(String(16), nullable=False)
    outcome: str = Column(String(16), nullable=False)
    on: date = Column(Date, nullable=False)
    read_back_at: datetime = Column(DateTime, nullable=False)  # UTC


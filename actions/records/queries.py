"""Read and write the clinic's records for the assistant: the only place actions touch SQL.

Every read of a client's record goes through a method that writes an audit entry in the same
transaction, so an access is never shown without being recorded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import List, Optional

from sqlalchemy import func, select

from actions.records.db import session_scope
from actions.records.models import Appointment, AuditEvent, Client, Staff


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


def _audit(session, staff_id: Optional[str], action: str, client_id: Optional[str] = None,
           channel: Optional[str] = None, detail: Optional[str] = None) -> None:
    session.add(AuditEvent(at=datetime.now(timezone.utc).replace(tzinfo=None),
                           staff_id=staff_id, client_id=client_id, action=action,
                           channel=channel, detail=detail))


class ClientRecords:
    """Queries for one database URL (None: the configured DATABASE_URL)."""

    def __init__(self, url: Optional[str] = None):
        self.url = url

    def staff(self, staff_id: Optional[str]) -> Optional[StaffView]:
        if not staff_id:
            return None
        with session_scope(self.url) as session:
            row = session.get(Staff, staff_id)
            return _staff_view(row) if row else None

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

    def client_record(self, staff_id: str, client_id: str, channel: Optional[str] = None
                      ) -> Optional[tuple[ClientView, List[AppointmentView]]]:
        """A client's record, only when the client is in this therapist's caseload."""
        with session_scope(self.url) as session:
            client = session.get(Client, client_id)
            if client is None or client.therapist_id != staff_id:
                _audit(session, staff_id, "record_denied", client_id=None, channel=channel,
                       detail="not in caseload")
                return None
            appointments = session.execute(
                select(Appointment).where(Appointment.client_id == client_id)
                .order_by(Appointment.start)
            ).scalars().all()
            _audit(session, staff_id, "record_viewed", client_id=client_id, channel=channel)
            return _client_view(client), [_appointment_view(a) for a in appointments]

    def record_denied(self, staff_id: Optional[str], reason: str,
                      channel: Optional[str] = None) -> None:
        with session_scope(self.url) as session:
            _audit(session, staff_id, "access_refused", channel=channel, detail=reason)

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

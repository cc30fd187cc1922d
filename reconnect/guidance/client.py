"""What the guidance layer reads of a client and of an appointment: read-only, plain data.

The records layer's views (frozen dataclasses) fit these; so do the plain test doubles.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional, Protocol


class ClientLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def first_name(self) -> str: ...

    @property
    def last_name(self) -> str: ...

    @property
    def preferred_name(self) -> Optional[str]: ...

    @property
    def status(self) -> str: ...

    @property
    def payer(self) -> str: ...

    @property
    def risk_level(self) -> str: ...

    @property
    def last_risk_review(self) -> Optional[date]: ...

    @property
    def sms_consent(self) -> bool: ...

    @property
    def email_consent(self) -> bool: ...

    @property
    def phone_consent(self) -> bool: ...

    @property
    def emergency_contact_on_file(self) -> bool: ...

    @property
    def display_name(self) -> str: ...


class AppointmentLike(Protocol):
    @property
    def start(self) -> datetime: ...

    @property
    def modality(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def fee_charged(self) -> Optional[Decimal]: ...

    @property
    def fee_paid(self) -> Optional[Decimal]: ...

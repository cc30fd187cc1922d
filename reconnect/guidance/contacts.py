"""The clinic's own numbers, as drafts and safety steps give them (from `clinic.yml`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClinicContacts:
    """Who the client can reach, and how. Never defaulted here: a letter that gives another
    country's emergency number, or no number at all, would be worse than no letter."""

    name: str               # the clinic's name, as it signs letters
    phone: str              # the clinic's phone number, for the client to call back
    crisis_line: str        # e.g. "988 Suicide & Crisis Lifeline (call or text 988)"
    emergency_number: str   # e.g. "911"

"""The clinic's own numbers, as drafts and safety steps give them (from `clinic.yml`)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClinicContacts:
    """Who the client can reach, and how. Never defaulted here: a letter that gives another
    country's emergency number, or no number at all, would be worse than no letter."""

    name: str               # the clinic's name, as it signs letters
    phone: str              # the clinic's phone number, for the client to call back
    crisis_line: str        # the crisis line as the client is to read it, with its number
    emergency_number: str   # the emergency services number where the client lives

"""Plain data shared by the guidance tests: appointments and the brief's figures."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Optional

NOW = datetime(2026, 3, 16, 8, 0)   # a Monday morning
TODAY = NOW.date()

# Every figure the domain brief cites; with the record's own numbers, the only ones allowed.
BRIEF_FIGURES = {
    "19.7", "669", "83,834", "2012", "2", "30", "2022", "12.6", "6.5", "2005", "71.1", "1.79",
    "21", "2.38", "31", "4,422", "0.38", "36", "26", "27", "2014", "45", "35", "18", "110,089",
    "2024", "10.10", "1.17", "12", "42", "447.15", "988", "2000", "2019", "8", "2001", "3",
    "911",
}


def numbers(text: str) -> set:
    return {n.rstrip(",.") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@dataclass
class Appt:
    start: datetime
    status: str
    modality: str = "in_person"
    fee_charged: Optional[Decimal] = None
    fee_paid: Optional[Decimal] = None

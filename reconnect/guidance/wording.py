"""How dates, amounts and counts read in every reply, draft and read-back: one way each."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")


def day(d: date) -> str:
    """"Fri 20 Mar 2026", whatever the machine's locale."""
    return f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def moment(dt: datetime) -> str:
    """"Fri 20 Mar 2026 09:00"."""
    return f"{day(dt.date())} {dt:%H:%M}"


def plural(n: int, word: str, many: Optional[str] = None) -> str:
    """"1 no-show", "3 no-shows"; `many` for irregular plurals."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def number_word(n: int) -> str:
    """"three" for 3, up to ten; digits after that."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def ago(then: date, today: date) -> str:
    days = (today - then).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {plural(-days, 'day')}"
    if days < 28:
        return f"{days} days ago"
    return f"{days} days ({days // 7} weeks) ago"


def money(amount: Decimal) -> str:
    return f"${amount:,.2f}"

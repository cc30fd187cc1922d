"""Dates as therapists type them, resolved against the clinic's today."""
from __future__ import annotations

from datetime import date

import pytest

from reconnect.guidance.dates import parse_date

TODAY = date(2026, 3, 16)  # a Monday
FRI = date(2026, 3, 20)
NEXT_FRI = date(2026, 3, 27)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize("phrase, expected", [
    ("today", d(3, 16)),
    ("tonight", d(3, 16)),
    ("tomorrow", d(3, 17)),
    ("tmrw", d(3, 17)),
    ("the day after tomorrow", d(3, 18)),
    ("Friday", FRI),
    ("on friday", FRI),
    ("this Friday", FRI),
    ("this coming Friday", FRI),
    ("by Friday", FRI),
    ("fri", FRI),
    ("thurs", d(3, 19)),
    ("Thu", d(3, 19)),
    ("tues", d(3, 17)),
    ("weds", d(3, 18)),
    ("Monday", d(3, 23)),            # today is Monday: today is excluded
    ("next Friday", NEXT_FRI),       # the Friday of next week
    ("next monday", d(3, 23)),
    ("Friday next week", NEXT_FRI),
    ("next week Friday", NEXT_FRI),
    ("next week", d(3, 23)),         # Monday of next week
    ("next month", d(4, 1)),
    ("in two weeks", d(3, 30)),
    ("in 2 weeks", d(3, 30)),
    ("in 2 wks", d(3, 30)),
    ("two weeks from now", d(3, 30)),
    ("2 weeks from today", d(3, 30)),
    ("in two weeks' time", d(3, 30)),
    ("in 10 days", d(3, 26)),
    ("in a week", d(3, 23)),
    ("within a week", d(3, 23)),
    ("in a fortnight", d(3, 30)),
    ("in a couple of weeks", d(3, 30)),
    ("in a month", d(4, 16)),
    ("in 3 months", d(6, 16)),
    ("end of the month", d(3, 31)),
    ("by end of month", d(3, 31)),
    ("end of next month", d(4, 30)),
    ("end of the week", FRI),
    ("end of next week", NEXT_FRI),
    ("3/20", FRI),
    ("3/20/2026", FRI),
    ("3/20/26", FRI),
    ("2026-03-20", FRI),
    ("March 20", FRI),
    ("20 March", FRI),
    ("Mar 20th", FRI),
    ("March 20, 2026", FRI),
    ("the 20th of March", FRI),
    ("Sept 3", d(9, 3)),
    ("on the 27th", NEXT_FRI),
    ("the 27th", NEXT_FRI),
    ("27th", NEXT_FRI),
    ("the 16th", TODAY),             # today is not in the past
    ("  Friday.  ", FRI),
    ("on Sat", d(3, 21)),
])
def test_parse_date(phrase, expected):
    assert parse_date(phrase, TODAY) == expected


@pytest.mark.parametrize("phrase", [
    "", "   ", "soon", "asap", "later", "the day before", "Thursdays", "on Fridays",
    "every Friday", "every other friday", "2x/month", "24/7", "13/40", "$40", "Feb 30",
    "call her friday", "Friday or Monday", "for 2 weeks", "2 weeks", "weekly", "the 3rd session",
    "Friday's session", "today's session",
])
def test_parse_date_not_a_date(phrase):
    assert parse_date(phrase, TODAY) is None


def test_past_month_day_rolls_to_next_year_but_explicit_year_is_kept():
    assert parse_date("3/1", TODAY) == d(3, 1, 2027)
    assert parse_date("Jan 5", TODAY) == d(1, 5, 2027)
    assert parse_date("1/31/2025", TODAY) == d(1, 31, 2025)
    assert parse_date("2/29", TODAY) == d(2, 29, 2028)      # the next 29 February


def test_day_of_month_already_past_means_next_month():
    assert parse_date("on the 10th", TODAY) == d(4, 10)
    assert parse_date("the 31st", d(4, 5)) == d(5, 31)         # April has no 31st


def test_weekday_on_that_weekday_means_a_week_later():
    friday = date(2026, 3, 20)
    assert parse_date("Friday", friday) == date(2026, 3, 27)
    assert parse_date("next Friday", friday) == date(2026, 3, 27)


def test_next_weekday_on_a_weekend_is_the_coming_one():
    sunday = date(2026, 3, 22)
    assert parse_date("Friday", sunday) == parse_date("next Friday", sunday) == date(2026, 3, 27)
    assert parse_date("end of the week", sunday) == date(2026, 3, 27)


def test_months_are_clamped_to_month_end():
    assert parse_date("in a month", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("in 1 month", date(2026, 12, 15)) == date(2027, 1, 15)


def test_which_of_several_is_no_day_of_the_month():
    from reconnect.guidance.dates import past_date

    today = date(2026, 3, 16)
    assert past_date("actually the 2nd one was an email not a text", today).day is None
    assert past_date("the 1st call was tues", today).day == date(2026, 3, 10)
    assert past_date("emailed her on the 2nd", today).day == date(2026, 3, 2)


@pytest.mark.parametrize("text, expected", [
    ("called maya singh sat no answer", date(2026, 3, 14)),     # a name, then the day
    ("emailed her this morning to check in about wednesday, no reply yet",
     date(2026, 3, 16)),                                         # wednesday is the topic
    ("she sat in the car", None),
])
def test_the_day_a_report_names(text, expected):
    from reconnect.guidance.dates import past_date
    assert past_date(text, date(2026, 3, 16)).day == expected


@pytest.mark.parametrize("said, expected", [
    ("in 10 days like i said", date(2026, 12, 10)),
    ("in 2 wks pls", date(2026, 12, 14)),
    ("thursday 10th", date(2026, 12, 10)),
    ("thu the 10th", date(2026, 12, 10)),
    ("friday 10th", date(2027, 9, 10)),        # the next 10th that is a Friday
    ("December 10", date(2026, 12, 10)),
    ("12/10", date(2026, 12, 10)),
])
def test_follow_up_answers_as_therapists_type_them(said, expected):
    from reconnect.guidance.dates import follow_up_date
    assert follow_up_date(said, date(2026, 11, 30)) == expected


@pytest.mark.parametrize("said", ["like i said", "saturday the 32nd", "whenever"])
def test_follow_up_answers_with_no_date_are_asked_again(said):
    from reconnect.guidance.dates import follow_up_date
    assert follow_up_date(said, date(2026, 11, 30)) is None


def test_a_day_said_in_a_correction_is_a_day_and_a_sitting_is_not():
    from reconnect.guidance.dates import past_date
    today = date(2026, 3, 16)
    assert past_date("the call was sat actually", today).day == date(2026, 3, 14)
    assert past_date("it was wed not thurs", today).day == date(2026, 3, 11)
    assert past_date("she was sat in the car all morning", today).day is None

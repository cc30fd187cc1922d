"""The attendance analysis, with plain data."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from reconnect.guidance.attendance import Rule, current_run, find_patterns, summarize
from tests.guidance.plain import Appt

NOW = datetime(2026, 3, 16, 0, 0)  # a Monday, start of the clinic day
RULE = Rule(consecutive=2, in_window=3, window_days=90)


def days_ago(n: int, hour: int = 9, **kw) -> datetime:
    return NOW - timedelta(days=n) + timedelta(hours=hour)


def test_a_client_with_no_appointments():
    s = summarize([], NOW, RULE)
    assert not s.has_history
    assert s.total.booked == 0 and s.window.booked == 0
    assert s.current_run == 0
    assert s.last_attended is None and s.next_booked is None
    assert s.patterns == ()
    assert s.amount_owed == Decimal("0.00")
    assert not s.verdict.chronic


def test_window_counts_only_the_last_90_days_including_today_and_not_the_future():
    appts = [
        Appt(days_ago(89), "no_show"),      # first day of the window
        Appt(days_ago(90), "no_show"),      # one day before it
        Appt(days_ago(10), "attended"),
        Appt(days_ago(3), "late_cancel"),
        Appt(days_ago(2), "cancelled"),
        Appt(NOW + timedelta(hours=15), "scheduled"),
        Appt(NOW + timedelta(days=7), "scheduled"),
    ]
    s = summarize(appts, NOW, RULE, window_days=90)
    assert (s.window.attended, s.window.no_show, s.window.late_cancel, s.window.cancelled) == (
        1, 1, 1, 1)
    assert (s.total.no_show, s.total.booked) == (2, 5)
    assert s.next_booked == NOW + timedelta(hours=15)


def test_run_counts_no_shows_since_last_attended_and_skips_cancellations():
    appts = [Appt(days_ago(30), "attended"), Appt(days_ago(21), "no_show"),
             Appt(days_ago(14), "late_cancel"), Appt(days_ago(10), "cancelled"),
             Appt(days_ago(7), "no_show"), Appt(days_ago(1), "no_show")]
    assert current_run(appts) == 3
    # An attended session ends the run, wherever it falls in the list.
    assert current_run(appts + [Appt(days_ago(0, hour=-1), "attended")]) == 0
    assert current_run([Appt(days_ago(5), "no_show"), Appt(days_ago(2), "attended")]) == 0


def test_last_attended_and_next_booked():
    appts = [Appt(days_ago(40), "attended"), Appt(days_ago(20), "attended"),
             Appt(days_ago(6), "no_show"), Appt(NOW + timedelta(days=9), "scheduled"),
             Appt(NOW + timedelta(days=2), "scheduled", modality="telehealth")]
    s = summarize(appts, NOW, RULE)
    assert s.last_attended == days_ago(20)
    assert s.next_booked == NOW + timedelta(days=2)
    assert s.next_booked_modality == "telehealth"


def test_a_past_booking_without_an_outcome_is_reported_not_counted():
    s = summarize([Appt(days_ago(3), "scheduled")], NOW, RULE)
    assert s.unrecorded == 1
    assert s.total.booked == 0
    assert s.next_booked is None


@pytest.mark.parametrize("statuses, chronic, reason", [
    (["attended", "no_show", "no_show"], True, "2 consecutive no-shows"),
    (["no_show", "attended", "no_show", "attended", "no_show", "attended"], True,
     "3 no-shows in the last 90 days"),
    (["no_show", "attended", "no_show", "attended"], False, None),
    (["attended"] * 5, False, None),
])
def test_verdict_follows_the_clinic_rule(statuses, chronic, reason):
    appts = [Appt(days_ago(7 * (len(statuses) - i)), st) for i, st in enumerate(statuses)]
    s = summarize(appts, NOW, RULE)
    assert s.verdict.chronic is chronic
    if reason:
        assert reason in s.verdict.describe()
    assert RULE.describe() in s.verdict.describe()


def test_verdict_uses_a_stricter_configured_rule():
    appts = [Appt(days_ago(14), "attended"), Appt(days_ago(7), "no_show"),
             Appt(days_ago(1), "no_show")]
    assert summarize(appts, NOW, RULE).verdict.chronic
    strict = Rule(consecutive=3, in_window=4, window_days=30)
    verdict = summarize(appts, NOW, strict).verdict
    assert not verdict.chronic
    assert "3 consecutive no-shows, or 4 in 30 days" in verdict.describe()


def test_no_shows_older_than_the_rule_window_do_not_make_it_chronic():
    appts = [Appt(days_ago(200 - 7 * i), "no_show") for i in range(3)]
    appts += [Appt(days_ago(30), "attended")]
    s = summarize(appts, NOW, RULE)
    assert s.no_shows_in_rule_window == 0
    assert not s.verdict.chronic


def _weekly(weekday_offset: int, weeks: int, status_for, modality="in_person", hour=9):
    # Sessions on a fixed weekday: NOW is a Monday, so offset 0 is Monday, 3 is Thursday.
    return [Appt(NOW - timedelta(weeks=w) + timedelta(days=weekday_offset, hours=hour),
                 status_for(w), modality) for w in range(1, weeks + 1)]


def test_misses_clustered_on_one_weekday():
    mondays = _weekly(0, 8, lambda w: "no_show" if w % 4 else "attended")   # 6 of 8 missed
    thursdays = _weekly(3, 8, lambda w: "no_show" if w == 5 else "attended", hour=17)
    patterns = find_patterns(mondays + thursdays)
    weekday = [p for p in patterns if p.dimension == "weekday"]
    assert len(weekday) == 1
    p = weekday[0]
    assert (p.group, p.missed, p.total, p.other_missed, p.other_total) == (
        "Monday", 6, 8, 1, 8)
    assert p.describe() == "missed 6 of 8 sessions on Mondays, against 1 of 8 on other days"


def test_misses_clustered_in_one_modality():
    video = _weekly(1, 6, lambda w: "late_cancel" if w % 2 else "no_show", "telehealth")
    office = _weekly(1, 6, lambda w: "attended", hour=10)
    patterns = {p.dimension: p for p in find_patterns(video + office)}
    assert patterns["modality"].group == "telehealth"
    assert patterns["modality"].missed == 6
    assert "time of day" not in patterns  # both are mornings: nothing to compare


def test_no_pattern_from_too_few_misses_or_an_even_spread():
    few = _weekly(0, 4, lambda w: "no_show" if w < 3 else "attended") + _weekly(
        2, 4, lambda w: "attended")
    assert find_patterns(few) == ()  # only 2 misses
    even = _weekly(0, 8, lambda w: "no_show" if w % 2 else "attended") + _weekly(
        2, 8, lambda w: "no_show" if w % 2 else "attended")
    assert [p for p in find_patterns(even) if p.dimension == "weekday"] == []


def test_amount_owed_sums_unpaid_balances_only():
    appts = [
        Appt(days_ago(30), "attended", fee_charged=Decimal("150.00"), fee_paid=Decimal("150.00")),
        Appt(days_ago(23), "no_show", fee_charged=Decimal("75.00"), fee_paid=None),
        Appt(days_ago(16), "attended", fee_charged=Decimal("150.00"), fee_paid=Decimal("100.00")),
        # Overpaid sessions do not cancel out debts elsewhere.
        Appt(days_ago(9), "attended", fee_charged=Decimal("30.00"), fee_paid=Decimal("40.00")),
        Appt(days_ago(2), "cancelled"),
    ]
    assert summarize(appts, NOW, RULE).amount_owed == Decimal("125.00")


def test_attended_slots_are_the_most_kept():
    appts = _weekly(3, 5, lambda w: "attended", hour=17) + _weekly(0, 5, lambda w: (
        "attended" if w == 1 else "no_show"))
    s = summarize(appts, NOW, RULE)
    assert s.attended_slots[0] == ("Thursday", "17:00", 5)
    assert ("Monday", "09:00", 1) in s.attended_slots


def test_no_pattern_when_almost_every_session_is_in_one_group():
    # 16 of 43 Friday sessions missed against 0 of 4 moved to other days: the "pattern" is
    # just the client's usual slot.
    fridays = _weekly(4, 43, lambda w: "no_show" if w % 3 == 0 and w < 48 else "attended")
    moved = _weekly(1, 4, lambda w: "attended", hour=9)
    assert [p for p in find_patterns(fridays + moved) if p.dimension == "weekday"] == []


def test_one_set_of_sessions_is_reported_once():
    # Every Monday session is at 09:00 and every other at 17:00: weekday and time of day are
    # the same pattern, so only one is given.
    mondays = _weekly(0, 8, lambda w: "no_show" if w % 4 else "attended")
    thursdays = _weekly(3, 8, lambda w: "attended", hour=17)
    patterns = find_patterns(mondays + thursdays)
    assert len(patterns) == 1
    assert patterns[0].describe() == (
        "missed 6 of 8 sessions on Mondays, against 0 of 8 on other days")


def test_modality_and_time_of_day_read_naturally():
    video = _weekly(1, 6, lambda w: "no_show", "telehealth", hour=18)
    office = _weekly(1, 6, lambda w: "attended", hour=18)  # same days and times
    [p] = [p for p in find_patterns(video + office) if p.dimension == "modality"]
    assert p.describe() == "missed 6 of 6 telehealth sessions, against 0 of 6 in other modalities"


def test_a_change_after_a_long_run_of_kept_sessions_is_told_and_its_slot_never_offered():
    from reconnect.guidance.drafts import kept_times
    from reconnect.guidance.summary_text import render_summary
    from tests.guidance.test_safety import Client

    # Every Monday 09:00 for 20 weeks, kept; then the last 6 Mondays 09:00 missed.
    mondays = [datetime(2026, 3, 9, 9, 0) - timedelta(weeks=w) for w in range(26)]
    appts = [Appt(start, "no_show" if w < 6 else "attended") for w, start in enumerate(mondays)]
    s = summarize(appts, NOW, RULE)
    assert s.recent_change == (20, 20, mondays[6].date())
    text = render_summary(Client(), s)
    assert "kept 20 of 20 sessions until Mon 26 Jan 2026, then missed the last 6" in text
    assert kept_times(s) == []          # Mondays at 9am is where the misses are now
    # A client who misses now and then shows no change.
    mixed = [Appt(start, "no_show" if w % 3 == 0 else "attended")
             for w, start in enumerate(mondays)]
    assert summarize(mixed, NOW, RULE).recent_change is None

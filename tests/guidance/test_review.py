"""When the review of whether therapy still fits is offered."""
from datetime import date, datetime, timedelta

from reconnect.guidance.attendance import Rule, summarize
from reconnect.guidance.history import PlanRecord
from reconnect.guidance.review import ReviewThreshold, first_session, review_reasons
from tests.guidance.plain import Appt

NOW = datetime(2026, 3, 16)
RULE = ReviewThreshold(consecutive=3, weeks_absent_after_plan=4)


def _summary(statuses):
    appts = [Appt(NOW - timedelta(weeks=len(statuses) - i), s) for i, s in enumerate(statuses)]
    return appts, summarize(appts, NOW, Rule())


def _plan(created: date) -> PlanRecord:
    return PlanRecord(created, ("Call her",), "therapist", created + timedelta(days=7), "open")


def test_three_consecutive_no_shows_reach_the_threshold():
    _, s = _summary(["attended", "no_show", "no_show", "no_show"])
    assert review_reasons(s, [], RULE) == [
        "3 consecutive no-shows (clinic threshold: 3)"]
    _, s = _summary(["attended", "no_show", "no_show"])
    assert review_reasons(s, [], RULE) == []


def test_weeks_without_a_kept_session_after_a_plan():
    # Last kept session Mon 2 Feb; plan agreed Tue 10 Feb; only misses and cancellations since.
    _, s = _summary(["attended", "no_show", "no_show", "cancelled", "late_cancel", "cancelled"])
    reasons = review_reasons(s, [_plan(date(2026, 2, 10))], RULE)
    assert reasons == ["no kept session in the 4 weeks since the plan of Tue 10 Feb 2026 "
                       "(clinic threshold: 4 weeks)"]
    assert review_reasons(s, [_plan(date(2026, 2, 20))], RULE) == []  # only 3 weeks
    # A session kept after the plan: no review.
    appts, s = _summary(["no_show", "no_show", "attended"])
    assert review_reasons(s, [_plan(date(2026, 2, 1))], RULE) == []


def test_first_session():
    appts, _ = _summary(["no_show", "attended", "attended"])
    assert first_session(appts) == (NOW - timedelta(weeks=2)).date()
    assert first_session([]) is None

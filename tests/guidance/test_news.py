"""A fresh miss is news: told apart from other messages."""
import pytest

from reconnect.guidance.news import tells_a_miss


@pytest.mark.parametrize("text, miss", [
    ("ugh she no-showed AGAIN this morning", True),
    ("he didn't show today", True),
    ("missed again, third time", True),
    ("the thursday slot worked, she came", False),
    ("called her, no answer", False),
])
def test_a_miss_is_told_apart(text, miss):
    assert tells_a_miss(text) is miss


def test_a_miss_not_yet_recorded_is_counted_only_as_what_it_would_make():
    from datetime import datetime, timedelta

    from reconnect.guidance.attendance import Rule, summarize
    from reconnect.guidance.news import miss_news
    from reconnect.guidance.review import ReviewThreshold
    from tests.guidance.plain import Appt

    now = datetime(2026, 3, 16, 14, 0)
    appointments = [Appt(now - timedelta(days=14, hours=2), "attended"),
                    Appt(now - timedelta(days=7, hours=2), "no_show"),
                    Appt(now - timedelta(hours=2), "scheduled")]   # today 12:00, not recorded
    rule = Rule(consecutive=2, in_window=3, window_days=90)
    summary = summarize(appointments, now, rule)
    text = miss_news("Luis Herrera", summary, appointments, now.date(), ReviewThreshold(), rule)
    assert "Today's 12:00 session for Luis Herrera is not recorded yet" in text
    assert "As recorded: 1 consecutive no-show; not a chronic pattern" in text
    assert ("Once today's is recorded as a no-show: 2 in a row, a chronic pattern by the clinic "
            "rule (2 consecutive no-shows, or 3 in 90 days).") in text
    assert "Next: reach out without judgement" in text

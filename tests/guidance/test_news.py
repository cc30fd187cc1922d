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

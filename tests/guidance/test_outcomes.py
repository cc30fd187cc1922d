"""Reading outcomes and outreach attempts from a therapist's words."""
import pytest

from reconnect.guidance.outcomes import outcome_of, outreach_of


@pytest.mark.parametrize("text, expected", [
    ("she came back, the Thursday slot worked", "worked"),
    ("the telehealth switch helped a lot", "worked"),
    ("didn't work, still no-showing", "did_not_work"),
    ("no change, he hasn't come in", "did_not_work"),
    ("partly, she came once", "partly"),
    ("better but still hit and miss", "partly"),
    ("not sure yet", None),
])
def test_plan_outcomes(text, expected):
    assert outcome_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("I called her, no answer", ("phone", "no_answer")),
    ("left a voicemail this morning", ("phone", "left_message")),  # a call, message left
    ("sent the text yesterday, nothing back", ("sms", "no_answer")),
    ("reached him by phone", ("phone", "reached")),
    ("emailed her the new times", ("email", "sent")),
    ("she texted back, coming thursday", ("sms", "reached")),
    ("tried again, nothing", (None, "no_answer")),
])
def test_outreach_attempts(text, expected):
    assert outreach_of(text) == expected

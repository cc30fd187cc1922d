"""Reading outcomes and outreach attempts from a therapist's words."""
from datetime import date

import pytest

from reconnect.guidance.outcomes import outcome_of, outreach_of, read_attempt


@pytest.mark.parametrize("text, expected", [
    ("she came back, the Thursday slot worked", "worked"),
    ("the telehealth switch helped a lot", "worked"),
    ("didn't work, still no-showing", "did_not_work"),
    ("no change, he hasn't come in", "did_not_work"),
    ("partly, she came once", "partly"),
    ("wait no, it did work, she came friday", "worked"),
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
    ("texted her, oh wait she did text back", ("sms", "reached")),
    ("tried again, nothing", (None, "no_answer")),
])
def test_outreach_attempts(text, expected):
    assert outreach_of(text) == expected


TODAY = date(2026, 3, 16)


@pytest.mark.parametrize("text, expected", [
    ("called her tues, no pickup. then emailed fri, nothing back",
     [(date(2026, 3, 10), "phone", "no_answer"), (date(2026, 3, 13), "email", "no_answer")]),
    ("rang him, no answer, so I sent a text straight after",
     [(TODAY, "phone", "no_answer"), (TODAY, "sms", "sent")]),
    ("called her mon, no answer, called again wed, left a vm",
     [(date(2026, 3, 9), "phone", "no_answer"), (date(2026, 3, 11), "phone", "left_message")]),
    # One contact, told in several clauses.
    ("phoned him friday, rang out, no vm set up so couldn't leave one",
     [(date(2026, 3, 13), "phone", "no_answer")]),
    ("tried his cell on the 12th, no answer, left a message",
     [(date(2026, 3, 12), "phone", "left_message")]),
    ("left maya chen a voicemail yesterday", [(date(2026, 3, 15), "phone", "left_message")]),
    ("vm left thurs", [(date(2026, 3, 12), "phone", "left_message")]),
    ("txted her wednsday no repsonse", [(date(2026, 3, 11), "sms", "no_answer")]),
    ("I emailed him yesterday, haven't heard anything",
     [(date(2026, 3, 15), "email", "no_answer")]),
    ("dropped her a text just now", [(TODAY, "sms", "sent")]),
    # The therapist's call beside someone else's: only the therapist's is an attempt.
    ("called her this morning, no answer. her mom rang after and said she can't go on",
     [(TODAY, "phone", "no_answer")]),
    ("left him a vm yesterday. his roommate texted me that he's not ok",
     [(date(2026, 3, 15), "phone", "left_message")]),
    ("called the crisis team, then called her, no answer", [(TODAY, "phone", "no_answer")]),
    # Another contact, said as the one before it again.
    ("called fri am, no answer. tried again sat and got her",
     [(date(2026, 3, 13), "phone", "no_answer"), (date(2026, 3, 14), "phone", "reached")]),
    ("lvm 3/11 and again fri, nothing back",
     [(date(2026, 3, 11), "phone", "left_message"), (date(2026, 3, 13), "phone", "left_message")]),
    ("called her tues no answer and vm fri",
     [(date(2026, 3, 10), "phone", "no_answer"), (date(2026, 3, 13), "phone", "left_message")]),
    ("called, no answer, text to follow", [(TODAY, "phone", "no_answer")]),
    ("called her thurs, she picked up, said the reminder texts r helping",
     [(date(2026, 3, 12), "phone", "reached")]),
    ("rang her sat no ans, emailed sun, she emailed back",
     [(date(2026, 3, 14), "phone", "no_answer"), (date(2026, 3, 15), "email", "reached")]),
    ("called her yesterday no answer, left a vm sat too",
     [(date(2026, 3, 15), "phone", "no_answer"), (date(2026, 3, 14), "phone", "left_message")]),
    ("left a vm wed, called again fri, no answer",
     [(date(2026, 3, 11), "phone", "left_message"), (date(2026, 3, 13), "phone", "no_answer")]),
])
def test_the_attempts_a_message_reports(text, expected):
    reading = read_attempt(text, TODAY)
    attempts = [reading.attempt, *reading.more]
    assert [(a.on, a.channel, a.outcome) for a in attempts] == expected


@pytest.mark.parametrize("text", [
    "she emailed me last night saying she won't be coming back",   # the client's own message
    "she left me a voicemail",
    "her sister called me",
    "spoke with Dr Ellis, her safety plan is current, safety is in hand",  # a clinician
    "ok safety is in hand, talked it through w/ sup",
    "ok spoke w sup, reached the sister again, he's with her tonight. safety in hand",
])
def test_contact_from_the_client_or_others_is_no_attempt(text):
    reading = read_attempt(text, TODAY)
    assert reading.attempt is None and not reading.count


@pytest.mark.parametrize("text", [
    "called 3/12 and emailed",              # the e-mail has no day of its own and no result
    "called and emailed her yesterday, no answer",
    "she hasn't responded to 3 calls",
])
def test_unclear_or_counted_attempts_are_asked_one_at_a_time(text):
    assert read_attempt(text, TODAY).count


@pytest.mark.parametrize("text", [
    "undo the text one, i sent it to her old number",
    "actually undo that, the letter is still in my outbox",
    "scratch that",
    "please delete the email",
])
def test_taking_back_is_never_a_new_attempt(text):
    from reconnect.guidance.outcomes import takes_back

    assert takes_back(text)
    assert read_attempt(text, TODAY).attempt is None


@pytest.mark.parametrize("text, reported", [
    # The therapist's own call comes first; the sister is only in what the client said.
    ("cald her thurs, she answered, said she's fine but she's been giving her stuff away to "
     "her sister lately", True),
    ("her sister rang, I called her back and we spoke", True),
    # A colleague or a relative contacted is no attempt to reach the client.
    ("ok called my supervisor, we'll do a risk review at her thurs session", False),
    ("fyi safety is in hand, i spoke to supervisor this am", False),
    ("called her sister yesterday", False),
    ("spoke to her mum tues", False),
])
def test_whose_contact_it_was(text, reported):
    assert (read_attempt(text, TODAY).attempt is not None) is reported


@pytest.mark.parametrize("text, expected", [
    ("txted her 3/9 and again on the 12th, no reply to either",
     [(date(2026, 3, 9), "sms", "no_answer"), (date(2026, 3, 12), "sms", "no_answer")]),
    ("called him sat, no answer, and again yesterday, left a vm",
     [(date(2026, 3, 14), "phone", "no_answer"), (date(2026, 3, 15), "phone", "left_message")]),
    ("emailed him on the 10th, then called yest, no answer to either",
     [(date(2026, 3, 10), "email", "no_answer"), (date(2026, 3, 15), "phone", "no_answer")]),
    ("got her on the phone this morning, she's safe", [(date(2026, 3, 16), "phone", "reached")]),
    # Two days for one verb: a contact on each day; "both times" says how each went.
    ("called him tue and thu, no answer both times",
     [(date(2026, 3, 10), "phone", "no_answer"), (date(2026, 3, 12), "phone", "no_answer")]),
    ("texted her sat, called sun, nothing from either",
     [(date(2026, 3, 14), "sms", "no_answer"), (date(2026, 3, 15), "phone", "no_answer")]),
    # Days that are not the contact's stay out of it.
    ("called her yesterday, she said tue and thu work", [(date(2026, 3, 15), "phone", "reached")]),
])
def test_the_same_channel_again_on_its_own_day_and_how_each_went(text, expected):
    reading = read_attempt(text, TODAY)
    got = [reading.attempt, *reading.more]
    assert [(a.on, a.channel, a.outcome) for a in got] == expected


@pytest.mark.parametrize("text, expected", [
    ("fatima haddad - that plan to call her did not work tbh", "did_not_work"),
    ("rosa's plan wrkd, she came thurs", "worked"),
    ("fatima haddad plan outcome - mixed, partly worked", "partly"),
    ("rosa delgado, telehealth didn't work for her at all", "did_not_work"),
    ("the telehealth idea worked out really well", "worked"),
    ("called her thurs and she picked up, so the plan worked", "worked"),
    ("called her, no luck", None),                      # a call, not a plan
    ("called her, we worked out a new time", None),
    ("did the plan work?", None),                       # a question
    ("plan: I call her thurs, if that fails supervisor reviews", None),  # a new plan
])
def test_an_outcome_told_with_other_words(text, expected):
    from reconnect.guidance.outcomes import told_outcome
    assert told_outcome(text, ["Offer", "telehealth"]) == expected


def test_two_days_for_one_call_with_no_word_of_how_they_went_are_asked_one_at_a_time():
    reading = read_attempt("called him tue and thu", TODAY)
    assert reading.attempt is None and reading.count


def test_days_told_after_a_count_take_the_count_s_channel():
    from reconnect.guidance.outcomes import counted_channel, read_days_after_count

    channel = counted_channel("ethan walsh hasn't picked up my last 2 calls")
    assert channel == "phone"
    reading = read_days_after_count("thurs and sat, no answer both times", TODAY, channel)
    got = [reading.attempt, *reading.more]
    assert [(a.on, a.channel, a.outcome) for a in got] == [
        (date(2026, 3, 12), "phone", "no_answer"), (date(2026, 3, 14), "phone", "no_answer")]
    # No day, a question, or a contact of its own: not an answer to the count.
    for text in ("no answer both times", "what about friday?", "texted her fri, no reply"):
        assert read_days_after_count(text, TODAY, channel).attempt is None


@pytest.mark.parametrize("said, days, outcome", [
    ("left him 2 voicemails, thurs and sat. no call back", [(3, 12), (3, 14)], "left_message"),
    ("called her twice, tue and thu, no answer", [(3, 10), (3, 12)], "no_answer"),
    ("2 calls mon and wed no answer", [(3, 9), (3, 11)], "no_answer"),
])
def test_a_count_told_with_as_many_days_is_an_attempt_on_each(said, days, outcome):
    reading = read_attempt(said, date(2026, 3, 16))
    attempts = [reading.attempt, *reading.more]
    assert [(a.on.month, a.on.day) for a in attempts] == days
    assert {(a.channel, a.outcome) for a in attempts} == {("phone", outcome)}


@pytest.mark.parametrize("said", ["she hasnt responded to 3 calls", "called 3 times, tue and thu",
                                  "has she had 2 calls since tue and thu?"])
def test_a_count_without_a_day_for_each_is_no_attempt(said):
    reading = read_attempt(said, date(2026, 3, 16))
    assert reading.attempt is None


@pytest.mark.parametrize("said, days", [
    ("called him wed, fri and this morning, no answer any of them",
     [(3, 11), (3, 13), (3, 16)]),
    ("left maya patel 2 vms mon and wed, nothing", [(3, 9), (3, 11)]),
])
def test_a_list_of_days_for_one_contact_is_an_attempt_on_each(said, days):
    reading = read_attempt(said, date(2026, 3, 16))
    attempts = [reading.attempt, *reading.more]
    assert [(a.on.month, a.on.day) for a in attempts] == days
    assert len({(a.channel, a.outcome) for a in attempts}) == 1


def test_a_talk_with_a_relative_is_no_attempt():
    assert read_attempt("safety's fine, I spoke w her sister last wk she's ok",
                        date(2026, 3, 16)).attempt is None


def test_an_undo_after_a_hesitation_is_an_undo():
    from reconnect.guidance.outcomes import takes_back
    assert takes_back("hm actually undo that, the vm was to her old number", whole=True)
    assert not takes_back("hm she said undo isn't needed")


def test_another_voicemail_on_a_day_of_its_own_is_a_second_message_left():
    reading = read_attempt("I left him a voicemail wednesday and another friday", date(2026, 3, 16))
    attempts = [reading.attempt, *reading.more]
    assert [(a.on.day, a.outcome) for a in attempts] == [(11, "left_message"), (13, "left_message")]
    # A call again with no word on how it went is still asked, never assumed.
    assert read_attempt("called her tue, no answer, and again thu", date(2026, 3, 16)).count


@pytest.mark.parametrize("text, told", [
    ("vm mon, vm wed", [(9, "left_message"), (11, "left_message")]),
    ("vm'd her monday", [(9, "left_message")]),
    ("called tue, vm", [(10, "left_message")]),
    ("called mon and wed, vm both times", [(9, "left_message"), (11, "left_message")]),
    ("called him mon - vm, texted wed no reply", [(9, "left_message"), (11, "no_answer")]),
])
def test_a_voicemail_in_shorthand_is_a_message_left(text, told):
    reading = read_attempt(text, date(2026, 3, 16))
    assert [(a.on.day, a.outcome) for a in [reading.attempt, *reading.more]] == told


@pytest.mark.parametrize("text", ["her vm is full", "did I leave a vm?", "vm box full"])
def test_a_voicemail_box_or_a_question_is_no_message_left(text):
    reading = read_attempt(text, date(2026, 3, 16))
    assert reading.attempt is None or reading.attempt.outcome != "left_message"


def test_how_the_client_is_can_only_come_from_reaching_them():
    today = date(2026, 3, 16)
    assert read_attempt("I called him this morning, he's ok, just busy with work",
                        today).attempt.outcome == "reached"
    assert read_attempt("called her, no answer, she's probably fine",
                        today).attempt.outcome == "no_answer"
    assert read_attempt("called her mum, she's ok", today).attempt is None


@pytest.mark.parametrize("text, told", [
    # the day the contact was made, not the day of the reply
    ("texted noah kim saturday and he texted back yesterday", [(14, "sms", "reached")]),
    ("called noah kim thurs, no pickup, so I texted him straight after - he replied fri",
     [(12, "phone", "no_answer"), (12, "sms", "reached")]),
    ("texted her, she replied yesterday", [(15, "sms", "reached")]),
    # a voicemail on a day of its own is another contact, and stays a message left
    ("called maya chen tues no answer, left her a vm wed, then texted thurs - nothing back "
     "from any of it", [(10, "phone", "no_answer"), (11, "phone", "left_message"),
                        (12, "sms", "no_answer")]),
    # a contact named by its noun
    ("txt to kat morales 3/12, no response. emailed her 3/14 too, nothing",
     [(12, "sms", "no_answer"), (14, "email", "no_answer")]),
])
def test_each_contact_on_its_own_day(text, told):
    reading = read_attempt(text, date(2026, 3, 16))
    assert [(a.on.day, a.channel, a.outcome) for a in [reading.attempt, *reading.more]] == told


@pytest.mark.parametrize("text", [
    "talked it through with a colleague, police did a welfare check tonight, she's safe",
    "spoke to a colleague about her this morning"])
def test_a_talk_with_a_colleague_is_no_attempt(text):
    assert read_attempt(text, date(2026, 3, 16)).attempt is None


def test_a_contact_named_as_what_it_sent_is_no_report():
    today = date(2026, 3, 16)
    assert read_attempt("she picks a new day by wed (from the options I emailed); front desk "
                        "rebooks her", today).attempt is None
    reading = read_attempt("the letter we sent in january came back, so I called her today, "
                           "no answer", today)
    assert (reading.attempt.channel, reading.attempt.outcome, reading.more) == (
        "phone", "no_answer", ())


def test_a_message_left_with_no_day_of_its_own_is_how_the_call_went():
    reading = read_attempt("emailed him weds, no reply. also tried calling fri, straight to "
                           "voicemail, left a msg", date(2026, 3, 16))
    assert [(a.on.day, a.channel, a.outcome) for a in [reading.attempt, *reading.more]] == [
        (11, "email", "no_answer"), (13, "phone", "left_message")]


@pytest.mark.parametrize("text, expected", [
    # note-style shorthand: LM, NA, nada; contacts apart by " / "
    ("maya patel - txt 3/11 no reply, called her fri LM",
     [(date(2026, 3, 11), "sms", "no_answer"), (date(2026, 3, 13), "phone", "left_message")]),
    ("called thurs NA / txt fri no reply / LM this morning",
     [(date(2026, 3, 12), "phone", "no_answer"), (date(2026, 3, 13), "sms", "no_answer"),
      (date(2026, 3, 16), "phone", "left_message")]),
    ("vm the 9th, txt 3/12, nada from him",
     [(date(2026, 3, 9), "phone", "left_message"), (date(2026, 3, 12), "sms", "no_answer")]),
    # how both went, said before a third contact
    ("called luis herrera tues + thurs, NA both times. mailed him a letter this am",
     [(date(2026, 3, 10), "phone", "no_answer"), (date(2026, 3, 12), "phone", "no_answer"),
      (date(2026, 3, 16), "letter", "sent")]),
    # each channel on its own day, and no reply to either
    ("tried grace nakamura by text tues and email thurs, nothing from her",
     [(date(2026, 3, 10), "sms", "no_answer"), (date(2026, 3, 12), "email", "no_answer")]),
    ("emailed him thurs, no reply, and called fri, NA",
     [(date(2026, 3, 12), "email", "no_answer"), (date(2026, 3, 13), "phone", "no_answer")]),
    # the client's reply: the contact reached them
    ("kat morales texted me back sat", [(date(2026, 3, 14), "sms", "reached")]),
    ("ellen brooks: LM fri about moving her wed session",
     [(date(2026, 3, 13), "phone", "left_message")]),
])
def test_contacts_told_in_note_style(text, expected):
    reading = read_attempt(text, date(2026, 3, 16))
    told = [reading.attempt, *reading.more]
    assert [(a.on, a.channel, a.outcome) for a in told] == expected


def test_na_in_lower_case_is_no_shorthand():
    reading = read_attempt("called her thurs, na she didn't pick up", date(2026, 3, 16))
    assert reading.attempt.outcome == "no_answer"  # from "didn't pick up", not "na"
    assert read_attempt("called her thurs, na", date(2026, 3, 16)).attempt.outcome is None


def test_an_outcome_told_in_everyday_words():
    from reconnect.guidance.outcomes import told_outcome
    assert told_outcome("fatima haddad's back, calling her did the trick", ["Call", "her"]) == (
        "worked")
    assert told_outcome("calling her worked, she's back in her sessions", ["Call", "her"]) == (
        "worked")
    assert told_outcome("called her, no luck", ["Call", "her"]) is None


@pytest.mark.parametrize("text, expected", [
    # "sat" after a contact with someone is the day, not the verb
    ("texted maya chen sat about rescheduling and she wrote back", (date(2026, 3, 14), "sms", "reached")),
    ("left amara nwosu a vm sat to confirm tuesday's video",
     (date(2026, 3, 14), "phone", "left_message")),
    # a day said after the contact's own words is another matter's
    ("I left her a voicemail this morning since she no-showed wed, first miss in ages.",
     (date(2026, 3, 16), "phone", "left_message")),
    ("called luis herrera this morning and actually got him!! going forward FD texts him the "
     "day before each session. f/u 3/30", (date(2026, 3, 16), "phone", "reached")),
    ("rang ethan walsh fri, he picked up. denies SI/HI, just overslept for the 9:30 on the 2nd",
     (date(2026, 3, 13), "phone", "reached")),
    # how it went, in more words
    ("I tried to phone Maya Chen on Thursday 12, nobody was answering.",
     (date(2026, 3, 12), "phone", "no_answer")),
    ("emailed sam greene this am about his intake - he's already written back",
     (date(2026, 3, 16), "email", "reached")),
    ("I have called Mateo Alvarez on Friday, he did not answer.",
     (date(2026, 3, 13), "phone", "no_answer")),
    ("letter to julia santos went out fri", (date(2026, 3, 13), "letter", "sent")),
])
def test_the_day_and_result_of_a_contact_told_among_other_news(text, expected):
    reading = read_attempt(text, date(2026, 3, 16))
    assert reading.more == ()
    assert (reading.attempt.on, reading.attempt.channel, reading.attempt.outcome) == expected


def test_a_plan_outcome_in_everyday_words():
    from reconnect.guidance.outcomes import told_outcome
    assert told_outcome("so yes the plan did its job, she hasn't missed one since") == "worked"
    assert told_outcome("Rosa Delgado - plan outcome: partial. Attended 3/12") == "partly"


@pytest.mark.parametrize("text", [
    "has anyone tried reaching her already?", "what's been tried?",
    "jordan lee - what's been tried so far?"])
def test_a_question_about_what_was_done_reports_nothing(text):
    reading = read_attempt(text, date(2026, 3, 16))
    assert reading.attempt is None and not reading.count


def test_a_question_first_reports_nothing_and_a_contact_named_for_its_day_keeps_the_channel():
    from reconnect.guidance.outcomes import Attempt, amend_attempt
    assert read_attempt("how much does he owe us now? billing pinged me",
                        date(2026, 3, 16)).attempt is None
    letter = Attempt(date(2026, 3, 16), "letter", "sent")
    changed, ok = amend_attempt(letter, "it was sent fri actually, same day as the email",
                                date(2026, 3, 16))
    assert ok and (changed.on, changed.channel) == (date(2026, 3, 13), "letter")

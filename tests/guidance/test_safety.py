"""Risk first: detection in the therapist's words, when the safety steps are due, and what
they say for this client."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

import pytest

from reconnect.guidance.attendance import Rule, summarize
from reconnect.guidance.contacts import ClinicContacts
from reconnect.guidance.safety import (
    contact_channels,
    forces_safety_gate,
    mentions_risk,
    needs_safety_first,
    raises_concern,
    risk_mentions,
    safety_steps,
)
from tests.guidance.plain import BRIEF_FIGURES, NOW, Appt, numbers


@dataclass(frozen=True)
class Client:
    first_name: str = "Jordan"
    last_name: str = "Lee"
    preferred_name: Optional[str] = None
    risk_level: str = "none"
    last_risk_review: Optional[date] = date(2025, 11, 16)
    sms_consent: bool = False
    email_consent: bool = True
    phone_consent: bool = True
    emergency_contact_on_file: bool = True
    payer: str = "commercial"
    status: str = "active"

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"


US = ClinicContacts("Reconnect demo clinic", "(555) 010-1000",
                   "988 Suicide & Crisis Lifeline (call or text 988)", "911")


def summary_with_last_attended(days_ago: Optional[int], no_shows: int = 2):
    appts = []
    if days_ago is not None:
        appts.append(Appt(NOW - timedelta(days=days_ago) + timedelta(hours=8), "attended"))
    for i in range(no_shows):
        appts.append(Appt(NOW - timedelta(days=7 * i + 1), "no_show"))
    return summarize(appts, NOW, Rule())


@pytest.mark.parametrize("text", [
    "He no-showed today and isn't answering. Last week he talked about hopelessness.",
    "She said she feels hopeless about everything",
    "history of suicide attempts",
    "he was suicidal in the autumn",
    "denies SI but I'm not sure",
    "passive ideation last session",
    "she has been self-harming again",
    "self harm history",
    "cutting herself again",
    "said he wants to die",
    "told me she'd be better off dead",
    "he doesn't want to live anymore",
    "she told me she has nothing left to live for",
    "he keeps saying he wants it all to stop",
    "worried he might hurt himself",
    "she took an overdose last year",
    "he's in crisis",
    "I have safety concerns",
    "I'm worried about her safety",
    "she's not safe at home",
    "should I request a welfare check?",
])
def test_risk_words_are_detected(text):
    assert mentions_risk(text), text


@pytest.mark.parametrize("text", [
    "safety plan reviewed last month",
    "she's missed 3 of her last 5, how do I raise it?",
    "he says he can't afford weekly sessions",
    "money is a financial crisis for them right now, so financial crisis it is",
    "at risk of losing his job",
    "Hi, can you pull up Dana?",
    "si, she is from Spain",          # lower-case "si" is not the abbreviation
    "kill time before the appointment",
    "he sounded tired and busy",
    "she wants it all to be on fridays",
    "he lives for his kids, nothing stops him but shifts",
    "ok now draft the closing letter just in case tues doesnt happen",
    "book the room just in case",
    "",
])
def test_ordinary_words_are_not_risk(text):
    assert not mentions_risk(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text, raised", [
    ("she was never suicidal, that was years ago", False),
    ("he was never at risk", False),
    ("denies SI", False),
    ("she is not at risk", False),
    ("no self-harm", False),
    ("denies SI but I'm not sure", True),
    ("no self-harm but she is hopeless", True),
    ("client denies si, reports hopelessness", True),
    ("her sister says she has been talking about ending it", True),
    ("he is not safe", True),
    ("not sure, but she might be suicidal", True),
])
def test_a_concern_is_raised_unless_every_mention_is_denied(text, raised):
    assert mentions_risk(text)
    assert raises_concern(text) is raised, text


def test_risk_mentions_say_what_the_words_speak_of():
    assert risk_mentions("talked about hopelessness and suicide") == ["hopelessness", "suicide"]


def test_an_elevated_or_high_risk_flag_always_puts_safety_first():
    s = summary_with_last_attended(3)
    for level in ("elevated", "high"):
        reasons = needs_safety_first(Client(risk_level=level), s)
        assert any(level in r for r in reasons)


def test_the_therapists_words_put_safety_first_even_without_a_flag():
    s = summary_with_last_attended(3)
    assert needs_safety_first(Client(risk_level="none"), s, "how do I raise it?") == []
    reasons = needs_safety_first(Client(risk_level="none"), s, "he mentioned hopelessness")
    assert reasons and "hopelessness" in reasons[0]


def test_a_risk_history_and_three_weeks_absent_puts_safety_first():
    low = Client(risk_level="low")
    assert needs_safety_first(low, summary_with_last_attended(10)) == []
    reasons = needs_safety_first(low, summary_with_last_attended(22))
    assert len(reasons) == 1
    assert "22 days ago" in reasons[0] and "low" in reasons[0]
    # Exactly three weeks counts.
    assert needs_safety_first(low, summary_with_last_attended(21))
    # Never attended, with no-shows: absent too.
    assert needs_safety_first(low, summary_with_last_attended(None, no_shows=2))
    # No risk history: a long absence alone is an attendance matter, not a safety one.
    assert needs_safety_first(Client(risk_level="none"), summary_with_last_attended(60)) == []
    # Never attended and never missed: nothing to be absent from.
    assert needs_safety_first(low, summary_with_last_attended(None, no_shows=0)) == []


def test_safety_steps_are_concrete_from_the_record():
    client = Client(risk_level="elevated", sms_consent=False, email_consent=True,
                    phone_consent=True, emergency_contact_on_file=True)
    s = summary_with_last_attended(48)
    reasons = needs_safety_first(client, s, "last week he talked about hopelessness")
    text = safety_steps(client, s, reasons, US)
    assert text.startswith("Safety first for Jordan Lee, before anything administrative.")
    assert "risk last reviewed Sun 16 Nov 2025" in text
    assert "hopelessness" in text
    # Only the consented channels are offered.
    contact = next(line for line in text.splitlines() if "channels consented to" in line)
    assert "phone" in contact and "e-mail" in contact and "text message" not in contact
    assert "Emergency contact: one is on file" in text
    assert "supervisor" in text
    assert "welfare check" in text and "(911)" in text
    assert "988 Suicide & Crisis Lifeline" in text
    assert "Document" in text
    assert "McQueenie et al., BMC Medicine 2019" in text
    assert "Motto & Bostrom" in text
    assert "decision support, not a risk assessment" in text
    assert text.splitlines()[-1] == "Tell me when you have safety in hand and we'll go on."
    # Nothing administrative in the safety steps.
    for word in ("fee", "$", "balance", "discharge", "close the file"):
        assert word not in text
    assert all(line.startswith("- ") for line in text.splitlines()[1:-3])


def test_safety_steps_without_review_consent_or_emergency_contact_say_so():
    client = Client(risk_level="high", last_risk_review=None, sms_consent=False,
                    email_consent=False, phone_consent=False, emergency_contact_on_file=False)
    s = summary_with_last_attended(5)
    text = safety_steps(client, s, needs_safety_first(client, s), US)
    assert "no risk review is on record" in text
    assert "No text, phone or e-mail consent is on file" in text
    assert "letter" in text
    assert "Emergency contact: none on file" in text
    assert contact_channels(client) == []


def test_the_clinics_crisis_line_is_used_as_configured():
    client = Client(risk_level="high")
    s = summary_with_last_attended(5)
    us = safety_steps(client, s, ["x"], US)
    assert "Crisis line to give the client: 988 Suicide & Crisis Lifeline" in us
    assert "emergency services (911)" in us
    # Another country's numbers, as configured; no US number added.
    uk = ClinicContacts("Riverside Clinic", "020 7946 0000", "Samaritans (call 116 123)", "999")
    local = safety_steps(client, s, ["x"], uk)
    assert "Samaritans (call 116 123)" in local and "emergency services (999)" in local
    assert "988" not in local and "911" not in local


def test_safety_steps_invent_no_numbers():
    client = Client(risk_level="low", last_risk_review=date(2026, 1, 15))
    s = summary_with_last_attended(34)
    text = safety_steps(client, s, needs_safety_first(client, s, "she sounded hopeless"), US)
    record = numbers("Thu 15 Jan 2026 60 days 8 weeks Tue 10 Feb 2026 34 days 4 weeks 2 no-shows")
    assert numbers(text) <= BRIEF_FIGURES | record, numbers(text) - BRIEF_FIGURES - record


def test_the_guidance_layer_stays_pure():
    import reconnect.guidance.drafts as drafts
    import reconnect.guidance.opening as opening
    import reconnect.guidance.options as options
    import reconnect.guidance.safety as safety
    for module in (safety, opening, options, drafts):
        source = open(module.__file__, encoding="utf-8").read()
        for banned in ("rasa", "rasa_sdk", "sqlalchemy", "reconnect.records"):
            assert not re.search(rf"^\s*(from|import)\s+{re.escape(banned)}\b", source, re.M), (
                module.__name__, banned)
        assert module.__doc__, module.__name__


def test_a_negative_screen_does_not_force_the_gate_but_the_record_still_does():
    s = summary_with_last_attended(3)
    assert needs_safety_first(Client(risk_level="none"), s, "denies SI, no safety concerns") == []
    assert needs_safety_first(Client(risk_level="none"), s, "denies SI but I'm not sure")
    reasons = needs_safety_first(Client(risk_level="high"), s, "denies SI")
    assert reasons == ["risk level on record is high"]


def test_the_safety_rule_is_the_clinics():
    from reconnect.guidance.safety import SafetyRule

    s = summary_with_last_attended(15)
    assert needs_safety_first(Client(risk_level="low"), s) == []          # 15 days < 21
    shorter = SafetyRule(absence_days=14)
    assert needs_safety_first(Client(risk_level="low"), s, rule=shorter)
    wider = SafetyRule(levels=("low", "elevated", "high"))
    assert needs_safety_first(Client(risk_level="low"), summary_with_last_attended(1),
                              rule=wider) == ["risk level on record is low"]


@pytest.mark.parametrize("text", [
    "she keeps saying the family would be better off without her",
    "he's been giving away his guitar and his records",
    "mum found she'd been stockpiling her sleeping pills",
    "he bought a handgun last week",
    "she wrote notes to her kids just in case",
    "he was sitting in the car with the engine running in the garage",
    "she's been googling how many tablets it takes",
    "voices are telling him to hurt himself",
    "he's weirdly calm since the breakup, says he's at peace with everything",
    "she took a handful of painkillers on saturday",
    "putting his affairs in order, asked who gets his dog",
])
def test_indirect_warning_signs_put_safety_first(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "denies SI/HI",
    "SI denied, mood ok",
    "screened negative for SI today",
    "no hx of self-harm",
    "need CE hours on suicide risk assessment",
    "she's killing it at work",
    "he said goodbye to his old job",
    "she doesn't want to wake up early for the 8am slot",
    "he's giving up on the gym",
])
def test_screens_idioms_and_topics_do_not_force_the_gate(text):
    assert not forces_safety_gate(text), (text, risk_mentions(text))


# --- The language model's reading, beside the words -------------------------------------------

def _parse(risk: float, top: str = "inform_barrier") -> dict:
    ranking = [{"name": top, "confidence": 1 - risk}, {"name": "report_risk_concern",
                                                       "confidence": risk}]
    return {"intent": ranking[0] if top != "report_risk_concern" else ranking[1],
            "intent_ranking": ranking}


def test_the_models_reading_brings_the_steps_when_no_word_of_risk_is_there():
    from reconnect.guidance.safety import model_reads_risk, speaks_of_risk

    text = "she wrote that she has had enough and wants it to stop"
    assert not forces_safety_gate(text)
    assert model_reads_risk(_parse(0.25), 0.2)
    assert speaks_of_risk(text, _parse(0.25), 0.2)  # ranked second, still enough
    assert not speaks_of_risk(text, _parse(0.1), 0.2)
    assert not speaks_of_risk(text, _parse(0.9), 0.0)  # 0 turns the model's reading off
    assert not speaks_of_risk(text, None, 0.2)  # no parse: the words alone
    # After the fallback the risk concern keeps its own confidence in the ranking.
    fallback = {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                                   {"name": "report_risk_concern", "confidence": 0.45}]}
    assert speaks_of_risk(text, fallback, 0.2)


def test_a_negative_screen_stays_negative_whatever_the_model_reads():
    from reconnect.guidance.safety import speaks_of_risk

    screen = "denies SI, no safety concerns today"
    assert not speaks_of_risk(screen, _parse(0.95, top="report_risk_concern"), 0.2)
    assert speaks_of_risk("she said she wants to die", _parse(0.0), 0.2)  # the words decide



# --- More warning signs, and the words that only sound like them -------------------------------

@pytest.mark.parametrize("text", [
    "his brother says he's become a drain on everyone",               # a burden
    "nobody would even notice, she told her friend",
    "says she's tired of living",                                     # no reason to live
    "at her last session she said she feels like giving up on everything",
    "last session he mentioned not wanting to wake up some mornings",  # a wish to be dead
    "hmm also she said tues she'd been looking up ways to do it online",  # researching means
    "he won't be around much longer, he told his dad",
    "her last message said sorry for everything",                     # farewells
    "wrote letters to his kids and left them in a drawer",
    "he's been handing out his tools to the neighbours",              # giving things away
    "she rehomed her cats last week, no reason",
    "mum found a stash of tablets in the wardrobe",                   # means
    "he has access to a rifle at his uncle's",
    "the police say she looked up the height of the bridge",
    "counted out all her pills on the table",                         # rehearsal
    "tied a belt round the door to test it",
    "after months of low mood he's suddenly calm and upbeat",         # sudden calm
    "she says she's made her peace, it'll all be over soon",
    "took 20 codeine on friday, in A&E",                              # a recent attempt
    "found him unconscious on saturday",
    "SH again this week",                                             # self-harm
    "punching walls till he bleeds",
    "CAH telling her to jump",                                        # command hallucinations
    "the voice says he deserves to die",
    "said he'll kill him if he sees him again",                       # threats to others
    "HI toward his manager",
    "updated her will and sorted her life insurance, she's 30",       # affairs in order
    "asked her sister who'd get the dog when she's gone",
])
def test_more_warning_signs_force_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "neither SI nor HI",
    "asked about suicide: no",
    "doesn't have any thoughts of ending his life",
    "hx of overdose in 2014, none since",                             # history that is over
    "self-harmed as a teen, stopped years ago",
    "old SH scars, nothing recent",
    "long history of cutting but none in the last 3 years",
    "I'll shoot him a text",                                          # idioms
    "his mum would kill him if he skipped school",
    "she's been roped in to cover shifts",
    "the self-harm support group moved to mondays",                   # topics of work
    "who's on the crisis rota tonight",
    "saying her farewells to the team friday, new job",
    "farewell for now",
    "burned his hand on the oven at work",                            # ordinary reasons
    "the cat died on sunday, she's ok",
    "her gun licence renewal clashes with tuesday",
])
def test_screens_history_idioms_and_ordinary_reasons_do_not_force_the_gate(text):
    assert not forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "hx of OD in 2015, and took another one last night",   # history, then something recent
    "denies SI. her mum found a stash of pills",            # a screen, then a disclosure
    "no safety concerns last time; today rope in the boot",
    "tied a rope in the shed",                              # "rope in" the idiom needs a person
    "overdose in march, heard nothing since",               # silence is not recovery
])
def test_a_disclosure_beside_a_screen_or_history_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "pt denied any thoughts of self harm",
    "hx of SI in 2019, resolved",
    "she'd kill for an evening slot",
    "it's a dead end trying to reach him by phone",
    "her pharmacy ran out of her meds, GP sorting it",
    "the dog died last week, she's coping",
])
def test_the_models_reading_is_set_aside_when_a_screen_or_idiom_explains_the_message(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not speaks_of_risk(text, _parse(0.99, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "denies SI, but her sister found goodbye texts",
    "no safety concerns on the screen; then she said sorry, she won't need the sessions",
    "killing it at work, and she keeps talking about letting go, wrote something to her kids",
    "she's not coping and wants it all to go quiet",
    "the dog died; now she's saying she wants to be with him",
])
def test_the_models_reading_stands_beside_a_screen_or_idiom_when_another_part_could_be_risk(
        text):
    from reconnect.guidance.safety import speaks_of_risk

    assert speaks_of_risk(text, _parse(0.5, top="report_risk_concern"), 0.2), text


# --- History the words place long ago and say is over ------------------------------------------

@pytest.mark.parametrize("text", [
    "attempt in her late teens, she's 45 now, no SI for decades",
    "OD at 19, now 50, no recurrence",
    "cutting hx (age 13-15), none in 20 yrs, no urges",
    "remote hx of overdose, nothing since",
    "past SA in 2009, nil since; C-SSRS recent: no",
    "self-harmed at school, none as an adult",
    "overdose back in 2005, fully recovered, now works as a nurse",
    "hospitalised after an attempt in 2011, no SI/SH since 2012",
])
def test_long_ago_history_that_is_over_does_not_force_the_gate(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.99, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "OD at 19, now 50, took another last week",
    "SH hx as a teen, none in 20 yrs, but she wants to die",
    "hx of OD 2012, none since, but he keeps saying he wants to end it",
    "not in a good place, took a handful of pills",
    "no SI for years until this week",
])
def test_history_beside_anything_recent_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


# --- Idioms and ordinary life the model over-reads ---------------------------------------------

@pytest.mark.parametrize("text", [
    "I could murder a coffee, third no-show this morning",            # idioms
    "so tired I'm dead on my feet, can you pull up his record",
    "she laughed so hard at the quiz she nearly died, then forgot her slot",
    "her boss will hang her out to dry if she leaves early again",
    "he bombed his driving test and skipped the session to sulk",
    "his side got thrashed on sunday so he stayed at the pub",
    "I'd die for a lie-in, anyway she wants to rebook",
    "broke his wrist skateboarding, can't drive till it heals",       # illness and injury
    "had a root canal, on painkillers, cancelled",
    "stomach bug, been throwing up since last night, wants to rebook",
    "missing sessions because her dad is in hospital",
    "GP upped her sertraline dose and she's groggy in the mornings",  # a GP's dose change
    "said goodbye to his son who's off to university abroad",         # goodbyes to people leaving
    "her retirement party is on the day of the session",
    "we're planning an ending, she wants to stop therapy in june",    # endings of therapy
])
def test_idioms_and_ordinary_life_do_not_bring_the_steps(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "she laughed about it but says she nearly died, took 30 tablets",
    "team got thrashed and he says he wants to die",
    "broke his wrist punching the wall, says he wants to end it",
    "her dad is in hospital and she's been cutting herself again",
    "said goodbye to his son like it was the last time, gave him his watch",
    "she wants to stop therapy because she won't need it where she's going",
])
def test_a_disclosure_beside_an_idiom_or_ordinary_reason_still_counts(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert speaks_of_risk(text, _parse(0.5, top="report_risk_concern"), 0.2), text


# --- Negative screens as clinicians write them, and risk as a topic of work --------------------

@pytest.mark.parametrize("text", [
    "asked directly about SI: flatly denied. just fed up with the bus",
    "C-SSRS all no, she's bored of therapy",
    "PHQ-9 item 9 = 0, missing because of exams",
    "no SI/HI, no SH, sleep is better, night shifts are the issue",
    "checked: no thoughts of harming himself, says he's fine",
    "risk: low. no SI. his nan is in hospital so he's been away",
    "asked about suicide, she said no",
    "presenting on self-harm at the team meeting, what's our DNA rate?",  # topics of work
    "is 'suicide risk' a mandatory field on the new intake?",
    "a paper about suicide and disengagement, do you have it?",
])
def test_screens_and_topics_of_work_do_not_bring_the_steps(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "C-SSRS all no, but her partner found a rope in the car",
    "asked about SI: denied, not sure I believe her",
    "she keeps talking about suicide",
    "he's been reading about suicide methods online",
    "bought a shotgun, no reason given",
])
def test_a_screen_or_topic_beside_a_disclosure_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


# --- Farewells, researching means, rehearsal, settling up, threats -----------------------------

@pytest.mark.parametrize("text", [
    "his text said it's the last time we'll hear from him",                  # farewells
    "she told her brother she wanted to hug the kids in case she doesn't see them again",
    "voicemail: thank you for trying, you did all you could",
    "posted 'bye everyone' on his story at 3am",
    "he asked the pharmacist how many paracetamol would be too many",        # researching means
    "she wanted to know what a whole packet would do",
    "bought codeine in three different chemists on the same day",
    "looked up the times of the non-stopping trains at the local station",
    "she went back to the spot she'd chosen and sat there",                  # rehearsal
    "he has worked out where he'd do it",
    "keeps walking to the cliffs at night and standing there",
    "timed the drive to the bridge",
    "cancelled her phone and gym, won't say why",                            # settling up
    "gave up his flat with nowhere to go and stopped answering",
    "wants to settle all her debts this week, very flat",
    "asked about becoming an organ donor and seemed detached",
    "said he'd smash his landlord's face in",                                # threats
    "SH+ on the last screen",                                                # shorthand
])
def test_farewells_means_rehearsal_settling_up_and_threats_force_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "that was the last time I'll see her before the summer break",
    "thanks for trying to fit me in earlier, see you thursday",
    "asked how many sessions would be left on her plan",
    "how much would the late cancellation fee be",
    "she took the fast train and still missed the start",
    "drove to the river for a picnic with the kids, forgot the session",
    "cancelled her phone contract because she found a cheaper deal",
    "gave notice on her flat, moving in with her partner",
    "the place she picked for the group outing is closed",
    "I'll do them tomorrow, the forms I mean",
])
def test_ordinary_words_near_those_signs_do_not_force_the_gate(text):
    assert not forces_safety_gate(text), (text, risk_mentions(text))


# --- History placed long ago beside a negative screen; doubt after a screen --------------------

@pytest.mark.parametrize("text", [
    "overdose 12 years ago, denies current SI",
    "cut herself as a teenager, no SH or SI on screening",
    "attempt back in uni, C-SSRS all no",
])
def test_long_ago_history_beside_a_negative_screen_does_not_bring_the_steps(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "overdose 12 years ago, denies SI but her mum found pills in her bag",
    "cut herself as a teenager, denies SH, cutting again last month",
    "attempt years ago and wants to die now",
])
def test_long_ago_history_with_doubt_or_anything_recent_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


def test_doubt_after_a_screen_keeps_the_models_reading():
    from reconnect.guidance.safety import speaks_of_risk

    risky = _parse(0.6, top="report_risk_concern")
    assert speaks_of_risk("denies SI, but her flatmate thinks something is badly off", risky, 0.2)
    assert speaks_of_risk("no SI/HI; however her partner rang in tears", risky, 0.2)
    assert not speaks_of_risk("denies SI, however she's otherwise fine", risky, 0.2)
    assert not speaks_of_risk("denies SI, however keeps missing sessions", risky, 0.2)


@pytest.mark.parametrize("text", [
    "her grandad passed away, she's at the funeral tuesday",       # bereavement
    "in hospital with appendicitis, will call to rebook",          # illness
    "denies SI; she will call back over the phone at the end of the month",
    "how do I document self-harm on the new intake?",              # how-to and topics
    "what are the suicide rates for men in their 40s",
])
def test_more_ordinary_words_do_not_bring_the_steps(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.2), text


@pytest.mark.parametrize("text", [
    "her grandad died and she says she wants to be with him",
    "he told his sister they'd all be happier without him",        # a burden
    "says she's a waste of space and not worth your time",
    "after months of low mood she's strangely cheerful this week",  # sudden calm
    "his wife says his mood lifted overnight",
    "she asked what happens if you take the whole box",            # researching means
    "searched for painless ways to go",
    "bought loads of paracetamol at the weekend",
])
def test_more_warning_words_force_the_gate(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert speaks_of_risk(text, _parse(0.6, top="report_risk_concern"), 0.2), text
    if "grandad" not in text:
        assert forces_safety_gate(text), (text, risk_mentions(text))


# --- Someone else's news, goodbyes at a planned ending, screens answered "no" -----------------

@pytest.mark.parametrize("text", [
    "his flatmate overdosed last month and he's been shaken since",   # someone else's news
    "her colleague died by suicide in the spring, she's processing it",
    "a student of hers has been self-harming, she wants advice for school",
    "we said goodbye at the end of our final session, lovely ending",  # an ending of therapy
    "booked a closing appointment to say goodbye properly",
    "she said goodbye and asked for a transfer to the clinic near her new job",
    "I asked him about suicide and he said no",                       # a screen answered no
    "asked about self harm, and she answered no",
    "history of cutting at school, nothing for eleven years",         # history that is over
    "self harm in her teens, none for fifteen years",
    "sorting her will after the wedding, asked to move tuesday",      # a will beside life
    "his gun licence renewal clashes with the session",
    "is there a form of words for asking about suicide on a call",   # a topic of work
])
def test_someone_elses_news_endings_and_answered_screens_do_not_force_the_gate(text):
    assert not forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "her son overdosed on sunday",                  # a relative's report names the client so
    "he said goodbye to me and said he won't need anyone after this",
    "asked about suicide and she said no one would miss her",
    "asked about suicide and said no point in living",
    "a client overdosed last night, what do I do",   # the therapist's own client
    "talked about suicide then said no more",
    "self harm in her teens, none for ten years, but started again this week",
    "she wishes she had never been born",           # new warning words
    "says he's outstayed his welcome in this world",
    "he can't think of a reason to get up any more",
    "she told me she can't carry on",
    "recent suicide attempt, GP letter arrived today",
    "fresh scratches on her forearms again",
    "he's applied for a shotgun licence since the breakup",
])
def test_a_relatives_report_doubt_and_more_warning_words_still_force_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "her husband will strangle her if she's late for the school run again",   # idioms
    "he could've murdered his brother for losing the car keys",
    "the update killed the browser tab so I restarted",
    "she'll hang on till a morning slot opens",
    "he's at the end of his tether with the housing office",
    "she's hooked on a crime podcast and stayed up late",
    "the pharmacy mixed up her order, all sorted",                          # ordinary reasons
    "her sister died in the spring and she's had a hard week",
    "the funeral is on friday so she'll miss the session",
    "she's visiting her dad in hospital every evening",
    "went to collect her repeat prescription",
    "they're giving away the puppies this weekend",
])
def test_more_idioms_and_ordinary_reasons_do_not_force_the_gate(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.1), text


@pytest.mark.parametrize("text", [
    "she's planned her own funeral for next week",                # not a dated funeral
    "wrote that this is the last you'll hear from her",           # new warning words
    "she hears her late mum calling her to come and join her",
    "he hears a man instructing him to hurt the baby",
    "asked which of her tablets would be fatal",
    "tried to borrow his dad's shotgun",
    "has fantasies about stabbing his manager",
])
def test_a_dated_own_funeral_and_more_warning_words_force_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


def test_an_idiom_beside_a_word_near_risk_keeps_the_models_reading():
    from reconnect.guidance.safety import speaks_of_risk

    text = "his boss will murder him, he says, and he's bought a knife"
    assert not forces_safety_gate(text)
    assert speaks_of_risk(text, _parse(0.5, top="report_risk_concern"), 0.1)
    # a relative's death explains the missed week, not a wish to join them
    text = "her brother died in may, and she has talked about joining him"
    assert speaks_of_risk(text, _parse(0.5, top="report_risk_concern"), 0.1)


@pytest.mark.parametrize("text", [
    "one attempt at college, well for over a decade",           # history the words say is over
    "hx SH, last incident 2012",
    "overdosed once in her teens, nothing like that since",
    "prior SI, none current",
    "self harm in the past, nil recent",
    "suicidal thoughts years back, none now",
    "used to self harm but hasn't for years",
    "history of suicidal thoughts, none in the last year",
    "asked about suicidal thoughts and he denied them",          # screens answered after
    "asked about thoughts of harming herself - she said no",
    "SI in the past, currently denies",
])
def test_more_resolved_history_and_screens_do_not_force_the_gate(text):
    from reconnect.guidance.safety import speaks_of_risk

    assert not forces_safety_gate(text), (text, risk_mentions(text))
    assert not speaks_of_risk(text, _parse(0.9, top="report_risk_concern"), 0.1), text


@pytest.mark.parametrize("text", [
    "overdose in march, heard nothing since",
    "SH last week, none now?",
    "self harmed yesterday but hasn't for years before that",
    "asked about suicidal thoughts and he denied them, but his wife found a note",
])
def test_recent_history_or_doubt_beside_those_words_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "previous OD aged 19, now 40 and settled",                  # history beside a present that
    "hx of SH x3 (2008, 2010), no active SI",                   # is well
    "past overdose, protective factors strong, denies current SI",
    "the cutting is behind her now",
    "prior SI, the last time was over a decade ago",
    "self harm history but has been well for 7 years",
    "former self-harmer, clean for 4 years",
])
def test_history_beside_a_present_that_is_well_does_not_force_the_gate(text):
    assert not forces_safety_gate(text), (text, risk_mentions(text))


@pytest.mark.parametrize("text", [
    "took an overdose on friday, medically stable",             # medically stable is not over
    "previous OD, now well, but she took another last night",
    "she's had thoughts of suicide in the past few days",
    "no recent contact and her mum says she's self harming",
])
def test_a_recent_event_beside_those_words_still_forces_the_gate(text):
    assert forces_safety_gate(text), (text, risk_mentions(text))


def test_no_point_to_any_of_it_is_heard():
    from reconnect.guidance.safety import raises_concern
    assert raises_concern("his partner says he keeps saying theres no point to any of it")
    assert not raises_concern("no point calling her before 10")


@pytest.mark.parametrize("text, by", [
    ("her sister rang, says she has been talking about ending it", "relative"),
    ("mum is worried she is suicidal", "relative"),
    ("per her GP she overdosed last week", "other"),
    ("front desk said he sounded suicidal on the phone", "other"),
    # Named, but telling nothing: the therapist heard it.
    ("she said she's been reading up how many of her sleeping pills it would take, and add "
     "that the front desk sends her a reminder", "therapist"),
    ("she told me she wants to die, her sister is away", "therapist"),
])
def test_the_reporter_is_the_one_who_tells(text, by):
    from reconnect.guidance.safety import reported_by
    assert reported_by(text) == by

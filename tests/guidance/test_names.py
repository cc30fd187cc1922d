"""Matching a typed name to the therapist's own clients."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pytest

from reconnect.guidance.names import match_clients, names_in_text, only_a_name


@dataclass
class C:
    id: str
    first_name: str
    last_name: str
    preferred_name: Optional[str] = None


CASELOAD = [
    C("C001", "Dana", "Whitfield"),
    C("C002", "Maya", "Patel"),
    C("C003", "Maya", "Chen"),
    C("C006", "Katherine", "Morales", "Kat"),
    C("C010", "José", "Álvarez"),
    C("C011", "Ann", "Lee"),
]


def ids(matches):
    return [m.client_id for m in matches]


@pytest.mark.parametrize("typed, expected", [
    ("Dana Whitfield", ["C001"]),
    ("dana whitfield", ["C001"]),
    ("Dana", ["C001"]),
    ("Whitfield", ["C001"]),
    ("Dana Whitfeild", ["C001"]),          # small misspelling
    ("Whitfield, Dana", ["C001"]),
    ("Dana's", ["C001"]),
    ("Kat", ["C006"]),                     # preferred name
    ("Katherine Morales", ["C006"]),
    ("kat morales", ["C006"]),
    ("Kathrine", ["C006"]),
    ("K. Morales", ["C006"]),
    ("jose alvarez", ["C010"]),            # accents do not matter
    ("Maya Patel", ["C002"]),
    ("maya chen", ["C003"]),
])
def test_one_client_is_found(typed, expected):
    assert ids(match_clients(typed, CASELOAD)) == expected


def test_a_shared_first_name_returns_every_client_who_has_it():
    assert sorted(ids(match_clients("Maya", CASELOAD))) == ["C002", "C003"]


@pytest.mark.parametrize("typed", ["Dan", "Anne Whitman", "Mary", "Noah Kim", "", "the"])
def test_other_names_find_nobody(typed):
    assert match_clients(typed, CASELOAD) == []


def test_short_names_must_match_exactly():
    assert ids(match_clients("Ann", CASELOAD)) == ["C011"]
    assert match_clients("Dan", CASELOAD) == []


def test_only_the_given_caseload_is_searched():
    others = [C("C099", "Dana", "Ortiz")]
    assert ids(match_clients("Dana", CASELOAD)) == ["C001"]
    assert match_clients("Dana Whitfield", others) == []


@pytest.mark.parametrize("text, expected", [
    ("pull up dana pls", ["C001"]),
    ("how many has whitfield missed", ["C001"]),
    ("attendance for kat morales", ["C006"]),
    ("check on maya chen's record", ["C003"]),
    ("show me the attendance", []),
    ("has she missed a lot lately", []),
])
def test_names_found_in_free_text(text, expected):
    assert ids(names_in_text(text, CASELOAD)) == expected


@pytest.mark.parametrize("typed, expected", [
    ("Maya P", ["C002"]),
    ("the other Maya", ["C002", "C003"]),
    ("Ms Whitfield", ["C001"]),
    ("Dana Whitman", []),   # a full name must fit in full
])
def test_initials_titles_and_full_names(typed, expected):
    assert sorted(ids(match_clients(typed, CASELOAD))) == expected


@pytest.mark.parametrize("text, expected", [
    ("Whitfield", ["C001"]),
    ("kat morales please", ["C006"]),
    ("it's Maya", ["C003", "C002"]),
    ("client josé álvarez", ["C010"]),
    ("asdf", []),
    ("can Dana Whitfield come off her meds cold turkey", []),   # mentions a client
    ("who won the game last night", []),
])
def test_a_message_that_is_only_a_clients_name(text, expected):
    assert sorted(ids(only_a_name(text, CASELOAD))) == sorted(expected)


def test_a_first_name_with_a_surname_nobody_has_is_another_person():
    from reconnect.guidance.names import unmatched_full_name
    caseload = CASELOAD
    assert unmatched_full_name("maya singh", caseload) == "maya singh"
    assert unmatched_full_name("maya patel", caseload) is None
    assert unmatched_full_name("pull up maya", caseload) is None
    assert unmatched_full_name("maya said she can't come", caseload) is None
    # A plan step with the client as its subject names no one else.
    assert unmatched_full_name("dana brings her pay stubs thurs", caseload) is None
    assert unmatched_full_name("kat sets a phone calendar alert", caseload) is None
    assert unmatched_full_name("her daughter says maya keeps saying everyone would be better "
                               "off without her", caseload) is None


def test_a_surname_of_another_caseload_is_quoted_as_asked():
    from reconnect.guidance.names import unknown_surname

    clinic = ["Whitfield", "Patel", "Chen", "Kim", "Ortiz"]
    assert unknown_surname("pull up noah kim", CASELOAD, clinic) == "noah kim"
    assert unknown_surname("does ortiz owe anything", CASELOAD, clinic) == "ortiz"
    assert unknown_surname("does whitfield owe anything", CASELOAD, clinic) is None


def test_a_name_spacy_found_loses_its_dates():
    from reconnect.guidance.names import name_words

    assert name_words("dana wed 25 nov") == ["dana"]
    assert name_words("jamal carter") == ["jamal", "carter"]


def test_a_name_in_a_clients_place_keeps_no_words_of_courtesy():
    from reconnect.guidance.names import addressed_name

    assert addressed_name("pull up Dana Ortiz please") == "dana ortiz"
    assert addressed_name("pull up dana please") == "dana"
    assert addressed_name("closing letter for jamal carter, thanks") == "jamal carter"
    assert addressed_name("pull up Dana Ortiz") == "dana ortiz"


def test_after_a_first_name_a_date_verb_or_contraction_is_no_surname():
    from reconnect.guidance.names import unmatched_full_name

    for text in ("dana wed 25 nov", "dana didn't come", "dana seems off", "dana again",
                 "dana w", "dana from tuesday"):
        assert unmatched_full_name(text, CASELOAD) is None, text


@pytest.mark.parametrize("span, name", [
    ("rang - kwame", "kwame"), ("called Dana", "Dana"), ("Dana Whitfield", "Dana Whitfield"),
    ("Dr. Ellis", "Dr. Ellis"), ("tomorrow", None)])
def test_a_name_tagged_across_other_words_is_cut_to_the_name(span, name):
    from reconnect.guidance.names import name_of_span
    assert name_of_span(span) == name

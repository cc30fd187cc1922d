"""Slips in the words a record is read from are mended; real words never are."""
from __future__ import annotations

import pytest

from reconnect.guidance.typos import mend_typos


@pytest.mark.parametrize("typed, meant", [
    ("txted her wednsday no repsonse", "texted her wednesday no response"),
    ("cald him thurs no answr", "called him thurs no answer"),
    ("emialed her yestrday", "emailed her yesterday"),
    ("left a mesage frday", "left a message friday"),
    ("thrusday", "thursday"),
    ("no responce", "no response"),  # one slip from "response", two from "responded"
])
def test_slips_in_the_key_words_are_mended(typed, meant):
    assert mend_typos(typed) == meant


@pytest.mark.parametrize("text", [
    "mailed him a letter",          # not "emailed"
    "she sent letters",             # a plural, not a slip
    "she calmed down once I tested the latter",
    "he is doing better and hearing back soon",
    "called her tuesday, no answer",
    "Maya Chen",                    # names are never touched
])
def test_real_words_stay_as_typed(text):
    assert mend_typos(text) == text

"""The domain, data and action code agree with each other."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def _action_sources() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "actions").rglob("*.py"))


def _data_sources() -> str:
    return "\n".join(p.read_text() for p in (ROOT / "data").rglob("*.yml"))


def test_every_response_the_actions_utter_is_in_the_domain():
    responses = set(_domain()["responses"])
    used = set(re.findall(r'"(utter_[a-z_]+)"', _action_sources()))
    assert used, "the actions utter no domain responses?"
    assert used - responses == set()


def test_every_response_is_used_by_a_rule_story_or_action():
    # rasa data validate warns about responses only custom actions use; this check knows both.
    text = _action_sources() + _data_sources()
    domain = _domain()
    # Forms ask for slot `x` with utter_ask_x.
    asked = {f"utter_ask_{slot}" for form in domain.get("forms", {}).values()
             for slot in form["required_slots"]}
    # Responses named from data: f"utter_back_to_{step}", f"utter_outcome_recorded_{outcome}".
    prefixes = tuple(re.findall(r'f"(utter_[a-z_]+)\{', text))
    unused = [name for name in domain["responses"]
              if name not in text and name not in asked and not name.startswith(prefixes)]
    assert unused == []


def test_every_response_named_from_data_is_in_the_domain():
    from actions.conversation import WALKTHROUGH_STEPS
    from actions.plan import OUTCOMES

    responses = set(_domain()["responses"])
    assert {f"utter_back_to_{step}" for step in WALKTHROUGH_STEPS} <= responses
    assert {f"utter_outcome_recorded_{outcome}" for outcome in OUTCOMES} <= responses


def test_every_custom_action_in_the_domain_is_implemented():
    from tests.action_classes import concrete_actions

    implemented = {cls().name() for cls in concrete_actions()}
    declared = set(_domain()["actions"])
    assert declared == implemented


def test_dialogue_test_files_are_named_so_rasa_test_reads_them():
    # `rasa test --e2e` silently skips story files whose names do not start with "test_".
    files = list((ROOT / "tests" / "stories").glob("*.yml"))
    assert files
    assert all(f.name.startswith("test_") for f in files)

"""The linear knowledge-answer selector, trained and loaded through Rasa's component interfaces,
and read by Rasa's own retrieval action the way it reads ResponseSelector's choice."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reconnect.nlu.linear_response import LinearResponseSelector
from tests.nlu.test_linear_intent import pipeline  # noqa: F401  (the shared featurizers)

FAQ = {
    "faq/reminders": ["do reminders help", "should we send text reminders",
                      "are appointment reminders worth it", "do sms reminders cut no shows"],
    "faq/telehealth": ["does telehealth help attendance", "is video better for no shows",
                       "should I offer sessions online", "do virtual sessions get missed less"],
    "faq/dropout": ["how many clients drop out", "what is the dropout rate",
                    "how common is dropping out of therapy", "dropout figures please"],
}
OTHER = {"greet": ["hi", "hello there", "hey"], "thank": ["thanks", "cheers", "ty"]}
RESPONSES = {f"utter_{key}": [{"text": f"Answer about {key.split('/')[1]}."}] for key in FAQ}


def _training_data(featurize) -> TrainingData:
    keys = [key for key, texts in FAQ.items() for _ in texts]
    messages = [Message.build(text=t, intent="faq") for texts in FAQ.values() for t in texts]
    messages += [Message.build(text=t, intent=i) for i, ts in OTHER.items() for t in ts]
    featurize(messages, training=True)
    for message, key in zip(messages, keys, strict=False):
        message.set("intent_response_key", key)  # as Rasa's reader sets it for "faq/..."
    return TrainingData(messages, responses=RESPONSES)


def _trained(pipeline, name: str) -> LinearResponseSelector:  # noqa: F811
    storage, context, featurize, _ = pipeline
    selector = LinearResponseSelector.create(
        {**LinearResponseSelector.get_default_config()}, storage, Resource(name), context)
    selector.train(_training_data(featurize))
    return selector


def _select(pipeline, selector, text: str) -> dict:  # noqa: F811
    _, _, featurize, _ = pipeline
    [message] = selector.process(featurize([Message.build(text=text)]))
    return message.as_dict_nlu()


def test_it_picks_the_answer_and_ranks_only_that_retrieval_intents_answers(pipeline):  # noqa: F811
    selector = _trained(pipeline, "faq_seen")
    result = _select(pipeline, selector, "do text reminders help")
    choice = result["response_selector"]["faq"]
    assert choice["response"]["intent_response_key"] == "faq/reminders"
    assert choice["response"]["utter_action"] == "utter_faq/reminders"
    assert choice["response"]["responses"] == RESPONSES["utter_faq/reminders"]
    keys = [r["intent_response_key"] for r in choice["ranking"]]
    assert sorted(keys) == sorted(FAQ)  # greet and thank are not answers
    assert sum(r["confidence"] for r in choice["ranking"]) == pytest.approx(1.0)
    assert result["response_selector"]["all_retrieval_intents"] == ["faq"]
    assert _select(pipeline, selector, "is video better")["response_selector"]["faq"][
        "response"]["intent_response_key"] == "faq/telehealth"


def test_it_leaves_the_intent_to_the_intent_classifier(pipeline):  # noqa: F811
    selector = _trained(pipeline, "faq_intent")
    _, _, featurize, _ = pipeline
    [message] = featurize([Message.build(text="do reminders help")])
    message.set("intent", {"name": "faq", "confidence": 0.9})
    [message] = selector.process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 0.9}


def test_a_loaded_selector_chooses_what_the_trained_one_did(pipeline):  # noqa: F811
    storage, context, _, _ = pipeline
    trained = _trained(pipeline, "faq_persisted")
    loaded = LinearResponseSelector.load(
        {**LinearResponseSelector.get_default_config()}, storage, Resource("faq_persisted"),
        context)
    for text in ("dropout rate?", "online sessions", "reminder texts"):
        assert (_select(pipeline, loaded, text)["response_selector"]
                == _select(pipeline, trained, text)["response_selector"]), text


def test_rasas_retrieval_action_answers_with_the_chosen_response(pipeline):  # noqa: F811
    selector = _trained(pipeline, "faq_action")
    parse = _select(pipeline, selector, "what's the dropout rate")
    parse["intent"] = {"name": "faq", "confidence": 0.95}
    domain = Domain.from_dict({"intents": ["faq"], "responses": RESPONSES,
                               "actions": ["utter_faq"]})
    tracker = DialogueStateTracker.from_events("t", [UserUttered(parse["text"], parse["intent"],
                                                                 parse_data=parse)])
    events = asyncio.run(ActionRetrieveResponse("utter_faq").run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
        tracker, domain))
    assert [e.text for e in events] == ["Answer about dropout."]


def test_it_needs_a_retrieval_intent():
    with pytest.raises(ValueError):
        LinearResponseSelector.validate_config(
            {**LinearResponseSelector.get_default_config(), "retrieval_intent": ""})


def _trained_with(pipeline, name: str, **config) -> LinearResponseSelector:  # noqa: F811
    storage, context, featurize, _ = pipeline
    selector = LinearResponseSelector.create(
        {**LinearResponseSelector.get_default_config(), **config}, storage, Resource(name),
        context)
    selector.train(_training_data(featurize))
    return selector


def _parsed_as(pipeline, selector, text: str, intent: str) -> dict:  # noqa: F811
    _, _, featurize, _ = pipeline
    [message] = featurize([Message.build(text=text)])
    message.set("intent", {"name": intent, "confidence": 0.9}, add_to_output=True)
    message.set("intent_ranking", [{"name": intent, "confidence": 0.9},
                                   {"name": "greet", "confidence": 0.1}], add_to_output=True)
    [message] = selector.process([message])
    return message.as_dict_nlu()


def test_an_unsure_answer_makes_the_assistant_ask_instead_of_guessing(pipeline):  # noqa: F811
    # No answer of this small model reaches 0.99: every knowledge question is asked back.
    selector = _trained_with(pipeline, "faq_unsure", fallback_threshold=0.99)
    result = _parsed_as(pipeline, selector, "do text reminders help", "faq")
    assert result["intent"] == {"name": "nlu_fallback", "confidence": 0.99}
    # What was weighed stays readable: the intent ranking and the answers' ranking.
    assert result["intent_ranking"][0]["name"] == "faq"
    choice = result["response_selector"]["faq"]
    assert choice["response"]["intent_response_key"] == "faq/reminders"


def test_two_close_answers_make_the_assistant_ask(pipeline):  # noqa: F811
    # A margin of 1.0 can never be met: the top answer is always "too close" to the second.
    selector = _trained_with(pipeline, "faq_close", ambiguity_threshold=1.0)
    result = _parsed_as(pipeline, selector, "do text reminders help", "faq")
    assert result["intent"]["name"] == "nlu_fallback"


def test_a_confident_answer_is_given(pipeline):  # noqa: F811
    selector = _trained_with(pipeline, "faq_sure", fallback_threshold=0.2,
                             ambiguity_threshold=0.05)
    result = _parsed_as(pipeline, selector, "what is the dropout rate", "faq")
    assert result["intent"] == {"name": "faq", "confidence": 0.9}


def test_the_fallback_leaves_other_intents_alone(pipeline):  # noqa: F811
    selector = _trained_with(pipeline, "faq_other", fallback_threshold=0.99,
                             ambiguity_threshold=1.0)
    result = _parsed_as(pipeline, selector, "hello there", "greet")
    assert result["intent"] == {"name": "greet", "confidence": 0.9}


def test_by_default_the_answer_is_given_however_unsure(pipeline):  # noqa: F811
    selector = _trained(pipeline, "faq_default")
    result = _parsed_as(pipeline, selector, "reminders or video", "faq")
    assert result["intent"] == {"name": "faq", "confidence": 0.9}


@pytest.mark.parametrize("key", ["fallback_threshold", "ambiguity_threshold"])
def test_the_fallback_thresholds_are_probabilities(key):
    with pytest.raises(ValueError):
        LinearResponseSelector.validate_config(
            {**LinearResponseSelector.get_default_config(), key: 1.5})

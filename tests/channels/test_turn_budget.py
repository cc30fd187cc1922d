"""One message's calls to the action server share one time budget: a hung action server costs a
turn the budget once, not once per custom action the turn's rules run (an answer, then "back
to where we were"). Real HTTP calls through Rasa's own `RemoteAction` to a server on loopback
that accepts the call and never answers."""
from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from reconnect.channels.faults import limit_action_calls, turn_budget

PER_CALL = 1.0      # seconds, the per-call timeout and the budget of a turn


async def _server(handler) -> tuple:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/webhook"


async def _hang(request: web.Request) -> web.Response:
    await asyncio.sleep(60)
    return web.json_response({})


async def _answer(request: web.Request) -> web.Response:
    body = await request.json()
    return web.json_response({"events": [], "responses": [{"text": body["next_action"]}]})


async def _call(action: RemoteAction) -> float:
    started = time.monotonic()
    with pytest.raises((RasaException, asyncio.TimeoutError)):
        await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                         DialogueStateTracker("budget", []), Domain.empty())
    return time.monotonic() - started


@pytest.fixture(autouse=True)
def _short_limit():
    limit_action_calls(PER_CALL)
    yield
    limit_action_calls()


def test_three_calls_on_a_hung_server_cost_one_budget_in_a_turn():
    async def scenario() -> list:
        runner, url = await _server(_hang)
        try:
            endpoint = EndpointConfig(url)
            with turn_budget():
                return [await _call(RemoteAction(name, endpoint))
                        for name in ("action_clinic_policy", "action_resume_walkthrough",
                                     "action_summarise_client")]
        finally:
            await runner.cleanup()

    first, second, third = asyncio.run(scenario())
    assert PER_CALL * 0.8 < first < PER_CALL * 1.5
    # The later calls fail at once: the action server already timed out on this message.
    assert second < 0.2 and third < 0.2


def test_a_new_turn_gets_a_new_budget():
    async def scenario() -> list:
        runner, url = await _server(_hang)
        try:
            action = RemoteAction("action_clinic_policy", EndpointConfig(url))
            times = []
            for _turn in range(2):
                with turn_budget():
                    times.append(await _call(action))
            return times
        finally:
            await runner.cleanup()

    for took in asyncio.run(scenario()):
        assert PER_CALL * 0.8 < took < PER_CALL * 1.5


def test_calls_that_answer_are_untouched_by_the_budget():
    async def scenario() -> list:
        runner, url = await _server(_answer)
        try:
            action = RemoteAction("action_clinic_policy", EndpointConfig(url))
            events = []
            with turn_budget():
                for _call_number in range(3):
                    events += await action.run(
                        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}),
                        DialogueStateTracker("budget", []), Domain.empty())
            return events
        finally:
            await runner.cleanup()

    events = asyncio.run(scenario())
    assert [e.text for e in events] == ["action_clinic_policy"] * 3


def test_outside_a_turn_each_call_has_its_own_timeout():
    """Training and `rasa test` run actions outside any channel: no budget is shared."""
    async def scenario() -> list:
        runner, url = await _server(_hang)
        try:
            action = RemoteAction("action_clinic_policy", EndpointConfig(url))
            return [await _call(action), await _call(action)]
        finally:
            await runner.cleanup()

    for took in asyncio.run(scenario()):
        assert PER_CALL * 0.8 < took < PER_CALL * 1.5


def test_a_reply_with_paragraphs_is_one_message_on_rest_and_in_the_widget():
    """A letter has a dozen paragraphs: it is sent as one message, not one per paragraph."""
    from reconnect.channels.rest import WholeMessages
    from reconnect.channels.widget import WidgetOutput

    letter = "Dear Kat,\n\nI'm writing to follow up.\n\nWarm regards,\nDr. Rivera"
    collected = WholeMessages()
    asyncio.run(collected.send_text_message("T01:rest", letter))
    assert [m["text"] for m in collected.messages] == [letter]

    class Socket:
        def __init__(self) -> None:
            self.sent: list = []

        async def emit(self, event, data, room=None) -> None:
            self.sent.append(data)

    socket = Socket()
    output = WidgetOutput(socket, "bot_uttered")
    asyncio.run(output.send_text_message("room", letter))
    assert socket.sent == [{"text": letter}] and output.sent == 1

"""Where a Reconnect message spends its time and where the memory goes (part of `make bench`).

The trained model is loaded in this process with Rasa's Agent, with the project's SQL store of
conversations (SQLite, in the benchmark's folder). Each graph node is timed: its load (time and
resident memory added) and every call while a message is handled (the NLU components, the
policies and the prediction's selection). The actions run in this process through rasa-sdk's
executor in place of the HTTP call (the HTTP hop itself is the difference from the live
figures), with each database query timed through SQLAlchemy's cursor events; the conversation
store's reads and writes are timed too. Nothing of a message's text is printed.
"""
from __future__ import annotations

import asyncio
import logging
import os
import statistics
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

ACTION_URL = "http://in-process.invalid/webhook"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Timings:
    def __init__(self) -> None:
        self.calls: Dict[str, List[float]] = defaultdict(list)
        self.current: Dict[str, float] = defaultdict(float)

    def add(self, name: str, seconds: float) -> None:
        self.current[name] += seconds

    def end_message(self) -> None:
        for name, seconds in self.current.items():
            self.calls[name].append(seconds)
        self.current = defaultdict(float)


def _timed(timings: Timings, name: str, fn: Callable) -> Callable:
    if asyncio.iscoroutinefunction(fn):
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                timings.add(name, time.perf_counter() - began)
        return timed_async

    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timings.add(name, time.perf_counter() - began)
    return timed


def _instrument_graph(timings: Timings, loads: List[tuple]) -> None:
    """Time each graph node's load (and the memory it adds) and each of its calls."""
    from rasa.engine.graph import GraphNode

    original = GraphNode._load_component

    def load_component(node: GraphNode, **kwargs: Any) -> None:
        before, began = rss_mib(), time.perf_counter()
        original(node, **kwargs)
        loads.append((node._node_name, type(node._component).__name__,
                      time.perf_counter() - began, rss_mib() - before))
        node._fn = _timed(timings, f"node {node._node_name}", node._fn)

    GraphNode._load_component = load_component  # type: ignore[method-assign]


def _instrument_actions(timings: Timings) -> None:
    """Run actions in this process, timing each call and its database queries."""
    from rasa.utils.endpoints import EndpointConfig
    from rasa_sdk.executor import ActionExecutor
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    executor = ActionExecutor()
    executor.register_package("actions")
    original = EndpointConfig.request

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Any:
        if self.url != ACTION_URL:
            return await original(self, *args, **kwargs)
        action_call = kwargs["json"]
        began = time.perf_counter()
        in_action.append(True)
        try:
            return await executor.run(action_call)
        finally:
            in_action.clear()
            timings.add("action call (in process)", time.perf_counter() - began)

    EndpointConfig.request = request  # type: ignore[method-assign]
    started: List[float] = []
    in_action: List[bool] = []

    @event.listens_for(Engine, "before_cursor_execute")
    def before(*_: Any) -> None:
        started.append(time.perf_counter())

    @event.listens_for(Engine, "after_cursor_execute")
    def after(*_: Any) -> None:
        if started:
            whose = "action call" if in_action else "conversation store"
            timings.add(f"{whose}: its database queries", time.perf_counter() - started.pop())
            timings.add(f"{whose}: its database query count", 1.0)


def _instrument_store(timings: Timings, store: Any) -> None:
    for name in ("retrieve", "retrieve_full_tracker", "save"):
        if hasattr(store, name):
            setattr(store, name, _timed(timings, f"conversation store {name}",
                                        getattr(store, name)))


def _print_memory(imports: List[tuple], loads: List[tuple], loaded_rss: float) -> None:
    print()
    print("Where the memory goes (resident memory of this process, MB):")
    for label, mib in imports:
        print(f"  after importing {label:<28} {mib:8,.0f}")
    print(f"  after loading the model               {loaded_rss:8,.0f}")
    print("  each graph node's load (seconds, MB added):")
    for node, component, seconds, added in sorted(loads, key=lambda row: -row[3]):
        if seconds > 0.05 or added > 5:
            print(f"    {node:<44} {component:<30} {seconds:6.2f} s {added:8,.0f}")


def _print_time(timings: Timings, totals: List[float]) -> None:
    print()
    print(f"Where a message spends its time ({len(totals)} messages; median and mean ms per "
          f"message; the whole turn median {statistics.median(totals) * 1000:.1f} ms):")
    rows = sorted(timings.calls.items(), key=lambda item: -sum(item[1]))
    for name, values in rows:
        padded = values + [0.0] * (len(totals) - len(values))
        if name.endswith("count"):
            print(f"  {name:<58} {statistics.mean(padded):8.1f} per message")
            continue
        median, mean = statistics.median(padded) * 1000, statistics.mean(padded) * 1000
        if mean >= 0.05:
            print(f"  {name:<58} {median:8.2f} {mean:8.2f}")


def profile(folder: Path, messages: Sequence[str], env: Dict[str, str], rounds: int = 10,
            staff_id: str = "T01") -> None:
    """Load Reconnect's model here and print where time and memory go."""
    from tests.live.servers import MODEL

    os.environ.update({k: v for k, v in env.items() if k not in ("PYTHONPATH",)})
    os.environ["ACTION_ENDPOINT_URL"] = ACTION_URL
    os.environ["TRACKER_DB"] = str(folder / "profile-conversations.db")
    imports = [("nothing more", rss_mib())]
    import tensorflow  # noqa: F401
    imports.append(("TensorFlow", rss_mib()))
    import spacy  # noqa: F401
    imports.append(("spaCy", rss_mib()))
    import rasa.core.agent  # noqa: F401
    imports.append(("Rasa", rss_mib()))
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    timings, loads = Timings(), []  # type: ignore[var-annotated]
    _instrument_graph(timings, loads)
    _instrument_actions(timings)
    print("\nProfiling Reconnect in this process (loading the model) ...", flush=True)
    endpoints = AvailableEndpoints.read_endpoints("endpoints.yml")

    async def run() -> List[float]:
        agent = await load_agent(str(MODEL), endpoints=endpoints)
        loaded = rss_mib()
        _print_memory(imports, loads, loaded)
        _instrument_store(timings, agent.tracker_store)
        totals: List[float] = []
        for round_ in range(rounds + 1):  # the first round warms up and is not counted
            sender = f"{staff_id}:profile-{uuid.uuid4().hex[:8]}"
            for text in messages:
                message = UserMessage(text, CollectingOutputChannel(), sender,
                                      metadata={"staff_id": staff_id})
                began = time.perf_counter()
                await agent.handle_message(message)
                if round_:
                    totals.append(time.perf_counter() - began)
                    timings.end_message()
                else:
                    timings.current.clear()
        return totals

    totals = asyncio.run(run())
    _print_time(timings, totals)

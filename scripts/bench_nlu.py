#!/usr/bin/env python
"""Benchmark of the trained NLU model on therapists' messages (not a test).

Loads models/reconnect.tar.gz (train it first: `make setup`), parses every message of the
dialogue tests one at a time, as the server does, and prints the figures: model load time,
milliseconds per message (median, 95th percentile, worst), the share of that spent in the
sentence encoder, and the process's peak memory.

    .venv/bin/python scripts/bench_nlu.py [--model models/reconnect.tar.gz] [--repeat 3]
"""
from __future__ import annotations

import argparse
import asyncio
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def story_messages() -> list:
    messages = []
    for path in sorted((ROOT / "tests" / "stories").glob("test_*.yml")):
        for story in yaml.safe_load(path.read_text()).get("stories", []):
            messages += [s["user"].strip() for s in story.get("steps", []) if "user" in s]
    # "[Dana Whitfield](PERSON) has missed" -> "Dana Whitfield has missed"
    return [re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", m) for m in messages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "reconnect.tar.gz"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not Path(args.model).is_file():
        raise SystemExit(f"No trained model at {args.model}: run `make setup` first.")

    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    from reconnect.nlu.sentence_featurizer import load_encoder

    started = time.perf_counter()
    agent = Agent.load(args.model)
    loaded = time.perf_counter() - started
    messages = story_messages()
    encoder = load_encoder(str(ROOT / "models" / "minilm" / "all-MiniLM-L6-v2"))  # the loaded one

    async def parse_all() -> list:
        times = []
        for _ in range(args.repeat):
            for text in messages:
                began = time.perf_counter()
                await agent.parse_message(text)
                times.append(time.perf_counter() - began)
        return times

    times = asyncio.run(parse_all())
    began = time.perf_counter()
    for _ in range(args.repeat):
        for text in messages:
            encoder.encode([text])
    encoder_ms = (time.perf_counter() - began) / len(times) * 1000
    ms = sorted(t * 1000 for t in times)
    print(f"model loaded in {loaded:.1f} s")
    print(f"{len(messages)} dialogue-test messages x {args.repeat}: parse median "
          f"{statistics.median(ms):.1f} ms, 95th percentile {ms[int(0.95 * len(ms)) - 1]:.1f} ms, "
          f"worst {ms[-1]:.1f} ms")
    print(f"sentence encoder alone: {encoder_ms:.1f} ms per message "
          f"({encoder_ms / statistics.mean(ms):.0%} of the mean parse)")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

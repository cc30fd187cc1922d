"""The log guard (reconnect/logs.py): what Rasa, rasa-sdk and Sanic write on their error paths
reaches no log with a message's text, a name or a clinical fact in it."""
from __future__ import annotations

import io
import logging
import warnings

import pytest
import yaml

from reconnect.logs import NoHealthInformation, install, scrub, scrub_text, uninstall

SAID = "Dana Whitfield told me she wants to die and owes $300"


def _record(name: str, message: str, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, message, args, exc_info)


def _failed_call() -> tuple:
    try:
        try:
            raise ValueError(f"500, body={{'tracker': {{'latest_message': '{SAID}'}}}}")
        except ValueError as inner:
            raise RuntimeError(f"Failed to execute custom action: {SAID}") from inner
    except RuntimeError as outer:
        return (type(outer), outer, outer.__traceback__)


def test_an_exception_keeps_its_types_and_place_never_its_message():
    record = scrub(_record("rasa.core.processor", "Encountered an exception while running "
                           "action 'action_summarize_attendance'.", exc_info=_failed_call()))
    line = logging.Formatter("%(message)s").format(record)
    assert "Dana" not in line and "$300" not in line and "tracker" not in line
    assert "[RuntimeError <- ValueError at test_logs.py:" in line
    assert "'action_summarize_attendance'" in line  # ids stay


@pytest.mark.parametrize("name, message", [
    # rasa's structured events carry the text in fields
    ("rasa.shared.core.training_data.story_reader.yaml_story_reader",
     '{"user_text": "/ask_attendance{\\"note\\": \\"' + SAID + '\\"}", '
     '"event": "message.parsing.failed", "level": "warning"}'),
    # a warning quotes the line that caused it
    ("py.warnings", ".venv/lib/python3.10/site-packages/rasa/shared/utils/io.py:100: "
     f"UserWarning: Failed to parse arguments in line '/nonsense {SAID}'.\n  warnings.warn("),
    # a library's line quoting what was typed
    ("sanic.error", f"Exception occurred while handling uri: 'http://x/webhook?text={SAID}'"),
    ("rasa.core.processor", f'Received user message "{SAID}" with intent "ask_attendance"'),
])
def test_what_libraries_quote_is_withheld(name, message):
    line = scrub_text(name, message)
    assert "Dana" not in line and "die" not in line and "$300" not in line, line
    assert line  # something is still said: the kind of event


def test_identifiers_and_apostrophes_stay():
    line = scrub_text("rasa.core.actions.action", "Failed to run custom action "
                      "'action_save_pending'. Couldn't connect to the server at "
                      "'http://127.0.0.1:5055/webhook'. Is the server running?")
    assert "'action_save_pending'" in line and "Couldn't connect" in line
    assert "127.0.0.1:5055/webhook" in line


def test_a_huge_line_is_cut():
    assert len(scrub_text("rasa.core.channels", "x " * 3_000_000)) < 2_100


def test_the_logging_configuration_installs_the_guard_for_every_logger(tmp_path):
    config = yaml.safe_load(open("logging.yml"))
    assert config["handlers"]["console"]["filters"] == ["no_health_information"]
    assert config["filters"]["no_health_information"]["()"] == \
        "reconnect.logs.NoHealthInformation"
    install()
    # A handler the configuration never saw (as Rasa's coloured console handler replaces
    # the configured one) still gets scrubbed records: the guard runs as records are made.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("sanic.error.test")
    logger.addHandler(handler)
    try:
        logger.error("request body: %r", {"message": SAID}, exc_info=_failed_call())
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            logging.getLogger("py.warnings").addHandler(handler)
            warnings.warn(f"Failed to parse '{SAID}'", UserWarning, stacklevel=1)
    finally:
        logger.removeHandler(handler)
        logging.getLogger("py.warnings").removeHandler(handler)
        uninstall()
    written = stream.getvalue()
    assert "Dana" not in written and "$300" not in written
    assert "RuntimeError <- ValueError" in written and "UserWarning at test_logs.py" in written
    assert NoHealthInformation().filter(_record("x", SAID))
    uninstall()

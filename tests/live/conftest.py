"""Start the real action server and Rasa server on loopback, with a demo clinic database.

The servers are started once for the live tests and stopped after them; they use their own
database and conversation store in a temporary folder, never the user's.
"""
from __future__ import annotations

import pytest

from tests.conftest import TEST_TODAY
from tests.live.servers import MODEL, running_servers


@pytest.fixture(scope="session")
def live_bot(tmp_path_factory):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: scripts/test.sh trains it before the live tests")
    with running_servers(tmp_path_factory.mktemp("live"), TEST_TODAY) as bot:
        yield bot

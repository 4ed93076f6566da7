import pytest

from tests.servers import MODEL, BotServers


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """The real bot: action server + Rasa server over HTTP."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` (make test does)")
    servers = BotServers(tmp_path_factory.mktemp("bot"))
    servers.start_actions()
    servers.start_rasa()
    yield servers
    servers.stop()

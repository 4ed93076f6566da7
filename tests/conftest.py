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


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL: TEST_POSTGRES_URL, or one started here (the cluster's
    own set-up, on a free port, data in a temporary folder)."""
    import os
    import shutil

    from bot.server.cluster import pg_bin
    from tests.cluster_load import cluster_on_free_ports

    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    if not pg_bin("initdb"):
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    pg = cluster_on_free_ports("twitch-pg-")
    try:
        pg.start_postgres()
        yield pg.database_url
    finally:
        pg.stop()
        shutil.rmtree(pg.data, ignore_errors=True)

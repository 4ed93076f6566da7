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
    import tempfile
    from pathlib import Path

    from bot.server.cluster import Cluster, pg_bin
    from tests.servers import free_port

    if os.environ.get("TEST_POSTGRES_URL"):
        yield os.environ["TEST_POSTGRES_URL"]
        return
    if not pg_bin("initdb"):
        pytest.skip("PostgreSQL is not installed (make test installs it)")
    data = Path(tempfile.mkdtemp(prefix="twitch-pg-"))
    data.chmod(0o755)  # PostgreSQL runs as its own user
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    pg = Cluster(data=data, pg_port=free_port(), env=env)
    try:
        pg.start_postgres()
        yield pg.database_url
    finally:
        pg.stop()
        shutil.rmtree(data, ignore_errors=True)

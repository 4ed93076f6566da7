"""Starts the Rasa server with the project's settings from the environment.

DATABASE_URL    any SQLAlchemy URL for the tracker store (default: SQLite file)
REDIS_URL       Redis for Rasa's lock store, so several instances handle one
                conversation's messages in order (default: in-process locks)
BOT_API_TOKEN   token for the HTTP API (/conversations, /model); unset = closed
ACTION_ENDPOINT_URL, RASA_PORT, CORS_ORIGINS (comma-separated allow-list)
TELEGRAM_*, SLACK_*, TWILIO_*, FACEBOOK_*   messaging channels (bot/channels/config.py)
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path

import yaml

from bot.channels.config import write_credentials

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = f"sqlite:///{ROOT / 'rasa.db'}"
DB_WAIT_SECONDS = 15  # how long a start waits for a database that is not up yet
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


def tracker_store_config(url: str) -> dict:
    """Rasa's SQLTrackerStore settings for a SQLAlchemy URL."""
    from sqlalchemy.engine.url import make_url

    parsed = make_url(url)
    config = {
        "type": "bot.server.tracker_store.ForgetfulSQLTrackerStore",
        "dialect": parsed.drivername,
        "db": parsed.database,
    }
    if parsed.host:
        config["url"] = parsed.host
    if parsed.port:
        config["port"] = parsed.port
    if parsed.username:
        config["username"] = parsed.username
    if parsed.password:
        config["password"] = parsed.password
    if parsed.query:
        config["query"] = dict(parsed.query)
    return config


def check_database(url: str, timeout: int = 5) -> str | None:
    """None when the database answers, else a one-line reason."""
    from sqlalchemy import create_engine, text

    args = {}
    if not url.startswith("sqlite"):
        args = {"connect_args": {"connect_timeout": timeout}}
    try:
        engine = create_engine(url, **args)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


def lock_store_config(url: str) -> dict:
    """Rasa's RedisLockStore settings for a redis:// URL."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    config = {"type": "bot.server.lock_store.AtomicRedisLockStore",
              "url": parts.hostname or "localhost",
              "port": parts.port or 6379, "key_prefix": "twitch",
              "db": int((parts.path or "/0").lstrip("/") or 0)}  # fmt: skip
    if parts.password:
        config["password"] = parts.password
    if parts.scheme == "rediss":
        config["use_ssl"] = True
    return config


def write_endpoints(
    path: Path, db_url: str, action_url: str, redis_url: str | None = None
) -> Path:
    config = {
        # The domain goes only to actions that ask for it (action_turn does not).
        "action_endpoint": {"url": action_url, "enable_selective_domain": True},
        "tracker_store": tracker_store_config(db_url),
    }
    if redis_url:
        config["lock_store"] = lock_store_config(redis_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def rasa_command(
    env: dict[str, str], endpoints: Path, token: str, credentials: Path | None = None
) -> list[str]:
    port = env.get("RASA_PORT", "5005")
    origins = (
        env.get("CORS_ORIGINS") or env.get("WIDGET_ALLOWED_ORIGINS") or DEFAULT_ORIGINS
    )
    command = [
        sys.executable, "-m", "rasa", "run",
        "--enable-api", "--auth-token", token,
        "--port", port,
        "--endpoints", str(endpoints),
        "--credentials", env.get("RASA_CREDENTIALS")
        or str(credentials or ROOT / "credentials.yml"),
        "--model", env.get("RASA_MODEL", str(ROOT / "models")),
    ]  # fmt: skip
    # Rasa's --cors takes all origins after one flag (nargs="*"); repeating the
    # flag would keep only the last.
    allowed = [o.strip() for o in origins.split(",") if o.strip()]
    if allowed:
        command += ["--cors", *allowed]
    return command


def main() -> None:
    env = dict(os.environ)
    db_url = env.get("DATABASE_URL") or DEFAULT_DB
    problem = check_database(db_url)
    # A database that is starting up (a cluster, a container) gets a few seconds.
    deadline = time.monotonic() + DB_WAIT_SECONDS
    while problem and time.monotonic() < deadline:
        time.sleep(1)
        problem = check_database(db_url)
    if problem:
        safe = db_url.split("@")[-1]  # never print a password
        print(f"ERROR: cannot reach the database ({safe}): {problem}", file=sys.stderr)
        sys.exit(2)
    token = env.get("BOT_API_TOKEN")
    if not token:
        print(
            "NOTE: BOT_API_TOKEN is not set, so the HTTP API (/conversations, /model) "
            "stays closed. Set it to use the API; webhooks work either way.",
            file=sys.stderr,
        )
        token = secrets.token_urlsafe(32)  # nobody knows it: the API is closed
    # Knowledge base: migrate and load the shipped guidance (idempotent, fast).
    from bot.kb.content import load_content
    from bot.kb.db import session_scope, upgrade

    upgrade(db_url)
    with session_scope(db_url) as session:
        load_content(session)
    # One file per port: several instances may start side by side (make cluster).
    port = env.get("RASA_PORT", "5005")
    endpoints = write_endpoints(
        ROOT / "build" / f"endpoints.runtime.{port}.yml",
        db_url,
        env.get("ACTION_ENDPOINT_URL", "http://localhost:5055/webhook"),
        env.get("REDIS_URL") or None,
    )
    credentials, on, problems = write_credentials(
        ROOT / "credentials.yml",
        ROOT / "build" / f"credentials.runtime.{port}.yml",
        env,
    )
    for problem in problems:
        print(f"ERROR: messaging channel {problem}", file=sys.stderr)
    if on and not env.get("RASA_CREDENTIALS"):
        print(f"Messaging channels on: {', '.join(on)}", file=sys.stderr)
    os.chdir(ROOT)
    os.execv(sys.executable, rasa_command(env, endpoints, token, credentials))


if __name__ == "__main__":
    main()

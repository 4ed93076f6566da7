"""Starts the real action server and Rasa server for end-to-end tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.channels.config import CHANNELS
from bot.server.cluster import action_server_command

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "twitch.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(
    url: str, timeout: float = 180.0, proc: subprocess.Popen | None = None
) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


class BotServers:
    """Action server + Rasa server on free ports, with their own SQLite file."""

    def __init__(self, workdir: Path, token: str = "test-token"):
        self.workdir = workdir
        self.token = token
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.db_url = f"sqlite:///{workdir / 'tracker.db'}"
        self.env = dict(
            os.environ,
            DATABASE_URL=self.db_url,
            BOT_API_TOKEN=token,
            RASA_PORT=str(self.rasa_port),
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{self.action_port}/webhook",
            TF_CPP_MIN_LOG_LEVEL="3",
            RASA_TELEMETRY_ENABLED="false",
        )
        # Channels are on only when a test turns them on (test_e2e_channels.py).
        for spec in CHANNELS:
            for var in [*spec.required.values(), *spec.optional.values()]:
                self.env.pop(var, None)
        self.actions: subprocess.Popen | None = None
        self.rasa: subprocess.Popen | None = None
        self.logs = workdir

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        handle = open(self.logs / log, "ab")
        return subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=handle, stderr=handle
        )

    def start_actions(self) -> None:
        self.actions = self._spawn(
            action_server_command(self.action_port),
            "actions.log",
        )
        wait_for(f"http://127.0.0.1:{self.action_port}/health", proc=self.actions)

    def start_rasa(self) -> None:
        self.rasa = self._spawn([sys.executable, "-m", "bot.server.serve"], "rasa.log")
        wait_for(f"{self.url}/", proc=self.rasa)
        # The model is loaded once /status answers with a fingerprint.
        deadline = time.time() + 180
        while time.time() < deadline:
            status = self.get(f"/status?token={self.token}")
            if status.get("model_id"):
                return
            time.sleep(0.5)
        raise TimeoutError("model did not load")

    def stop_rasa(self) -> None:
        if self.rasa:
            self.rasa.terminate()
            self.rasa.wait(timeout=60)
            self.rasa = None

    def stop(self) -> None:
        self.stop_rasa()
        if self.actions:
            self.actions.terminate()
            self.actions.wait(timeout=30)
            self.actions = None

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as resp:
            return json.load(resp)

    def post(self, path: str, payload) -> list | dict:
        req = urllib.request.Request(
            f"{self.url}{path}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status == 200
            return json.load(resp)

    def say(self, sender: str, message: str) -> list[dict]:
        return self.post(
            "/webhooks/rest/webhook", {"sender": sender, "message": message}
        )

    def tracker(self, sender: str) -> dict:
        return self.get(f"/conversations/{sender}/tracker?token={self.token}")

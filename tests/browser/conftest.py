"""Fixtures for the chat widget's browser tests (Playwright + Debian Chromium).

Servers (all started by the tests, all on 127.0.0.1, free ports):

* ``scripted_bot``   tests/browser/scripted_bot.py: the project's socket.io
                     channel on Sanic with scripted answers (no model needed).
* ``scripted_site``  widget/serve.py demo page pointing at ``scripted_bot``
                     (CSP off, so an XSS that executed would be noticed);
                     ``scripted_site_csp`` the same with the CSP on.
* ``rasa_bot``       the real bot: skipped (with the reason) when models/ has
                     no model; else the session fixture ``bot`` of
                     tests/conftest.py (Rasa + action server), or ``rasa run``
                     + ``rasa run actions`` started here (without that
                     fixture, or with BROWSER_TEST_BOT_DIR=<a bot project>).
                     BROWSER_TEST_RASA_URL=<url> uses an already running one.
* ``real_site``      widget/serve.py demo page pointing at ``rasa_bot``
                     (with the demo page's Content-Security-Policy on).

The origin of ``real_site`` is added to WIDGET_ALLOWED_ORIGINS (and
CORS_ORIGINS when set) at configure time, so a Rasa server started later by
any fixture that inherits the environment accepts it.

Screenshots and axe reports go to test-artifacts/widget/.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGET_DIR = ROOT / "widget"
DIST = WIDGET_DIR / "dist"
ARTIFACTS = ROOT / "test-artifacts" / "widget"
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_JS = WIDGET_DIR / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_ORIGINS = "http://localhost:8080,http://127.0.0.1:8080"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SCRIPTED_SITE_PORT = free_port()
SCRIPTED_CSP_SITE_PORT = free_port()
REAL_SITE_PORT = int(os.environ.get("BROWSER_TEST_WIDGET_PORT") or free_port())
SCRIPTED_ORIGIN = f"http://127.0.0.1:{SCRIPTED_SITE_PORT}"
SCRIPTED_CSP_ORIGIN = f"http://127.0.0.1:{SCRIPTED_CSP_SITE_PORT}"
REAL_ORIGIN = f"http://127.0.0.1:{REAL_SITE_PORT}"


def pytest_configure(config: pytest.Config) -> None:
    # Let a Rasa server started by any fixture (ours or the lead's) accept the
    # demo page of the real-bot tests.
    names = [n for n in ("CORS_ORIGINS", "WIDGET_ALLOWED_ORIGINS") if os.environ.get(n)]
    for name in names or ["WIDGET_ALLOWED_ORIGINS"]:
        origins = [o for o in os.environ.get(name, DEFAULT_ORIGINS).split(",") if o]
        if REAL_ORIGIN not in origins:
            origins.append(REAL_ORIGIN)
        os.environ[name] = ",".join(origins)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


# --------------------------------------------------------------------------- processes


@dataclass
class Server:
    url: str
    proc: subprocess.Popen | None
    log: Path

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _log_path(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.log"


def start_process(name: str, cmd: list[str], cwd: Path, env: dict) -> tuple:
    log = _log_path(name)
    handle = open(log, "wb")  # noqa: SIM115 - closed in stop_process
    proc = subprocess.Popen(
        cmd,
        cwd=str(cwd),
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group: stop it and its children
    )
    proc._log_handle = handle  # type: ignore[attr-defined]
    return proc, log


def stop_process(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    handle = getattr(proc, "_log_handle", None)
    if handle:
        handle.close()


def wait_http(
    url: str, proc: subprocess.Popen | None, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"{url}: process exited with {proc.returncode}\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout:.0f}s ({last})")


def base_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --------------------------------------------------------------------------- build


@pytest.fixture(scope="session")
def widget_dist() -> Path:
    """widget/dist, built if missing (normally `make widget-build` did it)."""
    if not (DIST / "widget.js").is_file():
        npm = shutil.which("npm")
        if not npm:
            pytest.fail(
                "widget/dist is missing and npm is not installed: make widget-build"
            )
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=WIDGET_DIR, check=True
        )
        subprocess.run([npm, "run", "build"], cwd=WIDGET_DIR, check=True)
    return DIST


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `make widget-build` (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- servers


def _start_site(name: str, port: int, rasa_url: str, csp: bool) -> Iterator[Server]:
    env = base_env()
    env.update(
        WIDGET_PORT=str(port),
        WIDGET_HOST="127.0.0.1",
        WIDGET_RASA_URL=rasa_url,
        WIDGET_DEMO_CSP="1" if csp else "0",
        WIDGET_START_OPEN="true",
        WIDGET_QUIET="1",
    )
    proc, log = start_process(name, [PYTHON, str(WIDGET_DIR / "serve.py")], ROOT, env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc, log, 30)
        yield Server(url, proc, log)
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def scripted_bot() -> Iterator[Server]:
    port = free_port()
    env = base_env()
    cmd = [
        PYTHON,
        str(Path(__file__).with_name("scripted_bot.py")),
        "--port",
        str(port),
        "--origins",
        f"{SCRIPTED_ORIGIN},{SCRIPTED_CSP_ORIGIN}",
    ]
    proc, log = start_process("scripted-bot", cmd, ROOT, env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/", proc, log, 90)
        yield Server(url, proc, log)
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def scripted_site(widget_dist, scripted_bot) -> Iterator[Server]:
    yield from _start_site(
        "site-scripted", SCRIPTED_SITE_PORT, scripted_bot.url, csp=False
    )


@pytest.fixture(scope="session")
def scripted_site_csp(widget_dist, scripted_bot) -> Iterator[Server]:
    """The demo page with its Content-Security-Policy on."""
    yield from _start_site(
        "site-scripted-csp", SCRIPTED_CSP_SITE_PORT, scripted_bot.url, csp=True
    )


def _model_dir(bot_dir: Path) -> Path | None:
    models = bot_dir / "models"
    if models.is_dir() and any(models.glob("*.tar.gz")):
        return models
    return None


def _server_url(value) -> str:
    if isinstance(value, str):
        return value.rstrip("/")
    for attr in ("url", "base_url", "rasa_url"):
        if hasattr(value, attr):
            return str(getattr(value, attr)).rstrip("/")
        if isinstance(value, dict) and attr in value:
            return str(value[attr]).rstrip("/")
    raise TypeError(f"cannot find the server URL in {value!r}")


def _credentials_file(bot_dir: Path, tmp: Path) -> Path:
    project = bot_dir / "credentials.yml"
    if (
        project.is_file()
        and "bot.channels.socketio.SocketIOChannel" in project.read_text()
    ):
        return project
    path = tmp / "credentials.yml"
    path.write_text(
        "rest:\n"
        "bot.channels.socketio.SocketIOChannel:\n"
        "  user_message_evt: user_uttered\n"
        "  bot_message_evt: bot_uttered\n"
        "  session_persistence: true\n",
        encoding="utf-8",
    )
    return path


@dataclass
class RasaBot:
    url: str
    token: str | None = None  # for the HTTP API (tracker), when known


@pytest.fixture(scope="session")
def rasa_bot(request) -> Iterator[RasaBot]:
    """A real Rasa server (+ action server) with the widget's socket.io channel.

    BROWSER_TEST_RASA_URL: use that running server.  Else skip without a
    model.  Else the lead's session fixture ``bot`` (tests/conftest.py) when it
    exists, or -- with BROWSER_TEST_BOT_DIR set, or without that fixture --
    ``rasa run`` + ``rasa run actions`` started here from that directory.
    """
    if os.environ.get("BROWSER_TEST_RASA_URL"):
        yield RasaBot(
            os.environ["BROWSER_TEST_RASA_URL"].rstrip("/"),
            os.environ.get("BOT_API_TOKEN"),
        )
        return
    bot_dir = Path(os.environ.get("BROWSER_TEST_BOT_DIR", ROOT))
    models = _model_dir(bot_dir)
    if models is None:
        pytest.skip(
            f"no trained model in {bot_dir / 'models'} (run `make model`): "
            "real-bot widget tests skipped"
        )
    if "BROWSER_TEST_BOT_DIR" not in os.environ:
        try:
            lead = request.getfixturevalue("bot")
        except pytest.FixtureLookupError:
            lead = None
        if lead is not None:
            yield RasaBot(_server_url(lead), getattr(lead, "token", None))
            return
    yield from _own_rasa(bot_dir, models)


def _own_rasa(bot_dir: Path, models: Path) -> Iterator[RasaBot]:
    rasa = str(Path(PYTHON).with_name("rasa"))
    tmp = Path(tempfile.mkdtemp(prefix="widget-rasa-"))
    env = base_env()
    origins = [
        o for o in env.get("WIDGET_ALLOWED_ORIGINS", DEFAULT_ORIGINS).split(",") if o
    ]
    port, action_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n',
        encoding="utf-8",
    )
    procs = []
    try:
        if (bot_dir / "actions").is_dir():
            aproc, alog = start_process(
                "rasa-actions",
                [
                    rasa,
                    "run",
                    "actions",
                    "-p",
                    str(action_port),
                    "--actions",
                    "actions",
                ],
                bot_dir,
                env,
            )
            procs.append(aproc)
        cmd = [
            rasa,
            "run",
            "--enable-api",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-m",
            str(models),
            "--credentials",
            str(_credentials_file(bot_dir, tmp)),
            "--endpoints",
            str(endpoints),
            "--cors",
            *origins,  # one --cors with all origins: a repeated --cors keeps the last
        ]
        proc, log = start_process("rasa-server", cmd, bot_dir, env)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/", proc, log, 300)
        if (bot_dir / "actions").is_dir():
            wait_http(f"http://127.0.0.1:{action_port}/health", aproc, alog, 120)
        yield RasaBot(url)
    finally:
        for p in reversed(procs):
            stop_process(p)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def real_site(widget_dist, rasa_bot) -> Iterator[Server]:
    yield from _start_site("site-real", REAL_SITE_PORT, rasa_bot.url, csp=True)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} not found: run `make chromium` (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:120]


@pytest.fixture
def new_page(browser, request):
    """Factory: a page in a fresh context (own localStorage); closed after the test."""
    contexts = []

    def make(**context_args):
        context_args.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**context_args)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []  # type: ignore[attr-defined]
        page.page_errors = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda m: m.type == "error" and page.console_errors.append(m.text),
        )
        page.on("pageerror", lambda e: page.page_errors.append(str(e)))
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    for i, context in enumerate(contexts):
        if failed is not None and failed.failed:
            for j, pg in enumerate(context.pages):
                with contextlib.suppress(Exception):
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    pg.screenshot(
                        path=str(
                            ARTIFACTS
                            / f"FAILED-{_safe_name(request.node.name)}-{i}{j}.png"
                        )
                    )
        context.close()


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def save_json(name: str, data) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path

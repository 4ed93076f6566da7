"""make bench: this bot vs a stock `rasa init` bot, side by side in one run.

Per-turn latency (p50/p95) over REST with distinct senders, throughput with 20
concurrent conversations, and resident memory of the server processes.  A third
row runs the same script through the Telegram webhook (secret check, retry
guard, reply sent to a local fake Telegram API) to show what a channel adds.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fake_providers import FakeProvider  # noqa: E402
from tests.servers import BotServers, free_port, wait_for  # noqa: E402

TELEGRAM_TOKEN = "1:bench-token"
TELEGRAM_SECRET = "bench-secret"

TURNS = int(os.environ.get("BENCH_TURNS", "200"))
CONCURRENT = 20
PER_CONVERSATION = 10
OURS = [
    "my left eyelid has been twitching for 3 days",
    "nah my face looks normal",
    "it stays in one spot",
    "no",
    "no it just happens randomly",
    "can coffee cause this?",
    "why this advice?",
    "ok thanks",
    "thanks",
    "bye",
]
STOCK = [
    "hello",
    "I am sad",
    "yes",
    "great",
    "bye",
    "hi",
    "not good",
    "no",
    "ok",
    "bye",
]


def post(url: str, sender: str, text: str) -> float:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}
    )
    start = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as resp:
        resp.read()
    return time.perf_counter() - start


def rest(url: str) -> Callable[[str, str], float]:
    return lambda sender, text: post(url, sender, text)


def telegram(url: str) -> Callable[[str, str], float]:
    """One signed Telegram update per turn; returns once the reply is sent."""
    update_ids = itertools.count(1)

    def send(sender: str, text: str) -> float:
        chat = zlib.crc32(sender.encode())
        update = {"update_id": next(update_ids), "message": {
            "message_id": 1, "date": int(time.time()), "text": text,
            "chat": {"id": chat, "type": "private"}, "from": {"id": chat}}}  # fmt: skip
        req = urllib.request.Request(
            url,
            data=json.dumps(update).encode(),
            headers={
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET,
            },
        )
        start = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
        return time.perf_counter() - start

    return send


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(send: Callable[[str, str], float], script: list[str], tag: str) -> dict:
    # Warm-up, then one turn per fresh sender (first-message latency).
    for i in range(5):
        send(f"{tag}-warm-{i}", script[0])
    lat = [
        send(f"{tag}-lat-{i}", script[i % len(script)] if i % 2 else script[0])
        for i in range(TURNS)
    ]
    # Throughput: 20 conversations at once, each a scripted sequence of turns.
    errors: list[Exception] = []

    def conversation(n: int) -> None:
        try:
            for text in script[:PER_CONVERSATION]:
                send(f"{tag}-conc-{n}", text)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=conversation, args=(n,)) for n in range(CONCURRENT)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    lat.sort()
    return {
        "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": lat[int(0.95 * len(lat)) - 1] * 1000,
        "throughput": CONCURRENT * PER_CONVERSATION / elapsed,
        "errors": len(errors),
    }


CUSTOM_SKIP = ("action_listen", "action_session_start", "action_restart")


def calls_per_turn(tracker: dict) -> float:
    """Action-server round trips per user message, read off a tracker: every
    executed action that is not Rasa's own (action_*, utter_* answered in Rasa)."""
    users = sum(e.get("event") == "user" for e in tracker["events"])
    calls = sum(
        e.get("event") == "action"
        and e.get("name", "").startswith("action_")
        and e.get("name") not in CUSTOM_SKIP
        for e in tracker["events"]
    )
    return calls / max(users, 1)


def long_conversation(send: Callable[[str, str], float], tag: str, turns: int = 60):
    """p50 of the first and last ten turns of one long conversation."""
    script = ["my left eyelid has been twitching for 3 days", "no", "no", "no"]
    script += ["what causes twitching?", "thanks", "is it serious?", "ok"] * turns
    lat = [send(f"{tag}-long", text) for text in script[:turns]]
    return statistics.median(lat[:10]) * 1000, statistics.median(lat[-10:]) * 1000


def stock_bot(workdir: Path) -> tuple[subprocess.Popen, str]:
    rasa = str(Path(sys.executable).with_name("rasa"))
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3")
    log = open(workdir / "stock.log", "ab")
    subprocess.run(
        [rasa, "init", "--no-prompt", "--init-dir", str(workdir)],
        check=True,
        stdout=log,
        stderr=log,
        env=env,
        cwd=workdir,
    )
    port = free_port()
    proc = subprocess.Popen(
        [rasa, "run", "--port", str(port)], cwd=workdir, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/", proc=proc)
    deadline = time.time() + 180
    while time.time() < deadline:  # the model loads after the port opens
        try:
            post(f"{url}/webhooks/rest/webhook", "probe", "hello")
            break
        except Exception:  # noqa: BLE001
            time.sleep(1)
    return proc, url


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "ours").mkdir()
        (tmp / "stock").mkdir()
        print(
            "Starting this bot and a stock `rasa init` bot (training the stock bot)..."
        )
        fake_telegram = FakeProvider("telegram", TELEGRAM_TOKEN).start()
        ours = BotServers(tmp / "ours")
        ours.env.update(
            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
            TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
            TELEGRAM_API_URL=fake_telegram.url,
        )
        ours.start_actions()
        ours.start_rasa()
        stock_proc, stock_url = stock_bot(tmp / "stock")
        try:
            rows = {
                "this bot": measure(
                    rest(f"{ours.url}/webhooks/rest/webhook"), OURS, "ours"
                ),
                "this bot, Telegram webhook": measure(
                    telegram(f"{ours.url}/webhooks/telegram/webhook"), OURS, "tg"
                ),
                "stock rasa init": measure(
                    rest(f"{stock_url}/webhooks/rest/webhook"), STOCK, "stock"
                ),
            }
            rows["this bot"]["calls"] = calls_per_turn(ours.tracker("ours-conc-0"))
            rows["this bot, Telegram webhook"]["calls"] = rows["this bot"]["calls"]
            rows["stock rasa init"]["calls"] = 0.0
            first, last = long_conversation(
                rest(f"{ours.url}/webhooks/rest/webhook"), "ours"
            )
            long_row = f"turns 1-10: {first:.0f} ms, turns 51-60: {last:.0f} ms"
            sent = [c for c in fake_telegram.take() if c.endpoint == "sendMessage"]
            rows["this bot, Telegram webhook"]["rss"] = (
                f"same processes; {len(sent)} replies at the fake API"
            )
            rows["this bot"]["rss"] = (
                f"{rss_mb(ours.rasa.pid):.0f} + {rss_mb(ours.actions.pid):.0f} (actions)"
            )
            rows["stock rasa init"]["rss"] = f"{rss_mb(stock_proc.pid):.0f}"
        finally:
            fake_telegram.stop()
            ours.stop()
            stock_proc.terminate()
            stock_proc.wait(timeout=60)
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"\n{date.today()} · {os.cpu_count()} cores · {cpu} · Python {platform.python_version()}"
    )
    print(
        f"{TURNS} single turns (distinct senders); {CONCURRENT} concurrent conversations x "
        f"{PER_CONVERSATION} turns\n"
    )
    print(
        "| bot | p50 per turn | p95 per turn | throughput (msg/s, 20 conc.) "
        "| action-server calls per turn | RSS MB | errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(
            f"| {name} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms | {r['throughput']:.1f} | "
            f"{r['calls']:.2f} | {r['rss']} | {r['errors']} |"
        )
    ours, stock = rows["this bot"], rows["stock rasa init"]
    print(
        f"\nthis bot / stock: p50 {ours['p50_ms'] / stock['p50_ms']:.2f}x, "
        f"p95 {ours['p95_ms'] / stock['p95_ms']:.2f}x, "
        f"throughput {ours['throughput'] / stock['throughput']:.2f}x"
    )
    print(f"one long conversation (60 turns, this bot): {long_row}")


if __name__ == "__main__":
    main()

"""Load and faults for the cluster (tests/test_cluster.py, scripts/bench_cluster.py).

A soak is N threads, each with its own conversations, sending free-text turns
through the balancer. Every request is recorded (sender, text, status, time),
so afterwards "a message that got a 200 is in the store" can be checked
against the trackers, and a fault's cost read off: failed requests, and the
time from the fault to the first good reply after it.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.server.cluster import Cluster
from tests.servers import free_port

# Openings and answers a person might type; every one gets a reply.
OPENINGS = [
    "my left eyelid has been twitching for 3 days",
    "right cheek twitch for about two weeks, worse with coffee",
    "lower lip keeps jumping since yesterday",
    "eye twitch 5 days, knackered from night shifts",
]
ANSWERS = ["no", "nope", "none of those", "not really", "no, nothing like that",
           "yes a little", "not sure", "what causes this?", "thanks"]  # fmt: skip


def cluster_on_free_ports(prefix: str) -> Cluster:
    """`make cluster`'s shape on free ports, its data in a new folder outside
    pytest's tmp (mode 700: PostgreSQL runs as its own user). The caller starts
    and stops it, and removes `c.data`."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    data.chmod(0o755)
    outside = ("DATABASE_URL", "REDIS_URL", "BOT_API_TOKEN")
    return Cluster(
        data=data, lb_port=free_port(), rasa_ports=(free_port(), free_port()),
        action_ports=(free_port(), free_port()), action_lb_port=free_port(),
        pg_port=free_port(), redis_port=free_port(), widget=False,
        env={k: v for k, v in os.environ.items() if k not in outside},
    )  # fmt: skip


def tracker(c: Cluster, sender: str, port: int | None = None) -> dict:
    """A conversation's tracker, from `port` or from any instance still up."""
    port = port or next(p for p in c.rasa_ports if c.procs[f"rasa-{p}"].poll() is None)
    url = f"http://127.0.0.1:{port}/conversations/{sender}/tracker?token={c.token}"
    with urllib.request.urlopen(url, timeout=30) as resp:
        return json.load(resp)


@dataclass
class Sent:
    sender: str
    text: str
    status: int
    seconds: float
    at: float
    reply: list = field(default_factory=list)


def post(url: str, payload, timeout: float = 30.0) -> tuple[int, list | dict | None]:
    req = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as err:
        try:
            return err.code, json.loads(err.read() or b"null")
        except ValueError:
            return err.code, None
    except Exception:  # noqa: BLE001 - refused, reset, timed out
        return 0, None


def say(base: str, sender: str, text: str, timeout: float = 30.0) -> Sent:
    start = time.time()
    status, body = post(f"{base}/webhooks/rest/webhook",
                        {"sender": sender, "message": text}, timeout)  # fmt: skip
    return Sent(sender, text, status, time.time() - start, start,
                body if isinstance(body, list) else [])  # fmt: skip


def soak(base: str, threads: int, seconds: float, tag: str, seed: int = 7,
         during=None) -> list[Sent]:  # fmt: skip
    """Each thread talks for `seconds`; a new conversation every 8 turns.
    `during(elapsed)` is called from the main thread about every 0.2 s."""
    results: list[Sent] = []
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        conv = 0
        while time.time() < stop_at:
            sender = f"{tag}-{n}-{conv}"
            for turn in range(8):
                if time.time() >= stop_at:
                    break
                text = rng.choice(OPENINGS) if turn == 0 else rng.choice(ANSWERS)
                sent = say(base, sender, text)
                with lock:
                    results.append(sent)
            conv += 1

    pool = [
        threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)
    ]
    start = time.time()
    for t in pool:
        t.start()
    while any(t.is_alive() for t in pool):
        if during:
            during(time.time() - start)
        time.sleep(0.2)
    return results


def figures(results: list[Sent], seconds: float) -> dict:
    ok = [r.seconds for r in results if r.status == 200 and r.reply]
    ok.sort()

    def pct(p: float) -> float:
        return 1000 * ok[min(len(ok) - 1, int(p * len(ok)))] if ok else float("nan")

    return {
        "messages": len(results),
        "ok": len(ok),
        "errors": len(results) - len(ok),
        "msg_per_s": len(ok) / seconds,
        "p50_ms": 1000 * statistics.median(ok) if ok else float("nan"),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


def lost_turns(results: list[Sent], tracker) -> list[Sent]:
    """Messages that got a 200 but are not in their conversation's store
    (counted per text: a conversation may say "no" several times)."""
    by_sender: dict[str, list[Sent]] = {}
    for r in results:
        if r.status == 200:
            by_sender.setdefault(r.sender, []).append(r)
    lost = []
    for sender, sent in by_sender.items():
        stored = Counter(
            e.get("text")
            for e in tracker(sender).get("events", [])
            if e.get("event") == "user"
        )
        for r in sent:
            if stored[r.text] > 0:
                stored[r.text] -= 1
            else:
                lost.append(r)
    return lost


def recovery_seconds(results: list[Sent], fault_at: float, bad=None) -> float | None:
    """From the fault to the first good reply sent after the last failure
    (`bad(sent)`: also count a 200 as failed, e.g. a "please try again")."""

    def failed(r: Sent) -> bool:
        return r.status != 200 or bool(bad and bad(r))

    failures = [r.at for r in results if r.at >= fault_at and failed(r)]
    if not failures:
        return 0.0
    after = [
        r.at + r.seconds for r in results if r.at > max(failures) and not failed(r)
    ]
    return (min(after) - fault_at) if after else None

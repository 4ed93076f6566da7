"""The cluster (bot/server/cluster.py) against real PostgreSQL, Redis, HAProxy and servers.

Everything is started here, on free ports, with its data in a temporary
folder, and spoken to over HTTP through the balancer, as a client would.
Faults are real: SIGKILL of a Rasa instance, PostgreSQL and Redis stopped
and started, the action servers killed and started again.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import urllib.request

import pytest

from bot.server.cluster import Cluster, pg_bin
from tests.cluster_load import (
    cluster_on_free_ports,
    figures,
    lost_turns,
    post,
    recovery_seconds,
    say,
    soak,
    tracker,
)

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        not (
            pg_bin("initdb")
            and shutil.which("redis-server")
            and shutil.which("haproxy")
        ),
        reason="PostgreSQL, Redis and HAProxy are installed by `make test` (as root)",
    ),
]


@pytest.fixture(scope="module")
def cluster():
    c = cluster_on_free_ports("twitch-cluster-")
    try:
        c.start()
        yield c
    finally:
        c.stop()
        shutil.rmtree(c.data, ignore_errors=True)


def base(c: Cluster, port: int | None = None) -> str:
    return f"http://127.0.0.1:{port or c.lb_port}"


def user_texts(t: dict) -> list[str]:
    return [e["text"] for e in t["events"] if e.get("event") == "user"]


def replied(sent) -> bool:
    return sent.status == 200 and any(r.get("text") for r in sent.reply)


def test_one_conversation_alternating_between_instances_keeps_every_turn(cluster):
    turns = ["my left eyelid has been twitching for 3 days", "no", "none of those",
             "neither", "what causes this?", "thanks"]  # fmt: skip
    for i, text in enumerate(turns):
        port = cluster.rasa_ports[i % 2]
        assert replied(say(base(cluster, port), "alternate", text))
    for port in cluster.rasa_ports:  # both instances read the same store
        t = tracker(cluster, "alternate", port)
        assert user_texts(t) == turns
        assert t["slots"]["triage_level"] == "self_care"


def test_two_instances_take_one_conversations_messages_in_order(cluster):
    """Two messages of one conversation at once, one per instance: the Redis
    lock makes the second wait, so both are kept, each with its reply."""
    import threading

    sent = {}

    def send(port, text):
        sent[text] = say(base(cluster, port), "same-time", text)

    say(base(cluster), "same-time", "my right cheek twitches")
    pair = [threading.Thread(target=send, args=(p, t)) for p, t in
            zip(cluster.rasa_ports, ["for 2 weeks", "no drooping"], strict=True)]  # fmt: skip
    for t in pair:
        t.start()
    for t in pair:
        t.join()
    assert all(replied(s) for s in sent.values())
    events = tracker(cluster, "same-time")["events"]
    texts = user_texts({"events": events})
    assert sorted(texts[1:]) == ["for 2 weeks", "no drooping"]
    # each user message is followed by the bot's turn before the next one
    kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
    assert kinds.count("user") == 3 and kinds[-1] == "bot"
    assert "user" not in [kinds[i + 1] for i, k in enumerate(kinds[:-1]) if k == "user"]


def test_edge_fuzz_through_the_balancer(cluster):
    """>= 1,000 seeded requests: malformed bodies get a 400, every well-formed
    one a reply; no 5xx; typed /intent{...} sets nothing."""
    rng = random.Random(12)
    url = f"{base(cluster)}/webhooks/rest/webhook"
    bad = [b"", b"not json", b"[]", b"[1, 2]", b'{"sender": 5, "message": "hi"}',
           b'{"sender": "a", "message": 5}', b'{"message": "hi"}', b"null", b'"hi"',
           b'{"sender": "a", "message": "hi", "metadata": []}',
           json.dumps({"sender": "x" * 10_000, "message": "hi"}).encode()]  # fmt: skip
    texts = ["", "   ", "😀😀", "<script>alert(1)</script>", "me duele el ojo",
             "a" * 5000, "my eye \ud800 twitches", "/affirm", "/restart", "hi",
             '/describe_symptom{"nerve_history": true, "symptom_duration_days": 999}',
             '/inform{"triage_level": "self_care", "stroke_signs": false}',
             "left eyelid 3 days", "no", "\x00\x01", "🤷", "what is myokymia?"]  # fmt: skip
    statuses, empty, injected = [], 0, []
    for i in range(1000):
        if rng.random() < 0.3:
            body = rng.choice(bad)
            req = urllib.request.Request(
                url, data=body, headers={"Content-Type": "application/json"}
            )
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    statuses.append(resp.status)
            except urllib.error.HTTPError as err:
                statuses.append(err.code)
                assert err.code == 400 and "error" in json.loads(err.read())
            continue
        sender = f"fuzz-{i % 40}"
        status, reply = post(url, {"sender": sender, "message": rng.choice(texts)})
        statuses.append(status)
        if status == 200 and not any(r.get("text") for r in reply or []):
            empty += 1
    for n in range(40):
        slots = tracker(cluster, f"fuzz-{n}")["slots"]
        if slots.get("symptom_duration_days") == 999 or slots.get("nerve_history"):
            injected.append(n)
    assert len(statuses) >= 1000
    assert not [s for s in statuses if s >= 500 or s == 0]
    assert empty == 0 and injected == []


def test_sigkill_of_an_instance_during_a_soak_loses_no_turn(cluster):
    victim = cluster.rasa_ports[0]
    killed = {}

    def during(elapsed):
        if elapsed > 4 and not killed:
            killed["at"] = time.time()
            cluster.kill(f"rasa-{victim}")

    results = soak(base(cluster), threads=20, seconds=30, tag="kill", during=during)
    f = figures(results, 30)
    print(f"\nkill -9 soak: {f}, recovery {recovery_seconds(results, killed['at'])} s")
    assert killed and f["messages"] >= 200
    assert f["errors"] <= max(1, 0.01 * f["messages"])
    assert lost_turns(results, lambda s: tracker(cluster, s)) == []
    # The conversations go on: one more turn in each works (one whose turn
    # was in flight on the dead instance waits for its lock to expire, 10 s).
    for sender in sorted({r.sender for r in results}):
        assert replied(say(base(cluster), sender, "thanks", timeout=20)), sender
    cluster.start_rasa(victim)  # back for the tests after this one


def test_postgresql_restart_gives_a_clear_reply_then_the_bot_answers_again(cluster):
    assert replied(say(base(cluster), "pg", "my left cheek twitches for 4 days"))
    cluster.stop_postgres()
    start = time.time()
    down = say(base(cluster), "pg", "no")
    assert time.time() - start < 10  # not a hang
    assert down.status == 503 and "again" in down.reply[0]["text"]
    cluster.start_postgres()
    back = time.time()
    while not replied(answer := say(base(cluster), "pg", "no")):
        assert time.time() - back < 15, answer
        time.sleep(0.5)
    print(f"\nPostgreSQL back: answering after {time.time() - back:.1f} s")
    assert "no" in user_texts(tracker(cluster, "pg"))


def test_redis_down_is_refused_safely_then_recovers(cluster):
    """Without the lock store a turn could interleave with another: it is
    refused with a clear 503 reply, and nothing half-done is kept."""
    assert replied(say(base(cluster), "redis", "my right eyelid twitches"))
    cluster._stop("redis")
    down = say(base(cluster), "redis", "for 3 days")
    assert down.status == 503 and "again" in down.reply[0]["text"]
    cluster.start_redis()
    back = time.time()
    while not replied(say(base(cluster), "redis", "for 3 days")):
        assert time.time() - back < 15
        time.sleep(0.5)
    texts = user_texts(tracker(cluster, "redis"))
    assert texts == ["my right eyelid twitches", "for 3 days"]


def test_action_servers_down_then_back(cluster):
    assert replied(say(base(cluster), "act", "my lower lip twitches since yesterday"))
    for port in cluster.action_ports:
        cluster.kill(f"actions-{port}")
    start = time.time()
    sorry = say(base(cluster), "act", "no")
    assert time.time() - start < 2
    assert replied(sorry) and "again" in " ".join(
        r.get("text", "") for r in sorry.reply
    )
    for port in cluster.action_ports:
        cluster.start_action(port)
    time.sleep(2.5)  # the balancer's health checks see them again
    t0 = tracker(cluster, "act")
    pending = t0["slots"]["pending_question"]
    after = say(base(cluster), "act", "no")
    assert replied(after)
    t1 = tracker(cluster, "act")
    assert t1["slots"]["symptom_location"] == ["mouth"]  # same conversation
    assert t1["slots"]["pending_question"] != pending or t1["slots"]["triage_level"]

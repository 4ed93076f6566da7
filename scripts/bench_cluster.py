"""make bench-cluster: a 20-thread soak through the balancer, then each fault.

Starts the cluster of `make cluster` (on free ports, data in a temporary
folder), and prints:
- msgs/s, p50/p95/p99 and errors through HAProxy with two Rasa instances and
  with one (the other taken out);
- for each fault during a soak (kill -9 of a Rasa instance, PostgreSQL
  restarted, Redis restarted, both action servers killed and started again):
  failed requests, "please try again" replies, recovery time and lost turns
  (messages that got a 200 but are not in the store).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.server.cluster import Cluster  # noqa: E402
from tests.cluster_load import (  # noqa: E402
    cluster_on_free_ports,
    figures,
    lost_turns,
    recovery_seconds,
    soak,
    tracker,
)

TRY_AGAIN = ("send that again", "send it again", "send your last message again")


def row(name: str, results, seconds: float, fault_at: float | None, c: Cluster) -> str:
    f = figures(results, seconds)

    def try_again(r) -> bool:
        return r.status == 200 and any(
            w in (m.get("text") or "") for m in r.reply for w in TRY_AGAIN
        )

    sorry = sum(1 for r in results if try_again(r))
    lost = len(lost_turns(results, lambda s: tracker(c, s)))
    rec = recovery_seconds(results, fault_at, try_again) if fault_at else None
    rec_s = "-" if fault_at is None else (f"{rec:.1f} s" if rec is not None else "none")
    return (
        f"| {name} | {f['msg_per_s']:.1f} | {f['p50_ms']:.0f} | {f['p95_ms']:.0f} | "
        f"{f['p99_ms']:.0f} | {f['errors']}/{f['messages']} | {sorry} | {rec_s} | {lost} |"
    )


def main() -> None:
    # SIGTERM runs the `finally` below, so no server outlives the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=20)
    args = parser.parse_args()
    c = cluster_on_free_ports("twitch-bench-")
    base = f"http://127.0.0.1:{c.lb_port}"
    secs, n = args.seconds, args.threads
    rows = []
    try:
        print("starting the cluster...", file=sys.stderr)
        c.start()
        soak(base, 4, 5, "warm")  # first turns load caches

        rows.append(row("2 instances", soak(base, n, secs, "two"), secs, None, c))

        victim = c.rasa_ports[0]
        c.kill(f"rasa-{victim}")
        time.sleep(3)  # out of the balancer after 2 failed checks, 1 s apart
        rows.append(row("1 instance", soak(base, n, secs, "one"), secs, None, c))
        c.start_rasa(victim)
        time.sleep(3)

        def fault(name, act, undo=None, undo_after=3.0):
            state = {}

            def during(elapsed):
                if elapsed > 5 and "at" not in state:
                    state["at"] = time.time()
                    act()
                elif undo and "at" in state and "undone" not in state:
                    if time.time() - state["at"] > undo_after:
                        state["undone"] = True
                        undo()

            results = soak(base, n, secs, name.split()[0].lower(), during=during)
            rows.append(row(name, results, secs, state.get("at"), c))

        fault("kill -9 of one Rasa instance", lambda: c.kill(f"rasa-{victim}"))
        c.start_rasa(victim)
        time.sleep(3)
        fault("PostgreSQL stopped for 3 s", c.stop_postgres, c.start_postgres)
        fault("Redis stopped for 3 s", lambda: c._stop("redis"), c.start_redis)

        def actions_down():
            for p in c.action_ports:
                c.kill(f"actions-{p}")

        def actions_up():
            for p in c.action_ports:
                c.start_action(p, wait=False)

        fault("both action servers killed, restarted", actions_down, actions_up)
    finally:
        c.stop()
        shutil.rmtree(c.data, ignore_errors=True)
    print(
        f"\nmake bench-cluster, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"{platform.platform()}; {n} threads x {secs:.0f} s through HAProxy\n"
    )
    print("| run | msgs/s | p50 ms | p95 ms | p99 ms | errors | 'try again' replies "
          "| recovery | lost turns |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)


if __name__ == "__main__":
    main()

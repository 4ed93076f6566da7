"""make cluster: PostgreSQL + Redis, two Rasa instances and two action servers behind HAProxy.

    :5005  HAProxy  REST round-robin over the Rasa instances; socket.io sticky
                    per client (source hash) with websocket upgrade; a dead
                    instance is out after 2 failed checks, 1 s apart
    :5105, :5106    Rasa (bot.server.serve): SQL tracker store on PostgreSQL,
                    RedisLockStore so one conversation's messages are handled
                    in order whichever instance takes them
    :5150  HAProxy  the action servers, for every Rasa instance
    :5155, :5156    action servers (rasa_sdk)
    :8080           the widget demo, talking to :5005

PostgreSQL (port 5433) and Redis (6380) run as this project's own processes
with their data under .cluster/ (git-ignored), unless DATABASE_URL / REDIS_URL
point elsewhere. Missing Debian packages (postgresql, redis-server, haproxy)
are installed with apt when running as root. Ctrl-C or SIGTERM stops all.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = {
    "redis-server": "redis-server",
    "haproxy": "haproxy",
    "initdb": "postgresql",
}


def pg_bin(name: str) -> str | None:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


def ensure_packages(needed: tuple[str, ...] = tuple(PACKAGES)) -> None:
    """Install the Debian packages whose programs are missing (root only)."""
    missing = [
        PACKAGES[b]
        for b in needed
        if not (pg_bin(b) if b == "initdb" else shutil.which(b))
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"make cluster needs these Debian packages: {' '.join(missing)} "
                 "(run as root once, or apt-get install them)")  # fmt: skip
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(
            ["apt-get", "update", "-q"], env=env, check=True, capture_output=True
        )
        subprocess.run(install, env=env, check=True, capture_output=True)


def action_server_command(port: int) -> list[str]:
    """The rasa-sdk action server with this project's actions."""
    return [
        sys.executable,
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "--port",
        str(port),
    ]


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status == 200
    except Exception:  # noqa: BLE001 - not up (yet)
        return False


def wait_until(check, timeout: float, what: str, proc: subprocess.Popen | None = None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        if proc is not None and proc.poll() is not None:
            # The log's last lines, so that a failed start says why.
            log = getattr(proc, "log_path", None)
            tail = ""
            if log is not None and Path(log).exists():
                lines = Path(log).read_text(errors="replace").splitlines()[-12:]
                tail = "\n" + "\n".join(lines)
            raise RuntimeError(f"{what} exited with {proc.returncode}{tail}")
        time.sleep(0.3)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


def haproxy_config(lb_port: int, rasa_ports, action_lb_port: int, action_ports) -> str:
    rasa = "\n".join(f"  server r{p} 127.0.0.1:{p} check" for p in rasa_ports)
    actions = "\n".join(f"  server a{p} 127.0.0.1:{p} check" for p in action_ports)
    return f"""global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  timeout tunnel 1h
  # A refused connection fails a check at once (a dead instance is out in
  # 2 s); a busy one that answers slowly must not be taken out with it.
  timeout check 10s
  default-server inter 1s fall 2 rise 2
  # A request whose instance died before answering goes to the other one.
  option redispatch
  retries 2
  retry-on conn-failure empty-response
  option http-buffer-request
frontend web
  bind 0.0.0.0:{lb_port}
  acl socketio path_beg /socket.io
  use_backend socketio if socketio
  default_backend rasa
backend rasa
  balance roundrobin
  option httpchk GET /
  http-check expect status 200
{rasa}
backend socketio
  # Sticky per client: socket.io's polling transport must reach one process.
  balance source
  hash-type consistent
  option httpchk GET /
  http-check expect status 200
{rasa}
frontend actions
  bind 127.0.0.1:{action_lb_port}
  default_backend actions
backend actions
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
{actions}
"""


@dataclass
class Cluster:
    data: Path = ROOT / ".cluster"
    lb_port: int = 5005
    rasa_ports: tuple[int, ...] = (5105, 5106)
    action_ports: tuple[int, ...] = (5155, 5156)
    action_lb_port: int = 5150
    pg_port: int = 5433
    redis_port: int = 6380
    widget: bool = True
    env: dict = field(default_factory=lambda: dict(os.environ))
    procs: dict = field(default_factory=dict)

    # ------------------------------------------------------------ settings
    def secret(self, name: str) -> str:
        """A generated password kept under .cluster/ (mode 0600), never printed."""
        path = self.data / f"{name}.secret"
        if not path.exists():
            self.data.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def database_url(self) -> str:
        return self.env.get("DATABASE_URL") or (
            f"postgresql://rasa:{self.secret('postgres')}@127.0.0.1:{self.pg_port}/rasa"
        )

    @property
    def redis_url(self) -> str:
        return self.env.get("REDIS_URL") or (
            f"redis://:{self.secret('redis')}@127.0.0.1:{self.redis_port}/0"
        )

    @property
    def token(self) -> str:
        # One token for all instances (a random one keeps the API closed).
        return self.env.get("BOT_API_TOKEN") or self.secret("api-token")

    def _log_path(self, name: str) -> Path:
        (self.data / "logs").mkdir(parents=True, exist_ok=True)
        return self.data / "logs" / f"{name}.log"

    def _log(self, name: str):
        return open(self._log_path(name), "ab")

    def _spawn(self, name: str, args: list[str], env: dict | None = None, **kw):
        handle = self._log(name)
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env, stdout=handle, stderr=handle,
            start_new_session=True, **kw,
        )  # fmt: skip
        proc.log_path = self._log_path(name)
        self.procs[name] = proc
        (self.data / "pids").mkdir(parents=True, exist_ok=True)
        (self.data / "pids" / f"{name}.pid").write_text(str(proc.pid))
        return proc

    # ------------------------------------------------------------ PostgreSQL
    def _as_postgres(self, args: list[str]) -> list[str]:
        # PostgreSQL refuses to run as root: its own processes run as postgres.
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", "postgres", "--", *args] if os.geteuid() == 0 else args

    @property
    def pg_data(self) -> Path:
        return self.data / "pg"

    def init_postgres(self) -> None:
        if (self.pg_data / "PG_VERSION").exists():
            return
        self.pg_data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres", "postgres")
            shutil.chown(self.data, "postgres")  # the socket directory lives here
        pwfile = self.data / "pg-init.pw"
        pwfile.write_text(self.secret("postgres"))
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres")
        subprocess.run(
            self._as_postgres([pg_bin("initdb"), "-D", str(self.pg_data), "-U", "rasa",
                               f"--pwfile={pwfile}", "--auth=scram-sha-256",
                               "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        pwfile.unlink()
        with open(self.pg_data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.pg_port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.pg_data}'\nmax_connections = 200\n")  # fmt: skip

    def start_postgres(self) -> None:
        self.init_postgres()
        # pg_ctl would daemonise; run postgres itself so stop() and tests own it.
        self._spawn(
            "postgres", self._as_postgres([pg_bin("postgres"), "-D", str(self.pg_data)])
        )
        wait_until(self.postgres_up, 60, "PostgreSQL", self.procs["postgres"])
        self._create_database()

    def postgres_up(self) -> bool:
        probe = [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-q"]
        return subprocess.run(probe, capture_output=True).returncode == 0

    def _create_database(self) -> None:
        env = dict(self.env, PGPASSWORD=self.secret("postgres"))
        base = ["-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "rasa"]
        exists = subprocess.run(
            [pg_bin("psql"), *base, "-d", "postgres", "-tAc",
             "SELECT 1 FROM pg_database WHERE datname='rasa'"],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not exists:
            subprocess.run([pg_bin("createdb"), *base, "rasa"], env=env, check=True)

    def stop_postgres(self) -> None:
        self._stop("postgres", signal.SIGINT)  # fast shutdown: in-flight aborted

    # ------------------------------------------------------------ Redis
    def start_redis(self) -> None:
        (self.data / "redis").mkdir(parents=True, exist_ok=True)
        self._spawn("redis", [
            shutil.which("redis-server"), "--port", str(self.redis_port),
            "--bind", "127.0.0.1", "--dir", str(self.data / "redis"),
            "--save", "", "--appendonly", "no", "--requirepass", self.secret("redis"),
        ])  # fmt: skip
        wait_until(self.redis_up, 30, "Redis", self.procs["redis"])

    def redis_up(self) -> bool:
        import redis

        try:
            client = redis.Redis(host="127.0.0.1", port=self.redis_port,
                                 password=self.secret("redis"), socket_timeout=1)  # fmt: skip
            return bool(client.ping())
        except Exception:  # noqa: BLE001
            return False

    # ------------------------------------------------------------ bot processes
    def service_env(self, **extra) -> dict:
        return dict(
            self.env,
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            BOT_API_TOKEN=self.token,
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{self.action_lb_port}/webhook",
            TF_CPP_MIN_LOG_LEVEL="3",
            RASA_TELEMETRY_ENABLED="false",
            # A lock held by an instance that died mid-turn expires after this
            # (Rasa's default is 60 s); a turn takes well under a second.
            TICKET_LOCK_LIFETIME=self.env.get("TICKET_LOCK_LIFETIME", "10"),
            **extra,
        )

    def migrate(self) -> None:
        """Knowledge-base schema and content, once, before the instances start."""
        subprocess.run([sys.executable, "-m", "bot.kb", "upgrade"], cwd=ROOT,
                       env=self.service_env(), check=True, capture_output=True)  # fmt: skip

    def start_action(self, port: int, wait: bool = True) -> None:
        proc = self._spawn(
            f"actions-{port}",
            action_server_command(port),
            env=self.service_env(),
        )
        if wait:
            wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/health"), 120,
                       f"action server :{port}", proc)  # fmt: skip

    def start_rasa(self, port: int, wait: bool = True) -> None:
        proc = self._spawn(
            f"rasa-{port}",
            [sys.executable, "-m", "bot.server.serve"],
            env=self.service_env(RASA_PORT=str(port)),
        )
        if wait:
            self.wait_rasa(port, proc)

    def wait_rasa(self, port: int, proc=None, timeout: float = 240) -> None:
        status = f"http://127.0.0.1:{port}/status?token={self.token}"

        def loaded() -> bool:
            try:
                with urllib.request.urlopen(status, timeout=2) as resp:
                    return b"model_id" in resp.read()
            except Exception:  # noqa: BLE001
                return False

        wait_until(
            loaded, timeout, f"Rasa :{port}", proc or self.procs.get(f"rasa-{port}")
        )

    def start_haproxy(self) -> None:
        cfg = self.data / "haproxy.cfg"
        cfg.write_text(haproxy_config(self.lb_port, self.rasa_ports,
                                      self.action_lb_port, self.action_ports))  # fmt: skip
        self._spawn("haproxy", [shutil.which("haproxy"), "-db", "-f", str(cfg)])
        wait_until(lambda: http_ok(f"http://127.0.0.1:{self.lb_port}/"), 60,
                   "HAProxy and a Rasa instance behind it", self.procs["haproxy"])  # fmt: skip

    # ------------------------------------------------------------ whole cluster
    def start(self) -> None:
        needed = tuple(b for b, skip in (("initdb", "DATABASE_URL"),
                                          ("redis-server", "REDIS_URL"), ("haproxy", ""))
                       if not self.env.get(skip))  # fmt: skip
        ensure_packages(needed)
        self.data.mkdir(parents=True, exist_ok=True)
        if not self.env.get("DATABASE_URL"):
            self.start_postgres()
        if not self.env.get("REDIS_URL"):
            self.start_redis()
        self.migrate()
        for port in self.action_ports:
            self.start_action(port, wait=False)
        for port in self.rasa_ports:
            self.start_rasa(port, wait=False)
        for port in self.action_ports:
            wait_until(lambda p=port: http_ok(f"http://127.0.0.1:{p}/health"), 180,
                       f"action server :{port}", self.procs[f"actions-{port}"])  # fmt: skip
        for port in self.rasa_ports:
            self.wait_rasa(port)
        self.start_haproxy()
        if self.widget and (ROOT / "widget" / "dist" / "widget.js").exists():
            self._spawn("widget", [sys.executable, "widget/serve.py"],
                        env=dict(self.env, WIDGET_RASA_URL=f"http://localhost:{self.lb_port}"))  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.get(name)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=60)

    def _stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop(self) -> None:
        order = ["widget", "haproxy"] + [n for n in self.procs if n.startswith("rasa-")]
        order += [n for n in self.procs if n.startswith("actions-")] + [
            "redis",
            "postgres",
        ]
        for name in order:
            self._stop(name, signal.SIGINT if name == "postgres" else signal.SIGTERM)


def main() -> None:
    cluster = Cluster()

    def stop(*_):
        cluster.stop()
        print("Stopped.")
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        cluster.start()
    except Exception as exc:  # noqa: BLE001 - say what failed, stop the rest
        print(f"ERROR: {exc} (logs in {cluster.data / 'logs'})", file=sys.stderr)
        cluster.stop()
        sys.exit(1)
    print(f"Cluster ready: REST http://localhost:{cluster.lb_port}/webhooks/rest/webhook "
          f"(Rasa on {', '.join(map(str, cluster.rasa_ports))}, actions on "
          f"{', '.join(map(str, cluster.action_ports))})")  # fmt: skip
    if "widget" in cluster.procs:
        print("Chat widget demo: http://localhost:8080/")
    print("Ctrl-C stops everything.")
    while True:
        for name, proc in list(cluster.procs.items()):
            if proc.poll() is not None and name in ("haproxy", "postgres", "redis"):
                print(f"{name} exited; stopping.", file=sys.stderr)
                stop()
        time.sleep(1)


if __name__ == "__main__":
    main()

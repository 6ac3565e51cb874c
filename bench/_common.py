"""Shared pieces of the benchmarks: the database, the server under test, CPU accounting, tables.

Everything here talks to the loopback interface only: a database URL or a server address on any
other host is refused.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def bin_path(name: str) -> str:
    """A console script of the project's virtual environment (the one running this file)."""
    for candidate in (Path(sys.executable).with_name(name), ROOT / ".venv" / "bin" / name):
        if candidate.exists():
            return str(candidate)
    sys.exit(f"{name} not found next to {sys.executable}; run the benchmark with .venv/bin/python.")


# --- the database -------------------------------------------------------------------------------


def check_local(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit(f"--database-url must be a postgres:// URL, not {url!r}.")
    if (parts.hostname or "") not in LOOPBACK:
        sys.exit(f"The benchmarks only talk to this machine (127.0.0.1); {parts.hostname!r} is refused.")
    if not parts.path.strip("/"):
        sys.exit("--database-url needs a database name, e.g. postgres://postgres@127.0.0.1:5432/emporos_bench.")
    return url


def database_name(url: str) -> str:
    return urlsplit(url).path.strip("/")


def admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))


def database_exists(url: str) -> bool:
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]).fetchone() is not None


def recreate_database(url: str) -> None:
    name = database_name(url)
    if not name.replace("_", "").isalnum():
        sys.exit(f"Database name {name!r}: use letters, digits and underscores only.")
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def app_env(url: str) -> dict[str, str]:
    """The environment of `emporos migrate`, `emporos serve` and the in-process Django setup."""
    env = dict(os.environ)
    env.update(
        {
            "EMPOROS_DATABASE_URL": url,
            "EMPOROS_DEBUG": "false",
            "EMPOROS_ACCESS_LOG": "off",
            "EMPOROS_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "emporos.config.settings",
        }
    )
    return env


def migrate(url: str) -> float:
    started = time.perf_counter()
    subprocess.run([bin_path("emporos"), "migrate", "-v", "0"], env=app_env(url), check=True, cwd=ROOT)
    return time.perf_counter() - started


def setup_django(url: str) -> None:
    """Django in this process, on the same database and settings as the server."""
    os.environ.update(app_env(url))
    import django

    django.setup()


def close_django_connections() -> None:
    """Before forking load generators: no child may share this process's database socket."""
    from django.db import connections

    connections.close_all()


# --- the server under test ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """`emporos serve` as a child in its own process group, stopped on exit whatever happens."""

    url: str
    port: int
    workers: int
    threads: int
    extra_env: dict[str, str] = field(default_factory=dict)
    keep_log: bool = False  # kept (and named in the error) when the server failed
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="emporos-bench-", suffix=".log")[1]))

    def start(self, *, timeout: float = 60.0) -> None:
        command = [
            bin_path("emporos"),
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
        ]
        env = app_env(self.url) | {"EMPOROS_HOST": "127.0.0.1"} | self.extra_env
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.keep_log = True
                raise RuntimeError(
                    f"emporos serve exited with {self.process.returncode} (log {self.log_path}):\n{self.log_tail()}"
                )
            if self._answers():
                # Every worker must have booted, not only the first one that answered.
                time.sleep(1.0)
                return
            time.sleep(0.2)
        self.keep_log = True
        self.stop()
        raise RuntimeError(
            f"emporos serve did not answer on port {self.port} within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def _answers(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/api/v1/orders")
            conn.getresponse().read()
            return True
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            self._terminate(process)
        if not self.keep_log:
            self.log_path.unlink(missing_ok=True)

    def _terminate(self, process: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def parse_env_items(items: Sequence[str]) -> dict[str, str]:
    """`--server-env NAME=VALUE` options: try a setting on the server without editing the project."""
    env = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            sys.exit(f"--server-env {item!r}: write NAME=VALUE.")
        env[name] = value
    return env


def stop_on_sigterm() -> None:
    """SIGTERM ends the benchmark like Ctrl-C does, so `finally` blocks stop the server."""

    def raise_interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, raise_interrupt)


# --- CPU accounting -------------------------------------------------------------------------------

GROUPS = ("server", "postgres", "clients", "other")


def _proc_stat(pid: int) -> tuple[str, int, float] | None:
    """(command, process group, CPU seconds) of one process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    command = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # After the command: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    return command, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _machine_busy() -> float:
    """CPU seconds not idle since boot, all cores."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / CLOCK_TICKS  # less idle and iowait


class CpuTracker:
    """Cores used over a window by the server under test, PostgreSQL, the load generator (this
    process and its clients) and everything else, sampled every `interval` seconds so processes
    born and gone inside the window (autovacuum, parallel workers) are counted too."""

    def __init__(self, *, server_group: int | None, client_pids: Sequence[int] = (), interval: float = 0.2) -> None:
        self.server_group = server_group
        self.client_pids = {os.getpid(), *client_pids}
        self.interval = interval
        self._start: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._began = self._ended = 0.0
        self._busy_began = self._busy_ended = 0.0

    def _group(self, pid: int, command: str, group: int) -> str:
        if self.server_group is not None and group == self.server_group:
            return "server"
        if command == "postgres" or command.startswith("postgres:"):
            return "postgres"
        if pid in self.client_pids:
            return "clients"
        return "other"

    def _scan(self) -> dict[int, tuple[str, float]]:
        seen = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (stat := _proc_stat(int(entry))) is not None:
                command, group, seconds = stat
                seen[int(entry)] = (self._group(int(entry), command, group), seconds)
        return seen

    def start(self) -> CpuTracker:
        self._began, self._busy_began = time.monotonic(), _machine_busy()
        first = self._scan()
        self._start = {pid: seconds for pid, (_, seconds) in first.items()}
        self._last = dict(first)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        for _ in range(1_000_000):
            if self._stop.wait(self.interval):
                break
            self._last.update(self._scan())

    def stop(self) -> dict[str, float]:
        """Average cores per group over the window, plus the whole machine's."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._last.update(self._scan())
        self._ended, self._busy_ended = time.monotonic(), _machine_busy()
        wall = max(self._ended - self._began, 1e-9)
        cores = dict.fromkeys(GROUPS, 0.0)
        for pid, (group, seconds) in self._last.items():
            cores[group] += (seconds - self._start.get(pid, 0.0)) / wall
        cores["machine"] = (self._busy_ended - self._busy_began) / wall
        return cores


def background_load(seconds: float = 1.0) -> float:
    """Cores busy on this machine before the benchmark starts (other work skews every figure)."""
    began, busy = time.monotonic(), _machine_busy()
    time.sleep(seconds)
    return (_machine_busy() - busy) / (time.monotonic() - began)


def warn_if_busy(cores: float) -> None:
    print(f"background load before the run: {cores:.2f} cores busy", flush=True)
    if cores > 0.2:
        print(
            "WARNING: this machine is busy with other work; the figures below are lower than on a quiet "
            "machine (see the 'other' column).",
            flush=True,
        )


def format_cores(cores: dict[str, float]) -> str:
    return " ".join(f"{name}={value:.2f}" for name, value in cores.items())


# --- figures and tables ---------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (need not be sorted); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(header) for header in headers]] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        lines.append("  ".join(value.rjust(width) for value, width in zip(row, widths, strict=True)))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def heading(text: str) -> None:
    print(f"\n== {text} ==", flush=True)


@contextlib.contextmanager
def timed(label: str) -> Iterator[None]:
    started = time.perf_counter()
    print(f"{label} ...", end="", flush=True)
    yield
    print(f" {time.perf_counter() - started:.1f} s", flush=True)


def fresh_database(database_url: str, *, title: str, detail: str = "") -> str:
    """A benchmark's start: a loopback URL only, Ctrl-C and SIGTERM stop cleanly, the heading and
    how busy the machine is, then the database dropped, created and migrated. Returns the URL."""
    url = check_local(database_url)
    stop_on_sigterm()
    heading(f"{title} on {url}{detail}")
    warn_if_busy(background_load())
    with timed("recreate database"):
        recreate_database(url)
    with timed("emporos migrate"):
        migrate(url)
    return url

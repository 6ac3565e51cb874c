"""`emporos serve` twice on one host: each server has its own gunicorn control socket."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from gunicorn.ctl.client import ControlClient

from emporos.config import gunicorn_hooks
from emporos.config.server import serve_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


def wait_for_page(url: str, server: subprocess.Popen[bytes], log: Path) -> tuple[int, str]:
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log.read_text()
        try:
            return fetch(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def listening_port(control_socket: Path) -> str:
    """The address the server behind `control_socket` listens on, asked over that socket."""
    with ControlClient(str(control_socket), timeout=10) as client:
        listeners = client.send_command("show listeners")["listeners"]
    return str(listeners[0]["address"]).rsplit(":", 1)[-1]


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A shop on SQLite in tmp_path, migrated; HOME there too, so no default socket is shared."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "XDG_RUNTIME_DIR"}
    env.update(
        HOME=str(home),
        EMPOROS_VAR_DIR=str(tmp_path / "var"),
        EMPOROS_DATABASE_URL="",
        EMPOROS_ACCESS_LOG="off",
        DJANGO_SETTINGS_MODULE="emporos.config.settings",
    )
    subprocess.run([sys.executable, "-m", "emporos.cli", "migrate", "--verbosity", "0"], env=env, check=True)
    return env


@pytest.mark.timeout(180)
def test_two_servers_on_one_host_both_start_serve_and_keep_their_own_control_socket(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    ports = [free_port(), free_port()]
    servers: list[subprocess.Popen[bytes]] = []
    logs = [tmp_path / f"serve-{port}.log" for port in ports]
    try:
        for port, log in zip(ports, logs, strict=True):
            command = [sys.executable, "-m", "emporos.cli", "serve", "--port", str(port), "--workers", "1"]
            servers.append(subprocess.Popen(command, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT))
        for port, server, log in zip(ports, servers, logs, strict=True):
            status, body = wait_for_page(f"http://127.0.0.1:{port}/sign-in/", server, log)
            assert status == 200
            assert 'name="password"' in body

        sockets = [tmp_path / "var" / f"gunicorn-{port}.ctl" for port in ports]
        assert [listening_port(path) for path in sockets] == [str(port) for port in ports]
        assert not (tmp_path / "home" / ".gunicorn").exists()

        # Stopping one server leaves the other's socket in place and answering.
        servers[0].send_signal(signal.SIGTERM)
        assert servers[0].wait(timeout=30) == 0
        assert not sockets[0].exists()
        assert listening_port(sockets[1]) == str(ports[1])
        assert fetch(f"http://127.0.0.1:{ports[1]}/sign-in/")[0] == 200
    finally:
        for server in servers:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)


def test_the_control_socket_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMPOROS_CONTROL_SOCKET", "off")

    command = serve_command(port=8123, workers=1, threads=1)

    assert "--no-control-socket" in command
    assert "--control-socket" not in command


def test_a_control_socket_path_can_be_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EMPOROS_CONTROL_SOCKET", str(tmp_path / "web-a.ctl"))

    command = serve_command(port=8123, workers=1, threads=1)

    assert command[command.index("--control-socket") + 1] == str(tmp_path / "web-a.ctl")


def test_each_worker_sets_what_it_loaded_apart_from_the_garbage_collector() -> None:
    """The full collections of a serving process walk only what requests made (gc.freeze), not
    the code and schemas it loaded: they paused every thread for up to 160 ms."""
    command = serve_command(port=8123, workers=1, threads=1)
    assert command[command.index("--config") + 1] == "python:emporos.config.gunicorn_hooks"

    frozen_before = gc.get_freeze_count()
    try:
        gunicorn_hooks.post_worker_init(worker=None)
        assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()

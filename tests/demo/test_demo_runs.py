"""`emporos demo` end to end: it serves the API docs, accepts the issue's order, and stops cleanly."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import order_body

# The issue's request as written, with a demo SKU.
ORDER = order_body(lines=[{"sku": "TEA-MOUNTAIN-100", "quantity": 2, "unit_price": "19.90"}])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")  # noqa: S310
    with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


@pytest.mark.timeout(600)
def test_emporos_demo_serves_the_docs_and_takes_the_issue_order(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, EMPOROS_VAR_DIR=str(tmp_path), EMPOROS_DATABASE_URL="", EMPOROS_PORT=str(port))
    output = tmp_path / "demo.log"
    demo = subprocess.Popen(
        [sys.executable, "-m", "emporos.cli", "demo", "--every", "1"],
        env=env,
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 480  # about 5 minutes measured with three test runs beside it
        while "Press Ctrl-C to stop" not in output.read_text() and time.monotonic() < deadline:
            assert demo.poll() is None, output.read_text()
            time.sleep(0.5)
        key = re.findall(r"emp_[A-Za-z0-9_-]+", output.read_text())[-1]
        for _ in range(40):
            try:
                status, _ = request(f"http://127.0.0.1:{port}/api/v1/docs")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200

        status, body = request(
            f"http://127.0.0.1:{port}/api/v1/orders",
            data=json.dumps(ORDER).encode(),
            headers={
                "Authorization": f"Bearer {key}",
                "Content-Type": "application/json",
                "Idempotency-Key": "0b6f5c1e-4a0e-4e39-9a52-7f3f3c1d2a10",
            },
        )
        assert status == 201
        assert json.loads(body)["lines"][0]["stock_state"] == "reserved"
        number = json.loads(body)["number"]

        # The printed sign-in opens the order desk; the order is found there.
        password = re.findall(r"Password:\s+(\S+)", output.read_text())[-1]
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        sign_in = browser.open(f"http://127.0.0.1:{port}/sign-in/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sign_in).group(1)  # type: ignore[union-attr]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "owner", "password": password})
        home = browser.open(f"http://127.0.0.1:{port}/sign-in/", data=form.encode(), timeout=10).read().decode()
        assert 'id="home-counts"' in home  # signing in lands on the home page
        queue = browser.open(f"http://127.0.0.1:{port}/queue/", timeout=10).read().decode()
        assert "Orders waiting" in queue
        found = browser.open(f"http://127.0.0.1:{port}/orders/?q={number}", timeout=10).read().decode()
        assert f'href="/orders/{number}/"' in found
    finally:
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
    assert "Stopped." in output.read_text()

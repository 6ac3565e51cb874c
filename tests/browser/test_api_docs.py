"""The API docs open in a real Chromium, served from our own static files (no CDN)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("EMPOROS_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium: apt-get install -y chromium")


def test_the_docs_page_renders_offline(live_server: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    outside_requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page()
        page.on(
            "request",
            lambda request: (
                outside_requests.append(request.url) if not request.url.startswith(live_server.url) else None
            ),
        )  # type: ignore[attr-defined]
        page.goto(f"{live_server.url}/api/v1/docs")  # type: ignore[attr-defined]
        page.wait_for_selector("text=Emporos API", timeout=15000)
        page.wait_for_selector("text=Place an order", timeout=15000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
        browser.close()

    assert [url for url in outside_requests if not url.startswith("data:")] == []

"""The API docs open in a real Chromium, served from our own static files (no CDN)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_offline(live_server: object, browser: Any) -> None:
    outside_requests: list[str] = []
    page = browser.new_page()
    page.on(
        "request",
        lambda request: outside_requests.append(request.url) if not request.url.startswith(live_server.url) else None,
    )  # type: ignore[attr-defined]
    page.goto(f"{live_server.url}/api/v1/docs")  # type: ignore[attr-defined]
    page.wait_for_selector("text=Emporos API", timeout=15000)
    page.wait_for_selector("text=Place an order", timeout=15000)
    screenshot(page, "api-docs")

    assert [url for url in outside_requests if not url.startswith("data:")] == []

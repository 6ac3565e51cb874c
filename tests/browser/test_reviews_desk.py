"""The reviews page in a real Chromium, in Hebrew: the one-star review waits on top, the agent
answers it, the worker posts the answer, and the page shows it posted. Screenshot:
test-artifacts/support-reviews-he.png."""

from __future__ import annotations

from typing import Any

import pytest

from emporos.access.services import create_staff
from emporos.feedback.models import ReplyStatus, Review
from tests.browser.conftest import screenshot
from tests.browser.test_support_desk import OVERFLOW, signed_in_in_hebrew
from tests.conftest import STAFF_PASSWORD
from tests.desk.test_review_pages import shown  # noqa: F401  (the reviews shown)
from tests.fulfillment.conftest import drain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_in_hebrew_an_agent_answers_the_low_review_on_top(live_server: Any, browser: Any, shown: None) -> None:  # noqa: F811
    create_staff(username="noa", email="noa@example.com", password=STAFF_PASSWORD, role="support")
    base = live_server.url
    page = signed_in_in_hebrew(browser, base, "noa")
    page.goto(f"{base}/support/reviews/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    first = page.locator("article.review").first
    assert first.get_attribute("data-stars") == "1"
    assert "החבילה לא הגיעה." in first.inner_text()
    first.locator("textarea").fill("מצטערים מאוד! בדקנו מול חברת השילוח והחבילה בדרך אלייך.")
    first.locator("button[type=submit]").click()
    page.wait_for_load_state()
    low = Review.objects.get(external_id="one")
    assert low.reply_status == ReplyStatus.PENDING
    drain()  # the worker posts it
    low.refresh_from_db()
    assert low.reply_status == ReplyStatus.SENT
    page.goto(f"{base}/support/reviews/?show=all")
    answered = page.locator(f'article[data-review="{low.pk}"]')
    assert "מצטערים מאוד!" in answered.inner_text()
    assert answered.locator(".badge--reply-sent").count() == 1
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "support-reviews-he")

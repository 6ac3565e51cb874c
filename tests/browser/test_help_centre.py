"""A customer on a phone searches the help centre in Greek, opens the article and says it did not
answer: a thank-you and the way to write to the shop, nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from emporos.demo.help import write_help_centre
from emporos.help.models import ArticleView, ArticleVote
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_a_customer_searches_in_greek_reads_and_votes(live_server: Any, browser: Any) -> None:
    articles = {(article.topic_key, article.language): article for article in write_help_centre()}
    wanted = articles["returns-and-withdrawal", "el"]
    page = browser.new_page(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)

    page.goto(f"{live_server.url}/help/?lang=el")
    assert page.locator("html").get_attribute("lang") == "el"
    assert fits_the_screen(page)
    page.locator("#help-q").fill("επιστροφη")  # typed without the accent
    page.locator("#help-q").press("Enter")
    page.wait_for_selector("#help-results")
    assert page.locator("#help-results a").first.inner_text() == wanted.title
    screenshot(page, "help-search-el")

    page.locator("#help-results a").first.click()
    page.wait_for_selector("#vote-no")
    assert page.locator("h1").inner_text() == wanted.title
    assert page.locator(".help-article li").count() == 3
    assert fits_the_screen(page)

    page.locator("#vote-no").click()
    page.wait_for_selector("#vote-thanks")
    assert page.locator("#vote-contact").get_attribute("href") == "/contact/"
    assert page.locator("#vote-no").count() == 0
    assert fits_the_screen(page)
    screenshot(page, "help-article-voted-el")

    view = ArticleView.objects.get()
    vote = ArticleVote.objects.get()
    assert (view.article_id, vote.article_id, vote.is_helpful) == (wanted.pk, wanted.pk, False)
    assert vote.visitor_key == view.visitor_key
    page.context.close()


def test_the_help_centre_reads_right_to_left_in_hebrew(live_server: Any, browser: Any) -> None:
    articles = {(article.topic_key, article.language): article for article in write_help_centre()}
    page = browser.new_page(viewport=PHONE, locale="he-IL", is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/help/he/{articles['sizes', 'he'].slug}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "איך בוחרים מידה?"
    assert fits_the_screen(page)
    screenshot(page, "help-article-he")
    page.context.close()

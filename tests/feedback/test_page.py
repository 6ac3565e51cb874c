"""The customer's page of the check, by its signed link: a GET never votes (mail scanners follow
links), a POST with the CSRF token does; a tampered link is a friendly 404; the message that
carries the link reads in Greek and Hebrew; the desk shows the answer beside the order."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils.html import strip_tags

from emporos.core import clock
from emporos.feedback import links
from emporos.feedback.models import SatisfactionCheck
from emporos.notifications.models import Channel, Kind, Message
from emporos.orders import links as order_links
from tests.feedback.conftest import DUE, asked, delivered_with_check, last_event_id, page_path, payloads, topics_since

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
ANSWER_TIME = DUE + dt.timedelta(hours=1)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", strip_tags(html)).strip()


def csrf_client(path: str) -> tuple[Client, str]:
    """A browser that checks CSRF as a real one would, after opening the page; its token."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    return browser, token.group(1)


def vote(check: SatisfactionCheck, score: str, comment: str = "", lang: str = "en", path: str = "") -> Any:
    path = f"{path or page_path(check)}?lang={lang}"
    browser, token = csrf_client(path)
    return browser.post(path, {"csrfmiddlewaretoken": token, "score": score, "comment": comment})


def test_a_get_shows_the_question_and_never_votes(api: Client) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    with clock.frozen_at(ANSWER_TIME):
        page = Client().get(f"{page_path(check)}?lang=en&score=1")
        head = Client().head(page_path(check))

    assert (page.status_code, head.status_code) == (200, 200)
    words = text_of(page.content.decode())
    assert f"How did it go with your order {check.order.display_number}?" in words
    assert re.findall(r'<button type="submit" name="score" value="(\d)"', page.content.decode()) == list("54321")
    assert 'method="post"' in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    check.refresh_from_db()
    assert (check.score, check.answered_at) == (None, None)
    assert topics_since(before) == []


def test_a_post_with_the_csrf_token_votes_and_the_page_thanks(api: Client) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    link = page_path(check)
    with clock.frozen_at(ANSWER_TIME):
        answered = vote(check, "5", "Όλα τέλεια!", path=link)
        page = Client().get(answered["Location"])

    assert answered.status_code == 303
    assert answered["Location"] == f"{link}?lang=en"
    check.refresh_from_db()
    assert (check.score, check.comment, check.answered_at) == (5, "Όλα τέλεια!", ANSWER_TIME)
    assert topics_since(before) == ["feedback.satisfaction_answered"]
    words = text_of(page.content.decode())
    assert "Thank you for telling us. Your answer: Very good." in words
    assert "get in touch" not in words
    assert 'aria-pressed="true"' in page.content.decode()  # the answer shown, changeable for 7 days


def test_a_post_without_the_csrf_token_is_refused_and_records_nothing(api: Client) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    refused = Client(enforce_csrf_checks=True).post(page_path(check), {"score": "1"})

    assert refused.status_code == 403
    check.refresh_from_db()
    assert check.score is None
    assert topics_since(before) == []


def test_a_bad_answer_says_the_shop_will_get_in_touch(api: Client) -> None:
    check = asked(delivered_with_check(api))

    with clock.frozen_at(ANSWER_TIME):
        answered = vote(check, "2", "Ήρθε σπασμένο.")
        page = Client().get(answered["Location"])

    words = text_of(page.content.decode())
    assert (
        "We are sorry it did not go well. Someone from the shop will get in touch with you today or on the next "
        "working day to put it right." in words
    )
    assert payloads("feedback.satisfaction_answered")[0]["is_bad"] is True


@pytest.mark.parametrize(
    ("score", "comment", "status", "message"),
    [
        ("", "", 400, "Please choose one of the buttons, from very good to very bad."),
        ("9", "", 400, "Please choose one of the buttons, from very good to very bad."),
        ("4", "x" * 2001, 400, "Please keep your comment under 2000 characters."),
    ],
    ids=["no-score", "out-of-range", "long-comment"],
)
def test_a_bad_form_is_answered_next_to_its_field_and_records_nothing(
    api: Client, score: str, comment: str, status: int, message: str
) -> None:
    check = asked(delivered_with_check(api))
    before = last_event_id()

    with clock.frozen_at(ANSWER_TIME):
        refused = vote(check, score, comment)

    assert refused.status_code == status
    assert message in text_of(refused.content.decode())
    check.refresh_from_db()
    assert check.score is None
    assert topics_since(before) == []


def test_after_seven_days_the_answer_stands_and_the_page_says_so(api: Client) -> None:
    check = asked(delivered_with_check(api))
    with clock.frozen_at(ANSWER_TIME):
        vote(check, "4")

    with clock.frozen_at(ANSWER_TIME + dt.timedelta(days=8)):
        page = Client().get(f"{page_path(check)}?lang=en")
        late = Client().post(f"{page_path(check)}?lang=en", {"score": "1"})

    assert 'id="feedback-form"' not in page.content.decode()
    assert late.status_code == 409
    assert "Your answer was given more than 7 days ago, so it can no longer be changed." in text_of(
        late.content.decode()
    )
    check.refresh_from_db()
    assert check.score == 4


@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_tampered_or_foreign_link_is_a_friendly_404(api: Client, lang: str) -> None:
    check = asked(delivered_with_check(api))
    token = links.check_token(check)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    status_token = order_links.status_token(check.order)  # a genuine link, of another kind
    forged_check = signing.dumps("not-a-uuid", salt="emporos.feedback.link", compress=False)

    for bad in (tampered, status_token, forged_check):
        page = Client().get(f"/feedback/{bad}/?lang={lang}")
        posted = Client().post(f"/feedback/{bad}/?lang={lang}", {"score": "1"})
        assert (page.status_code, posted.status_code) == (404, 404)
        assert 'id="link-refused"' in page.content.decode()
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "he" else "ltr"}">' in page.content.decode()
    check.refresh_from_db()
    assert check.score is None


def test_the_page_in_hebrew_is_right_to_left(api: Client) -> None:
    check = asked(delivered_with_check(api))

    page = Client().get(f"{page_path(check)}?lang=he").content.decode()

    assert '<html lang="he" dir="rtl">' in page
    assert 'name="viewport"' in page
    assert 'id="comment" name="comment" rows="3" maxlength="2000" dir="auto"' in page


@pytest.mark.parametrize(
    ("language", "subject", "rtl"),
    [
        ("el", "Πώς πήγε η παραγγελία σας {number};", False),
        ("he", "איך היה עם ההזמנה {number}?", True),
    ],
)
def test_the_message_with_its_signed_link_reads_in_the_customers_language(
    api: Client, language: str, subject: str, rtl: bool
) -> None:
    customer = {"email": "c@example.gr", "name": "Δοκιμή", "phone": "+306912345670", "language": language}
    check = asked(delivered_with_check(api, customer=customer))

    message = Message.objects.get(kind=Kind.SATISFACTION_CHECK, channel=Channel.EMAIL)

    assert message.language == language
    assert message.subject == subject.format(number=check.order.display_number)
    link = re.search(r"http://[^\s]*/feedback/([^/\s]+)/", message.body_text)
    assert link is not None
    assert links.check_for_token(link.group(1)) == check
    assert link.group(0) in message.body_html
    assert ('dir="rtl"' in message.body_html) is rtl
    assert "{" not in message.body_text


def test_the_desk_shows_the_check_beside_the_order(api: Client, owner: Client) -> None:
    check = asked(delivered_with_check(api))
    with clock.frozen_at(ANSWER_TIME):
        vote(check, "1", "Λάθος χρώμα.")

    page = owner.get(f"/orders/{check.order.display_number}/?lang=en")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="satisfaction" data-state="answered"' in html
    assert 'data-score="1"' in html
    assert "1 of 5 (very bad)" in text_of(html)
    assert "Λάθος χρώμα." in html

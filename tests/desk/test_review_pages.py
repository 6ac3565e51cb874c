"""The desk's reviews page: who may open it, low ratings waiting on top, the filters, a reply kept
and posted, an empty or too long reply refused next to its field with nothing kept, a refused
reply shown in the platform's words, and the page in Hebrew, right to left."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.feedback import review_services
from emporos.feedback.models import ReplyStatus, Review
from emporos.feedback.reviews import ReviewDraft
from emporos.outbox.models import Event
from tests.fulfillment.conftest import drain

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def draft(key: str, stars: int, author: str, text: str, days_ago: int, reply: str = "") -> ReviewDraft:
    moment = NOW - dt.timedelta(days=days_ago)
    return ReviewDraft(
        external_id=key,
        stars=stars,
        author=author,
        text=text,
        written_at=moment,
        updated_at=moment,
        reply_text=reply,
        replied_at=moment + dt.timedelta(hours=3) if reply else None,
    )


@pytest.fixture
def shown(db: None) -> None:
    """Four reviews on the demo platform: a new five, an older one star, a two answered, a three."""
    with clock.frozen_at(NOW):
        review_services.import_reviews(
            platform="demo",
            drafts=[
                draft("five", 5, "Anna Kowalska", "Szybko i pięknie zapakowane.", 1),
                draft("one", 1, "יעל כהן", "החבילה לא הגיעה.", 5),
                draft("two", 2, "Γιώργος", "Αργή αποστολή.", 3, reply="Ζητούμε συγγνώμη, Γιώργο."),
                draft("three", 3, "", "", 2),
            ],
            actor=Actor.system("demo"),
        )


def order_on_page(body: str) -> list[str]:
    ids = {review.pk: review.external_id for review in Review.objects.all()}
    return [ids[int(pk)] for pk in re.findall(r'data-review="(\d+)"', body)]


def open_page(client: Client, **params: str) -> str:
    response = client.get("/support/reviews/", params)
    assert response.status_code == 200, response.content
    return response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("support", 200), ("warehouse", 403)])
def test_owners_and_support_answer_reviews_warehouse_is_refused(
    make_staff: Any, shown: None, role: str, status: int
) -> None:
    client = make_staff(role)
    one = Review.objects.get(external_id="one")

    page = client.get("/support/reviews/")
    posted = client.post(f"/support/reviews/{one.pk}/reply/", {f"review-{one.pk}-text": "Sorry!"})

    assert page.status_code == status
    assert posted.status_code == (303 if status == 200 else 403)
    assert Review.objects.get(pk=one.pk).reply_status == ("pending" if status == 200 else "")


def test_a_signed_out_visitor_is_sent_to_sign_in(shown: None) -> None:
    response = Client().get("/support/reviews/")
    assert (response.status_code, response["Location"]) == (302, "/sign-in/?next=/support/reviews/")


def test_waiting_low_ratings_come_first_then_the_newest(make_staff: Any, shown: None) -> None:
    client = make_staff("support")

    waiting = open_page(client)
    everything = open_page(client, show="all")
    ones = open_page(client, show="all", stars="1")

    assert order_on_page(waiting) == ["one", "five", "three"]  # "two" is answered
    assert order_on_page(everything) == ["one", "five", "three", "two"]
    assert order_on_page(ones) == ["one"]
    assert "1 low rating waits for an answer" in waiting
    assert 'id="reviews-link"' in open_page_of_queue(client)


def open_page_of_queue(client: Client) -> str:
    return client.get("/support/").content.decode()


def test_a_filter_that_cannot_be_read_is_a_400_on_the_page(make_staff: Any, shown: None) -> None:
    response = make_staff("support").get("/support/reviews/", {"stars": "7"})
    assert response.status_code == 400
    assert "Some filters cannot be used" in response.content.decode()


def test_a_reply_is_kept_posted_and_shown(make_staff: Any, shown: None) -> None:
    client = make_staff("support", "eleni")
    one = Review.objects.get(external_id="one")

    response = client.post(
        f"/support/reviews/{one.pk}/reply/?stars=1", {f"review-{one.pk}-text": "מצטערים מאוד, שלחנו חבילה חדשה."}
    )

    assert (response.status_code, response["Location"]) == (303, f"/support/reviews/?stars=1#review-{one.pk}")
    assert Review.objects.get(pk=one.pk).reply_status == ReplyStatus.PENDING
    drain()
    one.refresh_from_db()
    assert (one.reply_status, one.reply_text, one.replied_by.username) == (  # type: ignore[union-attr]
        ReplyStatus.SENT,
        "מצטערים מאוד, שלחנו חבילה חדשה.",
        "eleni",
    )
    page = open_page(client, show="all")
    assert "מצטערים מאוד, שלחנו חבילה חדשה." in page
    assert "Reply kept; it is being posted on the demo platform." in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("   ", "Write the reply first: an empty reply cannot be posted.", id="empty"),
        pytest.param(
            "א" * 2049,
            "takes replies of at most 4,096 bytes (a Greek or Hebrew letter takes two); this one has 4,098.",
            id="too-long",
        ),
    ],
)
def test_a_reply_that_cannot_be_posted_is_refused_next_to_its_field(
    make_staff: Any, shown: None, text: str, message: str
) -> None:
    client = make_staff("support")
    one = Review.objects.get(external_id="one")
    events = Event.objects.count()

    response = client.post(f"/support/reviews/{one.pk}/reply/", {f"review-{one.pk}-text": text})

    body = response.content.decode()
    assert response.status_code == 400
    field = re.search(rf'<p class="field__error" id="id_review-{one.pk}-text_error">([^<]*)</p>', body)
    assert field is not None
    assert message in field.group(1).replace("&#x27;", "'")
    assert (Review.objects.get(pk=one.pk).reply_status, Event.objects.count()) == ("", events)


def test_a_refused_reply_shows_the_platforms_words(make_staff: Any, shown: None) -> None:
    two = Review.objects.get(external_id="two")
    Review.objects.filter(pk=two.pk).update(
        reply_status=ReplyStatus.FAILED, reply_error="Google refused the reply (HTTP 404 NOT_FOUND)."
    )

    page = open_page(make_staff("support"))

    assert "did not take the reply" in page
    assert "Google refused the reply (HTTP 404 NOT_FOUND)." in page
    assert order_on_page(page) == ["two", "one", "five", "three"]  # a failed reply waits like no reply


def test_an_unknown_review_is_a_friendly_404(make_staff: Any) -> None:
    response = make_staff("support").post("/support/reviews/999/reply/", {"review-999-text": "Hi"})
    assert response.status_code == 404
    assert "There is no such review" in response.content.decode()


def test_the_page_reads_in_hebrew_right_to_left(make_staff: Any, shown: None) -> None:
    client = make_staff("support")

    body = client.get("/support/reviews/", headers={"Accept-Language": "he"}).content.decode()
    greek = client.get("/support/reviews/", {"show": "all"}, headers={"Accept-Language": "el"}).content.decode()

    assert 'dir="rtl"' in body
    assert 'lang="he"' in body
    assert "Reviews" not in re.sub(r"<[^>]+>", " ", body.split("<main", 1)[-1]).split()
    assert '<p class="review__text" dir="auto" lang="he">החבילה לא הגיעה.</p>' in body
    assert "Waiting for an answer" not in greek


def test_the_page_costs_the_same_queries_for_one_review_or_many(
    make_staff: Any, shown: None, django_assert_max_num_queries: Any
) -> None:
    client = make_staff("support")
    open_page(client)  # warm: the session, the shop's settings
    with django_assert_max_num_queries(12) as few:
        open_page(client, show="all")
    with clock.frozen_at(NOW):
        review_services.import_reviews(
            platform="demo",
            drafts=[draft(f"more-{n}", 1 + n % 5, f"Person {n}", "Text", n) for n in range(20)],
            actor=Actor.system("demo"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        open_page(client, show="all")

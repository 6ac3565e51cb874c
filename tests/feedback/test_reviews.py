"""Reviews on the shop's platforms (C10): read from Google through its recorded answers, stored once
however often they are read, a changed review updated; a reply kept at once and posted by the
worker with the documented PUT body; a platform's refusal shown with its words, retried through
the outbox when a retry may help, a dead letter at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

from emporos.cli import main
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.feedback import review_poll, review_services, reviews
from emporos.feedback.models import ReplyStatus, Review, ReviewSourceState
from emporos.feedback.reviews import ReviewDraft, guess_language
from emporos.integrations.reviews.google import GoogleReviews
from emporos.outbox.models import Delivery, DeliveryStatus
from emporos.timeline.models import SubjectKind
from emporos.timeline.selectors import timeline_of
from tests.feedback.conftest import last_event_id, payloads, topics_since
from tests.fulfillment.conftest import drain
from tests.integrations.conftest import Exchange, FakeTransport, answer, fixture_json
from tests.integrations.test_google_reviews import (
    FIXTURES,
    LIST,
    LOCATION,
    MARIA,
    NEXT,
    PUT_HEADERS,
    SETTINGS,
    page,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
GOOGLE = Actor.system("Google")
REPLY = fixture_json(FIXTURES, "reply.request.json")["comment"]
HANDLER = "feedback.post_review_reply"


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakeTransport]]:
    """Google set up; each adapter is built on the next fake transport the test adds."""
    transports: list[FakeTransport] = []
    monkeypatch.setattr(reviews, "_PLATFORMS", dict(reviews._PLATFORMS))
    reviews.register(
        "google",
        lambda: GoogleReviews(settings=SETTINGS, transport=transports.pop(0)),
        name="Google",
        reply_max_length=4096,
        limit_in_bytes=True,
    )
    with override_settings(EMPOROS={**settings.EMPOROS, "REVIEW_SOURCES": ["google"]}), clock.frozen_at(NOW):
        yield transports
    assert all(not transport.pending for transport in transports), "a recorded exchange was never made"


def both_pages() -> FakeTransport:
    return FakeTransport(page(LIST, "reviews_page1.response.json"), page(NEXT, "reviews_page2.response.json"))


def put(reply: Any, text: str = REPLY) -> Exchange:
    return Exchange(
        "PUT", f"https://mybusiness.googleapis.com/v4/{MARIA}/reply", reply, headers=PUT_HEADERS, json={"comment": text}
    )


def maria() -> Review:
    return Review.objects.get(external_id=MARIA)


def rows() -> list[tuple[Any, ...]]:
    return list(
        Review.objects.order_by("external_id").values_list(
            "external_id", "stars", "author", "language", "reply_status", "reply_text", "replied_at", "updated_at"
        )
    )


@pytest.fixture
def agent(db: None) -> User:
    return User.objects.create_user("eleni")


def review_kinds(review: Review) -> list[str]:
    return [
        entry.kind for entry in reversed(timeline_of(SubjectKind.REVIEW, review.pk, language="en", time_zone="UTC"))
    ]


# --- reading ------------------------------------------------------------------------------------


def test_reading_twice_stores_each_review_once(google: list[FakeTransport]) -> None:
    google += [both_pages(), both_pages()]
    first_event = last_event_id()

    first = review_poll.read("google")
    stored = rows()
    ReviewSourceState.objects.all().delete()  # the next reading starts from the beginning again
    second = review_poll.read("google")

    assert (first.count, first.error) == (review_services.ImportCount(created=4), "")
    assert second.count == review_services.ImportCount(unchanged=4)
    assert rows() == stored
    assert [(row[1], row[2], row[3], row[4]) for row in stored] == [
        (1, "", "", ""),  # anonymous, a rating without words
        (4, "יעל כהן", "he", "sent"),  # answered on Google itself
        (2, "Μαρία Παπαδοπούλου", "el", ""),
        (5, "Anna Kowalska", "pl", ""),
    ]
    assert topics_since(first_event) == ["feedback.review_received"] * 4
    assert sorted((p["stars"], p["is_low"], p["has_reply"]) for p in payloads("feedback.review_received")) == [
        (1, True, False),
        (2, True, False),
        (4, False, True),
        (5, False, False),
    ]
    state = ReviewSourceState.objects.get(platform="google")
    assert (state.read_since, state.last_success_at, state.last_error) == (NOW, NOW, "")


def test_a_later_reading_asks_from_an_hour_before_the_last_one_began(google: list[FakeTransport]) -> None:
    google += [both_pages(), FakeTransport(page(LIST, "reviews_page1.response.json"))]
    review_poll.read("google")

    with clock.frozen_at(NOW + dt.timedelta(minutes=15)):
        again = review_poll.read("google")

    # Page 1's reviews changed before NOW - 1 h: the reading stops there, page 2 is never asked for.
    assert again.count == review_services.ImportCount()
    assert ReviewSourceState.objects.get().read_since == NOW + dt.timedelta(minutes=15)


def test_a_review_its_author_changed_is_updated_and_told(google: list[FakeTransport]) -> None:
    google += [both_pages()]
    review_poll.read("google")
    before = maria()
    changed = ReviewDraft(
        external_id=MARIA,
        stars=4,
        author="Μαρία Παπαδοπούλου",
        text="Μου έστειλαν καινούργιο πακέτο την ίδια μέρα. Ευχαριστώ!",
        written_at=before.written_at,
        updated_at=NOW,
    )
    first_event = last_event_id()

    count = review_services.import_reviews(platform="google", drafts=[changed], actor=GOOGLE)

    after = maria()
    assert count == review_services.ImportCount(updated=1)
    assert (after.pk, after.stars, after.text, after.updated_at) == (before.pk, 4, changed.text, NOW)
    assert topics_since(first_event) == ["feedback.review_edited"]
    assert payloads("feedback.review_edited") == [
        {"review_id": after.pk, "platform": "google", "stars": 4, "stars_before": 2}
    ]


def test_a_platform_that_fails_keeps_its_words_and_its_start(google: list[FakeTransport]) -> None:
    google += [FakeTransport(page(LIST, "error_unauthenticated.response.json", status=401))]

    result = review_poll.read("google")

    assert result.count == review_services.ImportCount()
    assert result.error.startswith("Google refused reading the reviews (HTTP 401 UNAUTHENTICATED)")
    state = ReviewSourceState.objects.get()
    assert (state.read_since, state.last_success_at, state.last_error, state.last_error_at) == (
        None,
        None,
        result.error,
        NOW,
    )
    assert Review.objects.count() == 0


def test_the_author_is_matched_to_the_one_customer_of_that_name_with_a_delivered_order(
    api: Any, catalog: None, greece: Any
) -> None:
    from tests.returns.conftest import delivered

    number = delivered(api)  # Μαρία Παπαδοπούλου's order, delivered on 4 December 2026
    draft = ReviewDraft(
        external_id=f"{LOCATION}/reviews/later",
        stars=5,
        author="ΜΑΡΙΑ παπαδοπουλου",  # the same name, typed otherwise
        text="Όλα τέλεια!",
        written_at=dt.datetime(2026, 12, 6, tzinfo=dt.UTC),
        updated_at=dt.datetime(2026, 12, 6, tzinfo=dt.UTC),
    )
    stranger = replace(draft, external_id=f"{LOCATION}/reviews/stranger", author="Γιάννης Νικολάου")

    review_services.import_reviews(platform="demo", drafts=[draft, stranger], actor=GOOGLE)

    matched, unmatched = Review.objects.order_by("external_id")
    assert matched.order is not None
    assert matched.order.display_number == number
    assert matched.customer_id == matched.order.customer_id
    assert (unmatched.customer_id, unmatched.order_id) == (None, None)


# --- replying -------------------------------------------------------------------------------------


def test_a_reply_is_posted_by_the_worker_with_the_documented_body(google: list[FakeTransport], agent: User) -> None:
    google += [both_pages()]
    review_poll.read("google")
    first_event = last_event_id()

    kept = review_services.write_reply(review=maria(), text=f"  {REPLY}\r\n", actor=Actor.staff("eleni"), author=agent)
    again = review_services.write_reply(review=maria(), text=REPLY, actor=Actor.staff("eleni"), author=agent)

    assert (kept.reply_status, kept.reply_text, kept.reply_version, kept.replied_by) == (
        ReplyStatus.PENDING,
        REPLY,
        1,
        agent,
    )
    assert again.reply_version == 1  # the same text twice (a double click): one reply
    google.append(FakeTransport(put(answer(200, FIXTURES, "reply.response.json"))))
    drain()
    drain()  # a second run finds nothing to do

    review = maria()
    assert (review.reply_status, review.reply_error, review.replied_at) == (
        ReplyStatus.SENT,
        "",
        dt.datetime(2026, 11, 30, 9, 12, 44, 318204, tzinfo=dt.UTC),
    )
    assert topics_since(first_event) == ["feedback.review_reply_written", "feedback.review_reply_posted"]
    assert review_kinds(review) == [
        "feedback.review_received",
        "feedback.review_reply_written",
        "feedback.review_reply_posted",
    ]
    assert Delivery.objects.get(handler=HANDLER).status == DeliveryStatus.DONE


def test_a_reply_google_cannot_take_now_is_shown_failed_and_tried_again(
    google: list[FakeTransport], agent: User
) -> None:
    google += [both_pages()]
    review_poll.read("google")
    review_services.write_reply(review=maria(), text=REPLY, actor=Actor.staff("eleni"), author=agent)
    google.append(FakeTransport(put(answer(503, FIXTURES, "error_unavailable.response.json"))))

    drain()

    review, delivery = maria(), Delivery.objects.get(handler=HANDLER)
    assert (review.reply_status, review.reply_error) == (
        ReplyStatus.FAILED,
        "Google refused the reply (HTTP 503 UNAVAILABLE): The service is currently unavailable.",
    )
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)

    google.append(FakeTransport(put(answer(200, FIXTURES, "reply.response.json"))))
    with clock.frozen_at(NOW + dt.timedelta(hours=2)):
        drain()

    review, delivery = maria(), Delivery.objects.get(handler=HANDLER)
    assert (review.reply_status, review.reply_error, delivery.status, delivery.attempts) == (
        ReplyStatus.SENT,
        "",
        DeliveryStatus.DONE,
        2,
    )


def test_a_reply_that_keeps_failing_ends_as_a_dead_letter_still_shown_failed(
    google: list[FakeTransport], agent: User
) -> None:
    google += [both_pages()]
    review_poll.read("google")
    review_services.write_reply(review=maria(), text=REPLY, actor=Actor.staff("eleni"), author=agent)
    moment = NOW
    with override_settings(EMPOROS={**settings.EMPOROS, "REVIEW_SOURCES": ["google"], "OUTBOX_MAX_ATTEMPTS": 3}):
        for _attempt in range(3):
            google.append(FakeTransport(put(answer(401, FIXTURES, "error_unauthenticated.response.json"))))
            with clock.frozen_at(moment):
                drain()
            moment += dt.timedelta(hours=2)

    delivery = Delivery.objects.get(handler=HANDLER)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, 3)
    assert maria().reply_status == ReplyStatus.FAILED
    assert "renew EMPOROS_GOOGLE_REVIEWS_TOKEN" in maria().reply_error


def test_a_reply_to_a_review_google_removed_is_refused_for_good(google: list[FakeTransport], agent: User) -> None:
    google += [both_pages()]
    review_poll.read("google")
    review_services.write_reply(review=maria(), text=REPLY, actor=Actor.staff("eleni"), author=agent)
    google.append(FakeTransport(put(answer(404, FIXTURES, "error_not_found.response.json"))))
    first_event = last_event_id()

    drain()

    review = maria()
    assert (review.reply_status, review.reply_error) == (
        ReplyStatus.FAILED,
        "Google refused the reply (HTTP 404 NOT_FOUND): Requested entity was not found.",
    )
    assert Delivery.objects.get(handler=HANDLER).status == DeliveryStatus.DONE  # no pointless retries
    assert topics_since(first_event) == ["feedback.review_reply_refused"]


def test_a_newer_reply_replaces_the_older_one_before_it_leaves(google: list[FakeTransport], agent: User) -> None:
    google += [both_pages()]
    review_poll.read("google")
    review_services.write_reply(review=maria(), text="Πρώτη εκδοχή.", actor=Actor.staff("eleni"), author=agent)
    review_services.write_reply(review=maria(), text=REPLY, actor=Actor.staff("eleni"), author=agent)
    google.append(FakeTransport(put(answer(200, FIXTURES, "reply.response.json"))))

    drain()

    # Two deliveries: the first (version 1) did nothing; only the newer text was posted, once.
    assert list(Delivery.objects.filter(handler=HANDLER).values_list("status", flat=True)) == ["done", "done"]
    assert (maria().reply_status, maria().reply_text, maria().reply_version) == (ReplyStatus.SENT, REPLY, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("  \n ", "Give the text.", id="empty"),
        pytest.param(
            "α" * 2049, "Google takes replies of at most 4096 bytes of UTF-8; this one has 4098.", id="over-4096-bytes"
        ),
        pytest.param("Ευχαριστούμε\u202e!", "Remove the bidirectional control character U+202E", id="bidi-override"),
    ],
)
def test_a_reply_google_would_refuse_is_refused_before_anything_is_kept(
    google: list[FakeTransport], agent: User, text: str, message: str
) -> None:
    google += [both_pages()]
    review_poll.read("google")
    first_event = last_event_id()

    with pytest.raises(ValidationFailed) as raised:
        review_services.write_reply(review=maria(), text=text, actor=Actor.staff("eleni"), author=agent)

    assert [error.field for error in raised.value.errors] == ["text"]
    assert raised.value.errors[0].message.startswith(message)
    assert (maria().reply_status, maria().reply_text, maria().reply_version) == ("", "", 0)
    assert topics_since(first_event) == []


def test_the_demo_platform_takes_every_reply(agent: User) -> None:
    draft = ReviewDraft(
        external_id="demo-1",
        stars=1,
        author="Jan Nowak",
        text="Paczka nie dotarła.",
        written_at=NOW,
        updated_at=NOW,
    )
    with clock.frozen_at(NOW):
        review_services.import_reviews(platform="demo", drafts=[draft], actor=GOOGLE)
        review_services.write_reply(
            review=Review.objects.get(), text="Przepraszamy, już sprawdzamy.", actor=Actor.staff("eleni"), author=agent
        )
        drain()

    assert (Review.objects.get().reply_status, Review.objects.get().replied_at) == (ReplyStatus.SENT, NOW)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Πολύ καλό τσάι!", "el"),
        ("שירות מעולה", "he"),
        ("Herbata dotarła szybko", "pl"),
        ("Bardzo dobra herbata, polecam", "pl"),
        ("The tea was great and the box was fine", "en"),
        ("Sehr gut", ""),
        ("👍", ""),
    ],
)
def test_the_language_is_guessed_only_when_the_text_tells(text: str, language: str) -> None:
    assert guess_language(text) == language


# --- the command and the scheduled job ----------------------------------------------------------------


def test_reviews_poll_reads_once_and_says_what_it_found(
    google: list[FakeTransport], capsys: pytest.CaptureFixture[str]
) -> None:
    google += [both_pages(), FakeTransport(page(LIST, "error_unavailable.response.json", status=503))]

    assert main(["reviews-poll"]) == 0
    with clock.frozen_at(NOW + dt.timedelta(hours=2)):
        assert main(["reviews-poll"]) == 1

    out, err = capsys.readouterr()
    assert out == "google: 4 new, 0 changed, 0 as they were.\n"
    assert err.splitlines()[-1] == (  # the log's lines come first on stderr
        "google: Google refused reading the reviews (HTTP 503 UNAVAILABLE): The service is currently unavailable."
    )


def test_reviews_poll_without_a_platform_says_what_to_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reviews-poll"]) == 2
    assert "set EMPOROS_GOOGLE_REVIEWS_LOCATION and EMPOROS_GOOGLE_REVIEWS_TOKEN" in capsys.readouterr().err


def test_the_job_is_declared_only_when_a_platform_is_set_up() -> None:
    from emporos.outbox.schedule import scheduled_jobs

    # The test settings set up no platform: the worker never asks Google for anything.
    assert "feedback.poll_reviews" not in {job.name for job in scheduled_jobs()}
    assert settings.EMPOROS["REVIEW_SOURCES"] == []

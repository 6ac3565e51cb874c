"""Google Business Profile reviews against their recorded answers: the list page by page (star
words, anonymous reviewers, replies written on Google, a rating Google leaves unspecified), the
reply's PUT body, and Google's errors in its own words with whether a retry may help. No test
reaches the network: every request meets a FakeTransport that checks it exactly."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.conf import settings
from django.test import override_settings

from emporos.feedback.reviews import (
    ReviewDraft,
    ReviewSourceError,
    ReviewSourceNotConfigured,
    ReviewSourceUnreachable,
    source,
)
from emporos.integrations.http import CarrierUnreachable
from emporos.integrations.reviews.google import GoogleReviews, GoogleReviewsSettings, timestamp
from tests.integrations.conftest import Exchange, FakeTransport, answer, fixture_json

API = "https://mybusiness.googleapis.com"
LOCATION = "accounts/1234567890/locations/9876543210"
TOKEN = "ya29.emporos-test-token"
SETTINGS = GoogleReviewsSettings(api_url=API, location=LOCATION, token=TOKEN)
READ_HEADERS = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
PUT_HEADERS = {**READ_HEADERS, "Content-Type": "application/json; charset=utf-8"}
LIST = f"{API}/v4/{LOCATION}/reviews?pageSize=50"
NEXT = f"{LIST}&pageToken=CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA"
MARIA = f"{LOCATION}/reviews/AbFvOqn4kLm2"
FIXTURES = "google_reviews"


def adapter(*exchanges: Exchange, settings: GoogleReviewsSettings = SETTINGS) -> tuple[GoogleReviews, FakeTransport]:
    transport = FakeTransport(*exchanges)
    return GoogleReviews(settings=settings, transport=transport), transport


def page(url: str, name: str, status: int = 200) -> Exchange:
    return Exchange("GET", url, answer(status, FIXTURES, name), headers=READ_HEADERS)


def utc(*parts: int, microsecond: int = 0) -> dt.datetime:
    return dt.datetime(*parts, microsecond=microsecond, tzinfo=dt.UTC)


def test_every_page_is_read_and_each_review_told_in_emporos_words(caplog: pytest.LogCaptureFixture) -> None:
    google, transport = adapter(page(LIST, "reviews_page1.response.json"), page(NEXT, "reviews_page2.response.json"))

    with caplog.at_level(logging.WARNING):
        drafts = google.fetch(None)

    transport.assert_all_made()
    assert drafts == [
        ReviewDraft(
            external_id=MARIA,
            stars=2,
            author="Μαρία Παπαδοπούλου",
            text="Το τσάι ήρθε με σκισμένη συσκευασία και κανείς δεν απάντησε στο email μου.",
            written_at=utc(2026, 11, 28, 17, 42, 10, microsecond=512345),
            updated_at=utc(2026, 11, 29, 8, 3, 55, microsecond=120000),
        ),
        ReviewDraft(
            external_id=f"{LOCATION}/reviews/AbFvOqn9xYz7",
            stars=5,
            author="Anna Kowalska",
            text="Szybka wysyłka do paczkomatu, herbata pachnie wspaniale. Polecam!",
            written_at=utc(2026, 11, 27, 10, 15),
            updated_at=utc(2026, 11, 27, 10, 15),
        ),
        ReviewDraft(
            external_id=f"{LOCATION}/reviews/AbFvOqm1pQr5",
            stars=4,
            author="יעל כהן",
            text="משלוח מהיר, אבל הספל הגיע בצבע אחר ממה שהזמנתי.",
            written_at=utc(2026, 11, 20, 12, 0),
            updated_at=utc(2026, 11, 20, 12, 0),
            reply_text="Thank you, Yael! We have sent the right colour today.",
            replied_at=utc(2026, 11, 21, 9, 30),
        ),
        # Anonymous: Google's placeholder name is not the author's; a rating without a comment.
        ReviewDraft(
            external_id=f"{LOCATION}/reviews/AbFvOqk3sTu8",
            stars=1,
            author="",
            text="",
            written_at=utc(2026, 11, 15, 19, 45),
            updated_at=utc(2026, 11, 15, 19, 45),
        ),
    ]
    # STAR_RATING_UNSPECIFIED cannot be shown as stars: left out, and said so in the log.
    assert [record.getMessage() for record in caplog.records] == [
        f"Google sent review {LOCATION}/reviews/AbFvOqj0vWx1 with star rating 'STAR_RATING_UNSPECIFIED'; left out"
    ]


def test_a_later_reading_stops_at_the_first_review_older_than_its_start() -> None:
    """Google lists the newest change first: once a page reaches older reviews, no more pages."""
    google, transport = adapter(page(LIST, "reviews_page1.response.json"))

    drafts = google.fetch(utc(2026, 11, 28, 0, 0))

    transport.assert_all_made()  # page 2 was never asked for
    assert [draft.external_id for draft in drafts] == [MARIA]


def test_the_reply_is_put_on_the_review_with_the_documented_body() -> None:
    body = fixture_json(FIXTURES, "reply.request.json")
    google, transport = adapter(
        Exchange(
            "PUT",
            f"{API}/v4/{MARIA}/reply",
            answer(200, FIXTURES, "reply.response.json"),
            headers=PUT_HEADERS,
            json=body,
        )
    )

    posted_at = google.reply(MARIA, body["comment"])

    transport.assert_all_made()
    assert posted_at == utc(2026, 11, 30, 9, 12, 44, microsecond=318204)


@pytest.mark.parametrize(
    ("status", "fixture", "retryable", "words"),
    [
        pytest.param(
            404,
            "error_not_found.response.json",
            False,
            "Google refused the reply (HTTP 404 NOT_FOUND): Requested entity was not found.",
            id="review-deleted",
        ),
        pytest.param(
            401,
            "error_unauthenticated.response.json",
            True,
            "Google refused the reply (HTTP 401 UNAUTHENTICATED): Request had invalid authentication credentials. "
            "Expected OAuth 2 access token, login cookie or other valid authentication credential. The access "
            "token has expired or is wrong: renew EMPOROS_GOOGLE_REVIEWS_TOKEN.",
            id="token-expired",
        ),
        pytest.param(
            403,
            "error_permission_denied.response.json",
            False,
            "Google refused the reply (HTTP 403 PERMISSION_DENIED): The caller does not have permission The token's "
            "account must manage this location, with the business.manage scope.",
            id="not-the-manager",
        ),
        pytest.param(
            503,
            "error_unavailable.response.json",
            True,
            "Google refused the reply (HTTP 503 UNAVAILABLE): The service is currently unavailable.",
            id="google-down",
        ),
    ],
)
def test_an_error_answer_is_told_in_googles_words(status: int, fixture: str, retryable: bool, words: str) -> None:
    google, transport = adapter(
        Exchange(
            "PUT",
            f"{API}/v4/{MARIA}/reply",
            answer(status, FIXTURES, fixture),
            headers=PUT_HEADERS,
            json={"comment": "Ευχαριστούμε!"},
        )
    )

    with pytest.raises(ReviewSourceError) as raised:
        google.reply(MARIA, "Ευχαριστούμε!")

    transport.assert_all_made()
    assert (raised.value.message, raised.value.retryable) == (words, retryable)


def test_an_error_while_listing_names_the_list() -> None:
    google, _transport = adapter(page(LIST, "error_unavailable.response.json", status=503))

    with pytest.raises(ReviewSourceError) as raised:
        google.fetch(None)

    assert raised.value.message == (
        "Google refused reading the reviews (HTTP 503 UNAVAILABLE): The service is currently unavailable."
    )
    assert raised.value.retryable is True


def test_no_answer_at_all_is_unreachable_and_retryable() -> None:
    google, _transport = adapter(
        Exchange(
            "GET",
            LIST,
            CarrierUnreachable("mybusiness.googleapis.com did not answer within 20 s."),
            headers=READ_HEADERS,
        )
    )

    with pytest.raises(ReviewSourceUnreachable) as raised:
        google.fetch(None)

    assert raised.value.message == "Google did not answer: mybusiness.googleapis.com did not answer within 20 s."
    assert raised.value.retryable is True


@pytest.mark.parametrize(
    ("google_settings", "message"),
    [
        pytest.param(
            GoogleReviewsSettings(api_url=API, location=LOCATION, token=""),
            "Google reviews are not set up: set EMPOROS_GOOGLE_REVIEWS_TOKEN in the environment "
            "(README, Reviews on Google) and restart Emporos.",
            id="no-token",
        ),
        pytest.param(
            GoogleReviewsSettings(api_url=API, location="9876543210", token=TOKEN),
            "EMPOROS_GOOGLE_REVIEWS_LOCATION='9876543210': write the location's name as Google gives it, "
            "e.g. accounts/1234567890/locations/9876543210.",
            id="bare-location-id",
        ),
    ],
)
def test_nothing_leaves_without_a_token_and_a_location_name(
    google_settings: GoogleReviewsSettings, message: str
) -> None:
    google, transport = adapter(settings=google_settings)

    with pytest.raises(ReviewSourceNotConfigured) as raised:
        google.fetch(None)
    with pytest.raises(ReviewSourceNotConfigured):
        google.reply(MARIA, "Ευχαριστούμε!")

    assert raised.value.message == message
    assert transport.requests == []


def test_a_reply_over_4096_bytes_or_to_a_foreign_path_never_leaves() -> None:
    google, transport = adapter()

    with pytest.raises(ReviewSourceError, match="at most 4096 bytes"):
        google.reply(MARIA, "α" * 2049)  # 4098 bytes in UTF-8, 2049 characters
    with pytest.raises(ReviewSourceError, match="is not the name of a Google review"):
        google.reply("accounts/1/locations/2/reviews/3/../../../admin", "Ευχαριστούμε!")

    assert transport.requests == []


def test_the_registered_platform_is_built_from_the_environment() -> None:
    configured = {"API_URL": API + "/", "LOCATION": LOCATION, "TOKEN": TOKEN}
    with override_settings(EMPOROS={**settings.EMPOROS, "GOOGLE_REVIEWS": configured}):
        built = source("google")

    assert isinstance(built, GoogleReviews)
    assert built._settings == SETTINGS


def test_nanoseconds_are_cut_to_microseconds() -> None:
    assert timestamp("2014-10-02T15:01:23.045123456Z") == utc(2014, 10, 2, 15, 1, 23, microsecond=45123)
    assert timestamp("2014-10-02T15:01:23+05:30") == utc(2014, 10, 2, 9, 31, 23)

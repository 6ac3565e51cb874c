"""Google Business Profile reviews behind `feedback.reviews`: read a location's reviews, post the
shop's reply.

Where each shape comes from (tests/integrations/fixtures/README.md lists them per fixture):
- "Method: accounts.locations.reviews.list"
  (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list):
  `GET https://mybusiness.googleapis.com/v4/{parent=accounts/*/locations/*}/reviews` with
  `pageSize` (at most 50) and `pageToken`; the answer has `reviews[]`, `averageRating`,
  `totalReviewCount` and `nextPageToken` (absent on the last page); without `orderBy` the reviews
  come newest `updateTime` first.
- "REST Resource: accounts.locations.reviews"
  (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews): a
  Review is `name` (accounts/*/locations/*/reviews/*), `reviewId`, `reviewer` {profilePhotoUrl,
  displayName, isAnonymous}, `starRating` (STAR_RATING_UNSPECIFIED, ONE .. FIVE), `comment`,
  `createTime`, `updateTime` (RFC 3339), `reviewReply` {comment, updateTime}; a reply's comment is
  at most 4096 bytes.
- "Method: accounts.locations.reviews.updateReply" (same reference, /updateReply): `PUT
  https://mybusiness.googleapis.com/v4/{name=accounts/*/locations/*/reviews/*}/reply` with a
  ReviewReply body; it creates the reply or replaces it, and answers the ReviewReply. Both calls
  need an OAuth token with the `business.manage` scope.
- Google's error body `{"error": {"code", "message", "status"}}` with the canonical statuses
  (INVALID_ARGUMENT 400, UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
  RESOURCE_EXHAUSTED 429, INTERNAL 500, UNAVAILABLE 503), as Google's API pages document it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from emporos.core import clock
from emporos.core.config import setting
from emporos.feedback.reviews import (
    ReviewDraft,
    ReviewSourceError,
    ReviewSourceNotConfigured,
    ReviewSourceUnreachable,
)
from emporos.fulfillment.carriers import CarrierError
from emporos.integrations.http import (
    CarrierUnreachable,
    HttpRequest,
    HttpResponse,
    Transport,
    UrllibTransport,
    json_body,
)

logger = logging.getLogger(__name__)

NAME = "Google"
API_URL = "https://mybusiness.googleapis.com"
PAGE_SIZE = 50  # the largest page the list method gives
MAX_PAGES = 200  # 10,000 reviews a reading: a guard against a page token that never ends
REPLY_MAX_BYTES = 4096
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
_LOCATION = re.compile(r"accounts/[A-Za-z0-9_-]+/locations/[A-Za-z0-9_-]+")
_REVIEW = re.compile(r"accounts/[A-Za-z0-9_-]+/locations/[A-Za-z0-9_-]+/reviews/[A-Za-z0-9_-]+")
# Statuses a retry may cure: a token renewed meanwhile, a timeout, a quota that refills, Google's own fault.
_RETRYABLE = {401, 408, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class GoogleReviewsSettings:
    """EMPOROS_GOOGLE_REVIEWS_* (README, Reviews on Google); read when an adapter is built."""

    api_url: str = API_URL
    location: str = ""
    token: str = ""

    @classmethod
    def from_settings(cls) -> GoogleReviewsSettings:
        values: Mapping[str, str] = setting("GOOGLE_REVIEWS")
        return cls(
            api_url=values["API_URL"].rstrip("/"), location=values["LOCATION"].strip("/ "), token=values["TOKEN"]
        )


def from_settings() -> GoogleReviews:
    """The factory `emporos.integrations` registers as "google"."""
    return GoogleReviews(settings=GoogleReviewsSettings.from_settings(), transport=UrllibTransport())


class GoogleReviews:
    code = "google"
    name = NAME

    def __init__(self, *, settings: GoogleReviewsSettings, transport: Transport) -> None:
        self._settings = settings
        self._transport = transport

    def fetch(self, since: dt.datetime | None) -> list[ReviewDraft]:
        """The location's reviews changed at or after `since` (every one for None), newest change
        first, page after page until the pages reach older ones."""
        self._require()
        drafts: list[ReviewDraft] = []
        token = ""
        for _page in range(MAX_PAGES):
            query = {"pageSize": str(PAGE_SIZE), **({"pageToken": token} if token else {})}
            answer = self._send("GET", f"/v4/{self._settings.location}/reviews?{urlencode(query)}")
            if not answer.ok:
                raise refusal(answer, doing="reading the reviews")
            page = answer.json()
            if not isinstance(page, dict):
                raise ReviewSourceError(f"{NAME} answered the list of reviews without a JSON object.", retryable=True)
            found = [draft for item in page.get("reviews") or [] if (draft := review_from(item)) is not None]
            fresh = [draft for draft in found if since is None or draft.updated_at >= since]
            drafts.extend(fresh)
            token = str(page.get("nextPageToken") or "")
            if not token or len(fresh) < len(found):
                return drafts  # the last page, or the pages reached reviews read before
        logger.warning("Google kept sending pages of reviews after %s; stopped there", MAX_PAGES)
        return drafts

    def reply(self, external_id: str, text: str) -> dt.datetime:
        """Create or replace the reply; when Google says it was saved."""
        self._require()
        if not _REVIEW.fullmatch(external_id):
            raise ReviewSourceError(f"{external_id!r} is not the name of a Google review (accounts/…/reviews/…).")
        if len(text.encode("utf-8")) > REPLY_MAX_BYTES:
            raise ReviewSourceError(f"Google takes replies of at most {REPLY_MAX_BYTES} bytes of UTF-8.")
        answer = self._send("PUT", f"/v4/{quote(external_id)}/reply", body={"comment": text})
        if not answer.ok:
            raise refusal(answer, doing="the reply")
        saved = answer.json()
        moment = saved.get("updateTime") if isinstance(saved, dict) else None
        return timestamp(moment) if isinstance(moment, str) else clock.now()

    # --- calls ---------------------------------------------------------------------------------------

    def _require(self) -> None:
        missing = [
            variable
            for variable, value in (
                ("EMPOROS_GOOGLE_REVIEWS_LOCATION", self._settings.location),
                ("EMPOROS_GOOGLE_REVIEWS_TOKEN", self._settings.token),
            )
            if not value
        ]
        if missing:
            raise ReviewSourceNotConfigured(
                f"{NAME} reviews are not set up: set {', '.join(missing)} in the environment "
                "(README, Reviews on Google) and restart Emporos."
            )
        if not _LOCATION.fullmatch(self._settings.location):
            raise ReviewSourceNotConfigured(
                f"EMPOROS_GOOGLE_REVIEWS_LOCATION={self._settings.location!r}: write the location's name as "
                "Google gives it, e.g. accounts/1234567890/locations/9876543210."
            )

    def _send(self, method: str, path: str, *, body: Mapping[str, object] | None = None) -> HttpResponse:
        headers = {"Authorization": f"Bearer {self._settings.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = HttpRequest(method, self._settings.api_url + path, headers, json_body(body) if body else None)
        try:
            return self._transport(request)
        except CarrierUnreachable as exc:
            raise ReviewSourceUnreachable(f"{NAME} did not answer: {exc.message}") from None
        except CarrierError as exc:
            raise ReviewSourceError(f"{NAME} could not be asked: {exc.message}") from None


def timestamp(value: str) -> dt.datetime:
    """An RFC 3339 time as Google writes it ("2026-11-30T09:15:02.123456789Z"), aware; nanoseconds
    are cut to microseconds."""
    cleaned = re.sub(r"(\.\d{6})\d+", r"\1", value.strip())
    moment = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def review_from(item: Any) -> ReviewDraft | None:
    """A Review in Emporos's words; None (logged) for one without a star rating Emporos can show."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ReviewSourceError(f"{NAME} sent a review without a name: {str(item)[:200]!r}", retryable=True)
    stars = STARS.get(str(item.get("starRating") or ""))
    if stars is None:
        logger.warning("Google sent review %s with star rating %r; left out", item["name"], item.get("starRating"))
        return None
    reviewer = _object(item.get("reviewer"))
    author = "" if reviewer.get("isAnonymous") else str(reviewer.get("displayName") or "")
    reply = _object(item.get("reviewReply"))
    reply_text = str(reply.get("comment") or "")
    try:
        written_at = timestamp(str(item.get("createTime") or ""))
        updated_at = timestamp(str(item.get("updateTime") or item.get("createTime") or ""))
        replied_at = timestamp(str(reply["updateTime"])) if reply_text and reply.get("updateTime") else None
    except ValueError:
        raise ReviewSourceError(f"{NAME} sent review {item['name']} with a time that is not RFC 3339.") from None
    return ReviewDraft(
        external_id=item["name"],
        stars=stars,
        author=author,
        text=str(item.get("comment") or ""),
        written_at=written_at,
        updated_at=updated_at,
        reply_text=reply_text,
        replied_at=replied_at if reply_text else None,
    )


def refusal(response: HttpResponse, *, doing: str) -> ReviewSourceError:
    """Google's error answer as a ReviewSourceError in Google's words, saying whether a retry may help."""
    answer = response.json()
    details = answer.get("error") if isinstance(answer, dict) else None
    details = details if isinstance(details, dict) else {}
    message, status = str(details.get("message") or ""), str(details.get("status") or "")
    words = " ".join(part for part in (f"HTTP {response.status}", status) if part)
    text = f"{NAME} refused {doing} ({words})" + (f": {message}" if message else ".")
    if response.status == 401:
        text += " The access token has expired or is wrong: renew EMPOROS_GOOGLE_REVIEWS_TOKEN."
    elif response.status == 403:
        text += " The token's account must manage this location, with the business.manage scope."
    return ReviewSourceError(text, retryable=response.status in _RETRYABLE)

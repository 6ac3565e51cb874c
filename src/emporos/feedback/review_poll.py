"""Reading the shop's review platforms: each configured one asked for what changed since its last
successful reading (an hour of overlap: a review saved while that reading ran is not missed, and
one read twice changes nothing), the answer stored through `review_services.import_reviews`.

Called by the `feedback.poll_reviews` job every EMPOROS_REVIEWS_POLL_SECONDS and by
`emporos reviews-poll`. A platform that fails keeps its words on the desk's reviews page and is
asked again next time from the same moment, so nothing is skipped."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.feedback import review_services, reviews
from emporos.feedback.models import ReviewSourceState

logger = logging.getLogger(__name__)

OVERLAP = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ReadResult:
    platform: str
    count: review_services.ImportCount
    error: str = ""


def configured() -> list[str]:
    """The platforms the environment sets up (EMPOROS_REVIEW_SOURCES, derived in settings)."""
    return list(setting("REVIEW_SOURCES"))


def read(platform: str) -> ReadResult:
    """Read one platform and store what it shows; a ReviewSourceError is recorded, not raised."""
    started_at = clock.now()
    state = ReviewSourceState.objects.filter(platform=platform).first()
    since = state.read_since - OVERLAP if state is not None and state.read_since is not None else None
    try:
        adapter = reviews.source(platform)
        drafts = adapter.fetch(since)
    except reviews.ReviewSourceError as error:
        logger.warning("Reading %s reviews failed: %s", platform, error.message)
        review_services.record_read(platform=platform, started_at=started_at, error=error.message)
        return ReadResult(platform, review_services.ImportCount(), error.message)
    count = review_services.import_reviews(platform=platform, drafts=drafts, actor=Actor.system(adapter.name))
    review_services.record_read(platform=platform, started_at=started_at)
    return ReadResult(platform, count)


def read_all() -> list[ReadResult]:
    return [read(platform) for platform in configured()]

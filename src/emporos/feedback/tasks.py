"""Scheduled jobs of feedback: the shop's review platforms read every EMPOROS_REVIEWS_POLL_SECONDS,
when the environment sets one up (EMPOROS_GOOGLE_REVIEWS_LOCATION and _TOKEN)."""

from __future__ import annotations

from django_tasks import task

from emporos.core.config import setting
from emporos.feedback import review_poll
from emporos.outbox.schedule import scheduled


@task()
def poll_reviews() -> int:
    """Read every configured platform; returns how many reviews were new or changed."""
    results = review_poll.read_all()
    return sum(result.count.created + result.count.updated for result in results)


if setting("REVIEW_SOURCES"):
    scheduled(name="feedback.poll_reviews", every_seconds=setting("REVIEWS_POLL_SECONDS"))(poll_reviews.enqueue)

"""Reading reviews for the desk: low ratings without an answer first, then the newest; how many
wait; how the last reading of each platform went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from emporos.feedback.models import ReplyStatus, Review, ReviewSourceState
from emporos.feedback.reviews import LOW_AT_MOST

SHOW_UNANSWERED, SHOW_ALL = "unanswered", "all"
# Not answered yet, or the answer did not reach the platform: either way the author waits.
_WAITING = Q(reply_status__in=[ReplyStatus.NONE, ReplyStatus.FAILED])


@dataclass(frozen=True)
class ReviewFilters:
    show: str = SHOW_UNANSWERED  # "unanswered" or "all"
    stars: int | None = None


@dataclass(frozen=True)
class ReviewPage:
    rows: Sequence[Review]
    count: int
    has_next: bool


@dataclass(frozen=True)
class ReviewCounts:
    waiting: int
    low_waiting: int


def _filtered(filters: ReviewFilters) -> QuerySet[Review]:
    reviews = Review.objects.all()
    if filters.show != SHOW_ALL:
        reviews = reviews.filter(_WAITING)
    if filters.stars is not None:
        reviews = reviews.filter(stars=filters.stars)
    return reviews


def review_list(filters: ReviewFilters, *, page: int = 1, size: int = 50) -> ReviewPage:
    """One page of reviews: low ratings (1-2 stars) still waiting for an answer first, then the
    newest. Two queries whatever the page holds."""
    reviews = _filtered(filters)
    urgent = Case(
        When(_WAITING & Q(stars__lte=LOW_AT_MOST), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    start = (page - 1) * size
    rows = list(
        reviews.select_related("replied_by", "customer", "order")
        .annotate(urgency=urgent)
        .order_by("urgency", "-written_at", "-id")[start : start + size + 1]
    )
    return ReviewPage(rows=rows[:size], count=reviews.count(), has_next=len(rows) > size)


def review_counts() -> ReviewCounts:
    figures = Review.objects.filter(_WAITING).aggregate(
        waiting=Count("id"), low=Count("id", filter=Q(stars__lte=LOW_AT_MOST))
    )
    return ReviewCounts(waiting=int(figures["waiting"]), low_waiting=int(figures["low"]))


def is_waiting(review: Review) -> bool:
    return review.reply_status in (ReplyStatus.NONE, ReplyStatus.FAILED)


def source_states(platforms: list[str]) -> list[tuple[str, ReviewSourceState | None]]:
    """Each platform's last reading (None: not read yet), in the order given."""
    states = {state.platform: state for state in ReviewSourceState.objects.filter(platform__in=platforms)}
    return [(platform, states.get(platform)) for platform in platforms]

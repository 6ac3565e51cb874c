"""Writing reviews: store what a platform shows (idempotent by the platform's id), keep the shop's
reply and how posting it went, and how the last reading of each platform went.

Nothing here calls out: `feedback.review_poll` reads a platform and hands the drafts to
`import_reviews`; the `feedback.post_review_reply` handler posts a reply and records the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_text, search_form
from emporos.feedback import events, reviews
from emporos.feedback.models import (
    REPLY_MAX_LENGTH,
    REVIEW_TEXT_MAX_LENGTH,
    ReplyStatus,
    Review,
    ReviewSourceState,
)
from emporos.orders.models import Order
from emporos.orders.states import FulfillmentStatus
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind

_DELIVERED = [FulfillmentStatus.DELIVERED, FulfillmentStatus.PARTIALLY_DELIVERED]


@dataclass(frozen=True)
class ImportCount:
    """What one reading brought: reviews new to Emporos, reviews their authors changed, the rest."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: ImportCount) -> ImportCount:
        return ImportCount(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)


def _about(review: Review) -> list[timeline.About]:
    return [timeline.About(SubjectKind.REVIEW, review.pk)]


def _clean(value: str, limit: int) -> str:
    """A platform's text as stored: line breaks normalised, characters no screen should show
    dropped (a review is the platform's record; refusing it would hide it from the shop)."""
    cleaned = value.replace("\r\n", "\n").strip()
    cleaned = "".join(char for char in cleaned if char in "\n\t" or (ord(char) >= 32 and not 0x7F <= ord(char) < 0xA0))
    cleaned = "".join(char for char in cleaned if not ("\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069"))
    cleaned = cleaned.encode("utf-8", "replace").decode("utf-8")
    return cleaned[:limit]


def _match(author: str, written_at: dt.datetime) -> Order | None:
    """The latest delivered order (before the review) of the one customer whose name is exactly
    the author's; None when nobody or more than one customer has that name. A hint for staff only."""
    if not author.strip():
        return None
    orders = Order.objects.filter(
        customer__search_name=search_form(author), fulfillment_status__in=_DELIVERED, placed_at__lte=written_at
    )
    if orders.values("customer_id").distinct().count() != 1:
        return None
    return orders.order_by("-placed_at", "-id").first()


def import_reviews(*, platform: str, drafts: Sequence[reviews.ReviewDraft], actor: Actor) -> ImportCount:
    """Store each review as the platform shows it: a new one is created (with its matched customer),
    one its author changed is updated, the same one read again changes nothing. A reply the platform
    shows is taken as posted, unless the shop's own is still on its way (that one wins)."""
    count = ImportCount()
    for draft in drafts:
        count += _import_one(platform=platform, draft=draft, actor=actor)
    return count


def _import_one(*, platform: str, draft: reviews.ReviewDraft, actor: Actor) -> ImportCount:
    if not reviews.LOWEST_STARS <= draft.stars <= reviews.HIGHEST_STARS:
        raise ValueError(f"A review has 1 to 5 stars; {draft.external_id} has {draft.stars}.")
    text = _clean(draft.text, REVIEW_TEXT_MAX_LENGTH)
    author = _clean(draft.author, 200).replace("\n", " ")
    reply = _clean(draft.reply_text, REPLY_MAX_LENGTH)
    try:
        with transaction.atomic():
            review = Review.objects.select_for_update().filter(platform=platform, external_id=draft.external_id).first()
            if review is None:
                _create(platform=platform, draft=draft, text=text, author=author, reply=reply, actor=actor)
                return ImportCount(created=1)
            return _update(review=review, draft=draft, text=text, author=author, reply=reply, actor=actor)
    except IntegrityError:
        # Another reader stored it a moment ago: it is there now, and this reading changed nothing.
        return ImportCount(unchanged=1)


def _create(*, platform: str, draft: reviews.ReviewDraft, text: str, author: str, reply: str, actor: Actor) -> Review:
    order = _match(author, draft.written_at)
    review = Review.objects.create(
        platform=platform,
        external_id=draft.external_id,
        stars=draft.stars,
        author=author,
        text=text,
        language=reviews.guess_language(text),
        written_at=draft.written_at,
        updated_at=draft.updated_at,
        imported_at=clock.now(),
        reply_text=reply,
        reply_status=ReplyStatus.SENT if reply else ReplyStatus.NONE,
        replied_at=draft.replied_at if reply else None,
        customer_id=order.customer_id if order else None,
        order=order,
    )
    timeline.record(
        event=events.ReviewReceived(
            review_id=review.pk,
            platform=platform,
            stars=review.stars,
            is_low=review.is_low,
            has_reply=bool(reply),
        ),
        about=_about(review),
        actor=actor,
        facts={"author": author},
    )
    return review


def _update(
    *, review: Review, draft: reviews.ReviewDraft, text: str, author: str, reply: str, actor: Actor
) -> ImportCount:
    changed: list[str] = []
    stars_before = review.stars
    for name, value in (("stars", draft.stars), ("text", text), ("author", author), ("updated_at", draft.updated_at)):
        if getattr(review, name) != value:
            setattr(review, name, value)
            changed.append(name)
    edited = bool({"stars", "text"} & set(changed))
    if "text" in changed:
        review.language = reviews.guess_language(text)
        changed.append("language")
    ours_on_its_way = review.reply_status in (ReplyStatus.PENDING, ReplyStatus.FAILED)
    shown = (reply, ReplyStatus.SENT, draft.replied_at)
    if reply and not ours_on_its_way and (review.reply_text, review.reply_status, review.replied_at) != shown:
        if review.reply_text != reply:
            review.replied_by = None  # written on the platform itself
        review.reply_text, review.reply_status, review.replied_at = shown
        review.reply_error = ""
        changed += ["reply_text", "reply_status", "replied_at", "reply_error", "replied_by"]
    elif not reply and review.reply_status == ReplyStatus.SENT:
        # The reply was deleted on the platform: the review waits for an answer again.
        review.reply_text, review.reply_status, review.replied_at, review.replied_by = "", "", None, None
        changed += ["reply_text", "reply_status", "replied_at", "replied_by"]
    if not changed:
        return ImportCount(unchanged=1)
    review.save(update_fields=sorted(set(changed)))
    if edited:
        timeline.record(
            event=events.ReviewEdited(
                review_id=review.pk, platform=review.platform, stars=review.stars, stars_before=stars_before
            ),
            about=_about(review),
            actor=actor,
            facts={"author": review.author},
        )
    return ImportCount(updated=1)


def check_reply(*, platform: str, text: str) -> str:
    """The reply as it will be posted, or ValidationFailed naming what to fix (field "text")."""
    cleaned = text.replace("\r\n", "\n").strip()
    errors = ErrorCollector()
    check_text(errors, "text", cleaned, max_length=REPLY_MAX_LENGTH, multiline=True, required=True)
    errors.raise_if_any()
    rules = reviews.platform(platform)
    if rules.reply_length(cleaned) > rules.reply_max_length:
        unit = "bytes of UTF-8" if rules.limit_in_bytes else "characters"
        errors.add(
            "text",
            "too_long",
            f"{rules.name} takes replies of at most {rules.reply_max_length} {unit}; "
            f"this one has {rules.reply_length(cleaned)}.",
        )
    errors.raise_if_any()
    return cleaned


def write_reply(*, review: Review, text: str, actor: Actor, author: User | None = None) -> Review:
    """Keep the shop's public reply and have the worker post it (feedback.review_reply_written).

    The same text sent twice (a double click) changes nothing while it is on its way or posted; a
    new text replaces the reply, on the platform too, and a delivery for the older one does nothing.
    """
    cleaned = check_reply(platform=review.platform, text=text)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.reply_text == cleaned and review.reply_status in (ReplyStatus.PENDING, ReplyStatus.SENT):
            return review
        review.reply_version += 1
        review.reply_text, review.reply_status, review.reply_error = cleaned, ReplyStatus.PENDING, ""
        review.replied_by = author
        review.save(update_fields=["reply_version", "reply_text", "reply_status", "reply_error", "replied_by"])
        about = _about(review)
        if author is not None:
            about.append(timeline.About(SubjectKind.STAFF, author.pk))
        timeline.record(
            event=events.ReviewReplyWritten(
                review_id=review.pk, platform=review.platform, reply_version=review.reply_version
            ),
            about=about,
            actor=actor,
            facts={"author": review.author, "reply": cleaned},
        )
    return review


def mark_reply_posted(*, review: Review, reply_version: int, posted_at: dt.datetime, actor: Actor) -> bool:
    """The platform shows the reply of `reply_version`; False when a newer reply replaced it meanwhile.
    The caller holds the review's row lock."""
    if review.reply_version != reply_version or review.reply_status == ReplyStatus.SENT:
        return False
    review.reply_status, review.reply_error, review.replied_at = ReplyStatus.SENT, "", posted_at
    review.save(update_fields=["reply_status", "reply_error", "replied_at"])
    timeline.record(
        event=events.ReviewReplyPosted(review_id=review.pk, platform=review.platform, reply_version=reply_version),
        about=_about(review),
        actor=actor,
        facts={"author": review.author},
    )
    return True


def refuse_reply(*, review: Review, reply_version: int, message: str, actor: Actor) -> bool:
    """The platform refused the reply for good: it stays at the desk, marked with the platform's
    words, for staff to change and send again. The caller holds the review's row lock."""
    if review.reply_version != reply_version or review.reply_status == ReplyStatus.SENT:
        return False
    review.reply_status, review.reply_error = ReplyStatus.FAILED, message[:2000]
    review.save(update_fields=["reply_status", "reply_error"])
    timeline.record(
        event=events.ReviewReplyRefused(review_id=review.pk, platform=review.platform, reply_version=reply_version),
        about=_about(review),
        actor=actor,
        facts={"author": review.author, "error": message[:2000]},
    )
    return True


def note_reply_failure(*, review_id: int, reply_version: int, message: str) -> None:
    """A failed attempt that the worker will repeat: shown beside the review until one succeeds.
    Runs in the outbox's record() (after the handler's writes were rolled back): one UPDATE."""
    Review.objects.filter(pk=review_id, reply_version=reply_version).exclude(reply_status=ReplyStatus.SENT).update(
        reply_status=ReplyStatus.FAILED, reply_error=message[:2000]
    )


def record_read(*, platform: str, started_at: dt.datetime, error: str = "") -> ReviewSourceState:
    """How reading `platform` went: a success moves the next reading's start to `started_at`; a
    failure keeps it and the platform's words."""
    with transaction.atomic():
        state, _created = ReviewSourceState.objects.select_for_update().get_or_create(platform=platform)
        now = clock.now()
        if error:
            state.last_error, state.last_error_at = error[:2000], now
        else:
            state.read_since, state.last_success_at, state.last_error, state.last_error_at = started_at, now, "", None
        state.save()
    return state

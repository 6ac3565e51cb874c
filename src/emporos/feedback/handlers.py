"""Reactions: an order whose last parcel (or digital line) was delivered gets its satisfaction
check (L7); when the check is due, the customer is asked. A reply written to a review is posted
to its platform (C10)."""

from __future__ import annotations

import datetime as dt

from emporos.core.actor import Actor
from emporos.feedback import review_services, reviews, selectors, services
from emporos.feedback.events import ReviewReplyWritten, SatisfactionCheckDue
from emporos.feedback.models import ReplyStatus, Review, SatisfactionCheck
from emporos.fulfillment.events import DigitalDelivered, ShipmentTracked
from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.orders.models import Order
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.events import DomainEvent, EventMeta
from emporos.outbox.registry import handles


def _meta(event: DomainEvent) -> EventMeta:
    if event.meta is None:
        raise ValueError(f"{type(event).__name__} handlers take stored events only (event.meta is set by the relay).")
    return event.meta


def _schedule_when_delivered(order_id: int, delivered_at: dt.datetime) -> None:
    order = Order.objects.get(pk=order_id)
    if not selectors.is_fully_delivered(order):
        return  # more parcels to come: the last one's delivery schedules the check
    # The last parcel to arrive sets the time, whichever scan reached the shop last.
    last = Shipment.objects.filter(order=order, delivered_at__isnull=False).order_by("-delivered_at").first()
    latest = max(delivered_at, last.delivered_at) if last is not None and last.delivered_at else delivered_at
    services.schedule_check(order=order, delivered_at=latest, actor=Actor.system())


@handles(ShipmentTracked, name="feedback.check_after_delivery")
def check_after_delivery(event: ShipmentTracked) -> None:
    """A parcel was delivered: when it was the order's last, the check is scheduled."""
    if event.status != ShipmentStatus.DELIVERED:
        return
    _schedule_when_delivered(event.order_id, dt.datetime.fromisoformat(event.occurred_at))


@handles(DigitalDelivered, name="feedback.check_after_digital_delivery")
def check_after_digital_delivery(event: DigitalDelivered) -> None:
    """Digital lines were delivered: an order with nothing left to ship gets its check."""
    _schedule_when_delivered(event.order_id, _meta(event).created_at)


@handles(SatisfactionCheckDue, name="feedback.ask_satisfaction")
def ask_satisfaction(event: SatisfactionCheckDue) -> None:
    """The check is due (the outbox delivered this event at its due time): ask the customer."""
    check = SatisfactionCheck.objects.filter(pk=event.check_id).first()
    if check is not None:
        services.ask_check(check=check, event_uuid=_meta(event).uuid)


@handles(ReviewReplyWritten, name="feedback.post_review_reply")
def post_review_reply(event: ReviewReplyWritten) -> None:
    """Post the reply to its platform, once per reply: a delivery for a reply already posted or
    replaced by a newer one does nothing. A failure that may pass (the platform down, a rate limit,
    an expired token) is shown beside the review and tried again with the outbox's backoff (a dead
    letter at the end); one that never will (the review is gone) is shown for staff to act on."""
    review = Review.objects.select_for_update().filter(pk=event.review_id).first()
    if review is None or review.reply_version != event.reply_version or review.reply_status == ReplyStatus.SENT:
        return
    actor = Actor.system(event.platform)
    try:
        adapter = reviews.source(review.platform)
        posted_at = adapter.reply(review.external_id, review.reply_text)
    except reviews.ReviewSourceError as error:
        if not error.retryable:
            review_services.refuse_reply(
                review=review, reply_version=event.reply_version, message=error.message, actor=actor
            )
            return
        message = error.message
        raise RecordedFailure(
            message,
            record=lambda: review_services.note_reply_failure(
                review_id=event.review_id, reply_version=event.reply_version, message=message
            ),
        ) from error
    review_services.mark_reply_posted(
        review=review, reply_version=event.reply_version, posted_at=posted_at, actor=actor
    )

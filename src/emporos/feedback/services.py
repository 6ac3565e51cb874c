"""Writing satisfaction checks: schedule one when an order is delivered, ask when it is due,
record the customer's answer."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_text
from emporos.feedback import events, links
from emporos.feedback.errors import AnswerClosed
from emporos.feedback.models import HIGHEST_SCORE, LOWEST_SCORE, AnswerChannel, SatisfactionCheck
from emporos.notifications import services as notifications
from emporos.notifications.models import Channel, Kind, MessageStatus
from emporos.orders.models import Order
from emporos.outbox.services import emit
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind

# An answer may be changed (a parcel that looked fine and was not) for this long after the first.
CHANGE_ANSWER_WITHIN = dt.timedelta(days=7)
# A question this long past its due time (a worker down for days, a delivery scan that reached the
# shop a week late) would come out of the blue: it is recorded as skipped, never sent.
ASK_WITHIN = dt.timedelta(days=3)
COMMENT_MAX_LENGTH = 2000


def _about(order: Order) -> list[timeline.About]:
    return [timeline.About(SubjectKind.ORDER, order.pk), timeline.About(SubjectKind.CUSTOMER, order.customer_id)]


def delay() -> dt.timedelta:
    """How long after delivery the customer is asked (EMPOROS_SATISFACTION_DELAY_HOURS)."""
    return dt.timedelta(hours=int(setting("SATISFACTION_DELAY_HOURS")))


def schedule_check(*, order: Order, delivered_at: dt.datetime, actor: Actor) -> SatisfactionCheck | None:
    """The order's satisfaction check, due `delay()` after `delivered_at`; None when the order has
    one already (one per order, kept by the database) or the shop does not ask."""
    if not setting("SATISFACTION_CHECKS"):
        return None
    due_at = delivered_at + delay()
    try:
        with transaction.atomic():
            check = SatisfactionCheck.objects.create(
                order=order,
                customer_id=order.customer_id,
                delivered_at=delivered_at,
                due_at=due_at,
                created_at=clock.now(),
            )
            timeline.record(
                event=events.SatisfactionCheckScheduled(
                    check_id=check.pk, order_id=order.pk, due_at=due_at.isoformat()
                ),
                about=_about(order),
                actor=actor,
                facts={"number": order.display_number},
            )
            emit(events.SatisfactionCheckDue(check_id=check.pk, order_id=order.pk), deliver_at=due_at)
    except IntegrityError:
        return None  # the order's check exists (a second delivery scan, a replayed event)
    return check


def ask_check(*, check: SatisfactionCheck, event_uuid: uuid.UUID) -> SatisfactionCheck:
    """Queue the question to the customer (once per check; quiet hours and the noise budget apply,
    it is neither urgent nor marketing); `asked_at` is set when a message is on its way."""
    with transaction.atomic():
        check = SatisfactionCheck.objects.select_for_update().select_related("order").get(pk=check.pk)
        if check.asked_at is not None or check.is_answered or not setting("SATISFACTION_CHECKS"):
            return check
        now = clock.now()
        messages = notifications.queue_messages(
            event_uuid=event_uuid,
            order=check.order,
            kind=Kind.SATISFACTION_CHECK,
            channels=[Channel.EMAIL, Channel.SMS]
            if Kind.SATISFACTION_CHECK in setting("SMS_KINDS")
            else [Channel.EMAIL],
            values={"feedback_link": links.page_url(check)},
            is_late=now - check.due_at > ASK_WITHIN,
        )
        if any(message.status in (MessageStatus.PENDING, MessageStatus.DEFERRED) for message in messages):
            check.asked_at = now
            check.save(update_fields=["asked_at"])
    return check


def answer_check(
    *,
    check: SatisfactionCheck,
    score: int,
    comment: str,
    actor: Actor,
    channel: str = AnswerChannel.PORTAL,
) -> SatisfactionCheck:
    """Record how it went: a score from 1 (very bad) to 5 (very good) and an optional comment.
    The last answer counts: it may be changed within CHANGE_ANSWER_WITHIN of the first one;
    later, AnswerClosed. Each answer emits feedback.satisfaction_answered (`is_bad` for 1 and 2)."""
    errors = ErrorCollector()
    if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
        errors.add("score", "out_of_range", f"Choose a score from {LOWEST_SCORE} to {HIGHEST_SCORE}.")
    cleaned = comment.replace("\r\n", "\n").strip()
    check_text(errors, "comment", cleaned, max_length=COMMENT_MAX_LENGTH, multiline=True)
    if channel not in AnswerChannel.values:
        errors.add("channel", "invalid", f"Use one of {', '.join(AnswerChannel.values)}.")
    errors.raise_if_any()
    with transaction.atomic():
        check = SatisfactionCheck.objects.select_for_update().select_related("order").get(pk=check.pk)
        now = clock.now()
        is_change = check.first_answered_at is not None
        if check.first_answered_at is not None and now - check.first_answered_at > CHANGE_ANSWER_WITHIN:
            raise AnswerClosed(
                f"The answer to order {check.order.display_number} was given on "
                f"{check.first_answered_at:%Y-%m-%d}; it can be changed for 7 days only."
            )
        check.score, check.comment, check.answer_channel = score, cleaned, channel
        check.answered_at = now
        check.first_answered_at = check.first_answered_at or now
        check.save(update_fields=["score", "comment", "answer_channel", "answered_at", "first_answered_at"])
        timeline.record(
            event=events.SatisfactionAnswered(
                check_id=check.pk,
                order_id=check.order_id,
                customer_id=check.customer_id,
                score=score,
                is_bad=check.is_bad,
                has_comment=bool(cleaned),
                is_change=is_change,
            ),
            about=_about(check.order),
            actor=actor,
            facts={"number": check.order.display_number, "comment": cleaned},
        )
    return check

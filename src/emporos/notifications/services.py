"""Writing messages: queue them (once per event, channel and recipient; consent, the noise budget
and quiet hours decided here, and nowhere else), send them, and the owner's policy and templates."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from django.db import transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.core.errors import ErrorCollector
from emporos.notifications import consent, email, facts, policy, rendering, sms
from emporos.notifications.events import (
    MessageFailed,
    MessagePolicyChanged,
    MessageQueued,
    MessageSent,
    TemplateChanged,
)
from emporos.notifications.models import (
    ONCE_PER_ORDER,
    Channel,
    Kind,
    Message,
    MessagePolicy,
    MessageStatus,
    Purpose,
    SuppressedBecause,
    TemplateOverride,
)
from emporos.orders.models import Order
from emporos.outbox.relay import backoff_delay
from emporos.outbox.services import emit
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind

# Messages that count against the day's budget: everything that went or will go.
_COUNTED = (MessageStatus.PENDING, MessageStatus.DEFERRED, MessageStatus.SENT, MessageStatus.FAILED)


def queue_messages(
    *,
    event_uuid: uuid.UUID,
    order: Order,
    kind: str,
    channels: list[str],
    values: Mapping[str, str] | None = None,
    is_urgent: bool = False,
    is_marketing: bool = False,
    is_late: bool = False,
) -> list[Message]:
    """Render and record `kind` for the order's customer on each channel they can be reached on,
    at most once per event, channel and recipient, and queue the ones that may go.

    Marketing without consent is suppressed ("consent"); past the owner's daily budget for the
    order and channel, suppressed ("budget"); in the customer's quiet hours, deferred until they
    end. Urgent messages (a problem) go at once, whatever the hour or the count.
    """
    with transaction.atomic():
        # One writer per order at a time, so two events at once cannot both take the last slot.
        order = Order.objects.select_for_update().select_related("customer").get(pk=order.pk)
        customer = order.customer
        language = rendering.language_of(customer.language)
        all_values = {**facts.of_order(order, language=language), **(values or {})}
        now = clock.now()
        zone = policy.time_zone_of(customer, order)
        rules = policy.current()
        created = []
        for channel in channels:
            recipient = customer.email if channel == Channel.EMAIL else customer.phone
            if (
                not recipient
                or Message.objects.filter(event_uuid=event_uuid, channel=channel, recipient=recipient).exists()
            ):
                continue
            if kind in ONCE_PER_ORDER and Message.objects.filter(order=order, kind=kind, channel=channel).exists():
                continue
            status, reason, send_after = MessageStatus.PENDING, "", None
            local = now.astimezone(zone)
            purpose = Purpose.MARKETING if is_marketing else Purpose.TRANSACTIONAL
            country = (
                (order.shipping_address or {}).get("country", "") if isinstance(order.shipping_address, dict) else ""
            )
            if is_late:
                status, reason = MessageStatus.SKIPPED, SuppressedBecause.LATE
            elif not consent.may_send(customer, channel, purpose, country=country):
                status, reason = MessageStatus.SUPPRESSED, SuppressedBecause.CONSENT
            elif not is_urgent and _sent_today(order, channel, local) >= rules.messages_per_order_day:
                status, reason = MessageStatus.SUPPRESSED, SuppressedBecause.BUDGET
            elif not is_urgent and rules.quiet_hours is not None and rules.quiet_hours.contains(local.time()):
                status, send_after = MessageStatus.DEFERRED, rules.quiet_hours.end_after(local).astimezone(dt.UTC)
            rendered = rendering.render(kind, language=language, channel=channel, values=all_values)
            message = Message.objects.create(
                event_uuid=event_uuid,
                kind=kind,
                channel=channel,
                recipient=recipient,
                customer=customer,
                order=order,
                language=language,
                subject=rendered.subject[:300],
                body_text=rendered.text,
                body_html=rendered.html,
                status=status,
                reason=reason,
                send_after=send_after,
                is_urgent=is_urgent,
                is_marketing=is_marketing,
                created_at=now,
            )
            if status in (MessageStatus.PENDING, MessageStatus.DEFERRED):
                emit(MessageQueued(message_id=message.pk), deliver_at=send_after)
            created.append(message)
    return created


def _sent_today(order: Order, channel: str, local: dt.datetime) -> int:
    """Messages to the order on `channel` since the customer's midnight."""
    midnight = dt.datetime.combine(local.date(), dt.time(0), tzinfo=local.tzinfo)
    return Message.objects.filter(order=order, channel=channel, created_at__gte=midnight, status__in=_COUNTED).count()


def send_message(*, message_id: int) -> Message | None:
    """Send a queued message once. A message already sent, suppressed or given up is left alone;
    a failure is recorded on the row and tried again later (EMPOROS_OUTBOX_MAX_ATTEMPTS in all)."""
    # No savepoint of its own: a send's failure is recorded on the row, not raised, and the relay
    # already runs each handler in a savepoint.
    with transaction.atomic(savepoint=False):
        message = Message.objects.select_for_update(of=("self",)).select_related("order").filter(pk=message_id).first()
        if message is None or message.status not in (MessageStatus.PENDING, MessageStatus.DEFERRED):
            return message
        now = clock.now()
        message.attempts += 1
        try:
            provider_id = _deliver(message)
        except Exception as exc:  # noqa: BLE001 - any failure to hand over is recorded and retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts < setting("OUTBOX_MAX_ATTEMPTS"):
                emit(MessageQueued(message_id=message.pk), deliver_at=now + backoff_delay(message.attempts))
                message.save(update_fields=["attempts", "last_error"])
                return message
            message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            _record(message, MessageFailed)
            return message
        message.status, message.provider_id, message.sent_at = MessageStatus.SENT, provider_id[:200], now
        message.last_error = ""
        message.save(update_fields=["attempts", "status", "provider_id", "sent_at", "last_error"])
        _record(message, MessageSent)
    return message


def _deliver(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        return email.send(message)
    number = message.order.display_number if message.order is not None else ""
    return sms.sender().send(
        sms.Sms(
            to=message.recipient,
            text=message.body_text,
            order=number,
            event=str(message.event_uuid),
            message=str(message.uuid),
        )
    )


def _record(message: Message, event_class: type[MessageSent] | type[MessageFailed]) -> None:
    """The message's outcome on the order's and the customer's timeline, with its event."""
    about = [timeline.About(SubjectKind.CUSTOMER, message.customer_id)]
    extra: dict[str, str] = {"message_uuid": str(message.uuid)}
    if message.order is not None:
        about.insert(0, timeline.About(SubjectKind.ORDER, message.order.pk))
        extra["number"] = message.order.display_number
    timeline.record(
        event=event_class(
            message_id=message.pk,
            customer_id=message.customer_id,
            order_id=message.order_id,
            kind=message.kind,
            channel=message.channel,
        ),
        about=about,
        actor=Actor.system(),
        facts=extra,
    )


def save_policy(*, messages_per_order_day: int, quiet_hours: str, actor: Actor) -> MessagePolicy:
    """The owner's noise budget and quiet hours ("21:00-08:00"; empty: none), checked and saved."""
    errors = ErrorCollector()
    if not 1 <= messages_per_order_day <= 100:
        errors.add("messages_per_order_day", "out_of_range", "Give between 1 and 100 messages a day, e.g. 5.")
    try:
        parsed = policy.parse_quiet_hours(quiet_hours)
    except policy.BadQuietHours:
        parsed = None
        errors.add("quiet_hours", "invalid", 'Write the quiet hours as "21:00-08:00", or leave them empty for none.')
    errors.raise_if_any()
    text = f"{parsed.starts:%H:%M}-{parsed.ends:%H:%M}" if parsed is not None else ""
    with transaction.atomic():
        before = policy.current()
        row = MessagePolicy(
            id=1,
            messages_per_order_day=messages_per_order_day,
            quiet_hours=text,
            updated_at=clock.now(),
            updated_by=str(actor),
        )
        row.save()
        changed = [
            name
            for name, old, new in (
                ("messages_per_order_day", before.messages_per_order_day, messages_per_order_day),
                ("quiet_hours", before.quiet_hours_text, text),
            )
            if old != new
        ]
        emit(MessagePolicyChanged(changed=changed))
    return row


def save_template(*, kind: str, language: str, channel: str, subject: str, body: str, actor: Actor) -> TemplateOverride:
    """The owner's words for one kind, language and channel; an unknown {placeholder} is refused
    with its name."""
    errors = ErrorCollector()
    if kind not in Kind.values:
        errors.add("kind", "invalid", f"Use one of {', '.join(Kind.values)}.")
    if language not in rendering.LANGUAGES:
        errors.add("language", "invalid", f"Use one of {', '.join(rendering.LANGUAGES)}.")
    if channel not in Channel.values:
        errors.add("channel", "invalid", f"Use one of {', '.join(Channel.values)}.")
    if not body.strip():
        errors.add("body", "required", "Write the message, or reset it to the default.")
    if len(subject) > 300:
        errors.add("subject", "too_long", "Keep the subject under 300 characters.")
    errors.raise_if_any()
    rendering.check_placeholders(subject=subject, body=body)
    with transaction.atomic():
        row, _ = TemplateOverride.objects.update_or_create(
            kind=kind,
            language=language,
            channel=channel,
            defaults={
                "subject": subject.strip() if channel == Channel.EMAIL else "",
                "body": body.replace("\r\n", "\n").strip(),
                "updated_at": clock.now(),
                "updated_by": str(actor),
            },
        )
        emit(TemplateChanged(kind=kind, language=language, channel=channel, is_reset=False))
    return row


def reset_template(*, kind: str, language: str, channel: str, actor: Actor) -> None:
    """Back to the default words in the shop's tone."""
    with transaction.atomic():
        deleted, _ = TemplateOverride.objects.filter(kind=kind, language=language, channel=channel).delete()
        if deleted:
            emit(TemplateChanged(kind=kind, language=language, channel=channel, is_reset=True))

"""How the notifications domain's timeline entries read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporos.notifications.events import MessageFailed, MessageRequested, MessageSent
from emporos.timeline.rendering import Facts, Text, Words, renders

_CHANNELS = {"email": gettext_lazy("e-mail"), "sms": gettext_lazy("SMS")}
_MESSAGES = {
    "order_received": gettext_lazy("“We received your order”"),
    "being_packed": gettext_lazy("“Your order is being packed”"),
    "shipped": gettext_lazy("“Your order is on its way”"),
    "out_for_delivery": gettext_lazy("“Out for delivery today”"),
    "ready_for_pickup": gettext_lazy("“Ready for pickup”"),
    "delivered": gettext_lazy("“Delivered”"),
    "problem": gettext_lazy("“A delay, and what you can do”"),
    "downloads": gettext_lazy("“Your downloads”"),
    "return_requested": gettext_lazy("“Your return: the label”"),
    "withdrawal_acknowledged": gettext_lazy("“We received your withdrawal”"),
    "refund_issued": gettext_lazy("“Your refund”"),
    "store_credit": gettext_lazy("“Your store credit”"),
}


@renders(
    MessageRequested,
    example={"order_id": 1, "number": "EM-10001", "message": "order_received", "channels": ["email", "sms"]},
    more_examples=({"order_id": 1, "number": "EM-10001", "message": "order_received", "channels": ["email"]},),
)
def _requested(facts: Facts, words: Words) -> Text:
    channels = [str(_CHANNELS.get(channel, channel)) for channel in facts.strings("channels")]
    message = _MESSAGES.get(facts.text("message"))
    return Text(
        _("Message %(message)s queued to the customer by %(channels)s.")
        % {"message": message if message is not None else facts.text("message"), "channels": words.join(channels)}
    )


@renders(
    MessageSent,
    example={
        "message_id": 1,
        "customer_id": 1,
        "order_id": 1,
        "number": "EM-10001",
        "kind": "shipped",
        "channel": "sms",
        "message_uuid": "6f1c2a9e-0000-4000-8000-000000000001",
    },
)
def _sent(facts: Facts, words: Words) -> Text:
    return Text(_("Message %(message)s sent to the customer by %(channel)s.") % _which(facts))


def _which(facts: Facts) -> dict[str, object]:
    """The message's words and its channel's, or their codes when the words are unknown."""
    message = _MESSAGES.get(facts.text("kind"))
    channel = _CHANNELS.get(facts.text("channel"))
    return {
        "message": message if message is not None else facts.text("kind"),
        "channel": channel if channel is not None else facts.text("channel"),
    }


@renders(
    MessageFailed,
    example={
        "message_id": 1,
        "customer_id": 1,
        "order_id": 1,
        "number": "EM-10001",
        "kind": "shipped",
        "channel": "email",
        "message_uuid": "6f1c2a9e-0000-4000-8000-000000000001",
    },
)
def _failed(facts: Facts, words: Words) -> Text:
    return Text(
        _("Message %(message)s could not be sent to the customer by %(channel)s; the message log shows why.")
        % _which(facts)
    )

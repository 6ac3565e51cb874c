"""How the notifications domain's timeline entries read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporos.notifications.events import MessageRequested
from emporos.timeline.rendering import Facts, Text, Words, renders

_CHANNELS = {"email": gettext_lazy("e-mail"), "sms": gettext_lazy("SMS")}
_MESSAGES = {"order_received": gettext_lazy("“We received your order”")}


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

"""How the shipping domain's timeline entries read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporos.shipping.events import DeliveryPromised
from emporos.timeline.rendering import Facts, Text, Words, renders

_PROMISE = {"order_id": 1, "number": "EM-10001", "method_code": "courier-standard", "method_name": "ACS Courier"}


@renders(
    DeliveryPromised,
    example={**_PROMISE, "earliest": "2026-12-04", "latest": "2026-12-07"},
    more_examples=({**_PROMISE, "earliest": "2026-12-04", "latest": "2026-12-04"},),
)
def _promised(facts: Facts, words: Words) -> Text:
    earliest, latest = facts.text("earliest"), facts.text("latest")
    method = facts.text("method_name") or facts.text("method_code")
    if earliest == latest:
        return Text(_("Delivery promised on %(day)s (%(method)s).") % {"day": words.date(earliest), "method": method})
    return Text(
        _("Delivery promised between %(earliest)s and %(latest)s (%(method)s).")
        % {"earliest": words.date(earliest), "latest": words.date(latest), "method": method}
    )

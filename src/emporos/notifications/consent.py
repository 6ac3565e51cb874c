"""The one rule for whether a message may go: every flow asks here, none decides for itself."""

from __future__ import annotations

from emporos.customers.models import Customer
from emporos.notifications.models import Consent, Purpose

# Countries whose law wants a customer's prior yes before marketing by SMS or e-mail (GDPR and
# ePrivacy in Greece and Poland; Israel's Communications Law, section 30A, the "spam law").
OPT_IN_COUNTRIES = frozenset({"GR", "PL", "IL"})


def may_send(customer: Customer, channel: str, purpose: str, *, country: str = "") -> bool:
    """Transactional messages (about the customer's order) always go; marketing needs the
    customer's standing consent on that channel, given under the rules of `country`."""
    if purpose == Purpose.TRANSACTIONAL:
        return True
    consent = (
        Consent.objects.filter(customer=customer, channel=channel, purpose=Purpose.MARKETING, withdrawn_at__isnull=True)
        .only("country")
        .first()
    )
    if consent is None:
        return False
    # A yes given under a laxer regime does not carry over to an opt-in country.
    return not (country in OPT_IN_COUNTRIES and consent.country and consent.country != country)

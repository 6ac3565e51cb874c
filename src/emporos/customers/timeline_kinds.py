"""How the customers domain's timeline entries read."""

from __future__ import annotations

from django.utils.translation import gettext as _

from emporos.customers.events import CouponIssued, GiftCardIssued, MembershipActivated
from emporos.timeline.rendering import Facts, Text, Words, renders

_COUPON = {"coupon_id": 1, "customer_id": 1, "code": "K7QM-2XPA-9RTD", "expires_on": "2027-03-01"}


@renders(
    CouponIssued,
    example={**_COUPON, "kind": "amount", "value": "5.00", "currency": "EUR"},
    more_examples=({**_COUPON, "kind": "percent", "value": "10.00", "currency": ""},),
)
def _issued(facts: Facts, words: Words) -> Text:
    if facts.text("kind") == "percent":
        off = words.percent(facts.amount("value"))
    else:
        off = words.money(facts.amount("value"), facts.text("currency"))
    return Text(
        _("Coupon %(code)s issued: %(off)s off one order, until %(day)s.")
        % {"code": facts.text("code"), "off": off, "day": words.date(facts.text("expires_on"))}
    )


@renders(
    MembershipActivated,
    example={"membership_id": 1, "customer_id": 1, "sku": "CLUB-YEAR", "name": "Tea club", "ends_on": "2027-12-01"},
    more_examples=({"membership_id": 1, "customer_id": 1, "sku": "CLUB", "name": "Tea club", "ends_on": ""},),
)
def _membership(facts: Facts, words: Words) -> Text:
    if facts.text("ends_on"):
        return Text(
            _("Membership “%(name)s” activated, until %(day)s.")
            % {"name": facts.text("name"), "day": words.date(facts.text("ends_on"))}
        )
    return Text(_("Membership “%(name)s” activated.") % {"name": facts.text("name")})


@renders(
    GiftCardIssued,
    example={
        "gift_card_id": 1,
        "customer_id": 1,
        "code": "K7QM-2XPA-9RTD",
        "amount": "25.00",
        "currency": "EUR",
        "source": "return EM-10042-R1",
    },
)
def _gift_card(facts: Facts, words: Words) -> Text:
    return Text(
        _("Gift card %(code)s issued: %(amount)s to spend on orders.")
        % {"code": facts.text("code"), "amount": words.money(facts.amount("amount"), facts.text("currency"))}
    )

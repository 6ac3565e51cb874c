"""The default words of every message kind, in the shop's tone and form of address.

Each template is a subject, lines of body text and an SMS text, with {placeholders}
(`rendering.PLACEHOLDERS`). A line whose placeholder has no value (no expected day, no pickup
code) is left out, so one template serves every case. Called with the customer's language active.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from emporos.notifications.models import Kind
from emporos.shop.models import FormOfAddress, Tone


@dataclass(frozen=True)
class Template:
    subject: str
    lines: tuple[str, ...]
    sms: str


def _greeting(*, formal: bool, informal: bool) -> str:
    if formal:
        return pgettext("informal", "Dear {customer_name},") if informal else _("Dear {customer_name},")
    return pgettext("informal", "Hi {customer_name},") if informal else _("Hello {customer_name},")


def _closing(*, formal: bool) -> tuple[str, ...]:
    if formal:
        return (_("Kind regards,"), "{shop_name}")
    return (_("Warm wishes from all of us at {shop_name}"),)


def default_template(kind: str, *, tone: str, form_of_address: str) -> Template:
    """The shop's words for `kind`, before any edit of the owner's (in the active language)."""
    formal = tone == Tone.FORMAL
    informal = form_of_address == FormOfAddress.INFORMAL
    body = _BODIES[kind](informal)
    lines = (_greeting(formal=formal, informal=informal), "", *body.lines, "", *_closing(formal=formal))
    return Template(subject=body.subject, lines=lines, sms=body.sms)


def _order_received(informal: bool) -> Template:
    return Template(
        subject=_("We received your order {order_number}"),
        lines=(
            pgettext("informal", "Thank you for your order {order_number}. We are getting it ready.")
            if informal
            else _("Thank you for your order {order_number}. We are getting it ready."),
            pgettext("informal", "We will write again when it is on its way.")
            if informal
            else _("We will write again when it is on its way."),
        ),
        sms=_("{shop_name}: we received your order {order_number}. Status: {status_link}"),
    )


def _being_packed(informal: bool) -> Template:
    return Template(
        subject=_("Your order {order_number} is being packed"),
        lines=(
            pgettext("informal", "Your order {order_number} is being picked and packed right now.")
            if informal
            else _("Your order {order_number} is being picked and packed right now."),
            _("You will hear from us when it leaves, with its tracking number."),
        ),
        sms=_("{shop_name}: your order {order_number} is being packed. Status: {status_link}"),
    )


def _shipped(informal: bool) -> Template:
    return Template(
        subject=_("Your order {order_number} is on its way"),
        lines=(
            pgettext("informal", "Your order {order_number} has left with {carrier}.")
            if informal
            else _("Your order {order_number} has left with {carrier}."),
            _("Tracking number: {tracking_number}"),
            _("Track the parcel: {tracking_link}"),
            _("Expected delivery: {expected_delivery}"),
            _("Pickup point: {pickup_point}"),
        ),
        sms=_("{shop_name}: order {order_number} shipped with {carrier}, tracking {tracking_number}. {status_link}"),
    )


def _out_for_delivery(informal: bool) -> Template:
    return Template(
        subject=_("Your order {order_number} arrives today"),
        lines=(
            pgettext("informal", "{carrier} is delivering your parcel of order {order_number} today.")
            if informal
            else _("{carrier} is delivering your parcel of order {order_number} today."),
            _("Track the parcel: {tracking_link}"),
        ),
        sms=_("{shop_name}: order {order_number} is out for delivery today. {status_link}"),
    )


def _ready_for_pickup(informal: bool) -> Template:
    return Template(
        subject=_("Your order {order_number} is ready for pickup"),
        lines=(
            pgettext("informal", "Your parcel of order {order_number} is waiting for you.")
            if informal
            else _("Your parcel of order {order_number} is waiting for you."),
            _("Where: {pickup_point}"),
            _("Pickup code: {pickup_code}"),
            _("Last day to collect it: {pickup_until}"),
        ),
        sms=_("{shop_name}: order {order_number} is ready for pickup. Code {pickup_code}, until {pickup_until}."),
    )


def _delivered(informal: bool) -> Template:
    return Template(
        subject=_("Your order {order_number} was delivered"),
        lines=(
            pgettext("informal", "Your parcel of order {order_number} was delivered. We hope you enjoy it!")
            if informal
            else _("Your parcel of order {order_number} was delivered. We hope you enjoy it!"),
            pgettext("informal", "If anything is not right, reply to this message and we will help.")
            if informal
            else _("If anything is not right, reply to this message and we will help."),
        ),
        sms=_("{shop_name}: order {order_number} was delivered. {status_link}"),
    )


def _problem(informal: bool) -> Template:
    return Template(
        subject=_("About your order {order_number}: a delay"),
        lines=(
            _("About your order {order_number}: {problem}"),
            pgettext("informal", "We are sorry, and we are already on it. What you can do:")
            if informal
            else _("We are sorry, and we are already on it. What you can do:"),
            "{options}",
            pgettext("informal", "Choose on your order's page, or simply reply to this message.")
            if informal
            else _("Choose on your order's page, or simply reply to this message."),
        ),
        sms=_("{shop_name}: a delay with order {order_number}. Your options: {status_link}"),
    )


def _downloads(informal: bool) -> Template:
    return Template(
        subject=_("Your downloads for order {order_number}"),
        lines=(
            pgettext("informal", "Your files from order {order_number} are ready:")
            if informal
            else _("Your files from order {order_number} are ready:"),
            "{download_links}",
        ),
        sms=_("{shop_name}: your downloads for order {order_number} are ready. {status_link}"),
    )


def _return_requested(informal: bool) -> Template:
    return Template(
        subject=_("Your return {return_number}: the label"),
        lines=(
            pgettext("informal", "We have approved your return {return_number} of order {order_number}:")
            if informal
            else _("We have approved your return {return_number} of order {order_number}:"),
            "{return_items}",
            _("Your prepaid return label: {label_link}"),
            _("Print it, stick it on the parcel and hand it to the carrier."),
            _("Your money back by {refund_due} at the latest."),
            _("Follow your return: {return_link}"),
        ),
        sms=_("{shop_name}: return {return_number} approved. Label: {label_link}"),
    )


def _withdrawal_acknowledged(informal: bool) -> Template:
    return Template(
        subject=_("We received your withdrawal from order {order_number}"),
        lines=(
            pgettext("informal", "We received your statement of withdrawal from the contract on {statement_at}.")
            if informal
            else _("We received your statement of withdrawal from the contract on {statement_at}."),
            _("Order: {order_number}"),
            _("You withdraw from the contract for:"),
            "{return_items}",
            _("Your prepaid return label: {label_link}"),
            _("Your money back by {refund_due} at the latest."),
            _("Follow your return: {return_link}"),
            _("Keep this e-mail: it confirms your withdrawal."),
        ),
        sms=_("{shop_name}: we received your withdrawal from order {order_number} on {statement_at}."),
    )


def _refund_issued(informal: bool) -> Template:
    return Template(
        subject=_("Your refund for return {return_number}"),
        lines=(
            pgettext("informal", "Your return {return_number} is back with us, and we have refunded {refund_amount}.")
            if informal
            else _("Your return {return_number} is back with us, and we have refunded {refund_amount}."),
            _("The money goes back the way you paid; your bank may take a few days to show it."),
            _("Follow your return: {return_link}"),
        ),
        sms=_("{shop_name}: return {return_number} received, {refund_amount} refunded."),
    )


def _store_credit(informal: bool) -> Template:
    return Template(
        subject=_("Your store credit for return {return_number}"),
        lines=(
            pgettext("informal", "Your return {return_number} is back with us: your store credit is {credit_amount}.")
            if informal
            else _("Your return {return_number} is back with us: your store credit is {credit_amount}."),
            _("Your gift card code: {gift_card_code}"),
            _("Enter it at checkout on your next order."),
        ),
        sms=_("{shop_name}: store credit {credit_amount}, gift card code {gift_card_code}."),
    )


def _satisfaction_check(informal: bool) -> Template:
    return Template(
        subject=_("How did it go with your order {order_number}?"),
        lines=(
            pgettext("informal", "Your order {order_number} arrived a little while ago. Is everything as you hoped?")
            if informal
            else _("Your order {order_number} arrived a little while ago. Is everything as you hoped?"),
            pgettext("informal", "Tell us in one click, from very good to very bad: {feedback_link}")
            if informal
            else _("Tell us in one click, from very good to very bad: {feedback_link}"),
            pgettext("informal", "If something is not right, we will get in touch and put it right.")
            if informal
            else _("If something is not right, we will get in touch and put it right."),
        ),
        sms=_("{shop_name}: how did it go with order {order_number}? Tell us: {feedback_link}"),
    )


_BODIES: dict[str, Callable[[bool], Template]] = {
    Kind.ORDER_RECEIVED: _order_received,
    Kind.BEING_PACKED: _being_packed,
    Kind.SHIPPED: _shipped,
    Kind.OUT_FOR_DELIVERY: _out_for_delivery,
    Kind.READY_FOR_PICKUP: _ready_for_pickup,
    Kind.DELIVERED: _delivered,
    Kind.PROBLEM: _problem,
    Kind.DOWNLOADS: _downloads,
    Kind.RETURN_REQUESTED: _return_requested,
    Kind.WITHDRAWAL_ACKNOWLEDGED: _withdrawal_acknowledged,
    Kind.REFUND_ISSUED: _refund_issued,
    Kind.STORE_CREDIT: _store_credit,
    Kind.SATISFACTION_CHECK: _satisfaction_check,
}

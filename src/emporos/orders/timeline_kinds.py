"""How the orders domain's timeline entries read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.orders import events
from emporos.orders.labels import label
from emporos.timeline.rendering import Facts, Text, Words, renders

_ORDER = {"order_id": 1, "number": "EM-10001"}


@renders(
    events.OrderPlaced,
    example={
        **_ORDER,
        "channel": "web",
        "has_waiting_lines": False,
        "units": 3,
        "total": "45.40",
        "currency": "EUR",
        "payment_method": "paypal",
        "payment_status": "paid",
    },
    more_examples=(
        {
            **_ORDER,
            "channel": "marketplace",
            "has_waiting_lines": True,
            "units": 1,
            "total": "1290.00",
            "currency": "PLN",
            "payment_method": "cash_on_delivery",
            "payment_status": "pending",
        },
        {
            **_ORDER,
            "channel": "web",
            "has_waiting_lines": False,
            "units": 2,
            "total": "35.82",
            "currency": "EUR",
            "payment_method": "card",
            "payment_status": "paid",
            "coupon_code": "K7QM-2XPA-9RTD",
            "discount": "3.98",
        },
        {
            **_ORDER,
            "channel": "exchange",
            "has_waiting_lines": False,
            "units": 1,
            "total": "19.90",
            "currency": "EUR",
            "payment_method": "gift_card",
            "payment_status": "paid",
            "gift_card_amount": "19.90",
        },
        {**_ORDER, "channel": "web", "has_waiting_lines": False},  # an entry from before facts were kept
    ),
)
def _placed(facts: Facts, words: Words) -> Text:
    if not facts.has("units"):
        return Text(_("Order placed (%(channel)s).") % {"channel": label("channel", facts.text("channel"))})
    units = facts.number("units")
    text = ngettext(
        "Order placed (%(channel)s): %(count)s item, %(total)s, %(method)s (%(payment)s).",
        "Order placed (%(channel)s): %(count)s items, %(total)s, %(method)s (%(payment)s).",
        units,
    ) % {
        "channel": label("channel", facts.text("channel")),
        "count": words.number(units),
        "total": words.money(facts.amount("total"), facts.text("currency")),
        "method": label("payment_method", facts.text("payment_method")),
        "payment": label("payment_status", facts.text("payment_status")).lower(),
    }
    if facts.has("coupon_code"):
        text += " " + _("Coupon %(code)s: %(discount)s off.") % {
            "code": facts.text("coupon_code"),
            "discount": words.money(facts.amount("discount"), facts.text("currency")),
        }
    if facts.has("gift_card_amount"):
        text += " " + _("%(amount)s paid with a gift card.") % {
            "amount": words.money(facts.amount("gift_card_amount"), facts.text("currency"))
        }
    if facts.values.get("has_waiting_lines"):
        text += " " + _("Some lines wait for stock, a release date or making.")
    return Text(text)


@renders(events.OrderConfirmed, example=_ORDER)
def _confirmed(facts: Facts, words: Words) -> Text:
    return Text(_("Order confirmed."))


@renders(
    events.OrderVerified,
    example={**_ORDER, "outcome": "corrected", "note": "Νέος όροφος: 3ος"},
    more_examples=({**_ORDER, "outcome": "no_answer", "note": ""},),
)
def _verified(facts: Facts, words: Words) -> Text:
    return Text(
        _("Verification call: %(outcome)s.") % {"outcome": label("outcome", facts.text("outcome"))},
        note=facts.text("note"),
    )


@renders(events.OrderProcessingStarted, example=_ORDER)
def _processing(facts: Facts, words: Words) -> Text:
    return Text(_("Picking and packing started."))


@renders(events.OrderCompleted, example={**_ORDER, "units": 2}, more_examples=({**_ORDER, "units": 1}, _ORDER))
def _completed(facts: Facts, words: Words) -> Text:
    if not facts.has("units"):
        return Text(_("Completed: every line handed over."))
    units = facts.number("units")
    return Text(
        ngettext("Completed: %(count)s item handed over.", "Completed: %(count)s items handed over.", units)
        % {"count": words.number(units)}
    )


@renders(events.OrderHeld, example={**_ORDER, "reason": "Ο πελάτης ζήτησε αναμονή"})
def _held(facts: Facts, words: Words) -> Text:
    return Text(_("Put on hold."), note=facts.text("reason"))


@renders(
    events.OrderReleased,
    example={**_ORDER, "status": "confirmed", "note": ""},
    more_examples=({**_ORDER, "status": "placed", "note": "Πληρώθηκε"},),
)
def _released(facts: Facts, words: Words) -> Text:
    return Text(
        _("Released from hold, back to “%(status)s”.") % {"status": label("status", facts.text("status"))},
        note=facts.text("note"),
    )


@renders(
    events.OrderCancelled,
    example={
        **_ORDER,
        "payment_status": "paid",
        "reason": "Ο πελάτης το ακύρωσε",
        "released_lines": 2,
        "refund_due": "43.30",
        "currency": "EUR",
    },
    more_examples=(
        {**_ORDER, "payment_status": "pending", "reason": "Διπλή", "released_lines": 1, "refund_due": ""},
        {**_ORDER, "payment_status": "pending", "reason": "Διπλή", "released_lines": 0, "refund_due": ""},
        {**_ORDER, "payment_status": "pending", "reason": "Διπλή"},
    ),
)
def _cancelled(facts: Facts, words: Words) -> Text:
    parts = [_("Order cancelled.")]
    if facts.has("released_lines") and facts.number("released_lines") > 0:
        count = facts.number("released_lines")
        parts.append(
            ngettext("Stock released for %(count)s line.", "Stock released for %(count)s lines.", count)
            % {"count": words.number(count)}
        )
    if facts.has("refund_due"):
        parts.append(
            _("A refund of %(amount)s is due.")
            % {"amount": words.money(facts.amount("refund_due"), facts.text("currency"))}
        )
    return Text(" ".join(parts), note=facts.text("reason"))


@renders(
    events.PaymentRecorded,
    example={
        **_ORDER,
        "amount": "43.30",
        "currency": "EUR",
        "payment_status": "paid",
        "reference": "ΑΠ-2231",
    },
    more_examples=({**_ORDER, "amount": "10.00", "currency": "ILS", "payment_status": "pending", "reference": ""},),
)
def _payment(facts: Facts, words: Words) -> Text:
    amount = words.money(facts.amount("amount"), facts.text("currency") or "EUR")
    status = label("payment_status", facts.text("payment_status")).lower()
    if facts.has("reference"):
        text = _("Payment of %(amount)s recorded (reference %(reference)s); the payment is now %(status)s.") % {
            "amount": amount,
            "reference": facts.text("reference"),
            "status": status,
        }
    else:
        text = _("Payment of %(amount)s recorded; the payment is now %(status)s.") % {
            "amount": amount,
            "status": status,
        }
    return Text(text)


@renders(
    events.RefundRecorded,
    example={
        **_ORDER,
        "refund_id": 1,
        "amount": "43.30",
        "currency": "EUR",
        "payment_status": "refunded",
        "reason": "cancelled",
        "reference": "ΕΠ-118",
        "note": "Επιστροφή στην κάρτα",
    },
    more_examples=(
        {
            **_ORDER,
            "refund_id": 2,
            "amount": "10.00",
            "currency": "PLN",
            "payment_status": "partially_refunded",
            "reason": "goodwill",
            "reference": "",
            "note": "",
        },
    ),
)
def _refund(facts: Facts, words: Words) -> Text:
    values = {
        "amount": words.money(facts.amount("amount"), facts.text("currency") or "EUR"),
        "reason": label("refund_reason", facts.text("reason")).lower(),
        "status": label("payment_status", facts.text("payment_status")).lower(),
        "reference": facts.text("reference"),
    }
    if facts.has("reference"):
        text = _("Refund of %(amount)s recorded (%(reason)s, reference %(reference)s); the payment is now %(status)s.")
    else:
        text = _("Refund of %(amount)s recorded (%(reason)s); the payment is now %(status)s.")
    return Text(text % values, note=facts.text("note"))


@renders(events.NoteAdded, example={**_ORDER, "text": "Να τηλεφωνήσουμε πριν την αποστολή"})
def _note(facts: Facts, words: Words) -> Text:
    return Text(_("Internal note."), note=facts.text("text"))


@renders(events.OrderOverdue, example=_ORDER)
def _overdue(facts: Facts, words: Words) -> Text:
    return Text(_("Overdue: waiting longer than the shop's handling time."))


@renders(
    events.LineAllocated,
    example={**_ORDER, "line_id": 3, "sku": "TEA-MOUNTAIN-100", "quantity": 2, "location": "main"},
    more_examples=({**_ORDER, "line_id": 3, "sku": "MUG-BLUE", "quantity": 1, "location": "main"},),
)
def _allocated(facts: Facts, words: Words) -> Text:
    quantity = facts.number("quantity")
    return Text(
        ngettext(
            "%(count)s × %(sku)s arrived and is reserved for this order.",
            "%(count)s × %(sku)s arrived and are reserved for this order.",
            quantity,
        )
        % {"count": words.number(quantity), "sku": facts.text("sku")}
    )


@renders(
    events.PreorderReleased,
    example={**_ORDER, "line_id": 3, "sku": "BOOK-FIRST-ED", "stock_state": "ready"},
    more_examples=({**_ORDER, "line_id": 3, "sku": "BOOK-FIRST-ED", "stock_state": "backordered"},),
)
def _preorder_released(facts: Facts, words: Words) -> Text:
    if facts.text("stock_state") == "ready":
        return Text(_("Pre-order %(sku)s released: it ships with the next wave.") % {"sku": facts.text("sku")})
    return Text(_("Pre-order %(sku)s released: it ships as soon as stock arrives.") % {"sku": facts.text("sku")})


@renders(events.LineMade, example={**_ORDER, "line_id": 3, "sku": "RING-CUSTOM"})
def _made(facts: Facts, words: Words) -> Text:
    return Text(_("%(sku)s is made and ready to ship.") % {"sku": facts.text("sku")})


@renders(
    events.ExpectedDateChanged,
    example={**_ORDER, "line_id": 3, "sku": "BOOK-FIRST-ED", "expected_on": "2026-12-14"},
    more_examples=({**_ORDER, "line_id": 3, "sku": "BOOK-FIRST-ED", "expected_on": ""},),
)
def _expected(facts: Facts, words: Words) -> Text:
    if not facts.text("expected_on"):
        return Text(_("%(sku)s no longer has an expected date.") % {"sku": facts.text("sku")})
    return Text(
        _("%(sku)s is now expected on %(date)s.")
        % {"sku": facts.text("sku"), "date": words.date(facts.text("expected_on"))}
    )


@renders(
    events.RefundSettled,
    example={**_ORDER, "refund_id": 1, "provider": "stripe", "amount": "19.90", "currency": "EUR"},
)
def _refund_settled(facts: Facts, words: Words) -> Text:
    values = {
        "amount": words.money(facts.amount("amount"), facts.text("currency") or "EUR"),
        "provider": facts.text("provider").capitalize(),
    }
    return Text(_("%(provider)s paid the refund of %(amount)s back to the customer.") % values)


@renders(
    events.RefundFailed,
    example={
        **_ORDER,
        "refund_id": 1,
        "provider": "stripe",
        "amount": "19.90",
        "currency": "EUR",
        "payment_status": "paid",
        "message": "charge_already_refunded",
    },
)
def _refund_failed(facts: Facts, words: Words) -> Text:
    values = {
        "amount": words.money(facts.amount("amount"), facts.text("currency") or "EUR"),
        "provider": facts.text("provider").capitalize(),
    }
    return Text(
        _("%(provider)s refused the refund of %(amount)s: give it back another way.") % values,
        note=facts.text("message"),
    )

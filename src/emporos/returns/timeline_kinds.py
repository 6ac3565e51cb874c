"""How the returns domain's timeline entries read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.returns import events
from emporos.returns.labels import label
from emporos.timeline.rendering import Facts, Text, Words, renders

_RETURN = {"return_id": 1, "order_id": 1, "number": "EM-10001", "sequence": 1}


def _name(facts: Facts) -> str:
    return f"{facts.text('number')}-R{facts.number('sequence')}"


@renders(
    events.ReturnRequested,
    example={**_RETURN, "kind": "withdrawal", "resolution": "refund", "units": 2, "withdrawal_statement": True},
    more_examples=(
        {**_RETURN, "kind": "conformity", "resolution": "exchange", "units": 1, "withdrawal_statement": False},
        {**_RETURN, "kind": "policy", "resolution": "store_credit", "units": 3, "withdrawal_statement": False},
    ),
)
def _requested(facts: Facts, words: Words) -> Text:
    values = {
        "return": _name(facts),
        "count": words.number(facts.number("units")),
        "kind": label("kind", facts.text("kind")).lower(),
        "resolution": label("resolution", facts.text("resolution")).lower(),
    }
    if facts.values.get("withdrawal_statement") is True:
        return Text(
            ngettext(
                "Withdrawal from the contract declared (return %(return)s, %(count)s item); acknowledged by e-mail.",
                "Withdrawal from the contract declared (return %(return)s, %(count)s items); acknowledged by e-mail.",
                facts.number("units"),
            )
            % values
        )
    return Text(
        ngettext(
            "Return %(return)s requested: %(count)s item, %(kind)s, asking for %(resolution)s.",
            "Return %(return)s requested: %(count)s items, %(kind)s, asking for %(resolution)s.",
            facts.number("units"),
        )
        % values
    )


@renders(
    events.ReturnLabelCreated,
    example={**_RETURN, "carrier": "boxnow"},
    more_examples=(
        {
            **_RETURN,
            "carrier": "manual",
            "refused_by": "boxnow",
            "carrier_refusal": "BOX NOW sends the customer the drop-off code by SMS and e-mail: give both.",
        },
    ),
)
def _label(facts: Facts, words: Words) -> Text:
    values = {"return": _name(facts)}
    if facts.text("refused_by"):
        # The carrier's own words stay as it wrote them, in the note.
        return Text(
            _("The carrier refused the return label for %(return)s; the shop's own label was made instead.") % values,
            note=facts.text("carrier_refusal"),
        )
    return Text(_("Return label for %(return)s made and sent to the customer.") % values)


@renders(events.ReturnSent, example={**_RETURN, "carrier": "inpost"})
def _sent(facts: Facts, words: Words) -> Text:
    return Text(_("Return %(return)s is on its way back: the carrier scanned it.") % {"return": _name(facts)})


@renders(
    events.ReturnReceived,
    example={**_RETURN, "units": 2, "restocked": 2, "refund_id": 4},
    more_examples=({**_RETURN, "units": 1, "restocked": 0, "refund_id": None},),
)
def _received(facts: Facts, words: Words) -> Text:
    values = {
        "return": _name(facts),
        "count": words.number(facts.number("units")),
        "restocked": words.number(facts.number("restocked")),
    }
    return Text(
        ngettext(
            "Return %(return)s received: %(count)s item, %(restocked)s back in stock.",
            "Return %(return)s received: %(count)s items, %(restocked)s back in stock.",
            facts.number("units"),
        )
        % values
    )


@renders(events.ReturnRefunded, example={**_RETURN, "refund_id": 4, "amount": "19.90", "currency": "EUR"})
def _refunded(facts: Facts, words: Words) -> Text:
    values = {"return": _name(facts), "amount": words.money(facts.amount("amount"), facts.text("currency") or "EUR")}
    return Text(_("Refund of %(amount)s issued for return %(return)s.") % values)


@renders(events.ReturnRejected, example={**_RETURN, "reason": "Χρησιμοποιημένο, χωρίς ετικέτες"})
def _rejected(facts: Facts, words: Words) -> Text:
    return Text(_("Return %(return)s rejected.") % {"return": _name(facts)}, note=facts.text("reason"))


@renders(events.ReturnCancelled, example=_RETURN)
def _cancelled(facts: Facts, words: Words) -> Text:
    return Text(_("Return %(return)s cancelled.") % {"return": _name(facts)})


@renders(events.ReturnPolicyChanged, example={"changed": ["voluntary_days", "auto_refund"]})
def _policy(facts: Facts, words: Words) -> Text:
    return Text(_("Return policy changed."))


@renders(
    events.ExchangePlaced,
    example={**_RETURN, "replacement_order_id": 2, "replacement": "EM-10002", "held": True},
    more_examples=({**_RETURN, "replacement_order_id": 2, "replacement": "EM-10002", "held": False},),
)
def _exchange(facts: Facts, words: Words) -> Text:
    values = {"return": _name(facts), "replacement": facts.text("replacement")}
    if facts.values.get("held") is True:
        return Text(
            _(
                "Exchange for return %(return)s: replacement order %(replacement)s placed, held until the return is back."
            )
            % values
        )
    return Text(
        _("Exchange for return %(return)s: replacement order %(replacement)s placed and ships now (trusted customer).")
        % values
    )


@renders(
    events.StoreCreditIssued,
    example={**_RETURN, "gift_card_id": 3, "code": "K7QM-2XPA-9RTD", "amount": "39.80", "currency": "EUR"},
)
def _store_credit(facts: Facts, words: Words) -> Text:
    values = {
        "return": _name(facts),
        "amount": words.money(facts.amount("amount"), facts.text("currency") or "EUR"),
        "code": facts.text("code"),
    }
    return Text(_("Store credit of %(amount)s for return %(return)s: gift card %(code)s.") % values)

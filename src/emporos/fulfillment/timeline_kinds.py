"""How the fulfillment domain's timeline entries read, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from emporos.fulfillment import events
from emporos.fulfillment.labels import hold_reason, label
from emporos.timeline.rendering import Facts, Text, Words, renders

_ORDER = {"order_id": 1, "number": "EM-10001"}


@renders(
    events.FulfillmentPlanned,
    example={**_ORDER, "ready": 1, "waiting": 1},
    more_examples=({**_ORDER, "ready": 2, "waiting": 0}, {**_ORDER, "ready": 0, "waiting": 2}),
)
def _planned(facts: Facts, words: Words) -> Text:
    ready, waiting = facts.number("ready"), facts.number("waiting")
    parts = []
    if ready:
        parts.append(
            ngettext("%(count)s part ready to ship", "%(count)s parts ready to ship", ready)
            % {"count": words.number(ready)}
        )
    if waiting:
        parts.append(
            ngettext("%(count)s part waiting", "%(count)s parts waiting", waiting) % {"count": words.number(waiting)}
        )
    if not parts:
        return Text(_("Fulfilment plan updated: nothing left to ship."))
    return Text(_("Fulfilment planned: %(parts)s.") % {"parts": words.join(parts)})


@renders(
    events.FulfillmentHeld,
    example={**_ORDER, "fulfillment_order_id": 2, "reason": "address_problem", "note": "Λείπει ο όροφος"},
)
def _held(facts: Facts, words: Words) -> Text:
    return Text(
        _("Fulfilment held: %(reason)s.") % {"reason": hold_reason(facts.text("reason"))}, note=facts.text("note")
    )


@renders(events.FulfillmentReleased, example={**_ORDER, "fulfillment_order_id": 2})
def _released(facts: Facts, words: Words) -> Text:
    return Text(_("Fulfilment hold lifted."))


@renders(
    events.ShipmentCreated,
    example={
        **_ORDER,
        "shipment_id": 3,
        "carrier": "boxnow",
        "fulfillment_status": "partially_shipped",
        "carrier_name": "BOX NOW",
        "tracking_number": "9200001234",
        "units": 2,
        "sequence": 1,
    },
    more_examples=(
        {
            **_ORDER,
            "shipment_id": 4,
            "carrier": "manual",
            "fulfillment_status": "shipped",
            "carrier_name": "Manual",
            "tracking_number": "ABC123",
            "units": 1,
            "sequence": 2,
        },
    ),
)
def _shipment(facts: Facts, words: Words) -> Text:
    units = facts.number("units")
    return Text(
        ngettext(
            "Parcel %(sequence)s labelled: %(count)s item with %(carrier)s, tracking number %(tracking)s.",
            "Parcel %(sequence)s labelled: %(count)s items with %(carrier)s, tracking number %(tracking)s.",
            units,
        )
        % {
            "sequence": words.number(facts.number("sequence")),
            "count": words.number(units),
            "carrier": facts.text("carrier_name"),
            "tracking": facts.text("tracking_number"),
        }
    )


@renders(
    events.DigitalDelivered,
    example={**_ORDER, "downloads": 1, "memberships": 0},
    more_examples=({**_ORDER, "downloads": 0, "memberships": 1}, {**_ORDER, "downloads": 2, "memberships": 1}),
)
def _digital(facts: Facts, words: Words) -> Text:
    downloads, memberships = facts.number("downloads"), facts.number("memberships")
    parts = []
    if downloads:
        parts.append(
            ngettext("%(count)s download link", "%(count)s download links", downloads)
            % {"count": words.number(downloads)}
        )
    if memberships:
        parts.append(
            ngettext("%(count)s membership activated", "%(count)s memberships activated", memberships)
            % {"count": words.number(memberships)}
        )
    if not parts:
        return Text(_("Digital items delivered."))
    return Text(_("Digital items delivered: %(parts)s.") % {"parts": words.join(parts)})


@renders(events.HandoverRequested, example={**_ORDER, "fulfillment_order_id": 2, "location_id": 3})
def _handover(facts: Facts, words: Words) -> Text:
    return Text(_("Handed to the fulfilment service to ship."))


@renders(
    events.HandoverAnswered,
    example={**_ORDER, "fulfillment_order_id": 2, "accepted": True, "note": ""},
    more_examples=({**_ORDER, "fulfillment_order_id": 2, "accepted": False, "note": "Out of stock at 3PL"},),
)
def _handover_answered(facts: Facts, words: Words) -> Text:
    if bool(facts.values.get("accepted")):
        return Text(_("The fulfilment service accepted the order."))
    return Text(_("The fulfilment service refused the order; it waits on hold."), note=facts.text("note"))


@renders(
    events.HandoverAnswerFailed,
    example={
        **_ORDER,
        "fulfillment_order_id": 2,
        "location_id": 3,
        "source": "answers-2026-11-24.csv",
        "note": "answers-2026-11-24.csv:3: SKU TEA-999 is not in the request.",
    },
)
def _handover_answer_failed(facts: Facts, words: Words) -> Text:
    return Text(
        _("An answer from the fulfilment service (%(source)s) could not be applied; it was set aside.")
        % {"source": facts.text("source")},
        note=facts.text("note"),
    )


_PARCEL = {**_ORDER, "shipment_id": 3, "sequence": 1, "carrier": "demo", "tracking_number": "DM0123456789"}


def _tracked_sentence(status: str) -> str:
    sentences = {
        "picked_up": _("Parcel %(sequence)s picked up by the carrier."),
        "in_transit": _("Parcel %(sequence)s is on its way."),
        "out_for_delivery": _("Parcel %(sequence)s is out for delivery."),
        "delivery_attempted": _("Parcel %(sequence)s: the carrier tried to deliver it and could not."),
        "available_for_pickup": _("Parcel %(sequence)s is ready for pickup."),
        "delivered": _("Parcel %(sequence)s delivered."),
        "exception": _("Parcel %(sequence)s: the carrier reported a problem."),
        "returned_to_sender": _("Parcel %(sequence)s is going back to the shop."),
    }
    return sentences.get(status, _("Parcel %(sequence)s: the carrier updated its status."))


@renders(
    events.ShipmentTracked,
    example={
        **_PARCEL,
        "status": "out_for_delivery",
        "previous": "in_transit",
        "occurred_at": "2026-12-04T07:10:00+00:00",
        "location": "Αθήνα",
        "pickup_code": "",
        "pickup_until": "",
    },
    more_examples=(
        {
            **_PARCEL,
            "status": "available_for_pickup",
            "previous": "in_transit",
            "occurred_at": "2026-12-04T09:10:00+00:00",
            "location": "BOX NOW Locker Σύνταγμα",
            "pickup_code": "482913",
            "pickup_until": "2026-12-07",
        },
        {**_PARCEL, "status": "delivered", "previous": "out_for_delivery", "occurred_at": "2026-12-04T12:00:00Z"},
        {**_PARCEL, "status": "exception", "previous": "in_transit", "occurred_at": "2026-12-04T12:00:00Z"},
        {**_PARCEL, "status": "delivery_attempted", "previous": "out_for_delivery", "occurred_at": "2026-12-04T12:00Z"},
        {**_PARCEL, "status": "picked_up", "previous": "label_created", "occurred_at": "2026-12-03T16:00:00Z"},
        {**_PARCEL, "status": "in_transit", "previous": "picked_up", "occurred_at": "2026-12-03T19:00:00Z"},
        {**_PARCEL, "status": "returned_to_sender", "previous": "exception", "occurred_at": "2026-12-09T10:00Z"},
    ),
)
def _tracked(facts: Facts, words: Words) -> Text:
    sentence = _tracked_sentence(facts.text("status")) % {"sequence": words.number(facts.number("sequence"))}
    if facts.text("pickup_code"):
        sentence += " " + _("Pickup code %(code)s.") % {"code": facts.text("pickup_code")}
    if facts.text("pickup_until"):
        sentence += " " + _("It waits until %(day)s.") % {"day": words.date(facts.text("pickup_until"))}
    return Text(sentence, note=facts.text("location"))


@renders(
    events.DelayCaseOpened,
    example={**_PARCEL, "case_id": 5, "reason": "exception", "note": "Διεύθυνση ελλιπής"},
    more_examples=(
        {**_PARCEL, "case_id": 6, "reason": "no_scan", "note": ""},
        {**_PARCEL, "case_id": 7, "reason": "failed_attempt", "note": "Recipient not at home"},
        {**_PARCEL, "case_id": 8, "reason": "late", "note": ""},
    ),
)
def _delay_opened(facts: Facts, words: Words) -> Text:
    return Text(
        _("Delay case opened for parcel %(sequence)s: %(reason)s.")
        % {"sequence": words.number(facts.number("sequence")), "reason": label("delay_reason", facts.text("reason"))},
        note=facts.text("note"),
    )


@renders(
    events.DelayCaseClosed,
    example={**_PARCEL, "case_id": 5, "outcome": "moved_on", "reason": "exception"},
    more_examples=(
        {**_PARCEL, "case_id": 6, "outcome": "delivered", "reason": "no_scan"},
        {**_PARCEL, "case_id": 7, "outcome": "staff_closed", "reason": "late"},
    ),
)
def _delay_closed(facts: Facts, words: Words) -> Text:
    return Text(
        _("Delay case of parcel %(sequence)s closed: %(outcome)s.")
        % {
            "sequence": words.number(facts.number("sequence")),
            "outcome": label("delay_outcome", facts.text("outcome")),
        }
    )


@renders(
    events.PickupPointChanged,
    example={**_ORDER, "previous": "BOXNOW-ATH-114", "point": "BOXNOW-ATH-205", "note": "Ο πελάτης μετακόμισε"},
    more_examples=({**_ORDER, "previous": "", "point": "KRA010M", "note": ""},),
)
def _pickup_point_changed(facts: Facts, words: Words) -> Text:
    previous = facts.text("previous")
    if previous:
        text = _("Pickup point changed from %(previous)s to %(point)s.") % {
            "previous": previous,
            "point": facts.text("point"),
        }
    else:
        text = _("Pickup point set to %(point)s.") % {"point": facts.text("point")}
    return Text(text, note=facts.text("note"))

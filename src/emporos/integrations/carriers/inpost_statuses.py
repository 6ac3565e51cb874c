"""InPost ShipX shipment statuses in Emporos's words.

The names are ShipX's own, from its status list (`GET /v1/statuses`, documented at
https://dokumentacja-inpost.atlassian.net/wiki/spaces/PL/pages/18153478/Statuses). Where a status
may read two ways, the comment says which reading was taken and why.
"""

from __future__ import annotations

from emporos.fulfillment.carriers import TrackingStatus as S

# Before a label exists, or once bought but not yet handed over.
_PREPARED = {
    "created": S.LABEL_CREATED,
    "offers_prepared": S.LABEL_CREATED,
    "offer_selected": S.LABEL_CREATED,
    "confirmed": S.LABEL_CREATED,  # bought: the tracking number exists, the parcel is still at the shop
}

# InPost has the parcel (a courier took it, or the shop dropped it at a locker or a point).
_HANDED_OVER = {
    "dispatched_by_sender": S.PICKED_UP,  # dropped into a sending locker
    "dispatched_by_sender_to_pok": S.PICKED_UP,  # left at a PaczkoPunkt
    "ready_to_pickup_from_pok": S.PICKED_UP,  # waiting at that point for InPost's courier
    "ready_to_pickup_from_pok_registered": S.PICKED_UP,
    "collected_from_sender": S.PICKED_UP,
    "taken_by_courier": S.PICKED_UP,
    "taken_by_courier_from_pok": S.PICKED_UP,
}

_ON_THE_WAY = {
    "adopted_at_source_branch": S.IN_TRANSIT,
    "sent_from_source_branch": S.IN_TRANSIT,
    "adopted_at_sorting_center": S.IN_TRANSIT,
    "sent_from_sorting_center": S.IN_TRANSIT,
    "adopted_at_target_branch": S.IN_TRANSIT,
    "oversized": S.IN_TRANSIT,  # too big for the locker: InPost reroutes it, nothing for the shop to do
    "delay_in_delivery": S.IN_TRANSIT,
    "readdressed": S.IN_TRANSIT,
    "redirect_to_box": S.IN_TRANSIT,
    "canceled_redirect_to_box": S.IN_TRANSIT,
    "unstack_from_box_machine": S.IN_TRANSIT,  # moved out of a temporary locker, onwards
    "unstack_from_customer_service_point": S.IN_TRANSIT,
    "taken_by_courier_from_customer_service_point": S.IN_TRANSIT,
    "other": S.IN_TRANSIT,  # ShipX's catch-all; read like any other undocumented word
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "out_for_delivery_to_address": S.OUT_FOR_DELIVERY,
}

_WAITING_FOR_THE_CUSTOMER = {
    "ready_to_pickup": S.AVAILABLE_FOR_PICKUP,
    "ready_to_pickup_from_branch": S.AVAILABLE_FOR_PICKUP,
    "stack_in_box_machine": S.AVAILABLE_FOR_PICKUP,  # in a temporary locker nearby
    "stack_in_customer_service_point": S.AVAILABLE_FOR_PICKUP,
    "pickup_reminder_sent": S.AVAILABLE_FOR_PICKUP,
    "pickup_reminder_sent_address": S.AVAILABLE_FOR_PICKUP,
    "courier_avizo_in_customer_service_point": S.AVAILABLE_FOR_PICKUP,
    "avizo": S.DELIVERY_ATTEMPTED,  # the courier found nobody and left a notice
    "undelivered": S.DELIVERY_ATTEMPTED,
}

_ENDS = {
    "delivered": S.DELIVERED,
    "returned_to_sender": S.RETURNED_TO_SENDER,
    "return_pickup_confirmation_to_sender": S.RETURNED_TO_SENDER,
}

# Something went wrong that the shop may have to act on (call the customer, claim, send again).
_PROBLEMS = {
    "pickup_time_expired": S.EXCEPTION,
    "stack_parcel_pickup_time_expired": S.EXCEPTION,
    "stack_parcel_in_box_machine_pickup_time_expired": S.EXCEPTION,
    "rejected_by_receiver": S.EXCEPTION,
    "undelivered_wrong_address": S.EXCEPTION,
    "undelivered_incomplete_address": S.EXCEPTION,
    "undelivered_unknown_receiver": S.EXCEPTION,
    "undelivered_cod_cash_receiver": S.EXCEPTION,  # the customer could not pay the cash on delivery
    "undelivered_no_mailbox": S.EXCEPTION,
    "undelivered_not_live_address": S.EXCEPTION,
    "undelivered_lack_of_access_letterbox": S.EXCEPTION,
    "missing": S.EXCEPTION,
    "claimed": S.EXCEPTION,  # a complaint was filed
    "canceled": S.EXCEPTION,
    "cancelled": S.EXCEPTION,  # both spellings appear in public material about ShipX
}

STATUS: dict[str, S] = {**_PREPARED, **_HANDED_OVER, **_ON_THE_WAY, **_WAITING_FOR_THE_CUSTOMER, **_ENDS, **_PROBLEMS}

# No label exists yet in these; ShipX lets such a shipment be cancelled (DELETE) and buys it next.
PENDING = frozenset({"created", "offers_prepared", "offer_selected"})

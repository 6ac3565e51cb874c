"""The customer's words for a refused return: each service error code in the page's language.

The services explain themselves in English for integrators; the customer reads these instead,
next to the field the error names. A code without words here gets a plain "check this" in the
customer's language rather than English.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporos.core.errors import FieldError

REFUSALS: dict[str, Promise] = {
    "no_lines": gettext_lazy("Choose at least one item to send back."),
    "invalid_quantity": gettext_lazy("Send back at least 1 unit."),
    "more_than_returnable": gettext_lazy("You can send back at most %(returnable)s of this item."),
    "not_delivered": gettext_lazy("This item has not been delivered yet; you can send it back once it arrives."),
    "not_in_order": gettext_lazy("This item is not in your order."),
    "duplicate_sku": gettext_lazy("This item is named twice."),
    "invalid_reason": gettext_lazy("Choose a reason from the list."),
    "invalid_condition": gettext_lazy("Choose the item's condition."),
    "invalid_resolution": gettext_lazy("Choose what you would like instead: a refund, an exchange or store credit."),
    "exchange_sku_missing": gettext_lazy("Say which size or colour you would like instead."),
    "withdrawal_period_over": gettext_lazy(
        "The period to return this order is over. If an item is faulty, choose the reason that says so."
    ),
    "conformity_period_over": gettext_lazy("The two-year legal guarantee for this order is over."),
    "custom_made": gettext_lazy("Items made to your specification cannot be returned unless they are faulty."),
    "perishable": gettext_lazy("Perishable items cannot be returned unless they are faulty."),
    "hygiene_seal_broken": gettext_lazy("Sealed hygiene items can be returned only unopened, unless they are faulty."),
    "digital_downloaded": gettext_lazy("Digital content cannot be returned once downloaded, unless it is faulty."),
    "not_sepa": gettext_lazy("This account is outside the SEPA area; give a euro account in the EU, or write to us."),
    "too_many_photos": gettext_lazy("Send at most %(max_photos)s photos."),
    "photo_too_large": gettext_lazy("A photo is larger than 5 MB; send a smaller one."),
    "not_an_image": gettext_lazy("A file is not a photo: send JPEG, PNG or WebP images."),
    "iban_required": gettext_lazy("Give the IBAN of the account the money should go back to."),
    "holder_required": gettext_lazy("Give the name of the account holder."),
    "reason_required": gettext_lazy("Choose a reason."),
    "condition_required": gettext_lazy("Choose the condition the items are in."),
    "name_required": gettext_lazy("Give your name."),
    "email_invalid": gettext_lazy("Enter a valid e-mail address."),
}

# Codes whose service message is already in the customer's language (core.iban words them so).
_ALREADY_TRANSLATED = frozenset({"invalid_iban", "required"})


def refusal(error: FieldError, **values: object) -> str:
    """The words for `error` in the active language."""
    if error.code in _ALREADY_TRANSLATED:
        return error.message
    words = REFUSALS.get(error.code)
    if words is None:
        return _("Check this and try again.")
    return str(words) % values if values else str(words)

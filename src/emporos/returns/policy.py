"""The shop's return policy: its row when saved, the defaults otherwise."""

from __future__ import annotations

from emporos.returns.models import Reason, ReturnPolicy

# The reasons a return form offers unless the owner chose others (the withdrawal button needs none).
DEFAULT_REASONS = [
    Reason.WRONG_SIZE,
    Reason.NOT_AS_DESCRIBED,
    Reason.DEFECTIVE,
    Reason.ARRIVED_DAMAGED,
    Reason.WRONG_ITEM,
    Reason.CHANGED_MIND,
    Reason.BETTER_PRICE,
    Reason.OTHER,
]


def current_policy() -> ReturnPolicy:
    """The saved policy, or an unsaved one with the defaults (the law's periods only)."""
    row = ReturnPolicy.objects.filter(pk=1).first()
    if row is None:
        row = ReturnPolicy(id=1, reasons=[reason.value for reason in DEFAULT_REASONS])
    elif not row.reasons:
        row.reasons = [reason.value for reason in DEFAULT_REASONS]
    return row

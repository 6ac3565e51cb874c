"""Saved views of the orders list: a staff member's own named filters and sort.

A view is a preference of one staff member, like the language they read the desk in: it changes
nothing of the shop, so it records no timeline entry and emits no event.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.errors import ErrorCollector, ValidationFailed
from emporos.core.text import text_problem
from emporos.orders.errors import SavedViewNotFound
from emporos.orders.models import SavedOrderView

NAME_MAX_LENGTH = 60
QUERY_MAX_LENGTH = 1000
VIEWS_PER_STAFF_MEMBER = 30


def save_order_view(*, owner_id: int, name: str, query: str) -> SavedOrderView:
    """Keep `query` (already normalized by the caller) under `name` for the staff member `owner_id`.

    ValidationFailed names the field: `name` for a missing, too long, badly written or taken name
    (codes required, too_long, the text rule's code, taken), `query` for one too long, and
    `limit_reached` when they have VIEWS_PER_STAFF_MEMBER views already.
    """
    name = name.strip()
    errors = ErrorCollector()
    if not name:
        errors.add("name", "required", "Give the view a name.")
    elif len(name) > NAME_MAX_LENGTH:
        errors.add("name", "too_long", f"Use at most {NAME_MAX_LENGTH} characters.")
    elif (problem := text_problem(name)) is not None:
        errors.add("name", problem.code, problem.message)
    if len(query) > QUERY_MAX_LENGTH:
        errors.add("query", "too_long", f"The filters take more than {QUERY_MAX_LENGTH} characters; use fewer.")
    if SavedOrderView.objects.filter(owner_id=owner_id).count() >= VIEWS_PER_STAFF_MEMBER:
        errors.add("name", "limit_reached", f"Keep at most {VIEWS_PER_STAFF_MEMBER} views; delete one first.")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            return SavedOrderView.objects.create(owner_id=owner_id, name=name, query=query, created_at=clock.now())
    except IntegrityError:  # the name is taken (the unique constraint ignores case)
        errors.add("name", "taken", f"You have a view named {name} already; pick another name.")
        raise ValidationFailed(errors.errors) from None


def delete_order_view(*, owner_id: int, view_id: int) -> None:
    """Delete one of the views of the staff member `owner_id`; SavedViewNotFound when they have no such view."""
    deleted, _ = SavedOrderView.objects.filter(owner_id=owner_id, pk=view_id).delete()
    if not deleted:
        raise SavedViewNotFound("There is no such saved view; it may have been deleted already.")

"""Merging two customer records that are one person (two e-mail addresses, a phone order and a
web order): everything of the other moves to this one, its address becomes one of theirs."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emporos.access.roles import Permission
from emporos.core.contact import InvalidContact, normalize_email
from emporos.core.errors import NotFound
from emporos.customers import identity
from emporos.desk.auth import actor_for, staff_required
from emporos.orders import selectors
from emporos.support.identity import merge_customers


@require_POST
@staff_required(Permission.ANSWER_CUSTOMERS)
def customer_merge(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Merge the customer with the e-mail address typed into the one whose page this is."""
    try:
        keep = selectors.customer_by_public_id(public_id)
    except NotFound:
        return redirect(reverse("desk:orders"))
    page = reverse("desk:customer", args=[public_id]) + "#merge"
    typed = request.POST.get("merge-email", "").strip()
    try:
        email = normalize_email(typed)
    except InvalidContact:
        messages.error(request, _("Type the other record's e-mail address, e.g. maria@example.gr."))
        return redirect(page)
    other = identity.find_by_email(email)
    if other is None:
        messages.error(request, _("No customer has the address %(email)s.") % {"email": email})
        return redirect(page)
    if other.pk == keep.pk:
        messages.error(request, _("%(email)s is already this customer's address.") % {"email": email})
        return redirect(page)
    moved = merge_customers(keep=keep, merge=other, actor=actor_for(request))
    messages.success(
        request,
        _("%(email)s merged into this customer (records moved: %(count)s).") % {"email": email, "count": moved},
    )
    return redirect(reverse("desk:customer", args=[public_id]))

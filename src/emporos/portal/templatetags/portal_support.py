"""The support panel of the order's status page (chat and the way to the contact form), drawn
from the page's signed token so the status page's view needs to know nothing of support."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from emporos.orders.models import Order
from emporos.portal.support_chat_views import chat_context

register = template.Library()


@register.inclusion_tag("portal/support/_order_support.html", takes_context=True)
def order_support(context: template.Context, order: Order, token: str) -> dict[str, Any]:
    language = get_language() or "en"
    asked = context.get("asked_language", "")
    contact = reverse("portal:order_contact", args=[token])
    return {
        **chat_context(order, token, language=language),
        "csrf_token": context.get("csrf_token"),
        "contact_url": f"{contact}?lang={asked}" if asked else contact,
        "language": language,
    }

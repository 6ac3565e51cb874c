"""Settings → Webhooks (owners only): the endpoints Emporos POSTs to, their recent requests, and
the webhook deliveries the outbox gave up on, each with a replay button.

The form only parses; `integrations.webhooks.services` decides what an endpoint may be and its
words land next to the field. The signing secret is shown only when an owner asks for it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, show_error
from emporos.desk.responses import post_only
from emporos.integrations.webhooks import selectors, services
from emporos.integrations.webhooks.models import WebhookEndpoint
from emporos.integrations.webhooks.topics import OFFERED, label_of


def _topic_choices() -> list[tuple[str, str]]:
    return [(topic.name, f"{topic.label} · {topic.name}") for topic in OFFERED]


class EndpointForm(DeskForm):
    url = forms.CharField(
        label=gettext_lazy("Address (URL)"),
        max_length=2000,
        required=False,
        help_text=gettext_lazy(
            "Where Emporos sends each request, e.g. https://shop.example.com/hooks/emporos. "
            "Plain http:// only for 127.0.0.1 and localhost while developing."
        ),
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"),
        choices=_topic_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Emporos sends no topic %(value)s; pick from the list.")},
    )


def _list_url(anchor: str = "") -> str:
    return reverse("desk:webhooks") + anchor


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def webhooks_page(request: HttpRequest) -> HttpResponse:
    """The endpoints, a form to add one, and the dead letters."""
    if request.method != "POST":
        return _render_list(request, EndpointForm())
    form = EndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.add_endpoint(
                url=form.cleaned_data["url"], topics=form.cleaned_data["topics"], actor=actor_for(request)
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Endpoint added. Show its signing secret below and give it to the receiver, so it can check each request."
                ),
            )
            return HttpResponseRedirect(reverse("desk:webhook", args=[endpoint.public_id]), status=303)
    return _render_list(request, form, status=400)


def _render_list(request: HttpRequest, form: EndpointForm, *, status: int = 200) -> HttpResponse:
    context = {
        "section": "settings",
        "form": form,
        "endpoints": selectors.endpoints(),
        "dead_letters": selectors.dead_letters(),
    }
    return render(request, "desk/settings/webhooks.html", context, status=status)


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET"])
def webhook_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    endpoint = selectors.endpoint(public_id)
    if endpoint is None:
        return _gone(request)
    return _render_endpoint(request, endpoint, show_secret=False)


def _to_endpoint(request: HttpRequest, public_id: uuid.UUID) -> str:
    return reverse("desk:webhook", args=[public_id])


@never_cache
@staff_required(Permission.CHANGE_SETTINGS)
@post_only(_to_endpoint)
def webhook_secret(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The endpoint's page with its secret shown (asked for with a POST, never cached)."""
    endpoint = selectors.endpoint(public_id)
    if endpoint is None:
        return _gone(request)
    return _render_endpoint(request, endpoint, show_secret=True)


def _render_endpoint(request: HttpRequest, endpoint: WebhookEndpoint, *, show_secret: bool) -> HttpResponse:
    context: dict[str, Any] = {
        "section": "settings",
        "endpoint": endpoint,
        "topics": [(name, label_of(name)) for name in endpoint.topics],
        "attempts": selectors.recent_attempts(endpoint),
        "show_secret": show_secret,
    }
    return render(request, "desk/settings/webhook.html", context)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(_to_endpoint)
def webhook_active(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Turn an endpoint off or back on (`is_active` is "yes" or "no")."""
    is_active = request.POST.get("is_active") == "yes"
    try:
        endpoint = services.set_endpoint_active(endpoint_id=public_id, is_active=is_active)
    except DomainError:
        return _gone(request)
    text = _("%(url)s is on again.") if is_active else _("%(url)s is off: it is sent nothing until turned on.")
    messages.success(request, text % {"url": endpoint.url})
    return HttpResponseRedirect(reverse("desk:webhook", args=[public_id]), status=303)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(_to_endpoint)
def webhook_rotate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        services.rotate_secret(endpoint_id=public_id)
    except DomainError:
        return _gone(request)
    messages.success(
        request, _("A new secret signs every request from now on; the old one no longer works. Show it to copy it.")
    )
    return HttpResponseRedirect(reverse("desk:webhook", args=[public_id]), status=303)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(_to_endpoint)
def webhook_ping(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        services.request_ping(endpoint_id=public_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A test request is on its way; its result appears in the list below."))
    return HttpResponseRedirect(reverse("desk:webhook", args=[public_id]), status=303)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(_to_endpoint)
def webhook_delete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        endpoint = services.delete_endpoint(endpoint_id=public_id)
    except DomainError:
        return _gone(request)
    messages.success(request, _("%(url)s was removed, with its log.") % {"url": endpoint.url})
    return HttpResponseRedirect(_list_url(), status=303)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(lambda request, delivery_id: reverse("desk:webhooks"))
def webhook_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """Give a dead webhook delivery a fresh set of attempts."""
    try:
        services.replay_dead_letter(delivery_id=delivery_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery will be tried again in a moment."))
    return HttpResponseRedirect(_list_url("#dead-letters"), status=303)


def _gone(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("That webhook endpoint no longer exists; here is the list."))
    return HttpResponseRedirect(_list_url(), status=303)

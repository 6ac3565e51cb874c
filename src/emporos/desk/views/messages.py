"""Messages to customers in the desk: Settings → Messages (noise budget, quiet hours, the
templates with an edit form and a preview in every language) and the message log.

Forms only parse types; `notifications.services` decides what is valid.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, show_error
from emporos.desk.language_names import language_label
from emporos.desk.responses import post_only
from emporos.notifications import policy, rendering, services
from emporos.notifications.models import Channel, Kind, Message, MessageStatus, TemplateOverride
from emporos.notifications.templates_text import default_template
from emporos.shop import selectors as shop


class PolicyForm(DeskForm):
    messages_per_order_day = LocalizedIntegerField(
        label=gettext_lazy("Messages per order per day, on each channel"),
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text=gettext_lazy("More than this in one day are suppressed and shown in the log; problems always go."),
    )
    quiet_hours = forms.CharField(
        label=gettext_lazy("Quiet hours"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "In the customer's time zone, e.g. 21:00-08:00; messages wait until they end. Empty: none."
        ),
    )


class TemplateForm(DeskForm):
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=400)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
        required=False,
        max_length=5000,
    )


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def messages_settings_page(request: HttpRequest) -> HttpResponse:
    current = policy.current()
    if request.method != "POST":
        form = PolicyForm(
            initial={"messages_per_order_day": current.messages_per_order_day, "quiet_hours": current.quiet_hours_text}
        )
        return _settings(request, form, current)
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            services.save_policy(
                messages_per_order_day=form.cleaned_data["messages_per_order_day"],
                quiet_hours=form.cleaned_data["quiet_hours"] or "",
                actor=actor_for(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash.success(request, _("Message settings saved."))
            return HttpResponseRedirect(reverse("desk:messages_settings"), status=303)
    return _settings(request, form, current, status=400)


def _settings(request: HttpRequest, form: PolicyForm, current: policy.Policy, *, status: int = 200) -> HttpResponse:
    edited = set(TemplateOverride.objects.values_list("kind", "channel", "language"))
    rows = [
        {
            "kind": kind,
            "label": kind.label,
            "channels": [
                {
                    "channel": channel,
                    "languages": [
                        {
                            "code": code,
                            "name": language_label(code),
                            "edited": (kind.value, channel.value, code) in edited,
                        }
                        for code in rendering.LANGUAGES
                    ],
                }
                for channel in Channel
            ],
        }
        for kind in Kind
    ]
    context = {"section": "settings", "form": form, "policy": current, "rows": rows}
    return render(request, "desk/settings/messages.html", context, status=status)


def _check(kind: str, channel: str, language: str) -> None:
    if kind not in Kind.values or channel not in Channel.values or language not in rendering.LANGUAGES:
        raise Http404


def _current_words(kind: str, channel: str, language: str) -> dict[str, str]:
    """What the form starts from: the owner's edit, else the default words in the shop's tone."""
    edited = TemplateOverride.objects.filter(kind=kind, channel=channel, language=language).first()
    if edited is not None:
        return {"subject": edited.subject, "body": edited.body}
    current = shop.current()
    from django.utils.translation import override

    with override(language):
        template = default_template(kind, tone=current.tone, form_of_address=current.form_of_address)
    if channel == Channel.SMS:
        return {"subject": "", "body": template.sms}
    return {"subject": template.subject, "body": "\n".join(template.lines)}


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def template_page(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    """Edit one template; the preview shows the kind in every language with sample data."""
    _check(kind, channel, language)
    if request.method != "POST":
        return _template(
            request, TemplateForm(initial=_current_words(kind, channel, language)), kind, channel, language
        )
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            services.save_template(
                kind=kind,
                language=language,
                channel=channel,
                subject=form.cleaned_data["subject"] or "",
                body=form.cleaned_data["body"] or "",
                actor=actor_for(request),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash.success(request, _("Template saved."))
            return HttpResponseRedirect(request.path, status=303)
    return _template(request, form, kind, channel, language, status=400)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(lambda request, kind, channel, language: reverse("desk:message_template", args=[kind, channel, language]))
def template_reset(request: HttpRequest, kind: str, channel: str, language: str) -> HttpResponse:
    _check(kind, channel, language)
    services.reset_template(kind=kind, channel=channel, language=language, actor=actor_for(request))
    flash.success(request, _("Back to the default words."))
    return HttpResponseRedirect(reverse("desk:message_template", args=[kind, channel, language]), status=303)


def _template(
    request: HttpRequest, form: TemplateForm, kind: str, channel: str, language: str, *, status: int = 200
) -> HttpResponse:
    previews = []
    for code in rendering.LANGUAGES:
        name = language_label(code)
        rendered = rendering.render(
            kind, language=code, channel=channel, values=rendering.sample_values(kind, language=code)
        )
        previews.append({"code": code, "name": name, "rendered": rendered, "rtl": code in rendering.RIGHT_TO_LEFT})
    context: dict[str, Any] = {
        "section": "settings",
        "form": form,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "channel": channel,
        "language": language,
        "language_name": language_label(language),
        "is_edited": TemplateOverride.objects.filter(kind=kind, channel=channel, language=language).exists(),
        "placeholders": rendering.PLACEHOLDERS,
        "previews": previews,
    }
    return render(request, "desk/settings/message_template.html", context, status=status)


@staff_required(Permission.VIEW_CUSTOMERS)
def message_log(request: HttpRequest) -> HttpResponse:
    """Every message, newest first; filters by kind, channel, status and order number or recipient."""
    rows = Message.objects.select_related("order", "customer").order_by("-created_at", "-pk")
    filters = {name: request.GET.get(name, "").strip() for name in ("kind", "channel", "status", "q")}
    if filters["kind"] in Kind.values:
        rows = rows.filter(kind=filters["kind"])
    if filters["channel"] in Channel.values:
        rows = rows.filter(channel=filters["channel"])
    if filters["status"] in MessageStatus.values:
        rows = rows.filter(status=filters["status"])
    if query := filters["q"]:
        number = query.upper().removeprefix("EM-")
        rows = rows.filter(order__number=int(number)) if number.isdigit() else rows.filter(recipient__icontains=query)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "section": "messages",
        "page": page,
        "filters": filters,
        "kinds": Kind.choices,
        "channels": Channel.choices,
        "statuses": MessageStatus.choices,
    }
    return render(request, "desk/messages/log.html", context)


@staff_required(Permission.VIEW_CUSTOMERS)
def message_page(request: HttpRequest, message_uuid: uuid.UUID) -> HttpResponse:
    """One message as the customer got it (the HTML in a sandboxed frame) and what became of it."""
    message = Message.objects.select_related("order", "customer").filter(uuid=message_uuid).first()
    if message is None:
        raise Http404
    return render(
        request,
        "desk/messages/message.html",
        {"section": "messages", "message": message, "rtl": message.language in rendering.RIGHT_TO_LEFT},
    )

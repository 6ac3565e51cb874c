"""Settings → Support (the owner): canned replies in four languages with what they do to a ticket,
and the SLA targets in working minutes. The forms only parse types; `support.settings` decides
what is valid, and its errors land next to the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, plain_text, show_error
from emporos.desk.language_names import name_of
from emporos.desk.responses import not_found
from emporos.support import labels, macros, policy
from emporos.support import settings as support_settings
from emporos.support.models import Macro, Priority, SlaTarget

LANGUAGES = macros.LANGUAGES


def _placeholder_help() -> str:
    names = ", ".join("{" + name + "}" for name in macros.PLACEHOLDERS)
    return _("Placeholders filled in for each ticket: %(names)s.") % {"names": names}


class MacroForm(DeskForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100, validators=[plain_text])
    set_status = forms.ChoiceField(
        label=gettext_lazy("Status after sending"),
        required=False,
        choices=lambda: [("", _("As the agent chooses")), *labels.choices("status")],
    )
    set_topic = forms.ChoiceField(
        label=gettext_lazy("Set the topic"),
        required=False,
        choices=lambda: [("", _("Leave as it is")), *labels.choices("topic")],
    )
    add_tags = forms.CharField(
        label=gettext_lazy("Add tags"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Separated by commas, e.g. courier, damaged."),
    )
    asks_for = forms.ChoiceField(
        label=gettext_lazy("The reply asks the customer for"),
        required=False,
        choices=lambda: [("", _("Nothing")), *labels.choices("asked_for")],
        help_text=gettext_lazy("Counted when the shop already knew it: customers should never be asked twice."),
    )
    position = LocalizedIntegerField(label=gettext_lazy("Place in the list"), min_value=0, max_value=1000, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in LANGUAGES:
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Reply in %(language)s") % {"language": name_of(code)},
                required=False,
                max_length=support_settings.MAX_BODY,
                widget=forms.Textarea(attrs={"rows": 5, "dir": "rtl" if code == "he" else "ltr", "lang": code}),
                help_text=_placeholder_help() if code == "en" else "",
            )


class TargetForm(DeskForm):
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=lambda: labels.choices("priority"))
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"), required=False, choices=lambda: [("", _("Every topic")), *labels.choices("topic")]
    )
    first_response_minutes = LocalizedIntegerField(label=gettext_lazy("First answer within (working minutes)"))
    next_response_minutes = LocalizedIntegerField(label=gettext_lazy("Next answer within (working minutes)"))
    resolution_minutes = LocalizedIntegerField(label=gettext_lazy("Solved within (working minutes)"))


def _settings_url() -> str:
    return reverse("desk:support_settings")


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """The canned replies' list and the SLA targets; a post saves one target."""
    form = TargetForm(request.POST or None, prefix="target", initial={"priority": Priority.NORMAL})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                support_settings.save_sla_target(
                    priority=data["priority"],
                    topic=data["topic"],
                    first_response_minutes=data["first_response_minutes"],
                    next_response_minutes=data["next_response_minutes"],
                    resolution_minutes=data["resolution_minutes"],
                    actor=actor_for(request),
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("Support targets saved. Tickets opened from now on follow them."))
                return HttpResponseRedirect(_settings_url() + "#targets", status=303)
        return _render_settings(request, form, status=400)
    return _render_settings(request, form)


def _render_settings(request: HttpRequest, form: TargetForm, *, status: int = 200) -> HttpResponse:
    context = {
        "section": "settings",
        "tab": "support",
        "macros": macros.ordered(),
        "targets": list(SlaTarget.objects.order_by("priority", "topic")),
        "built_in": [(code, policy.BUILT_IN[Priority(code)]) for code in Priority.values],
        "form": form,
    }
    return render(request, "desk/support/settings.html", context, status=status)


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def macro_page(request: HttpRequest, macro_id: int | None = None) -> HttpResponse:
    macro = Macro.objects.filter(pk=macro_id).first() if macro_id is not None else None
    if macro_id is not None and macro is None:
        return not_found(
            request,
            section="settings",
            title=_("There is no such canned reply"),
            message=_("It may have been renamed or the link is old. Pick it from the list."),
            link_url=_settings_url(),
            link_text=_("Support settings"),
        )
    initial: dict[str, Any] = {}
    if macro is not None:
        initial = {
            "name": macro.name,
            "set_status": macro.set_status,
            "set_topic": macro.set_topic,
            "add_tags": ", ".join(macro.add_tags),
            "asks_for": macro.asks_for,
            "position": macro.position,
            **{f"body_{code}": (macro.bodies or {}).get(code, "") for code in LANGUAGES},
        }
    form = MacroForm(request.POST or None, initial=initial)
    context = {"section": "settings", "tab": "support", "macro": macro, "form": form}
    if request.method == "GET":
        return render(request, "desk/support/macro.html", context)
    if not form.is_valid():
        return render(request, "desk/support/macro.html", context, status=400)
    data = form.cleaned_data
    try:
        saved = support_settings.save_macro(
            macro=macro,
            name=data["name"],
            bodies={code: data[f"body_{code}"] for code in LANGUAGES},
            set_status=data["set_status"],
            set_topic=data["set_topic"],
            add_tags=data["add_tags"].split(","),
            asks_for=data["asks_for"],
            position=data["position"] or 0,
            actor=actor_for(request),
        )
    except DomainError as error:
        show_error(form, error)
        return render(request, "desk/support/macro.html", context, status=400)
    messages.success(request, _("Canned reply %(name)s saved.") % {"name": saved.name})
    return HttpResponseRedirect(_settings_url() + "#macros", status=303)

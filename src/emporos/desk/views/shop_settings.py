"""The owner's settings page: the shop's identity, region, languages, hours and tone.

The form only parses types; `shop.services.update_settings` decides what is valid, so the
page, the API and the command line give the same answers in the same words.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core import money
from emporos.core.errors import DomainError
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedDecimalField, show_error
from emporos.desk.language_names import language_choices as named_languages
from emporos.shop import selectors as shop
from emporos.shop.models import FormOfAddress, ShopSettings, Tone
from emporos.shop.services import CUSTOMER_LANGUAGES, SettingsDraft, update_settings

# The zones of the shops Emporos is made for (Greece, Poland, Israel) come first in the list.
USUAL_ZONES = ("Europe/Athens", "Europe/Warsaw", "Asia/Jerusalem")
# Present in zoneinfo but no place a shop could be in.
_NOT_PLACES = {"localtime", "Factory"}

TONES = [
    (Tone.FRIENDLY.value, gettext_lazy("Friendly, e.g. “Hi Maria, your order is on its way!”")),
    (Tone.FORMAL.value, gettext_lazy("Formal, e.g. “Dear Ms Papadopoulou, your order has been dispatched.”")),
]
FORMS_OF_ADDRESS = [
    (
        FormOfAddress.INFORMAL.value,
        gettext_lazy(
            "Informal: “εσύ” in Greek, “ty” in Polish; in Hebrew, words for one person (“הזמנת”), "
            "which have to take the customer's gender"
        ),
    ),
    (
        FormOfAddress.POLITE.value,
        gettext_lazy(
            "Polite: “εσείς” in Greek, “Państwo” in Polish; in Hebrew, gender-neutral wording "
            "(“ההזמנה שלך התקבלה”) that suits every customer"
        ),
    ),
]


@cache
def time_zone_choices() -> list[tuple[Any, Any]]:
    """The usual zones in a group of their own, then every other zone, sorted."""
    others = sorted(zoneinfo.available_timezones() - _NOT_PLACES - set(USUAL_ZONES))
    return [
        (gettext_lazy("Greece, Poland, Israel"), [(zone, zone) for zone in USUAL_ZONES]),
        (gettext_lazy("All time zones"), [(zone, zone) for zone in others]),
    ]


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in money.accepted_currencies()]


def language_choices() -> list[tuple[str, str]]:
    """Each language by name in the reader's language, with its own name beside it."""
    return list(named_languages(CUSTOMER_LANGUAGES))


def _text(label: Any, *, maxlength: int, **attrs: Any) -> forms.CharField:
    """A text field whose limits the service checks; `maxlength` only helps the browser."""
    widget = forms.TextInput(attrs={"maxlength": maxlength, **attrs})
    return forms.CharField(label=label, required=False, widget=widget)


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class SettingsForm(DeskForm):
    """Field names are SettingsDraft's, so each error of the service lands next to its field."""

    name = _text(gettext_lazy("Shop name"), maxlength=100, autocomplete="organization")
    email = forms.CharField(
        label=gettext_lazy("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"maxlength": 254, "autocomplete": "email"}),
    )
    address_line = _text(gettext_lazy("Address"), maxlength=200, autocomplete="address-line1")
    postal_code = _text(gettext_lazy("Postal code"), maxlength=20, autocomplete="postal-code")
    city = _text(gettext_lazy("City"), maxlength=100, autocomplete="address-level2")
    country = _text(gettext_lazy("Country code"), maxlength=2, autocomplete="country", size=2)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=time_zone_choices,
        error_messages={"invalid_choice": gettext_lazy("Pick a time zone from the list, e.g. “Europe/Athens”.")},
        help_text=gettext_lazy("Business hours count in this zone, and staff pages show times in it."),
    )
    currency = forms.ChoiceField(
        label=gettext_lazy("Currency"),
        choices=currency_choices,
        error_messages={"invalid_choice": gettext_lazy("Pick a currency from the list.")},
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "A new order may ask only for one of these; an order that names none is written to in the first one ticked."
        ),
    )
    business_days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Working days"),
        choices=[(iso, WEEKDAYS[iso - 1]) for iso in range(1, 8)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = _time(gettext_lazy("Opens at"))
    closes_at = _time(gettext_lazy("Closes at"))
    overdue_hours = LocalizedDecimalField(
        label=gettext_lazy("An order is overdue after this many working hours"),
        max_digits=None,
        decimal_places=None,
        help_text=gettext_lazy(
            "Business hours and this threshold decide when an order counts as overdue in the queue: "
            "only time inside business hours counts. E.g. 4 hours from an order placed at 16:00, "
            "with hours 09:00 to 17:00, is 12:00 on the next working day."
        ),
    )
    tone = forms.ChoiceField(label=gettext_lazy("Tone"), choices=TONES, widget=forms.RadioSelect)
    form_of_address = forms.ChoiceField(
        label=gettext_lazy("Form of address"), choices=FORMS_OF_ADDRESS, widget=forms.RadioSelect
    )


def initial_from(settings: ShopSettings) -> dict[str, Any]:
    return {field.name: getattr(settings, field.name) for field in dataclasses.fields(SettingsDraft)}


def changed_by(settings: ShopSettings) -> str:
    """The name in an actor label such as "staff:maria"."""
    kind, _colon, name = settings.updated_by.partition(":")
    return name or kind


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    settings = shop.current()
    if request.method != "POST":
        return _render(request, SettingsForm(initial=initial_from(settings)), settings)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            update_settings(draft=SettingsDraft(**form.cleaned_data), actor=actor_for(request))
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("desk:settings")
    return _render(request, form, settings, status=400)


def _render(request: HttpRequest, form: SettingsForm, settings: ShopSettings, *, status: int = 200) -> HttpResponse:
    context = {
        "section": "settings",
        "form": form,
        "updated_at": settings.updated_at,
        "updated_by": changed_by(settings) if settings.updated_at else "",
    }
    return render(request, "desk/settings/page.html", context, status=status)

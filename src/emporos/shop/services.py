"""Changing the shop's settings: every field checked, all saved or none."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.contact import InvalidContact, normalize_email
from emporos.core.errors import ErrorCollector
from emporos.core.text import text_problem
from emporos.outbox.services import emit
from emporos.shop import selectors
from emporos.shop.events import ShopSettingsChanged
from emporos.shop.models import CUSTOMER_LANGUAGES, FormOfAddress, ShopSettings, Tone


@dataclass(frozen=True)
class SettingsDraft:
    name: str
    email: str
    address_line: str
    postal_code: str
    city: str
    country: str
    time_zone: str
    currency: str
    languages: list[str]
    business_days: list[int]
    opens_at: dt.time
    closes_at: dt.time
    overdue_hours: Decimal
    tone: str
    form_of_address: str


_EDITABLE = [field.name for field in SettingsDraft.__dataclass_fields__.values()]


def update_settings(*, draft: SettingsDraft, actor: Actor) -> ShopSettings:
    """Check every field, then save them together; the cache of this process is refreshed."""
    errors = ErrorCollector()
    for field in ("name", "email", "address_line", "postal_code", "city", "country", "time_zone", "currency"):
        if (problem := text_problem(getattr(draft, field))) is not None:
            errors.add(field, problem.code, problem.message)
    errors.raise_if_any()
    name = draft.name.strip()
    if not name:
        errors.add("name", "required", "Give the shop's name, as customers know it.")
    elif len(name) > 100:
        errors.add("name", "too_long", "Keep the name under 100 characters.")
    email = draft.email.strip()
    if email:
        try:
            email = normalize_email(email)
        except InvalidContact as exc:
            errors.add("email", "invalid", str(exc))
        else:
            if len(email) > 254:
                errors.add("email", "too_long", "An e-mail address has at most 254 characters.")
    country = draft.country.strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors.add("country", "invalid", 'Use the two-letter country code, e.g. "GR", "PL" or "IL".')
    for field, value, limit in (
        ("address_line", draft.address_line, 200),
        ("postal_code", draft.postal_code, 20),
        ("city", draft.city, 100),
    ):
        if len(value.strip()) > limit:
            errors.add(field, "too_long", f"Keep it under {limit} characters.")
    if draft.time_zone not in zoneinfo.available_timezones():
        errors.add("time_zone", "invalid", 'Pick a time zone from the list, e.g. "Europe/Athens".')
    if draft.currency not in money.accepted_currencies():
        errors.add("currency", "unsupported", f"Use one of {', '.join(money.accepted_currencies())}.")
    unknown = [code for code in draft.languages if code not in CUSTOMER_LANGUAGES]
    if not draft.languages or unknown:
        errors.add("languages", "invalid", f"Pick at least one of {', '.join(CUSTOMER_LANGUAGES)}.")
    if not draft.business_days or any(day not in range(1, 8) for day in draft.business_days):
        errors.add("business_days", "invalid", "Tick at least one working day.")
    if draft.opens_at >= draft.closes_at:
        errors.add("closes_at", "before_opening", "The shop must close after it opens, on the same day.")
    if not Decimal("0.5") <= draft.overdue_hours <= Decimal("240"):
        errors.add("overdue_hours", "out_of_range", "Give between 0.5 and 240 working hours, e.g. 4.")
    elif draft.overdue_hours != draft.overdue_hours.quantize(Decimal("0.1")):
        errors.add("overdue_hours", "too_precise", "Use at most one decimal, e.g. 4.5.")
    if draft.tone not in Tone.values:
        errors.add("tone", "invalid", f"Use one of {', '.join(Tone.values)}.")
    if draft.form_of_address not in FormOfAddress.values:
        errors.add("form_of_address", "invalid", f"Use one of {', '.join(FormOfAddress.values)}.")
    errors.raise_if_any()
    with transaction.atomic():
        before = ShopSettings.objects.select_for_update().filter(pk=1).first() or selectors.defaults()
        row = ShopSettings(
            id=1,
            name=name,
            email=email,
            address_line=draft.address_line.strip(),
            postal_code=draft.postal_code.strip(),
            city=draft.city.strip(),
            country=country,
            time_zone=draft.time_zone,
            currency=draft.currency,
            languages=sorted(set(draft.languages), key=CUSTOMER_LANGUAGES.index),
            business_days=sorted(set(draft.business_days)),
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            overdue_hours=draft.overdue_hours,
            tone=draft.tone,
            form_of_address=draft.form_of_address,
            updated_at=clock.now(),
            updated_by=str(actor),
        )
        row.save()
        changed = [name for name in _EDITABLE if getattr(before, name) != getattr(row, name)]
        emit(ShopSettingsChanged(changed=changed))
        selectors.forget()
        transaction.on_commit(selectors.forget)  # and again once committed, for readers meanwhile
    return row

"""The shop's own settings: one row, edited by the owner on the settings page."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

# The languages Emporos can write to customers in; a shop offers some of them.
CUSTOMER_LANGUAGES = ("en", "el", "pl", "he")


class Tone(models.TextChoices):
    FRIENDLY = "friendly", "Friendly"
    FORMAL = "formal", "Formal"


class FormOfAddress(models.TextChoices):
    INFORMAL = "informal", "Informal (ty / εσύ / את)"
    POLITE = "polite", "Polite plural (Pan/Pani / εσείς)"


class ShopSettings(models.Model):
    """There is one row (id 1). Until the owner saves it, the EMPOROS_* defaults apply."""

    name = models.CharField(max_length=100)
    email = models.CharField(max_length=254, blank=True, default="")
    address_line = models.CharField(max_length=200, blank=True, default="")
    postal_code = models.CharField(max_length=20, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166 code, e.g. GR.")
    time_zone = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    languages = models.JSONField(default=list, help_text="Languages the shop writes to customers in.")
    business_days = models.JSONField(default=list, help_text="ISO weekdays, Monday is 1.")
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    overdue_hours = models.DecimalField(max_digits=5, decimal_places=1)
    tone = models.CharField(max_length=10, choices=Tone.choices, default=Tone.FRIENDLY)
    form_of_address = models.CharField(max_length=10, choices=FormOfAddress.choices, default=FormOfAddress.POLITE)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        verbose_name_plural = "shop settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="shop_settings_single_row"),
            models.CheckConstraint(condition=Q(overdue_hours__gt=0), name="shop_settings_overdue_positive"),
        ]

    def __str__(self) -> str:
        return self.name

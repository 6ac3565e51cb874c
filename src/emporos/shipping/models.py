"""Where the shop ships, how, for how much, and how long it takes: zones, methods and their rates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from emporos.core.text import CODE_VALIDATOR
from emporos.orders.models import Order


class Zone(models.Model):
    """Destinations served alike: countries, or postal-code areas of a country (ZoneArea)."""

    code = models.CharField(max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class ZoneArea(models.Model):
    """A country, or the postal codes of a country starting with `postal_prefix`. The most
    specific area wins: a prefix beats the whole country, a longer prefix a shorter one."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="areas")
    country = models.CharField(max_length=2, help_text="ISO 3166 code, e.g. GR.")
    postal_prefix = models.CharField(max_length=20, blank=True, default="", help_text="Empty: the whole country.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "postal_prefix"], name="shipping_area_once"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.postal_prefix}*".strip()


class MethodKind(models.TextChoices):
    HOME = "home", "Home delivery"
    EXPRESS = "express", "Express"
    LOCKER = "locker", "Parcel locker"
    PICKUP = "pickup", "Store pickup"


class PriceBasis(models.TextChoices):
    WEIGHT = "weight", "By parcel weight (grams)"
    VALUE = "value", "By order value"


class Method(models.Model):
    """A way to ship to a zone, in one currency, priced by weight or by order value."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="methods")
    code = models.CharField(max_length=64, validators=[CODE_VALIDATOR], help_text="e.g. courier-standard")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=MethodKind.choices, default=MethodKind.HOME)
    currency = models.CharField(max_length=3)
    price_basis = models.CharField(max_length=10, choices=PriceBasis.choices, default=PriceBasis.WEIGHT)
    free_over = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Free at or above this order value."
    )
    cash_on_delivery = models.BooleanField(default=False)
    cash_on_delivery_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    transit_days_min = models.PositiveSmallIntegerField(default=1, help_text="Working days after dispatch.")
    transit_days_max = models.PositiveSmallIntegerField(default=2)
    position = models.PositiveSmallIntegerField(default=10, help_text="Lower first in a quote.")
    carrier = models.CharField(max_length=32, default="manual", help_text="manual, demo, boxnow, inpost...")
    carrier_service = models.CharField(
        max_length=64, blank=True, default="", help_text="The carrier's service code, e.g. inpost_locker_standard."
    )
    signature_required = models.BooleanField(default=False)
    presence_required = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "code", "currency"], name="shipping_method_once_per_zone"),
            models.CheckConstraint(condition=Q(kind__in=MethodKind.values), name="shipping_method_kind_valid"),
            models.CheckConstraint(condition=Q(price_basis__in=PriceBasis.values), name="shipping_method_basis_valid"),
            models.CheckConstraint(
                condition=Q(transit_days_min__lte=models.F("transit_days_max")), name="shipping_transit_ordered"
            ),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gte=0), name="shipping_free_over"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.zone})"


class Rate(models.Model):
    """The price of a method up to a weight (grams) or an order value; the band without a limit
    covers everything above the others. A parcel over every limit is not offered the method."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="rates")
    up_to = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["method", "up_to"], name="shipping_rate_once"),
            models.CheckConstraint(condition=Q(price__gte=0), name="shipping_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.price} up to {self.up_to}" if self.up_to is not None else f"{self.price} above"


class DeliveryPromise(models.Model):
    """The delivery window an order was promised: its method's window from the moment it was placed."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="delivery_promise")
    method_code = models.CharField(max_length=64)
    earliest = models.DateField()
    latest = models.DateField()
    promised_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(earliest__lte=models.F("latest")), name="shipping_promise_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.earliest}..{self.latest}"

"""Products and their variants (SKUs)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from emporos.core.text import CODE_VALIDATOR


class FulfillmentMode(models.TextChoices):
    PHYSICAL = "physical", "Physical goods from stock"
    MADE_TO_ORDER = "made_to_order", "Made to order"
    PREORDER = "preorder", "Pre-order until a release date"
    DIGITAL = "digital", "Digital download"
    MEMBERSHIP = "membership", "Membership"


class OutOfStockPolicy(models.TextChoices):
    DENY = "deny", "Refuse the order"
    BACKORDER = "backorder", "Accept and wait for stock"
    PREORDER = "preorder", "Accept as a pre-order"


STOCKED_MODES = frozenset({FulfillmentMode.PHYSICAL})
UNSHIPPED_MODES = frozenset({FulfillmentMode.DIGITAL, FulfillmentMode.MEMBERSHIP})


class FulfillmentFacts:
    """What a fulfillment mode means, for anything that has one (a product, what intake reads)."""

    __slots__ = ()
    fulfillment_mode: str

    @property
    def is_stocked(self) -> bool:
        """True when units are counted on shelves (physical goods), so orders reserve them."""
        return self.fulfillment_mode in STOCKED_MODES

    @property
    def is_shipped(self) -> bool:
        return self.fulfillment_mode not in UNSHIPPED_MODES


class Product(FulfillmentFacts, models.Model):
    code = models.CharField(
        max_length=100, unique=True, validators=[CODE_VALIDATOR], help_text="The storefront's handle for the product."
    )
    name = models.CharField(max_length=200)
    fulfillment_mode = models.CharField(
        max_length=20, choices=FulfillmentMode.choices, default=FulfillmentMode.PHYSICAL
    )
    out_of_stock_policy = models.CharField(
        max_length=20, choices=OutOfStockPolicy.choices, default=OutOfStockPolicy.DENY
    )
    release_on = models.DateField(null=True, blank=True, help_text="When a pre-order ships.")
    is_consumable = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fulfillment_mode__in=FulfillmentMode.values), name="catalog_product_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(out_of_stock_policy__in=OutOfStockPolicy.values), name="catalog_product_policy_valid"
            ),
            models.CheckConstraint(
                condition=~Q(fulfillment_mode="preorder") | Q(release_on__isnull=False),
                name="catalog_preorder_has_release_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="variants")
    sku = models.CharField(max_length=64, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    weight_grams = models.PositiveIntegerField(default=0)
    low_stock_threshold = models.PositiveIntegerField(default=5)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="catalog_variant_price_not_negative")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class DigitalAsset(models.Model):
    """The file a digital variant delivers (in Django's storage, so S3 works through django-storages)."""

    variant = models.OneToOneField(Variant, on_delete=models.CASCADE, related_name="digital_asset")
    file = models.FileField(upload_to="digital/")
    filename = models.CharField(max_length=200, help_text="The name the customer's download gets.")
    download_limit = models.PositiveIntegerField(default=5)
    link_days = models.PositiveIntegerField(default=7, help_text="How long a download link works.")

    def __str__(self) -> str:
        return self.filename

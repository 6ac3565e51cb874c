"""Customers, matched by e-mail address."""

from __future__ import annotations

import uuid

from django.db import models


class Customer(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.CharField(max_length=254, unique=True, help_text="Normalised to lower case.")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=20, blank=True, default="", help_text="E.164, e.g. +306912345678.")
    language = models.CharField(max_length=8, default="en")
    search_name = models.CharField(max_length=200, default="", help_text="Name without case or accents.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["search_name"], name="customer_search_name"),
            # The orders list sorted by customer walks the customers by name, then their orders.
            models.Index(fields=["name", "id"], name="customer_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class CouponKind(models.TextChoices):
    AMOUNT = "amount", "An amount off"
    PERCENT = "percent", "A percentage off the goods"


class Coupon(models.Model):
    """A single-use code for a next purchase, tied to a customer (or to anyone when none is set).
    Redeemed exactly once, inside the transaction of the order that uses it."""

    code = models.CharField(max_length=32, unique=True, help_text="Random: a code cannot be guessed.")
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="coupons")
    kind = models.CharField(max_length=10, choices=CouponKind.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2, help_text="An amount, or a percentage.")
    currency = models.CharField(max_length=3, blank=True, default="", help_text="For an amount off.")
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_order_id = models.BigIntegerField(null=True, blank=True, help_text="The order that used it.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=CouponKind.values), name="coupon_kind_valid"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="coupon_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="percent") | models.Q(value__lte=100), name="coupon_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="amount") | ~models.Q(currency=""), name="coupon_amount_has_currency"
            ),
            models.CheckConstraint(
                condition=models.Q(redeemed_at__isnull=True, redeemed_order_id__isnull=True)
                | models.Q(redeemed_at__isnull=False, redeemed_order_id__isnull=False),
                name="coupon_redeemed_with_its_order",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Membership(models.Model):
    """A membership a customer bought, active from the moment its order was ready."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="memberships")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=100, unique=True, help_text="What activated it: an order line.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_id})"


class GiftCard(models.Model):
    """A balance in one currency a customer (or whoever holds the code) spends on orders: sold as a
    gift, or given as store credit for a return. Spent with one conditional UPDATE, so the balance
    never goes below zero however many orders race for it (the check constraint holds it too)."""

    code = models.CharField(max_length=32, unique=True, help_text="Random: a code cannot be guessed.")
    currency = models.CharField(max_length=3)
    initial = models.DecimalField(max_digits=14, decimal_places=2)
    balance = models.DecimalField(max_digits=14, decimal_places=2)
    customer = models.ForeignKey(Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="gift_cards")
    source = models.CharField(max_length=100, help_text='Why it exists, e.g. "return EM-10042-R1".')
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(initial__gt=0), name="gift_card_initial_positive"),
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="gift_card_balance_not_negative"),
            models.CheckConstraint(
                condition=models.Q(balance__lte=models.F("initial")), name="gift_card_balance_within_initial"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class GiftCardRedemption(models.Model):
    """What an order took off a gift card: the ledger that explains its balance."""

    gift_card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="redemptions")
    order_id = models.BigIntegerField(help_text="The order that spent it.")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="gift_card_redemption_positive"),
        ]


class ContactKind(models.TextChoices):
    EMAIL = "email", "E-mail address"
    PHONE = "phone", "Phone number"


class ContactPoint(models.Model):
    """Another e-mail address or phone number of a customer (the first address is on the
    customer): one person across addresses and channels. A value belongs to one customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = models.CharField(max_length=254, help_text="Lower-cased address, or E.164 number.")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="contact_point_once"),
            models.CheckConstraint(condition=models.Q(kind__in=ContactKind.values), name="contact_point_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"

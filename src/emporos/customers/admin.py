from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.customers.models import Coupon, Customer


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "phone", "language", "created_at")
    list_filter = ("language",)
    search_fields = ("email", "name", "phone")


@admin.register(Coupon)
class CouponAdmin(ReadOnlyAdmin):
    list_display = ("code", "customer", "kind", "value", "currency", "expires_at", "redeemed_at", "redeemed_order_id")
    list_filter = ("kind", "currency")
    search_fields = ("code", "customer__email")

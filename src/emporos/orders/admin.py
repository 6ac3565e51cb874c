from django.contrib import admin

from emporos.core.admin_base import ReadOnlyAdmin
from emporos.orders.models import Order, OrderLine, Refund


class LineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ("sku", "name", "quantity", "unit_price", "line_total", "stock_state", "reserved_location")
    readonly_fields = fields
    can_delete = False


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    fields = ("created_at", "amount", "currency", "reason", "reference", "note", "actor")
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "placed_at",
        "status",
        "payment_status",
        "payment_method",
        "total",
        "currency",
        "customer",
    )
    list_filter = ("status", "payment_status", "payment_method", "channel", "is_express")
    search_fields = ("number", "customer__email", "customer__name")
    list_select_related = ("customer",)
    date_hierarchy = "placed_at"
    exclude = ("idempotency_key", "request_fingerprint")
    inlines = [LineInline, RefundInline]  # the timeline is read on the desk's order page, in the reader's language

from django.contrib import admin

from emporos.catalog.models import Product, Variant
from emporos.core.admin_base import ReadOnlyAdmin


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ("sku", "name", "price", "weight_grams", "low_stock_threshold", "is_active")
    readonly_fields = fields
    can_delete = False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "fulfillment_mode", "out_of_stock_policy", "release_on")
    list_filter = ("fulfillment_mode", "out_of_stock_policy")
    search_fields = ("code", "name", "variants__sku")
    inlines = [VariantInline]

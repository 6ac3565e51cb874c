from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "emporos.shop"
    label = "shop"
    verbose_name = "Shop settings"

from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.orders"
    label = "orders"

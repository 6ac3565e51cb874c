from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.inventory"
    label = "inventory"

from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.catalog"
    label = "catalog"

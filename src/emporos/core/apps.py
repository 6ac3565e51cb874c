from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.core"
    label = "core"

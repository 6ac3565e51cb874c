from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.api"
    label = "api"

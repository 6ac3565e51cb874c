from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.access"
    label = "access"

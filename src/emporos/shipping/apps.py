from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.shipping"
    label = "shipping"

from django.apps import AppConfig


class Config(AppConfig):
    name = "emporos.customers"
    label = "customers"

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "emporos.desk"
    label = "desk"
    verbose_name = "Order desk (staff web UI)"

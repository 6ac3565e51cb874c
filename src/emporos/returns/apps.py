from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "emporos.returns"
    label = "returns"
    verbose_name = "Returns"

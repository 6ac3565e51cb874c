from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "emporos.feedback"
    label = "feedback"
    verbose_name = "Feedback"

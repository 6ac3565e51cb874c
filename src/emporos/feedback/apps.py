from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "emporos.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        """The demo platform is built in; live platforms register from emporos.integrations."""
        from emporos.feedback import reviews

        reviews.register("demo", reviews.DemoReviewSource, name="Demo", reply_max_length=4096, limit_in_bytes=True)

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Digest emails on Celery beat, each person's notification settings, and "what changed since
    you last looked". Builds on core, delivery, kpis and meetings; none of them imports it."""

    name = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import nav
        from delivery import panels

        from . import views

        panels.register("home", "notifications/_home_panel.html", views.home_panel)
        nav.register("What changed", "notifications:changes", order=15)

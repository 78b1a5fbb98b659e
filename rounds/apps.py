from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "Update rounds"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from core import audit, nav
        from delivery import as_at_defaults, import_scopes, panels
        from delivery.models import ProgressUpdate

        from . import models, selectors, services

        nav.register("Update rounds", "rounds:list", order=25)
        for model in (models.UpdateRound, models.RoundRequest, models.RoundItem):
            audit.register(model)
        import_scopes.register(
            "round",
            import_scopes.Scope(
                may_upload=services.scope_may_upload, check=services.scope_check, applied=services.scope_applied
            ),
        )
        as_at_defaults.register(selectors.last_closed_as_at)
        panels.register("activity", "rounds/_activity_panel.html", selectors.activity_panel)

        def note_update(sender, instance, created, **kwargs):
            if created and not kwargs.get("raw"):
                services.round_note_update(update=instance)

        post_save.connect(note_update, sender=ProgressUpdate, dispatch_uid="rounds.note_update", weak=False)

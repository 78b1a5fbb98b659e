from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Read-only API"

    def ready(self) -> None:
        from core import audit, nav

        from . import models, schema  # noqa: F401  (registers the bearer-token scheme with drf-spectacular)

        # Under the user's own account: any reader may hold tokens (see README "Read-only API").
        nav.register("API tokens", "api:tokens", order=90)
        # Tokens made and revoked are in the audit trail; never the secret's hash, nor each use.
        audit.register(models.ApiToken, exclude=("secret_hash", "last_used_at"))

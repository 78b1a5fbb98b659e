from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "Delivery-plan tracker administration"
admin.site.site_title = "Delivery-plan tracker"

_admin_login = admin.site.login


def _admin_login_or_403(request, extra_context=None):
    """A signed-in user without admin rights who opens /admin/ gets the app's own 403 page, not the
    admin's sign-in form."""
    if request.user.is_authenticated and not admin.site.has_permission(request):
        raise PermissionDenied("The admin site is for administrators.")
    return _admin_login(request, extra_context)


admin.site.login = _admin_login_or_403

urlpatterns = [
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("privacy/", core_views.privacy_notice, name="privacy"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("audit/", include("core.urls")),
    path("meetings/", include("meetings.urls")),
    path("panel/", include("panel.urls")),
    path("rounds/", include("rounds.urls")),
    path("account/", include("notifications.urls")),
    path("", include("kpis.urls")),
    path("", include("delivery.urls")),
]

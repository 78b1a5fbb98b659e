"""/api/v1/<resource>/ (token or signed-in session; GET only), /api/schema/, /api/docs/ and the user's own
/account/api-tokens/ page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("updates", views.ProgressUpdateViewSet, basename="update")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("areas", views.AreaViewSet, basename="area")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("actions", views.ActionViewSet, basename="action")

# The API authenticates itself (a bearer token, or the session for the docs page's "Try it out"), so the
# site-wide sign-in redirect does not apply: no credentials is a 401, as a reporting tool expects.
for pattern in router.urls:
    login_not_required(pattern.callback)

urlpatterns = [
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", views.docs, name="docs"),
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
urlpatterns += [path("api/v1/", include(router.urls))]

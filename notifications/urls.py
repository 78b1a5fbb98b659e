from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.settings_page, name="settings"),
    path("changes/", views.changes_page, name="changes"),
]

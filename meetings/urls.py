from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/findings/", views.meeting_findings, name="findings"),
    path("<int:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("<int:pk>/status/", views.meeting_state, name="state"),
    path("<int:pk>/actions/new/", views.action_new, name="action-new"),
    path("<int:pk>/notes.<str:fmt>", views.meeting_notes, name="notes"),
    path("actions/", views.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("requests/", views.WrittenRequestListView.as_view(), name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("panel-report/", views.panel_report, name="panel-report"),
]

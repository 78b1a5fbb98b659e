from django.urls import path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/<slug:slug>/", views.PlanView.as_view(), name="plan"),
    path("plans/<slug:slug>/objectives/<int:pk>/", views.PlanObjectiveView.as_view(), name="plan-objective"),
    path("activities/", views.ActivityListView.as_view(), name="activities"),
    path("activities/<int:pk>/", views.ActivityView.as_view(), name="activity"),
    path("activities/<int:pk>/update/", views.activity_update, name="activity-update"),
    path("updates/<int:pk>/for-panel/", views.update_for_panel, name="update-for-panel"),
    path("activities/<int:pk>/rag/", views.activity_rag, name="activity-rag"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("overdue/group/", views.OverdueGroupView.as_view(), name="overdue-group"),
    path("extracts/", views.ExtractLibraryView.as_view(), name="extracts"),
    path("extracts/new/", views.extract_new, name="extract-new"),
    path("extracts/<int:pk>/", views.ExtractView.as_view(), name="extract"),
    path("extracts/<int:pk>/download/", views.extract_download, name="extract-download"),
    path("extracts/<int:pk>/try-again/", views.extract_try_again, name="extract-try-again"),
    path("plans/<slug:slug>/workbook.xlsx", views.plan_workbook, name="plan-workbook"),
    path("imports/", views.ImportHistoryView.as_view(), name="imports"),
    path("imports/new/", views.import_upload, name="import-new"),
    path("imports/<int:pk>/", views.ImportView.as_view(), name="import"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("imports/<int:pk>/try-again/", views.import_try_again, name="import-try-again"),
    path("imports/<int:pk>/mapping/", views.import_remap, name="import-remap"),
    path("imports/<int:pk>/file/", views.import_file, name="import-file"),
    path("health/", views.health, name="health"),
]

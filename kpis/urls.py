from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("kpis/", views.catalogue, name="catalogue"),
    path("kpis/measures/<int:pk>/", views.measure, name="measure"),
    path("kpis/measures/<int:pk>/actions/", views.action_raise, name="action-raise"),
    path("kpis/actions/", views.action_list, name="actions"),
    path("kpis/actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("kpis/summary/", views.summary, name="summary"),
    path("kpis/summary/<int:measure_pk>/", views.summary_edit, name="summary-edit"),
    path("kpis/summary/download.<str:fmt>", views.summary_download, name="summary-download"),
    path("kpis/imports/", views.import_history, name="imports"),
    path("kpis/imports/new/", views.import_upload, name="import-new"),
    path("kpis/imports/<int:pk>/", views.KpiImportView.as_view(), name="import"),
    path("kpis/imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("kpis/imports/<int:pk>/try-again/", views.import_try_again, name="import-try-again"),
]

from django.urls import path

from . import views

app_name = "panel"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/generate/", views.pack_generate, name="generate"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("sections/<int:pk>/edit/", views.section_edit, name="section-edit"),
    path("packs/", views.PackLibraryView.as_view(), name="packs"),
    path("packs/<int:pk>/", views.PackView.as_view(), name="pack"),
    path("packs/<int:pk>/try-again/", views.pack_try_again, name="pack-try-again"),
    path("packs/<int:pk>/files/<str:name>", views.pack_file, name="pack-file"),
]

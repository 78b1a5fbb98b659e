from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_new, name="new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/approve-submitted/", views.round_approve_submitted, name="approve-submitted"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/workbook.xlsx", views.request_workbook, name="request-workbook"),
    path("requests/<int:pk>/upload/", views.request_upload, name="request-upload"),
    path("items/<int:pk>/return/", views.item_return, name="item-return"),
    path("items/<int:pk>/approve/", views.item_approve, name="item-approve"),
]

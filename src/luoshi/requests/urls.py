from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.export, name="export"),
    path("new/", views.intake, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("public/", views.public_form, name="public"),
    path("public/status/", views.public_status, name="status"),
]

from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.export, name="export"),
    path("import/", views.import_ledger, name="import"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/stage/", views.stage_reach, name="stage"),
    path("<int:pk>/report/", views.monthly_report, name="report"),
    path("<int:pk>/flags/", views.flags, name="flags"),
]

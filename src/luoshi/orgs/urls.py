from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("import/", views.directory_import, name="import"),
    path("import/template.xlsx", views.directory_template, name="import_template"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/file", views.job_download, name="job_file"),
    path("jobs/<int:pk>/confirm", views.job_confirm, name="job_confirm"),
]

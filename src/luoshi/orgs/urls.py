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
]

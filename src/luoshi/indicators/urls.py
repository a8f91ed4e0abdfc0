from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.set_create, name="set_create"),
    path("<int:pk>/", views.set_overview, name="set"),
    path("<int:pk>/edit/", views.set_edit, name="set_edit"),
    path("<int:pk>/indicators/", views.indicator_table, name="indicators"),
    path("<int:pk>/heatmap/", views.heatmap_view, name="heatmap"),
    path("<int:pk>/trend/", views.trend_view, name="trend"),
    path("<int:pk>/import/", views.import_view, name="import"),
    path("<int:pk>/export.xlsx", views.export_view, name="export"),
    path("indicator/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicator/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicator/<int:pk>/task/", views.indicator_task, name="indicator_task"),
]

from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("new/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/date/", views.directive_date, name="date"),
    path("<int:pk>/parse/", views.directive_parse, name="parse"),
    path("<int:pk>/publish/", views.directive_publish, name="publish"),
    path("<int:pk>/merge/", views.items_merge, name="merge"),
    path("<int:pk>/selection/", views.items_selection, name="selection"),
    path("<int:pk>/export.xlsx", views.directive_export, name="export"),
    path("<int:pk>/import/", views.directive_import, name="import"),
    path("<int:pk>/items/<int:item_pk>/", views.item_card, name="item"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/state/", views.item_state, name="item_state"),
    path("<int:pk>/items/<int:item_pk>/split/", views.item_split, name="item_split"),
    path("<int:pk>/items/<int:item_pk>/split-actions/", views.item_split_actions, name="item_split_actions"),
    path("<int:pk>/items/<int:item_pk>/map-unit/", views.item_map_unit, name="item_map_unit"),
]

from django.urls import path, re_path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # Before the generic export: the board itself, streamed (board.csv, board.xlsx).
    re_path(r"^export/board\.(?P<fmt>csv|xlsx)$", views.board_export, name="board_export"),
    path("export/<slug:kind>.xlsx", views.export, name="export"),
    path("export/<slug:kind>/job", views.export_job, name="export_job"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/issue/", views.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/docx/", views.bulletin_docx, name="bulletin_docx"),
]

from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/subtask/", views.subtask_create, name="subtask"),
    path("<int:pk>/milestones/", views.milestone_create, name="milestone_add"),
    path("<int:pk>/milestones/<int:milestone_pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("<int:pk>/report/", views.report_submit, name="report"),
    path("<int:pk>/reports/", views.task_reports, name="reports"),
    path("<int:pk>/action/<slug:action>/", views.task_action, name="action"),
    path("<int:pk>/extension/", views.extension_create, name="extension"),
    path("<int:pk>/instruction/", views.instruction_create, name="instruction"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/reply/", views.action_reply, name="action_reply"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("proposals/<int:pk>/confirm/", views.proposal_decide, {"decision": "confirm"}, name="proposal_confirm"),
    path("proposals/<int:pk>/dismiss/", views.proposal_decide, {"decision": "dismiss"}, name="proposal_dismiss"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/close/", views.review_close, name="review_close"),
    path("reviews/items/<int:pk>/confirm/", views.review_confirm, name="review_confirm"),
    path("scoreboard/", views.scoreboard, name="scoreboard"),
]

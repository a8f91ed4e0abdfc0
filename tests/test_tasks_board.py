import datetime as dt

import time_machine

from luoshi.tasks import services


def test_it_drills_down_to_overdue_tasks(cast, units, login):
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone.utc), tick=False):
        late = services.task_create(actor=cast["supervisor"], title="已逾期的任务", lead_unit=units["lead"], deadline=dt.date(2026, 11, 20))
        soon = services.task_create(actor=cast["supervisor"], title="尚未到期的任务", lead_unit=units["lead"], deadline=dt.date(2026, 12, 20))
        for task in (late, soon):
            services.task_publish(actor=cast["supervisor"], task=task)
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=dt.timezone.utc), tick=False):
        body = login(cast["supervisor"]).get("/tasks/board/?overdue=1").content.decode()
    assert "已逾期的任务" in body and "尚未到期的任务" not in body


def test_it_labels_no_hidden_filter_on_the_board(cast, login):
    # The `lead` filter is hidden (set by the scoreboard's links); its field name must not show
    # up as an English label in the filter form.
    page = login(cast["supervisor"]).get("/tasks/board/", {"lead": "1"}).content.decode()
    assert '<label for="id_lead"' not in page and ">Lead<" not in page
    assert 'type="hidden" name="lead"' in page

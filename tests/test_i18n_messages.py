"""Messages built by pure modules (health reasons, workflow errors, period labels, import errors)
follow the viewer's language, and stored health reasons are data rendered when shown."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import luoshi
from luoshi.indicators import tabular
from luoshi.supervision import ladder
from luoshi.tasks import assess
from luoshi.tasks import health as H
from luoshi.tasks import periods as P
from luoshi.tasks import workflow as W
from luoshi.tasks.models import Task
from tests.test_supervision_fixtures import make_task, task  # noqa: F401

START = dt.date(2026, 1, 1)


def overdue_and_missed() -> H.Health:
    facts = H.TaskFacts(start=START, deadline=dt.date(2026, 3, 20), cadence=P.MONTHLY, due_day=25)
    return H.assess(facts, [H.ReportFacts("2026-01", dt.date(2026, 1, 20), 40)], [], dt.date(2026, 3, 23))


def test_it_stores_reasons_as_data_and_renders_them_in_the_active_language():
    health = overdue_and_missed()
    stored = json.loads(json.dumps(health.reasons))  # what Task.health_reasons holds
    assert all(isinstance(r, dict) and "m" in r for r in stored)
    with translation.override("zh-hans"):
        chinese = [H.render_reason(r) for r in stored]
    with translation.override("en"):
        english = [H.render_reason(r) for r in stored]
    assert chinese == ["逾期3天", "进度落后序时60个百分点", "本期（2026年2月）进展未报送"]  # red ones first
    assert english == [
        "3 days overdue", "60 percentage points behind schedule", "Progress for this period (February 2026) not reported",
    ]


def test_it_chooses_the_english_plural_by_count():
    one_day = H.assess(H.TaskFacts(start=START, deadline=dt.date(2026, 3, 20)), [], [], dt.date(2026, 3, 21))
    near = H.assess(H.TaskFacts(start=START, deadline=dt.date(2026, 3, 20)), [H.ReportFacts("x", START, 99)], [], dt.date(2026, 3, 19))
    with translation.override("en"):
        assert one_day.texts[0] == "1 day overdue"
        assert near.texts == ["1 day to the deadline, 99% done"]
    with translation.override("zh-hans"):
        assert near.texts == ["距完成时限还有1天，进度99%"]


def test_it_shows_reasons_stored_as_plain_text_unchanged():
    with translation.override("en"):
        assert H.render_reason("逾期3天") == "逾期3天"
        assert H.is_unreported("连续2期未报送") and not H.is_unreported("逾期3天")


def test_it_translates_workflow_and_ladder_errors():
    with translation.override("en"):
        with pytest.raises(W.InvalidTransition) as caught:
            W.allowed("closed", "cancel")
        assert str(caught.value) == "“Cancel” is not possible while the task is “Closed”"
        with pytest.raises(W.ReasonRequired) as caught:
            W.check("closure_requested", "return", {"supervisor"}, reason="")
        assert "requires a reason" in str(caught.value) and "退回" not in str(caught.value)
        with pytest.raises(ladder.MoveRefused) as caught:
            ladder.check(ladder.REPLIED, ladder.REPLY, {"unit"}, reason="好")
        assert "not possible" in str(caught.value)
    with translation.override("zh-hans"):
        with pytest.raises(W.InvalidTransition) as caught:
            W.allowed("closed", "cancel")
        assert str(caught.value) == "任务当前状态为“已销号”，不能撤销"


def test_it_translates_period_labels_and_cadences():
    day = dt.date(2026, 11, 25)
    with translation.override("en"):
        assert P.period_for(P.MONTHLY, 28, day).label == "November 2026"
        assert P.period_for(P.WEEKLY, 5, day).label == "Week 48, 2026"
        assert P.period_for(P.QUARTERLY, None, day).label == "Q4 2026"
        assert P.describe_cadence(P.MONTHLY, 28) == "By day 28 of each month"
        assert P.describe_cadence(P.WEEKLY, 5) == "By Friday each week"
        assert P.label_for_key(P.MONTHLY, "2026-11") == "November 2026"
    with translation.override("zh-hans"):
        assert P.period_for(P.MONTHLY, 28, day).label == "2026年11月"
        assert P.period_for(P.QUARTERLY, None, day).label == "2026年第四季度"
        assert P.describe_cadence(P.MONTHLY, 28) == "每月28日前"
        assert P.label_for_key(P.WEEKLY, "2026-W48") == "2026年第48周"
    assert P.label_for_key(P.MONTHLY, "not-a-key") == "not-a-key"


def test_it_translates_import_errors():
    with translation.override("en"):
        with pytest.raises(ValueError) as caught:
            tabular.parse_number("abc")
        assert str(caught.value).startswith("Unrecognised number “abc”")
        assert str(tabular.RowError(row=3, column="值", message="x")) == "row 3, column “值”: x"
    with translation.override("zh-hans"):
        assert str(tabular.RowError(row=3, column="值", message="x")) == "第3行，“值”列：x"


def test_it_renders_stored_reasons_with_the_template_filters():
    stored = json.loads(json.dumps(overdue_and_missed().reasons))
    template = Template("{% load task_health %}{{ reasons|reasons }}|{% for r in reasons %}{{ r|reason }},{% endfor %}")
    with translation.override("en"):
        text = template.render(Context({"reasons": stored}))
    assert text.startswith("3 days overdue; 60 percentage points behind schedule; Progress for this period (February 2026)")
    assert "|3 days overdue," in text


@pytest.mark.django_db
def test_it_returns_reasons_in_the_requests_language_from_the_api(cast, task, client):  # noqa: F811
    from luoshi.api.services import token_create

    assess.health_refresh(task=task, today=dt.date(2026, 11, 16))  # Sept and Oct unreported
    assert Task.objects.get(pk=task.pk).health_reasons
    _record, token = token_create(user=cast["supervisor"], name="test")
    with translation.override(translation.get_language()):  # the middleware leaves its language active
        answers = {
            lang: client.get(f"/api/tasks/{task.pk}", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=lang).json()
            for lang in ("zh-hans", "en")
        }
    assert "连续2期未报送" in answers["zh-hans"]["health_reasons"]
    assert "2 periods in a row not reported" in answers["en"]["health_reasons"]


def test_it_names_a_reports_period_in_the_readers_language():
    from django.utils import translation

    from luoshi.tasks.models import ProgressReport

    report = ProgressReport(period_key="2026-11", period_label="2026年11月")
    with translation.override("en"):
        assert report.period_display == "November 2026"
    with translation.override("zh-hans"):
        assert report.period_display == "2026年11月"
    assert ProgressReport(period_key="2026-11-30", period_label="").period_display == "2026-11-30"


def test_it_leaves_no_untranslatable_error_message_in_the_api():
    """Every message an endpoint raises goes through gettext, so the catalogue check sees it."""
    bare = re.compile(r"HttpError\(\s*\d+\s*,\s*f?[\"'][^\"']*[\u4e00-\u9fff]")
    found = [
        f"{path.name}:{number}"
        for path in Path(luoshi.__file__).parent.rglob("api.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if bare.search(line)
    ]
    assert found == []

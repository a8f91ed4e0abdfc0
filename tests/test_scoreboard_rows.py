import pytest
from django.template import Context, Template
from django.utils import translation

from luoshi.supervision.scoreboard import Standing, UnitFigures
from luoshi.supervision.templatetags.scoreboard_rows import scoreboard_rows

# The scoreboard's rows as the template wrote them before they were written in one pass: the
# markup the page's tests and styles were written against.
TEMPLATE_ROWS = Template(
    """{% load i18n task_health %}{% for r in rows %}<tr data-unit="{{ r.figures.unit_id }}">
    <td data-label="{% translate '名次' %}" data-field="rank">{{ r.rank }}</td>
    <td data-label="{% translate '单位' %}">{{ r.figures.name }}</td>
    <td data-label="{% translate '得分' %}" data-field="score"><strong>{{ r.score|score }}</strong></td>
    <td data-label="{% translate '按时报送' %}">{{ r.figures.reports_on_time }}/{{ r.figures.reports_owed }}</td>
    <td data-label="{% translate '完成率' %}">{{ r.figures.tasks_done }}/{{ r.figures.tasks_due }}</td>
    <td data-label="{% translate '逾期任务' %}">{{ r.figures.overdue }}</td>
    <td data-label="{% translate '收到督办' %}">{% blocktranslate with n=r.figures.actions w=r.figures.actions_weighted %}{{ n }} 件（加权 {{ w }}）{% endblocktranslate %}</td>
  </tr>{% empty %}<tr><td colspan="7">{% translate "本月没有可考评的单位。" %}</td></tr>{% endfor %}"""
)

ROWS = [
    Standing(1, 98.25, UnitFigures(3, "发改委", reports_owed=12, reports_on_time=11, tasks_due=4, tasks_done=4, actions=0)),
    Standing(2, 80.0, UnitFigures(12345, "<b>财政局</b> & \"其他\"", reports_owed=0, tasks_due=1, overdue=2, actions=3, actions_weighted=7)),
    Standing(2, 80.0, UnitFigures(7, "教育局", reports_owed=1200, reports_on_time=1199, tasks_due=1000, tasks_done=999, overdue=1001)),
    Standing(4, 0, UnitFigures(8, "价格监测中心", actions=2, actions_weighted=12)),
    Standing(5, -3.333, UnitFigures(9, "X")),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "none"])
def test_it_writes_the_rows_the_template_wrote(rows, language):
    with translation.override(language):
        assert scoreboard_rows(rows) == TEMPLATE_ROWS.render(Context({"rows": rows}))


def test_it_escapes_unit_names():
    assert "&lt;b&gt;财政局&lt;/b&gt; &amp; &quot;其他&quot;" in scoreboard_rows(ROWS)

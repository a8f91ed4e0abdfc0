"""Indicator page filters: units of measure in the reader's language; English labels end in ":"."""

from pathlib import Path
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

import luoshi
from luoshi.core.i18n import ngettext
from luoshi.indicators import scoring
from luoshi.indicators.models import Indicator
from luoshi.indicators.presenters import tier_label
from luoshi.indicators.templatetags.indicator_tags import (
    composite_table_rows,
    flag_table_rows,
    heat_rows,
    indicator_options,
    measure,
    tier_table_rows,
)


def test_it_names_units_of_measure_in_english():
    with translation.override("en"):
        assert [measure(u) for u in ("天", "分", "工作日", "km")] == ["days", "points", "working days", "km"]
    with translation.override("zh-hans"):
        assert measure("天") == "天"


def test_it_puts_an_ascii_colon_after_english_labels():
    template = Template('{% load i18n %}{% translate "计量单位" %}{% translate "：" %}天')
    with translation.override("en"):
        assert template.render(Context()) == "Unit of measure: 天"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "计量单位：天"


def test_it_labels_the_indicators_responsible_unit_as_such():
    page = (Path(luoshi.__file__).parent / "indicators" / "templates" / "indicators" / "indicator_detail.html").read_text()
    assert '{% translate "指标责任单位" %}{% translate "：" %}' in page and '{% translate "单位" %}：' not in page


def test_it_leaves_no_full_width_colon_right_after_a_translated_label():
    root = Path(luoshi.__file__).parent
    assert [str(p) for p in root.rglob("*.html") if '" %}：' in p.read_text()] == []


def test_it_says_one_place_and_two_places_in_english():
    message = "较上期下降%(places)s位（第%(prev)s→第%(now)s）"
    with translation.override("en"):
        assert ngettext(message, message, 1, places=1, prev=2, now=3).startswith("Down 1 place since")
        assert ngettext(message, message, 2, places=2, prev=2, now=4).startswith("Down 2 places since")
    with translation.override("zh-hans"):
        assert ngettext(message, message, 1, places=1, prev=2, now=3) == "较上期下降1位（第2→第3）"


# The set overview's ranking rows as the template wrote them before a tag wrote them in one pass.
COMPOSITE_ROWS = Template(
    """{% load i18n indicator_tags %}{% translate '排名' as l_row0 %}{% translate '主体' as l_row1 %}{% translate '综合得分' as l_row2 %}{% translate '方阵' as l_row3 %}{% translate '有数据指标' as l_row4 %}{% translate '较上期' as l_row5 %}{% for r in rows %}<tr{% if r.is_us %} class="us"{% endif %}>
      <td data-label="{{ l_row0 }}">{{ r.rank|default:"—" }}</td>
      <td data-label="{{ l_row1 }}">{{ r.entity }}{% if r.is_us %} <span class="badge">{% translate "本市" %}</span>{% endif %}</td>
      <td data-label="{{ l_row2 }}">{{ r.composite|score }}</td>
      <td data-label="{{ l_row3 }}">{{ r.tier_label }}</td>
      <td data-label="{{ l_row4 }}">{{ r.covered }}/{{ r.n_indicators }}</td>
      <td data-label="{{ l_row5 }}">{{ r.change|signed }}</td></tr>{% endfor %}"""
)


def test_it_writes_the_ranking_rows_the_template_wrote():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows = [
                {"entity": "本市", "is_us": True, "composite": 87.25, "rank": 1, "tier_label": tier_label(1), "covered": 98, "n_indicators": 100, "change": 3},
                {"entity": "<甲>&乙\"", "is_us": False, "composite": 0.0, "rank": 1200, "tier_label": tier_label(24), "covered": 0, "n_indicators": 1200, "change": -2.5},
                {"entity": "丙", "is_us": False, "composite": None, "rank": None, "tier_label": tier_label(None), "covered": 0, "n_indicators": 100, "change": None},
                {"entity": "丁", "is_us": False, "composite": 12.04, "rank": 0, "tier_label": tier_label(1), "covered": 5, "n_indicators": 100, "change": 0},
            ]
            expected = COMPOSITE_ROWS.render(Context({"rows": rows}))
            assert composite_table_rows(rows) == expected
            assert composite_table_rows([]) == COMPOSITE_ROWS.render(Context({"rows": []})) == ""
    assert "&lt;甲&gt;&amp;乙&quot;" in expected and "−2.5" in expected and 'class="us"' in expected


# The other rows of the set's pages as their templates wrote them before tags wrote them in one
# pass (the loops of heatmap.html, set_overview.html, trend.html and indicator_table.html).
OLD_HEAT_ROWS = Template(
    """{% load i18n indicator_tags %}{% for row in rows %}<tr>
      <th scope="row"><a href="{% url 'indicators:indicator' row.indicator.pk %}">{{ row.indicator.label }}</a></th>
      {% for c in row.cells %}<td class="{% if c.tier %}tier-{{ c.tier }}{% endif %}{% if c.weak %} weak{% endif %}">{{ c.rank|default:"—" }}</td>{% endfor %}
    </tr>{% endfor %}"""
)
OLD_TIER_ROWS = Template(
    """{% load i18n indicator_tags %}{% for t in tiers %}<tr class="{% if t.tier %}tier-{{ t.tier }}{% endif %}">
      <td data-label="{% translate '方阵' %}">{{ t.label }}</td><td data-label="{% translate '指标数' %}">{{ t.count }}</td>
      <td data-label="{% translate '指标' %}">{% for i in t.indicators %}<a href="{% url 'indicators:indicator' i.pk %}?period={{ period|urlencode }}">{{ i.label }}</a>{% if not forloop.last %}{% translate "、" %}{% endif %}{% endfor %}</td></tr>{% endfor %}"""
)
OLD_FLAG_ROWS = Template(
    """{% load i18n indicator_tags %}{% for row in flags %}<tr>
      <td data-label="{% translate '指标' %}">{% if row.indicator %}<a href="{% url 'indicators:indicator' row.indicator.pk %}?period={{ period|urlencode }}">{{ row.label }}</a>{% else %}<strong>{% translate "综合排名" %}</strong>{% endif %}</td>
      <td data-label="{% translate '提示' %}">{% for f in row.flags %}{% flag_badge f %} {% endfor %}</td>
      <td data-label="{% translate '说明' %}">{% for f in row.flags %}{{ f.reason }}{% if not forloop.last %}{% translate "；" %}{% endif %}{% endfor %}</td>
    </tr>{% endfor %}"""
)
OLD_OPTIONS = Template(
    """{% for i in visible %}<option value="{{ i.code }}"{% if chosen and chosen.pk == i.pk %} selected{% endif %}>{{ i.label }}</option>{% endfor %}"""
)
OLD_TABLE_ROWS = Template(
    """{% load i18n indicator_tags %}{% translate '指标' as l_ind0 %}{% translate '责任单位' as l_ind1 %}{% translate '本市数值' as l_ind2 %}{% translate '得分' as l_ind3 %}{% translate '排名' as l_ind4 %}{% translate '较上期' as l_ind5 %}{% translate '目标' as l_ind6 %}{% translate '需变化' as l_ind7 %}{% translate '提示' as l_ind8 %}{% translate '任务' as l_ind9 %}{% for r in rows %}<tr class="{% if r.weak %}weak{% endif %}">
    <td data-label="{{ l_ind0 }}"><a href="{% url 'indicators:indicator' r.indicator.pk %}?period={{ period|urlencode }}">{{ r.name }}</a>{% if r.category %}<br><small class="muted">{{ r.category }}</small>{% endif %}</td>
    <td data-label="{{ l_ind1 }}">{{ r.responsible|default:"—" }}</td>
    <td data-label="{{ l_ind2 }}">{{ r.value|num }}{% if r.value is not None %} {{ r.indicator.measure_unit|measure }}{% endif %}<br><small class="muted">{{ r.indicator.get_direction_display }}</small></td>
    <td data-label="{{ l_ind3 }}">{{ r.score|score }}</td>
    <td data-label="{{ l_ind4 }}">{% if r.rank %}<span class="rank tier-{{ r.tier }}">{{ r.rank }}</span>{% else %}—{% endif %}</td>
    <td data-label="{{ l_ind5 }}">{{ r.rank_change|signed }}</td>
    <td data-label="{{ l_ind6 }}">{% blocktranslate with k=r.target %}前{{ k }}名{% endblocktranslate %}</td>
    <td data-label="{{ l_ind7 }}">{% if r.gap.status == "needs_change" %}{{ r.gap.change|signed }} {{ r.indicator.measure_unit|measure }}<br><small class="muted">{% blocktranslate with v=r.gap.required_value|num u=r.indicator.measure_unit %}达到 {{ v }} {{ u }}{% endblocktranslate %}</small>{% elif r.gap.already %}{% translate "已达到" %}{% else %}—{% endif %}</td>
    <td data-label="{{ l_ind8 }}">{% for f in r.flags %}<div>{% flag_badge f %} {{ f.reason }}</div>{% empty %}—{% endfor %}</td>
    <td data-label="{{ l_ind9 }}">{% if r.link %}{% if r.link.url %}<a href="{{ r.link.url }}">{{ r.link.task.citation }} {{ r.link.task.get_status_display }}</a>{% else %}{{ r.link.task.citation }} {{ r.link.task.get_status_display }}{% endif %}
      {% elif can_manage and r.may_task and r.indicator.responsible_unit_id %}<form method="post" action="{% url 'indicators:indicator_task' r.indicator.pk %}" class="inline">{% csrf_token %}<input type="hidden" name="period" value="{{ period }}"><button type="submit" class="secondary small" data-confirm="{% blocktranslate with n=r.name u=r.responsible %}将“{{ n }}”转为{{ u }}的任务并发布？{% endblocktranslate %}">{% translate "转为任务" %}</button></form>
      {% else %}—{% endif %}</td>
  </tr>{% endfor %}"""
)


def _indicators():
    return [
        Indicator(pk=7, code="开办企业", name="开办企业", category="营商<环境>", measure_unit="天", direction="lower", responsible_unit_id=3),
        Indicator(pk=12, code="<纳税>&\"", name="", measure_unit="km", direction="higher", responsible_unit_id=None),
        Indicator(pk=1234, code="政务服务", name="政务“服务”'", measure_unit="", direction="higher", responsible_unit_id=4),
    ]


def _flags():
    return [
        scoring.Flag("weak", "本市", "开办企业", "2026H1", "排名第17位，落后于第10位 <b>", (17,), "开办企业"),
        scoring.Flag("drop", "本市", "开办企业", "2026H1", "较上期下降5位", (9, 14), "开办企业"),
        scoring.Flag("volatile", "本市", None, "2026H1", "近4期排名波动12位", (3, 15), "综合排名"),
        scoring.Flag("target", "本市", "政务服务", "2026H1", "未达到目标第6位 & more", (8,), "政务“服务”'"),
    ]


def test_it_writes_the_heat_map_rows_the_template_wrote():
    inds = _indicators()
    rows = [{"indicator": ind, "cells": [{"rank": r, "tier": t, "weak": w} for r, t, w in cells]}
            for ind, cells in zip(inds, [[(1, 1, False), (None, None, False), (1234, 206, True)], [(17, 3, True)], []])]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            expected = OLD_HEAT_ROWS.render(Context({"rows": rows}))
            assert heat_rows(rows) == expected
            assert heat_rows([]) == OLD_HEAT_ROWS.render(Context({"rows": []})) == ""
    assert "tier-206 weak" in expected and "&lt;纳税&gt;&amp;&quot;" in expected and "/indicators/indicator/1234/" in expected


def test_it_writes_the_tier_and_flag_rows_the_template_wrote():
    inds = _indicators()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            tiers = [{"tier": 1, "label": tier_label(1), "count": 2, "indicators": inds[:2]},
                     {"tier": 12, "label": tier_label(12), "count": 0, "indicators": []},
                     {"tier": None, "label": tier_label(None), "count": 1, "indicators": inds[2:]}]
            f = _flags()
            flags = [{"indicator": inds[0], "label": "开办企业", "flags": f[:2]}, {"indicator": None, "label": "综合排名", "flags": f[2:3]},
                     {"indicator": inds[2], "label": inds[2].label, "flags": f[3:]}]
            for period in ("2026H1", "2026 上半年&?"):
                context = Context({"tiers": tiers, "flags": flags, "period": period})
                assert tier_table_rows(tiers, period) == OLD_TIER_ROWS.render(context)
                assert flag_table_rows(flags, period) == OLD_FLAG_ROWS.render(context)
            assert tier_table_rows([], "2026") == "" and flag_table_rows([], "2026") == ""
    assert "2026%20%E4%B8%8A%E5%8D%8A%E5%B9%B4%26%3F" in OLD_TIER_ROWS.render(context)


def test_it_writes_the_trend_options_the_template_wrote():
    inds = _indicators()
    for chosen in (None, inds[1], inds[2]):
        assert indicator_options(inds, chosen) == OLD_OPTIONS.render(Context({"visible": inds, "chosen": chosen}))


def test_it_writes_the_indicator_table_rows_the_template_wrote():
    inds = _indicators()
    task = SimpleNamespace(citation="督〔2026〕<1>号", get_status_display=lambda: "办理中")
    gaps = [
        scoring.Gap("本市", 6, "lower", 5.0, 9, 3.5, -1.5, False, "needs_change", "…", 20),
        scoring.Gap("本市", 6, "higher", 9.0, 2, 8.0, 0.0, True, "already", "…", 20),
        None,
        scoring.Gap("本市", 6, "higher", None, None, None, None, False, "any_value", "…", 2),
    ]
    f = _flags()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows = [
                {"indicator": inds[0], "name": inds[0].label, "category": inds[0].category, "responsible": "发改<委>",
                 "value": 5.0, "score": 12.345, "rank": 9, "tier": 2, "rank_change": -3, "target": 6, "gap": gaps[0],
                 "flags": f[:2], "link": None, "weak": False, "may_task": True},
                {"indicator": inds[1], "name": inds[1].label, "category": "", "responsible": None, "value": None, "score": None,
                 "rank": None, "tier": None, "rank_change": None, "target": 1200, "gap": gaps[1], "flags": [],
                 "link": None, "weak": True, "may_task": True},
                {"indicator": inds[2], "name": inds[2].label, "category": "", "responsible": "税务局", "value": 0.25,
                 "score": 100.0, "rank": 1, "tier": 1, "rank_change": 4, "target": 6, "gap": gaps[2], "flags": f[3:],
                 "link": SimpleNamespace(url="/tasks/9/?a=1&b=2", task=task), "weak": False, "may_task": False},
                {"indicator": inds[0], "name": "无链接", "category": "", "responsible": "发改委", "value": 3, "score": 0.0,
                 "rank": 12, "tier": 3, "rank_change": 0, "target": 2, "gap": gaps[3], "flags": [],
                 "link": SimpleNamespace(url=None, task=task), "weak": True, "may_task": True},
            ]
            for can_manage, token in ((True, "tok<&>"), (False, "tok"), (True, None)):
                context = {"rows": rows, "period": "2026 H1&", "can_manage": can_manage, "csrf_token": token}
                expected = OLD_TABLE_ROWS.render(Context(context))
                assert Template("{% load indicator_tags %}{% indicator_table_rows rows %}").render(Context(context)) == expected
    assert "转为任务" in OLD_TABLE_ROWS.render(Context({**context, "csrf_token": "t"}))
    assert "csrfmiddlewaretoken" in OLD_TABLE_ROWS.render(Context({**context, "csrf_token": "t"}))

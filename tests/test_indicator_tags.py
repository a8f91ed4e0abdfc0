"""Indicator page filters: units of measure in the reader's language; English labels end in ":"."""

from pathlib import Path

from django.template import Context, Template
from django.utils import translation

import luoshi
from luoshi.core.i18n import ngettext
from luoshi.indicators.presenters import tier_label
from luoshi.indicators.templatetags.indicator_tags import composite_table_rows, measure


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

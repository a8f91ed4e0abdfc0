"""Indicator page filters: units of measure in the reader's language; English labels end in ":"."""

from pathlib import Path

from django.template import Context, Template
from django.utils import translation

import luoshi
from luoshi.core.i18n import ngettext
from luoshi.indicators.templatetags.indicator_tags import measure


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

"""Indicator periods named in the reader's language (indicators.models.period_name)."""

import pytest
from django.utils import translation

from luoshi.indicators.models import Period, period_name


@pytest.mark.parametrize("key,chinese,english", [
    ("2026H1", "2026年上半年", "H1 2026"),
    ("2026H2", "2026年下半年", "H2 2026"),
    ("2026Q2", "2026年第二季度", "Q2 2026"),
])
def test_it_names_usual_periods_in_both_languages(key, chinese, english):
    with translation.override("zh-hans"):
        assert period_name(key) == chinese
    with translation.override("en"):
        assert period_name(key) == english


def test_it_keeps_the_files_own_label_for_other_periods():
    assert period_name("2025年度考评") is None and period_name("2025") is None
    assert Period(key="第三批", label="第三批评估").display == "第三批评估"
    with translation.override("en"):
        assert Period(key="2026H1", label="2026年上半年").display == "H1 2026"

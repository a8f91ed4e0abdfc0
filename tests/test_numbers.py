"""Numbers as an office writes them (luoshi.core.numbers and the `figure` template filter)."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from luoshi.core.numbers import figure


@pytest.mark.parametrize("value,text", [
    (Decimal("24.8000"), "24.8"),
    (24.8, "24.8"),
    (12.0, "12"),
    (Decimal("12"), "12"),
    (0.25, "0.25"),
    (1 / 3, "0.3333"),
    (-0.00001, "0"),
    (None, "—"),
])
def test_it_writes_numbers_without_trailing_zeros(value, text):
    assert figure(value) == text


def test_it_offers_one_template_filter():
    rendered = Template("{% load figures %}{{ v|figure }}").render(Context({"v": Decimal("24.8000")}))
    assert rendered == "24.8"

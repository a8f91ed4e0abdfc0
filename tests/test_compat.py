"""The suite guards the promise that the code runs unchanged on Django 6 (tests/conftest.py)."""

import warnings

import pytest
from django.utils import deprecation


@pytest.mark.parametrize("name", ["RemovedInDjango60Warning", "RemovedInDjango61Warning"])
def test_it_fails_any_test_that_uses_what_django_6_removes(name):
    category = getattr(deprecation, name, None)
    if category is None:
        pytest.skip(f"this Django no longer warns of {name}")
    with pytest.raises(category):
        warnings.warn("removed in Django 6", category)

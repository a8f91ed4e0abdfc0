"""The one definition of a weak indicator (luoshi.indicators.rules). Pure: runs without Django."""

import pytest

from luoshi.indicators.rules import is_weak, weak_ranks


def test_it_marks_a_rank_behind_the_threshold_as_weak():
    assert not is_weak(1, 10)
    assert not is_weak(9, 10)
    assert not is_weak(10, 10)  # the threshold itself is not behind it
    assert is_weak(11, 10)
    assert is_weak(18, 10)


def test_it_never_marks_an_unknown_rank():
    assert not is_weak(None, 10)
    assert not is_weak(None, 1)


def test_it_marks_everything_but_the_first_at_threshold_one():
    assert not is_weak(1, 1)
    assert is_weak(2, 1)


@pytest.mark.parametrize("threshold", [0, -1, None, 2.5, True])
def test_it_refuses_a_threshold_below_one_or_not_a_whole_number(threshold):
    with pytest.raises(ValueError):
        is_weak(5, threshold)


def test_it_lists_the_weak_ranks_worst_first():
    assert weak_ranks([3, 12, None, 10, 17, 11], 10) == [17, 12, 11]
    assert weak_ranks([], 10) == []
    assert weak_ranks([1, 2, None], 10) == []

"""The garbage collector held back during bulk jobs (`luoshi.core.collector`)."""

import gc
import threading

import pytest

from luoshi.core import collector


@pytest.fixture(autouse=True)
def default_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_it_raises_the_thresholds_inside_and_puts_them_back():
    with collector.fewer_collections():
        assert gc.get_threshold() == (collector.YOUNG, collector.MIDDLE, collector.OLD)
    assert gc.get_threshold() == (700, 10, 10)


def test_it_puts_them_back_after_an_error():
    with pytest.raises(RuntimeError), collector.fewer_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_it_keeps_higher_thresholds_and_a_switched_off_collector():
    gc.set_threshold(200_000, 10, 1000)
    with collector.fewer_collections():
        assert gc.get_threshold() == (200_000, collector.MIDDLE, 1000)
    assert gc.get_threshold() == (200_000, 10, 1000)
    gc.set_threshold(0, 10, 10)
    with collector.fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_it_restores_when_the_last_of_overlapping_jobs_leaves():
    entered, release = threading.Event(), threading.Event()

    def other_job():
        with collector.fewer_collections():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other_job)
    with collector.fewer_collections():
        thread.start()
        assert entered.wait(5)
    # this job left first: the other still runs with the raised thresholds
    assert gc.get_threshold()[0] == collector.YOUNG
    release.set()
    thread.join(5)
    assert gc.get_threshold() == (700, 10, 10)


def test_it_still_collects_cycles_made_inside():
    class Node:
        pass

    with collector.fewer_collections():
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        assert gc.collect() >= 2


def test_it_leaves_thresholds_someone_set_during_the_job():
    with collector.fewer_collections():
        gc.set_threshold(1234, 5, 6)
    assert gc.get_threshold() == (1234, 5, 6)

"""The pure checks behind the input guard: what text PostgreSQL cannot store or compare, and what
integers no database column holds."""

from luoshi.core.inputguard import json_problem, text_problem, integer_problem


def test_it_finds_a_nul_byte():
    assert text_problem("a\x00b") == "nul"
    assert text_problem("ordinary 文本") is None


def test_it_finds_a_lone_surrogate():
    assert text_problem("a\ud800b") == "surrogate"
    assert text_problem("😀") is None


def test_it_finds_integers_beyond_64_bits_and_negative_offsets():
    assert integer_problem("offset", str(2**63)) == "range"
    assert integer_problem("unit", "9" * 5000) == "range"  # beyond int()'s digit limit too
    assert integer_problem("offset", "-1") == "negative"
    assert integer_problem("page", "-3") == "negative"
    assert integer_problem("offset", str(2**63 - 1)) is None
    assert integer_problem("delta", "-1") is None
    assert integer_problem("q", "abc") is None
    assert integer_problem("q", "6222" * 6) is None  # a search for a long number is text


def test_it_walks_json_keys_and_values():
    assert json_problem({"a": ["x", {"b": "y\x00"}]}) == "nul"
    assert json_problem({"k\ud800": 1}) == "surrogate"
    assert json_problem({"n": 2**70}) == "range"
    assert json_problem({"a": [1, "x", None, True, 1.5]}) is None

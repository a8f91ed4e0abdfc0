"""统一社会信用代码 check (GB 32100-2015). Pure."""

import pytest

from luoshi.requests.creditcode import ALPHABET, WEIGHTS, check_character, is_valid, normalise, problem


def test_it_uses_the_weights_three_to_the_power_of_position_mod_31():
    assert WEIGHTS == tuple(3 ** i % 31 for i in range(17))
    assert len(ALPHABET) == 31 and not set("IOSVZ") & set(ALPHABET)


def test_it_computes_the_check_character_of_a_published_example():
    # 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 with M = 21, Y = 30 and the weights
    # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 420 + 0 + 0 + 0 + 8 + 0 + 0 + 900 + 112 = 1640;
    # 1640 mod 31 = 28 (31 × 52 = 1612); 31 − 28 = 3 → "3".
    assert check_character("91350100M000100Y4") == "3"
    assert is_valid("91350100M000100Y43")


def test_it_maps_a_remainder_of_zero_to_the_character_zero():
    # 1 followed by sixteen 0: sum = 1 × 1 = 1 → 31 − 1 = 30 → "Y"; find a body with sum ≡ 0:
    # "00000000000000000" sums to 0 → (31 − 0) mod 31 = 0 → "0".
    assert check_character("00000000000000000") == "0"
    assert check_character("10000000000000000") == "Y"


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "校验位"),
        ("91350100M00010OY43", "不允许的字符"),  # letter O
        ("913501A0M000100Y43", "行政区划"),
    ],
)
def test_it_names_what_is_wrong(code, fragment):
    assert fragment in problem(code)
    assert not is_valid(code)


def test_it_folds_full_width_characters_lower_case_and_spaces():
    assert normalise(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert is_valid("91350100m000100y43")

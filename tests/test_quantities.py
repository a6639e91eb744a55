import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlpkit.quantities import Quantity, find_quantities, parse_quantity
from nlpkit.recognizers import pass_rate

from .conftest import SHARED, needs_shared


@pytest.mark.parametrize(
    "surface,value,unit,approx",
    [
        ("6.7.6", None, "", False),
        ("4053家", 4053, "家", False),
        ("5万余份", 50000, "份", True),
        ("143.35万元", 1433500, "元", False),
        ("28.45%", 28.45, "%", False),
        ("百分之二十", 20, "%", False),
        ("两次", 2, "次", False),
        ("近3000人次", 3000, "人次", True),
        ("超过10万元", 100000, "元", True),
        ("1.2亿元以上", 120000000, "元", True),
        ("3.2个百分点", 3.2, "个百分点", False),
        ("xx家次", None, "家次", False),
        ("xx万元", None, "元", False),
        ("3至5天", [3, 5], "天", False),
        ("10-15人", [10, 15], "人", False),
        ("6%-6.5%", [6, 6.5], "%", False),
        ("3-5万元", [30000, 50000], "元", False),
        ("两个月", 2, "个月", False),
        ("1386万", 13860000, "", False),
        ("三分之一", 1 / 3, "", False),
        ("一半", 0.5, "", False),
        ("１２３％", 123, "%", False),
        ("5%左右", 5, "%", True),
        ("300万千瓦", 3000000, "千瓦", False),
        ("上千万", 10000000, "", True),
        ("超过五成", 50, "%", True),
    ],
)
def test_parse_quantity(surface, value, unit, approx):
    assert parse_quantity(surface) == Quantity(value, unit, approx)


def test_finder_skips_dates_ordinals_and_list_markers():
    text = "2023年6月，一是开展第三次检查3天，明确17个领域，下降60%，共计5万余份。"
    found = [text[s:e] for s, e in find_quantities(text)]
    assert found == ["3天", "17个", "60%", "5万余份"]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1), st.sampled_from(["low", "up"]))
def test_chinese_rendering_round_trips(number, case):
    rendering = cn2an.an2cn(number, case)
    assert parse_quantity(rendering + "元").value == number


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_arabic_decimals_with_multiplier(number):
    value = parse_quantity(f"{number}万元").value
    assert value == pytest.approx(float(number) * 10000)


@needs_shared()
def test_recognizers_text_pass_rate():
    rate, cases = pass_rate(SHARED / "data" / "recognizers_text_zh")
    assert len(cases) > 500
    assert rate >= 0.90


def test_finder_follows_the_guide_where_a_plain_regex_does_not():
    text = "增强“四个意识”，实施治本攻坚三年行动，惠及2900多万家庭，人口13亿多，完成1万6千多户，检查一批企业，查驗校車518台次，20萬餘份。"
    found = [text[s:e] for s, e in find_quantities(text)]
    assert found == ["2900多万", "13亿多", "1万6千多户", "518台次", "20萬餘份"]
    assert parse_quantity("20萬餘份") == Quantity(200000, "份", True)
    assert parse_quantity("上亿人") == Quantity(100000000, "人", True)

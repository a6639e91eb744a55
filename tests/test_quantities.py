import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nlpkit.quantities import Quantity, find_quantities, parse_quantity
from nlpkit.evaluation.recognizers import end_to_end, pass_rate

from .conftest import SHARED, needs_shared


@pytest.mark.parametrize(
    "surface,value,unit,approx",
    [
        # counts, money, percentages and multipliers (ANNOTATION.md's examples)
        ("4053家", 4053, "家", False), ("5万余份", 50000, "份", True), ("143.35万元", 1433500, "元", False),
        ("28.45%", 28.45, "%", False), ("百分之二十", 20, "%", False), ("两次", 2, "次", False),
        ("3.2个百分点", 3.2, "个百分点", False), ("两个月", 2, "个月", False), ("300万千瓦", 3000000, "千瓦", False),
        # approximators
        ("近3000人次", 3000, "人次", True), ("超过10万元", 100000, "元", True), ("1.2亿元以上", 120000000, "元", True),
        ("5%左右", 5, "%", True), ("上千万", 10000000, "", True), ("超过五成", 50, "%", True),
        # no value: codes and anonymised amounts
        ("6.7.6", None, "", False), ("xx家次", None, "家次", False), ("xx万元", None, "元", False),
        # ranges
        ("3至5天", [3, 5], "天", False), ("10-15人", [10, 15], "人", False), ("6%-6.5%", [6, 6.5], "%", False),
        ("3-5万元", [30000, 50000], "元", False),
        # no unit, fractions, full-width forms
        ("1386万", 13860000, "", False), ("三分之一", 1 / 3, "", False), ("一半", 0.5, "", False),
        ("１２３％", 123, "%", False),
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


@pytest.mark.parametrize(
    "surface,value,unit,approx",
    [
        # signs
        ("-22.2%", -22.2, "%", False), ("负3.9%", -3.9, "%", False), ("负0.2千米", -0.2, "千米", False),
        # mixed magnitudes, 兆 and 万万
        ("5万4千6百", 54600, "", False), ("3万4000人", 34000, "人", False), ("2千零30万", 20300000, "", False),
        ("10万万", 10**9, "", False), ("四十九兆九千五百九十二億元", 49959200000000, "元", False),
        # 半 and 又, exact fractions
        ("一吨半", 1.5, "吨", False), ("十五斤半", 15.5, "斤", False), ("3又一千分之23", 3.023, "", False),
        ("负一又二分之一", -1.5, "", False), ("一百万分之五", 5e-06, "", False), ("三分之二", 2 / 3, "", False),
        # 成 and 折, rates
        ("七成六", 76, "%", False), ("三成半", 35, "%", False), ("半成", 5, "%", False), ("75折", 75, "%", False),
        ("九九折", 99, "%", False), ("8.5折", 85, "%", False), ("百万分之五", 0.0005, "%", False),
        ("千分之一百一十一点一一二", 11.1112, "%", False), ("百分之15k", 15000, "%", False),
        # spaces inside, two-unit money, currencies and units in full
        ("四点 五个百分点", 4.5, "个百分点", False), ("百分之五 十", 50, "%", False), ("五元三毛", 5.3, "元", False),
        ("50元6角三分", 50.63, "元", False), ("两美元又三美分", 2.03, "美元", False), ("5306亿台币", 530600000000, "台币", False),
        ("1万亿日元", 10**12, "日元", False), ("$20", 20, "美元", False), ("￥300", 300, "元", False),
        ("168cm", 168, "cm", False), ("120㎡", 120, "㎡", False), ("35℃", 35, "℃", False), ("2.4微克", 2.4, "微克", False),
        ("三千两百两", 3200, "两", False), ("五十兆字节", 50, "兆字节", False), ("54微克/立方米", 54, "微克/立方米", False),
    ],
)
def test_the_classes_of_issue_18_normalise(surface, value, unit, approx):
    got = parse_quantity(surface)
    assert (got.unit, got.approx) == (unit, approx)
    assert got.value == pytest.approx(value, rel=1e-12)
    assert [surface] == [surface[s:e] for s, e in find_quantities(surface)]


@pytest.mark.parametrize(
    "text",
    ["登陆部队已经上岸", "小明拾起石子", "党的十九届四中全会", "按照县委十二届七次全会部署", "教育关乎千家万户",
     "凝聚亿万人民的力量", "二三十个百分点", "百分之二三十", "对折", "十折", "落实“土十条”", "实现万亿级跃升",
     "访问 https://www.test.com/search?q=30%25%2020%", "PM2.5年浓度", "签署三方协议", "一方面要", "两两相对",
     "让三百六十行行行人才辈出"],
)
def test_words_ordinals_idioms_and_codes_are_not_quantities(text):
    assert [text[s:e] for s, e in find_quantities(text)] == []


@pytest.mark.parametrize(
    "text,found",
    [("全社会用电量突破1000亿千瓦时。", ["1000亿千瓦时"]), ("迈上1000亿斤新台阶", ["1000亿斤"]),
     ("意向签约16.5亿元", ["16.5亿元"]), ("惠及28万人民", ["28万"]), ("每50公斤提高5到7元", ["50公斤", "5到7元"]),
     ("连续举办8届全国双创活动", ["8届"]), ("队伍12支", ["12支"]), ("一百五十    个百分点", ["一百五十    个百分点"]), ("打对折", ["对折"])],
)
def test_the_finder_takes_the_longest_reading_and_leaves_words_before_it(text, found):
    assert [text[s:e] for s, e in find_quantities(text)] == found


UNITS = ["元", "万元", "亿元", "人", "家", "吨", "公里", "个百分点", "%", "平方米", "人次"]
APPROX = ["", "近", "约", "超过"]


def _folded(value: float, unit: str):
    """What the normaliser returns for ``value`` written before ``unit`` (万元 → 元 with the multiplier folded in)."""
    for multiplier, factor in (("万", 10**4), ("亿", 10**8)):
        if unit.startswith(multiplier) and unit != "%":
            return value * factor, unit[1:]
    return value, unit


def _extracted(text: str):
    spans = [text[s:e] for s, e in find_quantities(text)]
    assert len(spans) == 1, spans
    return spans[0], parse_quantity(spans[0])


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=10, max_value=10**12 - 1), st.sampled_from(["low", "up"]), st.sampled_from(UNITS),
       st.sampled_from(APPROX))
def test_chinese_numerals_in_a_sentence_come_back(number, case, unit, approx):
    if unit[0] in "万亿":
        # Before 万元/亿元 a large numeral has no single reading (一千亿零一万元 is 1000亿 + 1万 元; 一百二十五亿万元
        # holds the idiom 亿万): reports write 3200万元, so the multiplier units take a count below 10,000.
        number %= 10_000
        assume(number >= 10)
    numeral = cn2an.an2cn(number, case)
    surface, got = _extracted(f"全年累计完成{approx}{numeral}{unit}，同比有所增长。")
    assert surface == approx + numeral + unit
    value, unit_out = _folded(number, unit)
    assert (got.value, got.unit, got.approx) == (value, unit_out, bool(approx))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=9999), st.sampled_from(UNITS[3:]),
       st.sampled_from(["余", "多", ""]))
def test_mixed_arabic_with_magnitudes_comes_back(high, low, unit, more):
    surface, got = _extracted(f"共帮扶{high}亿{low}万{more}{unit}。")
    assert surface == f"{high}亿{low}万{more}{unit}"
    assert (got.value, got.unit, got.approx) == (high * 10**8 + low * 10**4, unit, bool(more))


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value="0.1", max_value="999.9", places=1), st.sampled_from(["负", "-"]), st.sampled_from(["%", "个百分点"]))
def test_written_signs_come_back(number, sign, unit):
    surface, got = _extracted(f"增速为{sign}{number}{unit}。")
    assert surface == f"{sign}{number}{unit}"
    assert got.value == pytest.approx(-float(number)) and got.unit == unit


@needs_shared()
def test_recognizers_text_end_to_end_through_the_shipped_pipeline():
    """The issue's targets, through the pipeline as ``nlpkit extract`` runs it (no gold span handed over)."""
    import nlpkit
    from nlpkit.evaluation.systems import pipeline_system

    rows = {r.spec: r for r in end_to_end(pipeline_system(nlpkit.load()), SHARED / "data" / "recognizers_text_zh")}
    units = [rows[f"NumberWithUnit_{name}Model.json"] for name in ("Currency", "Dimension")]
    units.append(rows["Number_PercentModel.json"])
    assert sum(r.right for r in units) / sum(r.expected for r in units) >= 0.90
    assert rows["Number_NumberModel.json"].right_when_found >= 0.95
    assert sum(len(r.false) for r in rows.values()) <= 4


def test_long_financial_numerals_are_found_in_linear_time():
    """A run of 大写 numerals once matched 2ⁿ ways: 11 s for a 12-digit amount, doubling with every character."""
    import time

    amount = cn2an.an2cn(999999999999, "up")  # 玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖
    text = f"合同金额人民币{amount}{amount[:12]}元整，同比有所增长。"
    started = time.perf_counter()
    found = [text[s:e] for s, e in find_quantities(text)]
    assert time.perf_counter() - started < 0.5
    assert found == [amount + amount[:12] + "元"]

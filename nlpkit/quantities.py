"""The grammar of quantities: find them in text and normalise them to ``value``, ``unit``, ``approx``.

One grammar serves the rule-based QUANTITY finder and the normaliser, so what one finds the other can read.
Values fold multipliers in (``5万余份`` → 50000), ranges become ``[low, high]``, anonymised numerals
(``xx家``) have value ``None``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Iterator, List, Optional, Tuple, Union

from .text import normalize_text

Number = Union[int, float]
Value = Union[Number, List[Number], None]

ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸"
CHINESE = rf"[{CHINESE_DIGITS}]+(?:[点點][{CHINESE_DIGITS}]+|[多余][万亿])?"
ANONYMISED = r"(?:[xX]{2,}|[×]{2,}|[ｘＸ]{2,})"
MULTIPLIER = r"(?:万亿|亿万|万|亿|千|百|萬|億)"
APPROX_PREFIX = r"(?:接近|将近|近|约|大约|超过|超|逾|上)"
APPROX_INFIX = r"(?:余|多)"
APPROX_SUFFIX = r"(?:以上|左右|余|多)"
RANGE_SEP = r"(?:至|到|—|－|-|~|～)"
MULTIPLIERS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 10**3, "百": 10**2, "万亿": 10**12, "亿万": 10**12, "兆": 10**12}


@dataclass(frozen=True)
class Quantity:
    """A normalised quantity (ANNOTATION.md attributes)."""

    value: Value
    unit: str
    approx: bool


@lru_cache(maxsize=1)
def units() -> Tuple[str, ...]:
    """Units and measure words, longest first."""
    text = resources.files("nlpkit.resources").joinpath("units.txt").read_text(encoding="utf-8")
    found = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted(found, key=len, reverse=True))


@lru_cache(maxsize=1)
def unit_pattern() -> str:
    """The measure words of ``units()`` as one regular-expression alternation."""
    return "(?:" + "|".join(re.escape(u) for u in units()) + ")"


def _number_pattern() -> str:
    mixed = rf"(?:[0-9０-９]{{1,4}}[千百])?"  # 1万6千, 2万5千
    return rf"(?:(?:{ARABIC}|{ANONYMISED})(?:{APPROX_INFIX}?{MULTIPLIER}{mixed}(?:{APPROX_INFIX}?[亿])?)?|{CHINESE})"


@lru_cache(maxsize=1)
def finder() -> re.Pattern:
    """Regular expression for the regular core of QUANTITY spans."""
    num, unit = _number_pattern(), unit_pattern()
    single = (
        rf"(?:百分之{num}|{num}分之{num}|{num}{APPROX_INFIX}?{unit}?{RANGE_SEP}{num}{APPROX_INFIX}?{unit}"
        rf"|{num}{APPROX_INFIX}?{unit}|{BARE_COUNT}|{'|'.join(_HALF)})"
    )
    return re.compile(rf"(?:{APPROX_PREFIX})?{single}(?:{APPROX_SUFFIX})?")


_HALF = ("一半", "半数")
# A count with a multiplier and no measure word (减少1386万, 13亿多人口): ANNOTATION.md tags the numeral.
BARE_COUNT = rf"{ARABIC}{APPROX_INFIX}?(?:万亿|亿|万){APPROX_INFIX}?"

# A Chinese numeral alone often is no number (一是, 统一, 进一步): the finder keeps only these readings.
DOTTED_CODE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+){2,}")  # 6.7.6, 1.2.3: names and versions, not numbers
_VAGUE = re.compile(r"^一(?:[批些样道起项名位种类支套部条座根场件次期轮路级]|个(?!月)|切|线|体|带|度|并|定)|^十分$|^一?百年$|^零")
_NAMED_PERIOD = re.compile(r"^(?:代|年)")  # 九十年代, 40周年: periods and anniversaries, not amounts
# A count that opens a policy name: 三年行动, 八项规定, 五项原则 (ANNOTATION.md: part of the MEASURE).
_NAME_HEAD = re.compile(r"^(?:行动|规定|原则|规划|新?举措|硬?措施|攻坚|主张)")
_A_YEAR = re.compile(r"(?<!过去)的$|关键$|重要$")  # 新的一年, 关键一年: a year named, not measured
_PART_OF_NOUN = {"人": "口", "家": "庭"}  # 5亿人口, 2900多万家庭: the numeral is the count, 人口/家庭 the noun
_DATE_UNIT = re.compile(r"^[0-9０-９]{4}年|[0-9０-９]{4}年$|^[0-9０-９]{1,2}[月日]$")


def find_quantities(text: str) -> Iterator[Tuple[int, int]]:
    """(start, end) of quantity expressions found by the grammar alone (a high-precision rule baseline).

    The grammar reads the normalised text (traditional → simplified, full-width → half-width; same length),
    so ``20萬餘份`` is found like ``20万余份``.
    """
    folded = normalize_text(text)
    for match in finder().finditer(folded):
        start, end = match.span()
        surface = match.group()
        before, after = folded[start - 1: start], folded[end: end + 2]
        if before and (before in "第初“\"" or (before in "几数" and surface[0] in CHINESE_DIGITS)):
            continue  # ordinals, 几十万 / 数千家 (no numeral), “四个意识” (a name)
        if _DATE_UNIT.search(surface) or _VAGUE.match(surface) or _NAMED_PERIOD.match(after):
            continue
        if _NAME_HEAD.match(after) or _NAME_HEAD.match(folded[end - 1: end + 1]) or (after[:1].isascii() and after[:1].isalpha()):
            continue  # 三年行动, 2023行动 (a name); 11532300MB (a code)
        if surface == "一年" and _A_YEAR.search(folded[max(0, start - 4): start]):
            continue
        if _PART_OF_NOUN.get(surface[-1]) == after[:1] and re.search(r"[万亿]多?人?家?$", surface):
            end -= 1
        if surface not in _HALF and not re.search(rf"[0-9０-９%％]|{ANONYMISED}", surface) and not re.search(
            rf"[{CHINESE_DIGITS}].*?{unit_pattern()}", surface
        ):
            continue
        yield start, end


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS.update({"〇": 0, "两": 2, "俩": 2, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10**4, "亿": 10**8, "兆": 10**12}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[点.]\d+|点[零一二三四五六七八九〇两壹贰叁肆伍陆柒捌玖]+|.")
_FOLD = str.maketrans("萬億兩點陸貳參倆負幾", "万亿两点陆贰叁俩负几")


def _to_decimal(numeral: str) -> Optional[Decimal]:
    """Read an Arabic, Chinese or mixed numeral (``5万4千6百``, ``十余万``, ``一百零几万``, ``4.78萬億``).

    Hand-written because cn2an reads neither mixed forms nor approximators inside the numeral.
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", numeral)).replace(",", "").translate(_FOLD)
    if DOTTED_CODE.search(text):
        return None
    text = re.sub(r"[余多几来]", "", text)
    sign = -1 if text[:1] in ("负", "-") else 1
    text = text.lstrip("负-")
    if text.lower().endswith("k"):
        text, factor = text[:-1], Decimal(1000)
    else:
        factor = Decimal(1)
    if not text:
        return None
    if len(text) > 1 and all(c in _DIGITS for c in text):  # digit strings: 一九九八, 五五
        return sign * Decimal("".join(str(_DIGITS[c]) for c in text)) * factor
    scientific = re.fullmatch(r"(\d+(?:\.\d+)?)e([+-]?\d+)", text)
    if scientific:
        return sign * Decimal(text) * factor
    total = section = current = Decimal(0)
    last_unit, last_big, pending_tail = 0, 0, False
    numeral_seen = False
    for token in _TOKEN.findall(text):
        numeral_seen = numeral_seen or token[0].isdigit() or token in _DIGITS or token in _SMALL
        if token[0].isdigit():
            current, pending_tail = Decimal(token), False
        elif token[0] in "点." and len(token) > 1:
            if pending_tail and last_unit:
                current, pending_tail = current * Decimal(last_unit) / 10, False
            digits = token[1:] if token[1].isdigit() else "".join(str(_DIGITS[c]) for c in token[1:])
            current += Decimal("0." + digits)
        elif token in _DIGITS:
            current = Decimal(_DIGITS[token])
            pending_tail = last_unit > 10 and token != "零"
            if token == "零":
                last_unit = 0
        elif token in _SMALL:
            section += (current if current or section % 10 or last_unit else Decimal(1)) * _SMALL[token]
            current, last_unit, pending_tail = Decimal(0), _SMALL[token], False
        elif token in _BIG:
            unit = _BIG[token]
            if section == 0 and current == 0 and total:
                total *= unit
            elif last_big and unit > last_big:
                total = (total + section + current) * unit
            else:  # a bare 亿 / 万亿 (上亿人, 超过万亿元) is one of it
                total += (section + current if numeral_seen or total else 1) * unit
            section = current = Decimal(0)
            last_big, last_unit, pending_tail = unit, unit, False
        else:
            return None
    if pending_tail and last_unit:
        current *= Decimal(last_unit) / 10
    return sign * (total + section + current) * factor


def _plain(number: Optional[Decimal]) -> Optional[Number]:
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


_NUMERAL_CHARS = rf"0-9０-９{CHINESE_DIGITS}兆俩倆几幾"
_NUM_CAPTURE = (
    rf"([负負－-]?(?:{ANONYMISED}{MULTIPLIER}?|[{_NUMERAL_CHARS}](?:[,，.．点點]?[{_NUMERAL_CHARS}]|[余多][{_NUMERAL_CHARS}]|[kK]$)*))"
)


_CURRENCY_PREFIX = {"$": "美元", "＄": "美元", "￥": "元", "¥": "元"}
_PER_MILLE = {"千分之": Decimal("0.1"), "万分之": Decimal("0.01"), "仟分之": Decimal("0.1"), "萬分之": Decimal("0.01")}
_TENTHS = ("成", "折")  # 三成 = 30 %, 八五折 = 85 %


def parse_quantity(surface: str) -> Quantity:
    """Normalise one QUANTITY span: ``"近3000人次"`` → ``Quantity(3000, "人次", True)``."""
    # normalised first: 20萬餘份 reads as 20万余份, and units come out in one spelling (個 → 个, ％ → %)
    text = normalize_text(re.sub(r"\s+", "", surface))
    approx = False
    prefix = re.match(APPROX_PREFIX, text)
    if prefix and len(text) > prefix.end() and re.match(rf"[0-9０-９xX×ｘ{CHINESE_DIGITS}百负-]", text[prefix.end()]):
        text, approx = text[prefix.end():], True
    suffix = re.search(r"(以上|左右)$", text)
    if suffix:
        text, approx = text[: suffix.start()], True
    if text[:1] in _CURRENCY_PREFIX:
        quantity = parse_quantity(text[1:])
        return Quantity(quantity.value, quantity.unit or _CURRENCY_PREFIX[text[0]], approx or quantity.approx)
    for words, scale in (("百分之", Decimal(1)), *_PER_MILLE.items()):
        if text.startswith(words):
            number = _to_decimal(text[len(words):].rstrip("%％"))
            return Quantity(_plain(number * scale) if number is not None else None, "%", approx)
    fraction = re.fullmatch(rf"(?:{_NUM_CAPTURE}又)?{_NUM_CAPTURE}分之{_NUM_CAPTURE}", text) or re.fullmatch(
        rf"(?:{_NUM_CAPTURE}(?=\d))?{_NUM_CAPTURE}[/／]{_NUM_CAPTURE}", re.sub(r"(\d)\s+(?=\d)", r"\1 ", surface.strip())
    )
    if fraction:
        whole, below, above = fraction.groups()
        if "/" in text or "／" in text:
            below, above = above, below
        low, high, base = _to_decimal(below), _to_decimal(above), _to_decimal(whole) if whole else Decimal(0)
        if not low or high is None or base is None:
            return Quantity(None, "", approx)
        value = base + (high / low if base >= 0 else -high / low)
        return Quantity(round(float(value), 4), "", approx)
    if text in _HALF:
        return Quantity(0.5, "", approx)
    half = text.endswith("半") and len(text) > 1
    text = text[:-1] if half else text
    ranged = re.fullmatch(
        rf"{_NUM_CAPTURE}({APPROX_INFIX})?(.*?){RANGE_SEP}{_NUM_CAPTURE}({APPROX_INFIX})?(.*?)(余|多)?", text
    )
    single = re.fullmatch(rf"{_NUM_CAPTURE}({APPROX_INFIX})?(.*?)(余|多)?", text)
    if not (ranged or single):
        return Quantity(None, text, approx)
    if ranged:
        low_s, infix, unit_low, high_s, infix_high, unit, tail = ranged.groups()
    else:
        low_s, infix, unit, tail = single.groups()
        unit_low, high_s, infix_high = "", None, None
    low_s, unit = _unit_owns_multiplier(low_s, unit or unit_low)
    inner = re.search("[余多几幾]", low_s + (high_s or ""))
    approx = approx or bool(infix or infix_high or tail or inner)
    if high_s is None:
        number = None if re.search(ANONYMISED, low_s) else _to_decimal(low_s)
        if number is not None and half:
            number += Decimal("0.5") if unit not in _TENTHS else 0
        if re.match(r"万|亿", unit) and number is not None:
            multiplier = "万亿" if unit.startswith("万亿") else unit[0]
            number, unit = number * MULTIPLIERS[multiplier], unit[len(multiplier):]
        if unit in _TENTHS and number is not None:
            number, unit = number * (10 if number >= 1 or unit == "成" else 100) + (5 if half else 0), "%"
        if unit == "k" and number is not None:
            number, unit = number * 1000, ""
        return Quantity(_plain(number), unit, approx)
    low, high = _to_decimal(low_s), _to_decimal(high_s)
    high_mult = re.search(r"(万亿|亿万|万|亿|千|百)$", high_s)
    if high_mult and low is not None and not re.search(r"[万亿千百]$", low_s) and low < high / MULTIPLIERS[high_mult.group(1)]:
        low = low * MULTIPLIERS[high_mult.group(1)]
    if low is None or high is None:
        return Quantity(None, unit, approx)
    return Quantity([_plain(low), _plain(high)], unit, approx)


def _unit_owns_multiplier(numeral: str, unit: str) -> Tuple[str, str]:
    """``12千米``: 千 belongs to the unit 千米, not to the number."""
    if numeral and numeral[-1] in "千百万亿兆" and (numeral[-1] + unit) in units():
        return numeral[:-1], numeral[-1] + unit
    return numeral, unit

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
FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"  # 大写 numerals: a number only beside another numeral (陆部, 拾起 are words)
CHINESE_DIGITS = "零〇一二两三四五六七八九十百千万亿" + FINANCIAL + "萬億兩貳參陸"
ANONYMISED = r"(?:[xX]{2,}|[×]{2,}|[ｘＸ]{2,})"
MULTIPLIER = r"(?:万亿|亿万|万|亿|千|百|萬|億)"
# 上 only before a magnitude (上千万, 上亿人; 迈上1000亿斤 is a verb); 约 not as the end of a word (签约, 节约, 制约).
APPROX_PREFIX = r"(?:接近|将近|近|(?<![签节制预公契相条合邀违履特集])约|大约|超过|超|逾|上(?=[十百千万亿]))"
APPROX_INFIX = r"(?:余|多)"
APPROX_SUFFIX = r"(?:以上|左右|余|多)"
RANGE_SEP = r"(?:至|到|—|－|-|~|～)"
MULTIPLIERS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 10**3, "百": 10**2, "万亿": 10**12, "亿万": 10**12, "兆": 10**12}
# Latin and symbol units as the normalised text spells them, and as the record shows them.
UNIT_SPELLING = {"m2": "m²", "km2": "km²", "m3": "m³", "°c": "℃", "gw": "GW", "mw": "MW", "kw": "kW", "kwh": "kWh", "kv": "kV"}


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
    """The measure words of ``units()`` as one regular-expression alternation, also as a ratio (微克/立方米)."""
    one = "(?:" + "|".join(re.escape(u) for u in units()) + ")"
    return rf"(?:{one}(?:/{one})?)"


# The finder reads the normalised text, so its numerals are simplified; 兆 (10¹²) counts inside a number.
_CN = "零〇一二两三四五六七八九十百千万亿兆" + FINANCIAL
# 负3.9%, -22.2%; in 10-15人 the hyphen is a range, and in 税负5700亿元, 减负 or 担负 负 ends a word.
_SIGN = r"(?:(?<![税胜抱自欠担肩辜减正])负|(?<![0-9.a-zA-Z%])-)"
# A financial numeral only beside another numeral (陆部, 拾起, 队伍12支 are words and a count) or around 分之. One
# branch per character, its condition a single zero-width test: with a branch for "before" and one for "after", a
# run of financial numerals matched 2ⁿ ways and the finder backtracked exponentially (11 s on 玖仟玖佰…玖拾玖元).
_CN_CHAR = (rf"(?:[{_CN[:-len(FINANCIAL)]}]"
            rf"|[{FINANCIAL}](?!(?<![{_CN}][{FINANCIAL}])(?<!分之[{FINANCIAL}])(?![{_CN}]|分之)))")
# A numeral: Arabic and Chinese parts in any mix (5万4千6百, 3万4000, 2千零30万, 四十九兆九千五百九十二亿), a Chinese
# decimal (四点五), 余/多/几 before a magnitude (十余万). An Arabic part follows only a Chinese one, so a digit string
# is read one way (no backtracking over its splits).
_NUMERAL = (
    rf"(?:{ANONYMISED}(?:{APPROX_INFIX}?{MULTIPLIER})?"
    rf"|(?:{ARABIC}(?:k(?![a-z]))?|{_CN_CHAR})(?:{_CN_CHAR}|(?<=[{_CN}]){ARABIC}|点(?=[{_CN}])|[余多几来](?=[十百千万亿]))*)"
)
_SUBUNITS = r"(?:元|块|美元)又?{n}(?:角|毛|美分|分(?!钟))(?:{n}分(?!钟))?"  # 五元三毛, 50元6角三分, 两美元又三美分
_CURRENCY_SIGN = r"(?:us\$|[$¥€£])"


@lru_cache(maxsize=1)
def quantity_regex() -> re.Pattern:
    """Regular expression for the regular core of QUANTITY spans (on the normalised, space-bridged text)."""
    num, unit = rf"{_SIGN}?{_NUMERAL}", unit_pattern()
    single = (
        rf"(?:(?<![{_CN}])百分之{num}|(?:{num}又)?{num}分之{num}|{_CURRENCY_SIGN}{num}"
        rf"|{num}{APPROX_INFIX}?{unit}?{RANGE_SEP}{num}{APPROX_INFIX}?{unit}"
        rf"|{num}{_SUBUNITS.format(n=num)}|{num}成[一二三四五六七八九](?![十百千万亿个成折])|(?<=打)对折|半[成折](?!品)"
        rf"|{num}{APPROX_INFIX}?{unit}(?:半(?![月天日年小时个]))?|(?P<bare>{BARE_COUNT})|{'|'.join(_HALF)})"
    )
    # The lookahead names every character a quantity can begin with: the regular-expression engine then skips
    # other positions at once instead of trying the whole alternation there (about 6× faster on reports).
    starts = f"接将近约大超逾上0-9{_CN}半对xX×ｘＸ负\\-u$¥€£"
    return re.compile(rf"(?=[{starts}])(?:{APPROX_PREFIX})?{single}(?:{APPROX_SUFFIX})?")


_HALF = ("一半", "半数")
# A count with a multiplier and no measure word (减少1386万, 13亿多人口, 25万6千): ANNOTATION.md tags the numeral.
BARE_COUNT = rf"{_SIGN}?{ARABIC}(?:[{_CN}]|(?<=[{_CN}]){ARABIC}|[余多](?=[万亿]))+{APPROX_INFIX}?"

# A Chinese numeral alone often is no number (一是, 统一, 进一步): the finder keeps only these readings.
DOTTED_CODE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+){2,}")  # 6.7.6, 1.2.3: names and versions, not numbers
_VAGUE = re.compile(
    r"^一(?:[批些样道起项名位种类支套部条座根场件次期轮路级方列张份幅处块]|个(?!月)|切|线|体|带|度|并|定)|^十分$|^一?百年$|^零"
)
_NAMED_PERIOD = re.compile(r"^(?:代|年)")  # 九十年代, 40周年: periods and anniversaries, not amounts
# A count that opens a policy name: 三年行动, 八项规定, 五项原则 (ANNOTATION.md: part of the MEASURE).
_NAME_HEAD = re.compile(r"^(?:行动|规定|原则|规划|新?举措|硬?措施|攻坚|主张)")
_A_YEAR = re.compile(r"(?<!过去)的$|关键$|重要$|[上下这当]$")  # 新的一年, 关键一年, 上一年, 这一年: a year named, not measured
# 5亿人口, 2900多万家庭, 28万人民: the numeral is the count, 人口/家庭/人民 the noun
_PART_OF_NOUN = {"人": "口民", "家": "庭"}
_DATE_UNIT = re.compile(r"^[0-9０-９]{4}年|[0-9０-９]{4}年$|^[0-9０-９]{1,2}[月日]$")
# 二三十, 三五个, 一两年: neighbouring digits name a vague span, not a number (an analyst would copy a wrong one).
_NEIGHBOUR_DIGITS = re.compile(r"一二|一两|二三|两三|三四|三五|四五|五六|六七|七八|八九")
# 十九届四中全会, 二十届中央: a Chinese numeral + 届 before a body or plenum is an ordinal without 第 (连续举办8届全国…
# is a count).
_ORDINAL_TERM = re.compile(rf"^[{_CN}]+[届次]$")
_TERM_BODY = re.compile(
    r"^(?:、?[一二三四五六七八九十]{1,3}[中次])*、?(?:[一二三四五六七八九十]{0,3}中全会|全会|会议|全体会议|历次|中央|全国|人大|"
    r"人民代表|政协|代表|党代|委员|[省市县区州]委)"
)
# Size classes: 万亿级产业, 千万元级项目 (a class of size, not an amount).
_SIZE_CLASS = re.compile(r"^[十百千万亿]+元?级$")
# A short quoted name holding a number: “土十条”, “保才18条”, “六个百分百” (ANNOTATION.md: part of the name).
_QUOTED_NAME = re.compile(r"“[^“”\n]{1,12}”|\"[^\"\n]{1,12}\"")
# 千家万户, 千山万水, 亿万人民: a bare magnitude (no digit) paired with another is an idiom, not an amount.
_IDIOM_MAGNITUDE = re.compile(
    rf"[十百千万亿](?<![{_CN}0-9].)(?![{_CN}个分])[\u4e00-\u9fff][十百千万亿](?![{_CN}个分])[\u4e00-\u9fff]|亿万"
)
# Web addresses carry digits and %-escapes (%2020%): codes, never quantities.
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
# Whitespace inside a written number (四点 五个百分点, 百分之五 十, 一百五十    个百分点) is bridged when a Chinese
# numeral or a number word touches it; between two Arabic numbers it stays (a table's 120 135 are two numbers).
_BRIDGED = set(_CN + "点分之又成折个")
_INNER_SPACE = re.compile(r"[ \t\u3000\xa0]+")


def _bridge_spaces(text: str) -> Tuple[str, Optional[List[int]]]:
    """``text`` without the spaces inside written numbers, and each kept character's index in ``text`` (None if
    nothing was removed)."""
    cuts = [
        m.span() for m in _INNER_SPACE.finditer(text)
        if 0 < m.start() and m.end() < len(text)
        and (text[m.start() - 1] in _BRIDGED or text[m.end()] in _BRIDGED)
        and "\n" not in (text[m.start() - 1], text[m.end()])
    ]
    if not cuts:
        return text, None
    kept: List[int] = []
    parts: List[str] = []
    previous = 0
    for start, end in cuts:
        kept.extend(range(previous, start))
        parts.append(text[previous:start])
        previous = end
    kept.extend(range(previous, len(text)))
    parts.append(text[previous:])
    return "".join(parts), kept


def find_quantities(text: str) -> Iterator[Tuple[int, int]]:
    """(start, end) of quantity expressions found by the grammar alone (a high-precision rule baseline).

    The grammar reads the normalised text (traditional → simplified, full-width → half-width; same length),
    so ``20萬餘份`` is found like ``20万余份``.
    """
    folded, kept = _bridge_spaces(normalize_text(text))
    codes = [m.span() for m in _URL.finditer(folded)] if "/" in folded or "www" in folded else []
    idioms = [m.span() for m in _IDIOM_MAGNITUDE.finditer(folded)]
    quoted = [m.span() for m in _QUOTED_NAME.finditer(folded)] if "“" in folded or '"' in folded else []
    pattern, taken = quantity_regex(), 0
    for match in pattern.finditer(folded):
        start, end = match.span()
        if start < taken:
            continue
        # The engine takes the first reading, the longest is meant: 1000亿千瓦时 is not 1000亿千 + 瓦.
        match = next((m for k in (3, 2, 1) if (m := pattern.fullmatch(folded, start, end + k))), match)
        end = taken = match.end()
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
        if _NEIGHBOUR_DIGITS.search(re.sub(r"点[^点]*", "", surface)) or (_ORDINAL_TERM.search(surface) and _TERM_BODY.match(folded[end:end + 8])):
            continue  # 二三十; 十九届三中全会, 县委十四届三次全会: ordinals
        if _SIZE_CLASS.match(surface) or (before.isascii() and before.isalpha()):
            continue  # 万亿级; PM2.5, G318: codes
        if any(s < start and end < e and (s + 1, e - 1) != (start, end) for s, e in quoted):
            continue  # “土十条”: a number inside a quoted name
        if match.group("bare") and not re.search("[万亿]", surface):
            continue
        if surface.endswith("折") and surface[-2:-1] in "十百千万亿":
            continue  # 十折 is no discount
        if surface.endswith("方") and not re.search("[0-9万亿]", surface):
            continue  # 三方, 四方: parties and sides; 9000方 and 46万方 are cubic metres
        if surface.endswith("两") and (re.fullmatch("[一两]两", surface) or re.match(rf"[{_CN}0-9]", after)):
            continue  # 两两 (in pairs), 一千两百: 两 is the weight only where the number ends
        if any(s < end and start < e for s, e in codes + idioms):
            continue
        if after[:1] and after[:1] in _PART_OF_NOUN.get(surface[-1], "") and re.search(r"[万亿]多?人?家?$", surface):
            end -= 1
        if surface not in _HALF and not re.search(rf"[0-9%$¥€£]|{ANONYMISED}|对折|半[成折]", surface) and not re.search(
            rf"[{CHINESE_DIGITS}].*?{unit_pattern()}", surface
        ):
            continue
        yield (start, end) if kept is None else (kept[start], kept[end - 1] + 1)


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
            elif last_big and unit >= last_big:  # 十万万, (一万零一)万: the number so far is multiplied
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
    rf"([负負－-]?(?:{ANONYMISED}{MULTIPLIER}?|[{_NUMERAL_CHARS}](?:[,，.．点點]?[{_NUMERAL_CHARS}]|[余多][{_NUMERAL_CHARS}]|[kK](?![a-zA-Z]))*))"
)


_CURRENCY_PREFIX = {"us$": "美元", "$": "美元", "¥": "元", "€": "欧元", "£": "英镑"}
# X分之Y with a bare magnitude below (百分之, 千分之, 百万分之) is a rate, read as a percentage; with a numeral
# below (三分之一, 一百万分之五) it is a fraction, kept exact.
_RATE = re.compile(r"([百千万亿佰仟]+)分之(.+?)%?")
_FRACTION = re.compile(rf"(?:{_NUM_CAPTURE}又)?{_NUM_CAPTURE}分之{_NUM_CAPTURE}")
_SLASHED = re.compile(rf"(?:{_NUM_CAPTURE}(?=\d))?{_NUM_CAPTURE}[/／]{_NUM_CAPTURE}")
# 成 and 折 are tenths: 三成 = 30 %, 七成六 = 76 %, 三成半 = 35 %; 九折 = 90 %, 8.5折 = 85 %, but 75折 and 九五折 are
# already in hundredths. 对折 = 50 %, 半成 = 5 %.
_TENTHS = re.compile(rf"{_NUM_CAPTURE}(成|折)([一二三四五六七八九半])?")
_TENTHS_WORDS = {"对折": 50, "半折": 50, "半成": 5}
# Amounts in a currency and its sub-units: 五元三毛 = 5.3 元, 50元6角三分 = 50.63 元, 两美元又三美分 = 2.03 美元.
_MONEY = re.compile(rf"{_NUM_CAPTURE}(元|块|美元)又?{_NUM_CAPTURE}(美分|角|毛|分)(?:{_NUM_CAPTURE}分)?")
_SUBUNIT = {"角": Decimal("0.1"), "毛": Decimal("0.1"), "分": Decimal("0.01"), "美分": Decimal("0.01")}


def parse_quantity(surface: str) -> Quantity:
    """Normalise one QUANTITY span: ``"近3000人次"`` → ``Quantity(3000, "人次", True)``."""
    # normalised first: 20萬餘份 reads as 20万余份, and units come out in one spelling (個 → 个, ％ → %)
    quantity = _parse(normalize_text(re.sub(r"\s+", "", surface)))
    return Quantity(quantity.value, UNIT_SPELLING.get(quantity.unit, quantity.unit), quantity.approx)


def _parse(text: str) -> Quantity:
    approx = False
    prefix = re.match(APPROX_PREFIX, text)
    if prefix and len(text) > prefix.end() and re.match(rf"[0-9０-９xX×ｘ{CHINESE_DIGITS}百负-]", text[prefix.end()]):
        text, approx = text[prefix.end():], True
    suffix = re.search(r"(以上|左右)$", text)
    if suffix:
        text, approx = text[: suffix.start()], True
    currency = next((sign for sign in _CURRENCY_PREFIX if text.startswith(sign)), None)
    if currency:
        quantity = _parse(text[len(currency):])
        return Quantity(quantity.value, quantity.unit or _CURRENCY_PREFIX[currency], approx or quantity.approx)
    rate = _RATE.fullmatch(text)
    if rate:
        below, above = _to_decimal(rate.group(1)), _to_decimal(rate.group(2))
        return Quantity(_plain(above * 100 / below) if below and above is not None else None, "%", approx)
    fraction = _FRACTION.fullmatch(text) or _SLASHED.fullmatch(text)
    if fraction:
        whole, below, above = fraction.groups()
        if fraction.re is _SLASHED:
            below, above = above, below
        low, high, base = _to_decimal(below), _to_decimal(above), _to_decimal(whole) if whole else Decimal(0)
        if not low or high is None or base is None:
            return Quantity(None, "", approx)
        value = base + (high / low if base >= 0 else -high / low)
        return Quantity(float(value), "", approx)
    if text in _HALF:
        return Quantity(0.5, "", approx)
    if text in _TENTHS_WORDS:
        return Quantity(_TENTHS_WORDS[text], "%", approx)
    tenths = _TENTHS.fullmatch(text)
    if tenths:
        numeral, unit, tail = tenths.groups()
        number = _to_decimal(numeral)
        if number is None:
            return Quantity(None, "%", approx)
        if unit == "成" or number < 10:
            number = number * 10 + (5 if tail == "半" else _DIGITS.get(tail or "零", 0))
        return Quantity(_plain(number), "%", approx)
    money = _MONEY.fullmatch(text)
    if money:
        main, unit, sub, sub_unit, cents = money.groups()
        parts = [(main, Decimal(1)), (sub, _SUBUNIT[sub_unit]), (cents, Decimal("0.01"))]
        numbers = [(_to_decimal(n), scale) for n, scale in parts if n]
        if any(n is None for n, _ in numbers):
            return Quantity(None, unit, approx)
        return Quantity(_plain(sum(n * scale for n, scale in numbers)), unit, approx)  # type: ignore[operator]
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
        if not unit and len(low_s) > 1 and low_s.endswith("两") and low_s[-2] in CHINESE_DIGITS + "0123456789":
            low_s, unit = low_s[:-1], "两"  # 三十两, 1234两: the weight 两 after a numeral
        number = None if re.search(ANONYMISED, low_s) else _to_decimal(low_s)
        if number is not None and half:
            number += Decimal("0.5")
        if re.match(r"万|亿", unit) and number is not None:
            multiplier = "万亿" if unit.startswith("万亿") else unit[0]
            number, unit = number * MULTIPLIERS[multiplier], unit[len(multiplier):]
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

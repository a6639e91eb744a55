"""Rule components that edit the statistical NER's output: regular-expression finders registered by name, and a
lexicon of names learnt from the training reports.

A finder is a registered, picklable object ``text -> [(start, end)]``; the ``nlpkit_regex_ruler`` factory adds its
spans to ``doc.ents`` after the NER (with ``overwrite``, replacing its own label's overlapping entities; with
``exclusive``, dropping that label's entities it does not confirm). Each finder is a measured choice (EVALUATION.md).
"""

import re
from functools import lru_cache
from importlib import resources
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans, logger

from .. import places
from ..quantities import find_quantities
from ..text import normalize_text
from .features import char_features
from .serialization import LearnedState

Finder = Callable[[str], Iterable[Tuple[int, int]]]

# A department's short name (住建, 卫健, 发改): with 局, 厅, 部 or 委 it names the department.
DEPARTMENT_STEM = (
    "应急管理|公安|住建|住房城乡建设|住房和城乡建设|交通运输|水利|农业农村|自然资源|生态环境|市场监管|卫健|卫生健康|卫生|"
    "教育|教体|民政|人社|财政|发改|发展改革|发展和改革|工信|商务|文旅|文化和旅游|司法|审计|统计|政法|行政审批|医保|"
    "退役军人事务|税务|国资|科技|体育"
)
# A bare jurisdiction (市, xx县, 国务院, 国家) or a place of the gazetteer (nlpkit.places) before a body word. Named
# places come from the gazetteer only: a free "any characters + 县" rule took the verb before the body as the name
# (发挥区安委办, 提请州委).
JURISDICTION = r"(?:国务院|国家|自治区|自治州|(?:xx|XX)?[省市县区州镇乡]|xx|XX)"
# A body's standing abbreviation, which names the report's own one alone or after its jurisdiction (ANNOTATION.md:
# 安委会, 森防指, 州减灾委); not 消防指战员.
BODY_ABBREVIATION = r"安委会|安委办|消安委|森防指|(?<!消)防指|减灾委(?!员)|减灾办|应急委(?:员会)?"
# Mass organisations, alone or after their jurisdiction (县妇联, 市总工会: ANNOTATION.md, the jurisdiction belongs to
# the name; 团委, the Youth League's); not 工会驿站, a workers' rest stop, nor 集团委托.
MASS_ORGANISATION = "总工会|工会(?!驿站)|(?<!集)团委(?![托员])|妇联|工商联|科协|残联|侨联|文联|社科联|红十字会"
LOCAL_BODY = (
    rf"(?:应急管理局|应急管理厅|应急局|应急厅|安委会办公室|{BODY_ABBREVIATION}|应急办|扶贫办|防汛抗旱指挥部|"
    # a party committee's departments and school; courts and procuratorates (ANNOTATION.md)
    r"委(?:组织部|宣传部|统战部|政法委|党校|编办|巡察办|网信办)|(?:中级|高级)?人民法院|法院|人民检察院|检察院|"
    r"委员会|党委|委常委会|委办(?!公)|政府办(?!公)|委|政府|人民政府|人大常委会|人大|政协|纪委|消防救援支队|消防救援大队|"
    rf"{MASS_ORGANISATION}|"
    rf"森林消防支队|消防支队|公安分局|公安局|(?:{DEPARTMENT_STEM})(?:委|厅)|"
    # a department by its short name (住建局, 市场监管局), but not 格局, 全局, 布局, 大局, 开好局, 破局
    r"(?:(?!委|政府)[\u4e00-\u9fff]){1,5}?(?<![格全布棋大当结开新好破])局|"
    # a committee or headquarters by its remit (县安全生产委员会, 县森林防灭火指挥部, 县工业园区管委会), not a
    # generic or residents' one (各级国防动员委员会, 乡镇街道安全生产委员会, 社区业主委员会)
    r"(?:(?!委|政府|街道|乡镇|各|业主|居民|村民)[\u4e00-\u9fff]){2,8}?(?:指挥部|委员会|管委会))"
)
# Abbreviations that stand alone: the bodies' (BODY_ABBREVIATION) and 中办 (中共中央办公厅; not 集中办公, 高中办学).
STANDING_ABBREVIATION = rf"{BODY_ABBREVIATION}|(?<![集高初])中办(?![学公成])"
# The levels sharing one body's name in an elliptical coordination (省、市安委会, 省、市、县委: one span each).
SHARED_LEVELS = r"(?:[省市县区州]、)*"
# A department by its short name alone, at the start of a clause or list item (住建部, 公安厅, 教体局, 政法委): the
# report's own jurisdiction's, or the ministry. Not 公安局长, 应急委员会 (a longer name), 财政局家属院.
DEPARTMENT = rf"(?<![\u4e00-\u9fff])(?:{DEPARTMENT_STEM})(?:局|厅|部|委)(?![长级门员家])"
OFFICE = r"(?:办公室|办公厅)?"  # a body's office is a body of its own (县政府办公室)
CONGRESS = r"第?[一二三四五六七八九十]+届(?:人民代表大会|人大)(?:常委会)?"
# The Youth League's committee of a level (团县委, 团市委), not the level's party committee.
YOUTH_LEAGUE = r"团[省市县区]委"
# A body named right after its paired one: the congress's standing committee (人大及其常委会: two bodies; on the
# full-gold local reports outside the folds 4 of its 5 occurrences are ORG) and the supervisory commission that
# shares the discipline commission's offices (纪委监委).
PAIRED_BODY = r"(?<=人大及其)常委会|(?<=纪委)监委"
# Named institutions: a place or its short form (河北, 保定) and at most six more characters before the kind of
# institution (河北农业大学, 保定日报, 安国市医院).
# A designation a jurisdiction names its own one by (县职教中心, 妇幼保健院, 城投公司: its urban investment company, ORG
# all 6 times on the full-gold local reports outside the folds): an institution with or without its place.
DESIGNATED = "中医院|中医医院|人民医院|妇幼保健院|职教中心|(?<![任在就履])职中|疾控中心|融媒体中心|政务服务中心|城投公司"
NOT_PUPILS = "(?!生)"  # a school's pupils are not the school (中学生, 大学生)
# universities by their short form too (河北农大, 中国农大; not 医科大学, 中科大道)
INSTITUTION = f"大学|(?:农|科|师|医|工|财)大(?![学道])|学院|中学|小学|高中|幼儿园|{DESIGNATED}|医院|博物馆|博物院|纪念馆|研究院|研究所|实验室|日报|电视台"
NAME_CHARACTER = r"[^\s的和与及在是为将对把从向、，。；：！？“”《》（）,.;:!?\"()]"  # normalised text: ASCII punctuation
# Companies, schools and town health centres by a short name and a word that only such names end in (永红铸机,
# 天香乳业, 三利集团; 北城中学, 徐水一中; 塘湖卫生院), right after a list mark or a verb that takes them as its
# object; words that name a kind of company or school are not names (国有公司, 公办幼儿园, 农村小学, 乡镇卫生院), nor is
# a party plenum (十九届二中全会) or 中小学.
COMPANY_KIND = "集团|药业|乳业|牧业|铸机|实业|控股|置业|农商行|农商银行|公司|铝业|酒业|电气"
SCHOOL_KIND = "中学|小学|幼儿园|[一二三四五六七八九十]{1,2}中"
HEALTH_CENTRE_KIND = "卫生院"
NAMED_LEAD = ("支持|助力|加快|扎实推进|推进|推动|提升|抓好|鼓励|做强|做大|深化|加强|强化|健全|联合|组建|引进|依托|培育|"
              "扶持|帮助|对接|对|由|完成|实施|启动|建成|新建|建设|在|做好|保证|确保|缓解|为|把|增加|与|用好|包括|探索|发挥|实现")


def in_object_position(marks: str) -> str:
    """Where a short name may stand (``named``, ``numbered``): at a line start or after one of ``marks``, possibly
    after a verb that takes it as its object (完成, 支持了)."""
    return rf"(?:^|(?<=[{marks}]))(?:(?:{NAMED_LEAD})了?)?"


NOT_NAME = ("全部|国有|优质|同类|公办|民办|普惠|农村|城区|城镇|乡镇|中心|寄宿|薄弱|改扩建|义务|示范|标准化|职业|完全|"
            "九年|重点|特殊|普通|初级|高级|村级|镇级|县级|市级|省级|全县|全市|全区|各类|各级|所有|一批|一所|附属|幼儿|"
            "学校|大中|新增|高中|全国")
# Companies by any short name, as the items of a list the report calls companies (牧原、宇通、华兰等一批龙头企业,
# 智行者、非夕科技2家独角兽企业): the first item after a clause break or a verb that takes it as its object. Not
# items that name a place (引进广东、山东等…企业) or a trade (小印花、塑料加工等“散乱污”企业).
LISTED_ITEM = r"[^、,，。;；:：\n“”\"()（）\s\d等和及与的]{2,8}"
LISTED_COUNT = r"(?:\d+|[二三四五六七八九十两多][一二三四五六七八九十]*)家"
LISTED_LEAD = f"{NAMED_LEAD}|了|发挥|实现|集聚|引入|做好|借势|服务保障|服务"
LISTED_NOT_NAME = re.compile("(?:加工|铸造|材料|制革|电镀|产业|行业|企业)$")
COMPANY_KINDS = ("子公司", "上市公司", "跨国公司", "小贷公司", "融资公司", "运营公司", "农牧业", "畜牧业", "电力电气",
                 "热电气", "势力集团", "社会集团", "金融控股", "企业公司")
# A company's registered form after its place (湖南省皕成科技有限公司, 河北物流集团), with a longer name between.
COMPANY_FORM = "股份有限公司|有限责任公司|有限公司|集团(?!化)"
COMPANY_REACH = 10
NATION = "中国"  # a national institution's place (中国农业大学, 中国长城博物馆), not a kind (中国大学, 中国特色…大学)
NOT_AFTER_NATION = re.compile("大学|特色|一流")
INSTITUTION_REACH = 6  # name characters between a place and an institution's kind word (北京中医药大学)
# Newspapers, magazines and broadcasters: a title in 《》 ending so names the outlet, an ORG (ANNOTATION.md), not a
# MEASURE (《人民日报》, 《保定日报》).
OUTLET_AT_END = re.compile("(?:日报|晚报|时报|商报|杂志|周刊|电视台|广播电台)$")
TITLED = re.compile(r"《\s*([^《》\s][^《》\n]{0,38}[^《》\s])\s*》")
MEASURE_HEADS = (
    "工作法|行动|机制|体系|制度|工程|措施|清单|模式|活动|改革|专项整治|预案|任务|战略|倡议|规划|方案|计划|政策|试点"
)

MEASURE_HEAD_AT_END = re.compile(f"(?:{MEASURE_HEADS})$")


@lru_cache(maxsize=1)
def org_names() -> Tuple[str, ...]:
    text = resources.files("nlpkit.resources").joinpath("org_names.txt").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return tuple(sorted(names, key=len, reverse=True))


class PatternFinder:
    """A finder reporting the matches of regular expressions, each as ``(pattern, group)`` (the group's span is the
    entity): a plain object rather than a closure, so a pipeline holding it pickles (spawned processes, Dask)."""

    def __init__(self, *patterns: Tuple["re.Pattern[str]", int]) -> None:
        self.patterns = patterns

    def __call__(self, text: str) -> List[Tuple[int, int]]:
        return [m.span(group) for pattern, group in self.patterns for m in pattern.finditer(text)]


class QuantityFinder:
    """The quantity grammar (nlpkit.quantities) as a finder."""

    def __call__(self, text: str) -> List[Tuple[int, int]]:
        return list(find_quantities(text))


@spacy.registry.misc("nlpkit.quantity_finder.v1")
def quantity_finder() -> Finder:
    """The quantity grammar (nlpkit.quantities)."""
    return QuantityFinder()


class Gazetteer:
    """Places of the gazetteer found by looking left from an anchor (a body word, an institution word) rather than
    by a regular expression over 3,400 names, which Python tries at every character (a third of the pipeline's
    speed)."""

    def __init__(self) -> None:
        self.names, self.stems = places.place_names(), places.place_stems()
        # county short forms too, read only where a word before has said a place follows (法治满城, 河北大学安国校区)
        self.any_form = self.names | self.stems | places.county_stems()
        self.lengths = sorted({len(n) for n in self.any_form}, reverse=True)

    def place_ending_at(self, text: str, end: int, *, stems: bool = False) -> Optional[int]:
        """Start of the longest place (or, with ``stems``, short form) that ends at ``end``."""
        for length in self.lengths:
            word = text[max(0, end - length) : end]
            if len(word) == length and (self.is_place(word) if stems else word in self.names):
                return end - length
        return None

    def is_place(self, word: str) -> bool:
        """Whether ``word`` is a place or the short form of a province or prefecture (山东, 保定)."""
        return word in self.names or word in self.stems

    def place_starting_at(self, text: str, start: int) -> Optional[int]:
        """End of the longest place, short form or county short form that starts at ``start``."""
        for length in self.lengths:
            word = text[start : start + length]
            if len(word) == length and word in self.any_form:
                return start + length
        return None

    def chain_ending_at(self, text: str, end: int) -> Optional[int]:
        """Start of the run of places that ends at ``end`` (河北省保定市, 保定市满城区)."""
        start = None
        while (before := self.place_ending_at(text, end)) is not None:
            start = end = before
        return start


class OrgFinder:
    """Standing national bodies by name, and local bodies: a place of the gazetteer or a bare jurisdiction + a body
    word (高阳县人民政府, 中共河北省委, 市安委办, 县住建局), departments by their short name alone (教体局, 住建部:
    ``DEPARTMENT``), standing abbreviations alone (安委会, 森防指), and people's congresses with their term
    (河南省第十四届人民代表大会, 县十六届人大, 十七届人大) or their standing committee (人大及其常委会), the Youth
    League's committee of a level (团县委), and mass organisations (妇联, 县妇联, 全国工商联). Levels sharing one name are one span (省、市安委会), and a jurisdiction's
    body is tried before the standing names, so 国务院安委会 is not cut to 国务院. A body inside a role or a meeting is
    still the body (县政协委员 → 县政协, ANNOTATION.md v1.2). Finds may overlap (保定市委 and 市委): the ruler keeps
    the longest (``merge_entities``)."""

    def __init__(self) -> None:
        names = "|".join(re.escape(n) for n in org_names())
        self.named = re.compile(rf"{JURISDICTION}?{CONGRESS}|{SHARED_LEVELS}{JURISDICTION}(?![域级]){LOCAL_BODY}{OFFICE}"
                                rf"|(?:{names})|{DEPARTMENT}{OFFICE}|(?:{STANDING_ABBREVIATION}){OFFICE}"
                                rf"|{PAIRED_BODY}|{YOUTH_LEAGUE}|(?:全国)?(?:{MASS_ORGANISATION})")
        self.after_place = re.compile(rf"{CONGRESS}|{LOCAL_BODY}{OFFICE}")
        self.place_end = re.compile("[" + "".join(sorted({n[-1] for n in places.place_names()})) + "]")
        self.gazetteer = Gazetteer()

    def __call__(self, text: str) -> List[Tuple[int, int]]:
        found = [m.span() for m in self.named.finditer(text)]
        for end in (m.end() for m in self.place_end.finditer(text)):
            body = self.after_place.match(text, end)
            start = self.gazetteer.chain_ending_at(text, end) if body else None
            if start is not None:
                found.append((start - 2 if text[max(0, start - 2) : start] == "中共" else start, body.end()))
        return found


@spacy.registry.misc("nlpkit.org_finder.v1")
def org_finder() -> Finder:
    """Standing bodies by name, local bodies at a place or a jurisdiction (``OrgFinder``)."""
    return OrgFinder()


class InstitutionFinder:
    """Schools, hospitals, museums, institutes and newspapers named after a place of the gazetteer or its short
    form, with at most six more characters between (北京中医药大学, 河南博物院, 吉林日报, 保定市第28中学), and the
    ones a local report names by designation alone: the jurisdiction's own (县医院, 区人民医院, 县直幼儿园, 中医院)
    or a number (第三幼儿园, 第七实验小学); companies in their registered form after a place (``COMPANY_FORM``:
    湖南华升金爽纺织服装有限公司, 河北物流集团), schools and companies by a short name (``named``: 北城中学, 天香乳业),
    schools by their number alone (``numbered``: 三中, 七小), companies as the items of a list of companies
    (``listed``), and outlets named in 《》 (《保定日报》). The nation stands as a place too (中国农大, 中国安能集团).
    Finds may overlap: the ruler keeps the longest."""

    kind = re.compile(f"(?:{INSTITUTION}){NOT_PUPILS}")
    company = re.compile(COMPANY_FORM)
    name_character = re.compile(NAME_CHARACTER)
    designated = re.compile(
        # after these: a kind (县级中医院, 全县幼儿园, 各县区医院, 公立中医院), or 社区医院, 城区小学
        r"(?<![级各全本该所家类个办村乡镇的省市县区立社城])"
        r"(?:(?:[省市县区](?:直|妇幼|康复)?|[省市县区]?第[一二三四五六七八九十\d]{1,3}(?:实验)?|实验)"
        r"(?:医院|幼儿园|初级中学|中学|小学|高中|博物馆)"
        rf"|(?:[省市县区])?(?:{DESIGNATED})){NOT_PUPILS}"
    )

    named = re.compile(in_object_position("、，。；：“（,;:(\n与和及以") +
                       rf"((?!{NAMED_LEAD}|{NOT_NAME})(?:(?![与和及的以届]|中小|乡镇)[\u4e00-\u9fff]){{2,4}}?"
                       rf"(?:{COMPANY_KIND}|{SCHOOL_KIND}|{HEALTH_CENTRE_KIND}))(?![化生学校心])", re.MULTILINE)  # not 集团化, 小学生, 中学学位
    listed = re.compile(rf"(?:^|(?<=[,，。;；:：\n(（]))(?:[^,，。;；:：\n]*(?:{LISTED_LEAD}))?"
                        rf"((?:{LISTED_ITEM}、)+{LISTED_ITEM})(?:等(?:一批|{LISTED_COUNT})?|{LISTED_COUNT})"
                        rf"[^,，。;；、\n“”\"的级方为向]{{0,10}}?(?:企业|公司|商超|集团)(?!所得|家|税)", re.MULTILINE)

    # a school by its number alone (三中, 七小), where a school would be named (``named``) but not in quotes (“十小”
    # 工程, “六小”龙); not a plenum (二中、三中全会), 一小时 or 一中心
    numbered = re.compile(in_object_position("、，。；：（,;:(\n与和及以") +
                          r"([一二三四五六七八九十][中小])(?![学心全时])(?![^，。；,;]{0,12}全会)", re.MULTILINE)
    branch = re.compile("分院|分校|校区|医院")

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()

    def __call__(self, text: str) -> List[Tuple[int, int]]:
        institutions = [m.span() for m in self.designated.finditer(text)] + self.after_place(text, self.kind, INSTITUTION_REACH)
        found = [(start, self.branch_end(text, end)) for start, end in institutions]
        found += self.after_place(text, self.company, COMPANY_REACH)
        found += [m.span(1) for m in self.named.finditer(text) if not m.group(1).endswith(COMPANY_KINDS)]
        found += [m.span(1) for m in self.numbered.finditer(text)]
        found += [m.span(1) for m in TITLED.finditer(text) if OUTLET_AT_END.search(m.group(1))]
        return found + self.listed_companies(text)

    def after_place(self, text: str, kind: "re.Pattern[str]", reach: int) -> List[Tuple[int, int]]:
        """Each ``kind`` word with the farthest place (a short form, or the nation: 中国农大) that ends at most
        ``reach`` name characters before it."""
        found = []
        for m in kind.finditer(text):
            starts = []
            for place_end in range(m.start(), max(0, m.start() - reach) - 1, -1):
                if place_end < m.start() and not self.name_character.fullmatch(text[place_end]):
                    break
                start = self.gazetteer.chain_ending_at(text, place_end)
                if start is None:
                    start = self.gazetteer.place_ending_at(text, place_end, stems=True)
                if (start is None and place_end >= len(NATION) and text.startswith(NATION, place_end - len(NATION))
                        and not NOT_AFTER_NATION.match(text, place_end)):
                    start = place_end - len(NATION)
                if start is not None:
                    starts.append(start)
            if starts:
                found.append((min(starts), m.end()))
        return found

    def branch_end(self, text: str, end: int) -> int:
        """The end of an institution's branch named right after it, by a place (北京儿童医院保定医院, 河北大学安国
        校区, 县医院分院): a branch is an institution of its own, named with its parent (ANNOTATION.md: the longest
        span)."""
        place_end = self.gazetteer.place_starting_at(text, end) or end
        branch = self.branch.match(text, place_end)
        return branch.end() if branch and (place_end > end or branch.group() != "医院") else end

    def listed_companies(self, text: str) -> List[Tuple[int, int]]:
        """The items of lists of companies (``listed``), less the places and trades."""
        found = []
        for m in self.listed.finditer(text):
            start = m.start(1)
            for item in m.group(1).split("、"):
                if not (self.gazetteer.is_place(item) or LISTED_NOT_NAME.search(item)):
                    found.append((start, start + len(item)))
                start += len(item) + 1
        return found


@spacy.registry.misc("nlpkit.institution_finder.v1")
def institution_finder() -> Finder:
    """Institutions named after a place (``InstitutionFinder``)."""
    return InstitutionFinder()


LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.MULTILINE)


def own_titles(text: str) -> FrozenSet[str]:
    """Titles in 《》 that also stand on a line of their own: the document's own title under a covering notice
    (关于印发《…》的通知 above the document), which ANNOTATION.md does not count as a MEASURE."""
    names = {m.group(1) for m in TITLED.finditer(text)}
    if not names:
        return frozenset()
    return frozenset(m.group(1) for m in LINE.finditer(text) if m.group(1) in names
                     and not text[max(0, m.start() - 20) : m.start()].rstrip().endswith("《")
                     and not text[m.end() : m.end() + 20].lstrip().startswith("》"))


class MeasureFinder:
    """Policy documents in 《》 and quoted names with a head word; not the document's own title (``own_titles``)
    nor an outlet (《人民日报》: an ORG, ``InstitutionFinder``).
    And the campaigns a place names after itself (平安保定, 法治满城, 美丽湖北, 数字吉林)."""

    quoted = re.compile(rf"(?:“[^“”\n]{{1,16}}”|\"[^\"\n]{{1,16}}\")(?:工作)?(?:{MEASURE_HEADS})")
    campaign = re.compile("平安|法治|健康|美丽|数字|书香")

    def __init__(self) -> None:
        self.gazetteer = Gazetteer()

    def __call__(self, text: str) -> List[Tuple[int, int]]:
        own = own_titles(text)
        found = [m.span(1) for m in TITLED.finditer(text) if m.group(1) not in own and not OUTLET_AT_END.search(m.group(1))]
        found += [m.span() for m in self.quoted.finditer(text)]
        for m in self.campaign.finditer(text):
            end = self.gazetteer.place_starting_at(text, m.end())
            if end is not None:
                found.append((m.start(), end))
        return found


@spacy.registry.misc("nlpkit.measure_finder.v1")
def measure_finder() -> Finder:
    """Policy documents in 《》 (without the brackets) and quoted names followed by a head word (with quotes).

    Some sources put a title on its own line inside the brackets (《⏎公司法⏎》): the padding stays outside the
    span. Quotes may be typographic or ASCII (full-width ＂ reads as ASCII in the normalised text)."""
    return MeasureFinder()


def merge_entities(doc: Doc, found: List[Span], replace_label: Optional[str] = None, take_starts: bool = False) -> Doc:
    """Add rule-found spans to ``doc.ents`` where no entity stands; with ``replace_label``, a found span also
    replaces overlapping entities of that label and an entity of another label with its very bounds (the NER's
    MEASURE ``县交通运输局`` is the rule's ORG). With ``take_starts``, a found span also replaces an entity of
    another label that starts where it starts (the body that begins the NER's MEASURE ``县委十三届六次`` or ``县医院迁``),
    unless that is the body's own named measure (``own_measure``). Overlaps among the found spans keep the longest."""
    if not found:
        return doc
    found = filter_spans(found)
    covered = {i for span in found for i in range(span.start, span.end)}
    bounds = {(span.start, span.end) for span in found} if replace_label else set()
    starts = {span.start for span in found} if take_starts else set()
    kept = [
        ent for ent in doc.ents
        if not (ent.label_ == replace_label and covered.intersection(range(ent.start, ent.end)))
        and (ent.start, ent.end) not in bounds
        and (ent.start not in starts or own_measure(ent))
    ]
    taken = {i for ent in kept for i in range(ent.start, ent.end)}
    new = [span for span in found if not taken.intersection(range(span.start, span.end))]
    doc.ents = sorted(kept + new, key=lambda span: span.start)
    return doc


def own_measure(ent: Span) -> bool:
    """Whether a MEASURE that begins with a body's name is the body's own named measure: a title in 《》
    (《中共北京市委关于制定…的建议》) or a name that ends in a measure's head word (县医院搬迁工程). On the full-gold local
    reports outside the folds these are the only gold MEASUREs that begin with a name the org finders find."""
    # the token before, not ``doc.text``: that builds the whole text from a Python Token per character
    return ent.label_ == "MEASURE" and (
        (ent.start > 0 and ent.doc[ent.start - 1].text.endswith("《"))
        or MEASURE_HEAD_AT_END.search(ent.text) is not None
    )


@Language.factory(
    "nlpkit_regex_ruler",
    assigns=["doc.ents"],
    default_config={
        "label": "QUANTITY", "finder": {"@misc": "nlpkit.quantity_finder.v1"}, "overwrite": False,
        "exclusive": False, "take_starts": False,
    },
)
def make_regex_ruler(
    nlp: Language, name: str, label: str, finder: Finder, overwrite: bool, exclusive: bool, take_starts: bool
) -> "RegexRuler":
    return RegexRuler(name=name, label=label, finder=finder, overwrite=overwrite, exclusive=exclusive,
                      take_starts=take_starts)


class RegexRuler:
    """Add a finder's spans as entities of one label.

    Without ``overwrite`` no entity is overridden; with it a found span replaces overlapping statistical entities
    of its own label (the finder's boundaries are the more precise there) and one of another label with its very
    bounds; with ``take_starts`` also one of another label that starts where it starts, unless that is the found
    body's own named measure (for names that begin the NER's longer spans: 县委决策 → 县委; ``merge_entities``);
    with ``exclusive`` the finder is the only source of its label: statistical entities of that label are dropped
    (for a grammar more precise than the model). A number, by contrast, may begin a name (``2023行动``), so the
    quantity ruler does not take starts.
    """

    def __init__(self, name: str, label: str, finder: Finder, overwrite: bool = False, exclusive: bool = False,
                 take_starts: bool = False) -> None:
        self.name = name
        self.label = label
        self.finder = finder
        self.overwrite = overwrite
        self.exclusive = exclusive
        self.take_starts = take_starts

    def __call__(self, doc: Doc) -> Doc:
        found: List[Span] = []
        # Finders read the normalised text (simplified, half-width; same length), so one rule serves both scripts.
        for start, end in self.finder(normalize_text(doc.text)):
            span = doc.char_span(start, end, label=self.label, alignment_mode="strict")
            if span is not None:
                found.append(span)
        if self.exclusive:
            doc.ents = [ent for ent in doc.ents if ent.label_ != self.label]
        return merge_entities(doc, found, replace_label=self.label if self.overwrite else None,
                              take_starts=self.take_starts)


@Language.factory(
    "nlpkit_lexicon_ruler",
    assigns=["doc.ents"],
    requires=["token.norm"],
    default_config={"labels": ["MEASURE", "ORG"], "min_chars": 3, "min_count": 1, "min_precision": 0.5},
)
def make_lexicon_ruler(nlp: Language, name: str, labels: List[str], min_chars: int, min_count: int,
                       min_precision: float) -> "LexiconRuler":
    return LexiconRuler(nlp.tokenizer, name=name, labels=labels, min_chars=min_chars, min_count=min_count,
                        min_precision=min_precision)


class LexiconRuler(LearnedState):
    """Names seen as entities in the training reports, found again where the NER found nothing.

    The lexicon is learned at ``initialize`` from the training examples only (so cross-validation folds never
    see the held-out report's names) and saved with the pipeline. A name enters it only if the annotators tagged
    it at least ``min_precision`` of the times it stands alone in those reports (not inside a longer entity):
    ``改革开放`` tagged once in a hundred is a phrase there, not a name.
    """

    state_name, state_file = "lexicon", "lexicon.json"

    def __init__(self, tokenizer: Callable[[str], Doc], name: str, labels: List[str], min_chars: int,
                 min_count: int, min_precision: float) -> None:
        self.tokenizer = tokenizer
        self.name = name
        self.labels = labels
        self.min_chars = min_chars
        self.min_count = min_count
        self.min_precision = min_precision
        self.lexicon: Dict[str, str] = {}
        self._matcher: Optional[PhraseMatcher] = None

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None) -> None:
        counts: Dict[Tuple[str, str], int] = {}
        reports: List[Tuple[str, List[Tuple[int, int]]]] = []  # normalised text, entity offsets
        for eg in get_examples():
            text = normalize_text(eg.reference.text)  # same length: entity offsets carry over
            reports.append((text, [(ent.start_char, ent.end_char) for ent in eg.reference.ents]))
            for ent in eg.reference.ents:
                if ent.label_ in self.labels and len(ent.text) >= self.min_chars:
                    key = (text[ent.start_char : ent.end_char], ent.label_)
                    counts[key] = counts.get(key, 0) + 1
        best: Dict[str, Tuple[int, str]] = {}
        for (surface, label), count in counts.items():
            if count >= self.min_count and count > best.get(surface, (0, ""))[0]:
                best[surface] = (count, label)
        self.set_lexicon({surface: label for surface, (count, label) in best.items()
                          if count >= self.min_precision * standalone_count(surface, reports)})
        logger.info("[%s] %d names seen at least %d times, tagged in at least %.0f%% of their standing alone",
                    self.name, len(self.lexicon), self.min_count, 100 * self.min_precision)

    def set_lexicon(self, lexicon: Dict[str, str]) -> None:
        """Match the names on ``NORM`` (what char_features writes: simplified, half-width, lower case), so one
        lexicon serves both scripts."""
        self.lexicon = lexicon
        self._matcher = PhraseMatcher(self.tokenizer.vocab, attr="NORM")
        for label in sorted(set(lexicon.values())):
            self._matcher.add(label, [self._name_doc(name) for name, of in lexicon.items() if of == label])

    def _name_doc(self, name: str) -> Doc:
        return char_features(self.tokenizer(name))  # the norms the pipeline's docs get

    def __call__(self, doc: Doc) -> Doc:
        if self._matcher is None:
            return doc
        found: List[Span] = []
        for label_id, start, end in sorted(self._matcher(doc), key=lambda m: (m[1], m[1] - m[2])):
            if not found or start >= found[-1].end:  # leftmost, then longest: no overlaps
                found.append(Span(doc, start, end, label=label_id))
        return merge_entities(doc, found)

    # serialisation (LearnedState) ---------------------------------------------------------------
    def _write_state(self) -> bytes:
        return srsly.json_dumps(self.lexicon).encode("utf-8")

    def _read_state(self, data: bytes) -> None:
        self.set_lexicon(srsly.json_loads(data))


def standalone_count(surface: str, reports: Iterable[Tuple[str, List[Tuple[int, int]]]]) -> int:
    """How often ``surface`` occurs in the reports (text, entity offsets) other than inside a longer entity."""
    count = 0
    for text, spans in reports:
        start = text.find(surface)
        while start >= 0:
            end = start + len(surface)
            count += not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)
            start = text.find(surface, start + 1)
    return count

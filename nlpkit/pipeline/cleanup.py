"""Entity spans that keep to ANNOTATION.md: no whitespace or punctuation at either edge, no dotted codes as quantities,
a measure's head word inside it, a measure within one clause, not the document's own title, a body's name not run on
into the word after it; a statistical span that ends where no name of its label ends."""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..quantities import DOTTED_CODE
from ..text import EDGE_PUNCT, has_bad_edge, normalize_char, normalize_text
from .rulers import INSTITUTION, MEASURE_HEADS, NAME_CHARACTER, Gazetteer, own_titles
from .serialization import LearnedState

logger = logging.getLogger(__name__)

# A closing quote of the name, then the head word (ANNOTATION.md: “放管服”改革, 乡村振兴战略 are one span each).
FOLLOWING_HEAD = re.compile(rf"”?(?:{MEASURE_HEADS})")
HEAD_WINDOW = 5  # tokens read after a MEASURE: a quote and the longest head word
# A named measure stays within a clause: 10 of 4,896 gold MEASUREs cross a comma, all quoted slogans
# (“进一扇门，办所有事”); a statistical span running past one has run on into the sentence.
CLAUSE_BREAK = frozenset("，。；;")
OPENING_QUOTES = frozenset("“\"‘'「『")
# Words that follow a named body in a report; a statistical ORG that ends in their first characters has run on
# into them (华电共|建 → 华电, 英利征迁|小组 → 英利, 河北碳交所合|作 → 河北碳交所).
FOLLOWING_WORD = re.compile("共建|合作|组建|征迁|年产|项目|签约|投产")
# A bare jurisdiction after 全 or 各 names a level, not a body (全省政府债务, 各县政府): no gold ORG starts there.
LEVEL = re.compile("[全各][省市县区州镇乡]")
# Spans read as a body that name none: a level's own list (省定20项民生工程: set by the province), a class of bodies
# (人民团体), a body counted or graded rather than named (北京一所科研机构, 北京三级医院). No gold ORG of the full-gold
# local reports outside the folds is one; a model trained without them predicted 26 there.
NOT_A_BODY = re.compile(r"[省市县区]定|人民团体?$|.*?(?:(?<!第)[一两几多每各][所家]|[二三]级医院|三甲医院)")
# The rest of an institution's name up to its kind word, right after a statistical ORG that stopped short of it
# (华北电|力大学, 解放军|总医院); not across 等 (北医三院等三甲医院 is a list and its kind).
REST_OF_INSTITUTION = re.compile(rf"(?:(?!等){NAME_CHARACTER}){{0,3}}?(?:{INSTITUTION})")
# A body's own office or standing committee, right after a statistical or rule ORG that stopped at the body
# (ANNOTATION.md, longest span: 国务院 + 办公厅, 省人大 + 常委会, 省委 + 政策研究室, 自治区政府 + 国资委). No gold ORG
# of the full-gold local reports outside the folds is followed by one; 14 end in one.
OWN_OFFICE = re.compile("(?:常委会|常务委员会|国资委)(?:办公室)?|办公厅|办公室|政策研究室")


@Language.component("nlpkit_entity_trimmer", assigns=["doc.ents"])
def entity_trimmer(doc: Doc) -> Doc:
    """Trim edge tokens that are whitespace or punctuation (a statistical NER sometimes takes a quote mark);
    an inner-quoted name such as ``“2614”工作法`` is kept whole. Spans left empty are dropped, and so are
    QUANTITY spans that are dotted codes (``“6.7.6”工作任务`` names a task; it counts nothing). A MEASURE
    stopped right before its head word is extended over it (``留抵退税`` + ``制度``), with the opening quote where
    the name was quoted (``“放管服”改革``); one that runs past a clause break is cut there, unless it is a quoted
    slogan. A MEASURE that is the document's own title (``own_titles``: a covering notice's 《…》 that also stands
    on a line of its own) is dropped. An ORG that has run on into the word after it is cut before it
    (``before_following_word``), one that starts at a level (``LEVEL``), names no body (``NOT_A_BODY``) or only a
    place is dropped, and one that stopped short of the place before it or of its institution's kind word after it
    is extended over them (``with_place_and_kind``)."""
    ents, changed = [], False
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    text = normalize_text(doc.text) if any(ent.label_ == "ORG" for ent in doc.ents) or "《" in doc.text else ""
    own = own_titles(text) if "《" in doc.text else frozenset()
    for ent in doc.ents:
        start, end = ent.start, ent.end
        if own and ent.label_ == "MEASURE" and normalize_text(ent.text) in own:
            changed = True
            continue
        if ent.label_ == "MEASURE":
            end = within_clause(ent)
        if ent.label_ == "ORG":
            if (ent.start_char and LEVEL.match(text, ent.start_char - 1)) or NOT_A_BODY.match(text, ent.start_char, ent.end_char):
                changed = True
                continue
            start, end = with_place_and_kind(ent, before_following_word(ent), taken, text)
            extended = doc[start:end]
            if gazetteer().is_place(text[extended.start_char : extended.end_char]):
                changed = True  # a place alone is no body (ANNOTATION.md: 北京, 宁德)
                continue
        while start < end and has_bad_edge(doc[start:end].text):
            if has_bad_edge(doc[start].text):
                start += 1
            elif has_bad_edge(doc[end - 1].text):
                end -= 1
            else:
                break
        changed |= (start, end) != (ent.start, ent.end)
        if ent.label_ == "QUANTITY" and DOTTED_CODE.fullmatch(doc[start:end].text):
            changed, start = True, end
        if ent.label_ == "MEASURE" and start < end:
            start, end = with_head_word(ent, start, end, taken)
            changed |= (start, end) != (ent.start, ent.end)
        if start < end:
            ents.append(Span(doc, start, end, label=ent.label_))
    if changed:
        doc.ents = ents
    return doc


def within_clause(ent: Span) -> int:
    """The end (token index) of a MEASURE cut at its first clause break, unless the name is a quoted slogan."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].text in OPENING_QUOTES or ent[0].text in OPENING_QUOTES:
        return ent.end
    return next((token.i for token in ent if token.text in CLAUSE_BREAK), ent.end)


def before_following_word(ent: Span) -> int:
    """The end (token index) of an ORG cut before a word it has run on into (``FOLLOWING_WORD``); a name is left
    two characters at least."""
    doc = ent.doc
    after = normalize_text(doc[ent.end : ent.end + 3].text)
    for cut in (1, 2):
        if ent.end - cut >= ent.start + 2 and FOLLOWING_WORD.match(normalize_text(ent[-cut:].text) + after):
            return ent.end - cut
    return ent.end


def with_place_and_kind(ent: Span, end: int, taken: Set[int], text: str) -> Tuple[int, int]:
    """Token bounds of an ORG ``ent`` (ending at ``end``; ``text``: the document's normalised text) extended left
    over the places right before it (ANNOTATION.md: the jurisdiction belongs to the span, 唐县 + 民政事业服务中心)
    and right over the rest of an institution's name (``REST_OF_INSTITUTION``) or the body's own office
    (``OWN_OFFICE``), unless that would run into another entity (of the tokens in ``taken``)."""
    doc = ent.doc
    start = ent.start
    place = gazetteer().chain_ending_at(text, ent.start_char)
    before = doc.char_span(place, ent.start_char) if place is not None else None
    if before is not None and free_of_others(ent, before.start, before.end, taken):
        start = before.start
    if end == ent.end:
        rest = REST_OF_INSTITUTION.match(text, ent.end_char) or OWN_OFFICE.match(text, ent.end_char)
        after = doc.char_span(ent.end_char, rest.end()) if rest else None
        if after is not None and free_of_others(ent, after.start, after.end, taken):
            end = after.end
    return start, end


def free_of_others(ent: Span, start: int, end: int, taken: Set[int]) -> bool:
    """Whether tokens ``start:end`` hold no token of another entity (of those in ``taken``; ``ent``'s own, trimmed
    edges included, are free)."""
    return all(i not in taken or ent.start <= i < ent.end for i in range(start, end))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """One gazetteer for every document (its place sets are built once)."""
    return Gazetteer()


def with_head_word(ent: Span, start: int, end: int, taken: Set[int]) -> Tuple[int, int]:
    """Token bounds ``start:end`` of a trimmed MEASURE ``ent`` extended over a directly following head word (and its
    opening quote when the name was quoted), unless that would run into another entity (of the tokens in
    ``taken``)."""
    doc = ent.doc
    if end >= len(doc):
        return start, end
    head = FOLLOWING_HEAD.match(normalize_text(doc[end : end + HEAD_WINDOW].text))
    span = doc.char_span(doc[start].idx, doc[end].idx + head.end()) if head else None
    if span is None or not free_of_others(ent, end, span.end, taken):
        return start, end
    quoted = head.group().startswith("”") and start > 0 and doc[start - 1].text == "“"
    if quoted and free_of_others(ent, start - 1, start, taken):
        start -= 1
    return start, span.end


@Language.factory(
    "nlpkit_ending_filter",
    assigns=["doc.ents"],
    default_config={"labels": ["ORG"], "min_chars": 3},
)
def make_ending_filter(nlp: Language, name: str, labels: List[str], min_chars: int) -> "EndingFilter":
    return EndingFilter(name=name, labels=labels, min_chars=min_chars)


class EndingFilter(LearnedState):
    """Drops the statistical spans of ``labels`` that end in a character no name of their label ends in.

    A small transition NER sometimes runs a name on into the sentence (an ORG ``荆楚大地呈现人民安居乐业``, a place
    and the verb after it). Names of a label end in few characters (bodies in 委, 局, 院, 会), learned at
    ``initialize`` from the training reports' gold spans of ``min_chars`` characters or more and saved with the
    pipeline. Shorter spans are left alone: a company's two-character short name ends anywhere. It runs right after
    the NER, so the rules' finds after it are never filtered. ORG only by default: on MEASURE (quoted slogans and
    numbered frameworks end anywhere) it lowered the seed reports' MEASURE F in leave-one-report-out.
    """

    state_name, state_file = "endings", "endings.json"

    def __init__(self, name: str, labels: List[str], min_chars: int) -> None:
        self.name = name
        self.labels = labels
        self.min_chars = min_chars
        self.endings: Dict[str, Set[str]] = {}

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None) -> None:
        endings: Dict[str, Set[str]] = {label: set() for label in self.labels}
        for eg in get_examples():
            for ent in eg.reference.ents:
                if ent.label_ in endings and len(ent.text) >= self.min_chars:
                    endings[ent.label_].add(ending(ent.text))
        self.endings = endings
        logger.info("[%s] %s", self.name,
                    ", ".join(f"{label}: {len(chars)} endings" for label, chars in endings.items()))

    def __call__(self, doc: Doc) -> Doc:
        ents = [ent for ent in doc.ents if not self.ends_unseen(ent)]
        if len(ents) < len(doc.ents):
            doc.ents = ents
        return doc

    def ends_unseen(self, ent: Span) -> bool:
        """Whether ``ent`` is long enough to be judged and ends in no learned ending of its label."""
        seen = self.endings.get(ent.label_)
        return seen is not None and len(ent.text) >= self.min_chars and ending(ent.text) not in seen

    # serialisation (LearnedState) ---------------------------------------------------------------
    def _write_state(self) -> bytes:
        return srsly.json_dumps({label: sorted(chars) for label, chars in self.endings.items()}).encode("utf-8")

    def _read_state(self, data: bytes) -> None:
        self.endings = {label: set(chars) for label, chars in srsly.json_loads(data).items()}


def ending(surface: str) -> str:
    """The last character of a name that is not space or punctuation, in its feature form (both scripts alike)."""
    return next((normalize_char(c) for c in reversed(surface) if not (c.isspace() or c in EDGE_PUNCT)), "")

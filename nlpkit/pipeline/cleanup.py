"""Entity spans that keep to ANNOTATION.md: no whitespace or punctuation at either edge, no dotted codes as quantities,
a measure's head word inside it, a measure within one clause, not the document's own title, a body's name not run on
into the word after it."""
from __future__ import annotations

import re
from typing import Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..quantities import DOTTED_CODE
from ..text import has_bad_edge, normalize_text
from .rulers import MEASURE_HEADS, own_titles

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


@Language.component("nlpkit_entity_trimmer", assigns=["doc.ents"])
def entity_trimmer(doc: Doc) -> Doc:
    """Trim edge tokens that are whitespace or punctuation (a statistical NER sometimes takes a quote mark);
    an inner-quoted name such as ``“2614”工作法`` is kept whole. Spans left empty are dropped, and so are
    QUANTITY spans that are dotted codes (``“6.7.6”工作任务`` names a task; it counts nothing). A MEASURE
    stopped right before its head word is extended over it (``留抵退税`` + ``制度``), with the opening quote where
    the name was quoted (``“放管服”改革``); one that runs past a clause break is cut there, unless it is a quoted
    slogan. A MEASURE that is the document's own title (``own_titles``: a covering notice's 《…》 that also stands
    on a line of its own) is dropped. An ORG that has run on into the word after it is cut before it
    (``before_following_word``)."""
    ents, changed = [], False
    taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    own = own_titles(normalize_text(doc.text)) if "《" in doc.text else frozenset()
    for ent in doc.ents:
        start, end = ent.start, ent.end
        if own and ent.label_ == "MEASURE" and normalize_text(ent.text) in own:
            changed = True
            continue
        if ent.label_ == "MEASURE":
            end = within_clause(ent)
        if ent.label_ == "ORG":
            end = before_following_word(ent)
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


def with_head_word(ent: Span, start: int, end: int, taken: Set[int]) -> Tuple[int, int]:
    """Token bounds ``start:end`` of a trimmed MEASURE ``ent`` extended over a directly following head word (and its
    opening quote when the name was quoted), unless that would run into another entity (of the tokens in
    ``taken``)."""
    doc = ent.doc
    if end >= len(doc):
        return start, end
    head = FOLLOWING_HEAD.match(normalize_text(doc[end : end + HEAD_WINDOW].text))
    span = doc.char_span(doc[start].idx, doc[end].idx + head.end()) if head else None

    def free(i: int) -> bool:  # not another entity's token (the trimmed edges of this one are free)
        return i not in taken or ent.start <= i < ent.end

    if span is None or not all(free(i) for i in range(end, span.end)):
        return start, end
    if head.group().startswith("”") and start > 0 and doc[start - 1].text == "“" and free(start - 1):
        start -= 1
    return start, span.end

"""Entity spans that keep to ANNOTATION.md: no whitespace or punctuation at either edge, no dotted codes as quantities."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..quantities import DOTTED_CODE
from ..text import has_bad_edge


@Language.component("nlpkit_entity_trimmer", assigns=["doc.ents"])
def entity_trimmer(doc: Doc) -> Doc:
    """Trim edge tokens that are whitespace or punctuation (a statistical NER sometimes takes a quote mark);
    an inner-quoted name such as ``“2614”工作法`` is kept whole. Spans left empty are dropped, and so are
    QUANTITY spans that are dotted codes (``“6.7.6”工作任务`` names a task; it counts nothing)."""
    ents, changed = [], False
    for ent in doc.ents:
        start, end = ent.start, ent.end
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
        if start < end:
            ents.append(Span(doc, start, end, label=ent.label_))
    if changed:
        doc.ents = ents
    return doc

"""Sentence boundaries by the rule of ANNOTATION.md (after 。！？；!?; and at line breaks)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..text import sentence_spans


@Language.component("nlpkit_sentencizer", assigns=["token.is_sent_start"])
def sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts where the annotation rule puts them; heading lines are their own sentences."""
    if not len(doc):
        return doc
    starts = {start for start, _ in sentence_spans(doc.text)}
    for i, token in enumerate(doc):
        token.is_sent_start = i == 0 or token.idx in starts
    return doc

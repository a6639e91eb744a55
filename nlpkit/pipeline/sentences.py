"""Sentence boundaries by the rule of ANNOTATION.md (after 。！？；!?; and at line breaks)."""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..text import sentence_spans


@Language.component("nlpkit_sentencizer", assigns=["token.is_sent_start"])
def sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts where the annotation rule puts them; heading lines are their own sentences.

    Set as one array (linear time): per-token assignment of ``is_sent_start`` is quadratic on long texts, and
    only the sentence starts are looked up (a Python ``Token`` per character would cost more than the rule).
    """
    if not len(doc):
        return doc
    flags = numpy.full((len(doc), 1), -1, dtype="int64")
    flags[0] = 1
    for start, end in sentence_spans(doc.text):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            flags[span.start] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))
    return doc

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

    Set as one array (linear time): per-token assignment of ``is_sent_start`` is quadratic on long texts.
    """
    if not len(doc):
        return doc
    starts = {start for start, _ in sentence_spans(doc.text)}
    flags = numpy.array([[1 if i == 0 or token.idx in starts else -1] for i, token in enumerate(doc)], dtype="int64").astype("uint64")
    doc.from_array([SENT_START], flags)
    return doc

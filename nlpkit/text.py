"""Text rules shared by the corpus, the pipeline and the scorer.

Sentence splitting follows ANNOTATION.md exactly (the same rule as ``shared/tools/annotate.py``), so gold and
predicted sentences line up by offsets. Character normalisation maps traditional to simplified and
full-width to half-width for *features only*: ``text`` is never changed.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import List, Optional, Tuple

SENTENCE_PIECE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』)）]*|\n|$)")
# What may not begin or end an entity span (ANNOTATION.md): whitespace and punctuation.
EDGE_PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】「」『』,.;:?!()[]\"'—…·-～~")


def sentence_spans(text: str) -> List[Tuple[int, int]]:
    """Sentence (start, end) offsets: split after 。！？；!?; and at line breaks, whitespace stripped."""
    spans: List[Tuple[int, int]] = []
    for match in SENTENCE_PIECE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and (not spans or start >= spans[-1][1]):
            spans.append((start, end))
    return spans


def pieces(text: str, max_chars: int) -> List[Tuple[int, int]]:
    """Runs of whole sentences of about ``max_chars`` characters each, from the start of their first sentence to the
    end of their last (the whitespace between runs belongs to none); a text of at most ``max_chars``, or without
    sentences, is one piece. How long documents are processed (``streaming``) and gold reports are cut into
    training examples (``corpus.iter_pieces``)."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    runs: List[Tuple[int, int]] = []
    run_start: Optional[int] = None
    end = 0
    for start, end in sentence_spans(text):
        run_start = start if run_start is None else run_start
        if end - run_start >= max_chars:
            runs.append((run_start, end))
            run_start = None
    if run_start is not None:
        runs.append((run_start, end))
    return runs or [(0, len(text))]


QUOTE_PAIRS = {"\"": "\"", "“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "(": ")", "（": "）"}


def has_bad_edge(surface: str) -> bool:
    """True if a span begins or ends with whitespace or punctuation.

    A quote that belongs inside a name is allowed at an edge when its partner is inside the span
    (ANNOTATION.md keeps ``“2614”工作法`` whole), and so is a minus sign before a digit (``-22.2%``).
    """
    if not surface or surface[0].isspace() or surface[-1].isspace():
        return True
    closers = {v: k for k, v in QUOTE_PAIRS.items()}
    first, last = surface[0], surface[-1]
    bad_first = first in EDGE_PUNCT and not (
        (first in QUOTE_PAIRS and QUOTE_PAIRS[first] in surface[1:-1]) or (first == "-" and surface[1:2].isdigit())
    )
    bad_last = last in EDGE_PUNCT and not (last in closers and closers[last] in surface[1:-1])
    return bad_first or bad_last


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def normalize_char(char: str) -> str:
    """One character's feature form: NFKC (full-width → half-width), traditional → simplified, lower case."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and ord(folded) > 0x2E7F:
        folded = _t2s().convert(folded)
    return folded.lower()


class _SameLengthFold(dict):
    """``str.translate`` table, filled on first sight of each character: its one-character fold, or itself where
    the fold would change the length (so offsets into the folded text are offsets into the text)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = normalize_char(char)
        self[code] = value = folded if len(folded) == 1 else char
        return value


_SAME_LENGTH_FOLD = _SameLengthFold()


def normalize_text(text: str) -> str:
    """Character-wise normalisation, the same length as ``text`` (one ``str.translate``: the rule components
    each fold the whole document)."""
    return text.translate(_SAME_LENGTH_FOLD)

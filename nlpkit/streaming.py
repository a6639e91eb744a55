"""Running the pipeline over a stream of documents: long texts in pieces, records in input order."""
from __future__ import annotations

from typing import Iterable, Iterator, List, Tuple

from spacy.language import Language

from .records import doc_to_record, merge_records
from .text import sentence_spans

DEFAULT_PIECE_CHARS = 100_000


def pieces(text: str, max_chars: int) -> List[Tuple[int, int]]:
    """Cut a text at sentence boundaries into pieces of at most about ``max_chars`` (one piece if shorter)."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    cuts: List[Tuple[int, int]] = []
    start = 0
    for _, end in sentence_spans(text):
        if end - start >= max_chars:
            cuts.append((start, end))
            start = end
    if start < len(text) or not cuts:
        cuts.append((start, len(text)))
    return cuts


def process(
    nlp: Language,
    documents: Iterable[Tuple[str, str]],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    piece_chars: int = DEFAULT_PIECE_CHARS,
) -> Iterator[dict]:
    """Records for ``(id, text)`` pairs, streamed in input order; memory stays bounded by the batch size.

    Texts longer than ``piece_chars`` (or ``nlp.max_length``) are processed in pieces cut at sentence
    boundaries; the record's offsets index the whole text.
    """
    limit = min(piece_chars, nlp.max_length)
    pending: dict = {}

    def stream() -> Iterator[Tuple[str, tuple]]:
        for n, (doc_id, text) in enumerate(documents):
            cuts = pieces(text, limit)
            pending[n] = (doc_id, text, len(cuts), [])
            for start, end in cuts:
                yield text[start:end], (n, start)

    for doc, (n, offset) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        doc_id, text, n_pieces, done = pending[n]
        done.append(doc_to_record(doc, doc_id, offset))
        if len(done) == n_pieces:
            del pending[n]
            yield done[0] | {"text": text} if n_pieces == 1 else merge_records(doc_id, text, done)

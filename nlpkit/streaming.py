"""Running the pipeline over a stream of documents: long texts in pieces, records in input order."""
from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from dataclasses import dataclass, field
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Deque, Dict, Iterable, Iterator, List, Optional, Tuple

from spacy.language import Language

from .records import entities_of, merge_records, sentences_of
from .text import pieces

DEFAULT_PIECE_CHARS = 100_000
PieceKey = Tuple[int, int, int]  # (document number, start and end of the piece in its text)
Batch = List[Tuple[str, PieceKey]]


def batches(items: Iterable[Tuple[str, PieceKey]], max_items: int, max_chars: int) -> Iterator[Batch]:
    """Consecutive pieces, at most ``max_items`` of them and (unless one piece alone is longer) ``max_chars``
    characters: what the pipeline holds in memory at once is bounded by the piece size, not the document."""
    batch: Batch = []
    size = 0
    for item in items:
        if batch and (len(batch) >= max_items or size + len(item[0]) > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch


class WorkerError(RuntimeError):
    """A worker process died (killed, out of memory) under ``n_process > 1``; its documents are lost."""


def process(
    nlp: Language,
    documents: Iterable[Tuple[str, str]],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    piece_chars: int = DEFAULT_PIECE_CHARS,
    on_piece: Optional[Callable[[int], None]] = None,
) -> Iterator[dict]:
    """Records for ``(id, text)`` pairs, streamed in input order.

    Texts longer than ``piece_chars`` (or ``nlp.max_length``) are processed in pieces cut at sentence
    boundaries; the record's offsets index the whole text. Batches hold at most ``batch_size`` pieces and about
    ``piece_chars`` characters, so memory stays bounded however long a document is; ``on_piece`` gets the
    number of characters of its text that each finished piece completes (progress within a long document; they
    add up to the text's length). With ``n_process > 1`` the batches go to worker processes; a worker that dies
    raises ``WorkerError`` instead of hanging the run.
    """
    limit = min(piece_chars, nlp.max_length)
    pending: Dict[int, _Pending] = {}

    def stream() -> Iterator[Tuple[str, PieceKey]]:
        for n, (doc_id, text) in enumerate(documents):
            cuts = pieces(text, limit)
            pending[n] = _Pending(doc_id, text, len(cuts))
            for start, end in cuts:
                yield text[start:end], (n, start, end)

    work = batches(stream(), batch_size, limit)
    if n_process == 1:
        piece_records: Iterator[Tuple[PieceKey, dict]] = (done for batch in work for done in _records(nlp, batch))
    else:
        piece_records = _in_workers(nlp, work, n_process)
    for (n, _, end), record in piece_records:
        document = pending[n]
        document.records.append(record)
        finished = len(document.records) == document.n_pieces
        if on_piece:
            reached = len(document.text) if finished else end
            on_piece(reached - document.reported)
            document.reported = reached
        if finished:
            del pending[n]
            yield merge_records(document.id, document.text, document.records)


@dataclass
class _Pending:
    """A document whose pieces are not all done: the records of those that are, and the progress reported."""

    id: str
    text: str
    n_pieces: int
    records: List[dict] = field(default_factory=list)
    reported: int = 0


_WORKER_NLP: Optional[Language] = None  # the pipeline a forked worker inherits


def _records(nlp: Language, batch: Batch) -> Iterator[Tuple[PieceKey, dict]]:
    """Entities and sentences of each piece of a batch, lazily."""
    for doc, key in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
        yield key, {"entities": entities_of(doc, key[1]), "sentences": sentences_of(doc, key[1])}


def _work(batch: Batch) -> List[Tuple[PieceKey, dict]]:
    assert _WORKER_NLP is not None
    return list(_records(_WORKER_NLP, batch))


def _in_workers(nlp: Language, work: Iterable[Batch], n_process: int) -> Iterator[Tuple[PieceKey, dict]]:
    """Batches of pieces through a pool of forked workers, at most two batches per worker in flight.

    spaCy's own ``n_process`` waits forever when a worker is killed (its siblings keep the pipe open);
    a process pool notices the death, so the run can stop with a message.
    """
    global _WORKER_NLP
    _WORKER_NLP = nlp
    pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork"),
                               initializer=_default_sigterm)
    in_flight: Deque[Future] = deque()
    try:
        for batch in work:
            in_flight.append(pool.submit(_work, batch))
            if len(in_flight) >= 2 * n_process:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    except BrokenProcessPool:  # from result(), or from submit() when the pool has already seen the death
        raise WorkerError("a worker process died (killed or out of memory)") from None
    finally:
        # Wait for the pool's manager thread: left running, it can close its wake-up pipe while the interpreter's
        # exit hook writes to it, and the run ends with a stray "Bad file descriptor" report on stderr.
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER_NLP = None


def _default_sigterm() -> None:
    """Workers die on SIGTERM as usual (the pool ends its workers so when one of them died); the parent's handler,
    which turns SIGTERM into an interrupt so that the output is cleaned up, would keep them alive."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

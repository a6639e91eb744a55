"""Corpus reader for ``spacy train``: gold records → ``Example`` objects (registered via entry point)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.util import logger

from .. import corpus
from ..labels import SENTENCES_KEY


def create_report_reader(
    path: Optional[str] = None,
    split: str = "train",
    require_entities: bool = True,
    max_chars: int = 0,
    limit: int = 0,
) -> Callable[[Language], Iterable[Example]]:
    """Read the gold corpus for spaCy.

    Args:
        path: the corpus folder (default: ``$NLPKIT_CORPUS`` or ``corpus/`` in the current directory).
        split: ``train``, ``dev``, ``test`` or ``all``; a comma-separated list of report ids also works.
        require_entities: keep only reports with the entity layer (needed to train NER).
        max_chars: cut reports into pieces of about this many characters at sentence boundaries (0: whole).
        limit: at most this many reports (0: all).
    """

    def read(nlp: Language) -> Iterator[Example]:
        records = select_records(path, split)
        if require_entities:
            records = [r for r in records if corpus.has_entities(r)]
        if limit:
            records = records[:limit]
        logger.info("reading %d %s reports (%s characters) from %s", len(records), split,
                    f"{sum(len(r['text']) for r in records):,}", path or corpus.default_corpus_dir())
        for record in records:
            for piece in corpus.iter_pieces(record, max_chars):
                yield record_to_example(nlp, piece)

    return read


def select_records(path: Optional[str], split: str) -> List[dict]:
    """The records of a named split, of ``all``, or of a comma-separated id list."""
    corpus_dir = Path(path) if path else corpus.default_corpus_dir()
    records = corpus.read_records(corpus_dir)
    if split == "all":
        return records
    names = corpus.splits(corpus_dir, records)
    wanted = set(names[split]) if split in names else set(split.split(","))
    return [r for r in records if r["id"] in wanted]


def record_to_example(nlp: Language, record: dict) -> Example:
    """One record as an Example; entity spans that do not align with tokens are counted and logged."""
    predicted = nlp.make_doc(record["text"])
    reference = record_to_doc(predicted, record)
    return Example(predicted, reference)


def record_to_doc(template: Doc, record: dict) -> Doc:
    """A gold Doc with ``ents`` and labelled ``spans['sentences']`` on the template's tokens."""
    words = [t.text for t in template]
    spaces = [bool(t.whitespace_) for t in template]
    doc = Doc(template.vocab, words=words, spaces=spaces)
    if record.get("entities") is not None:
        ents, misaligned = [], 0
        for ent in record["entities"]:
            span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
            if span is None:
                misaligned += 1
            else:
                ents.append(span)
        if misaligned:
            logger.warning("%s: %d entity spans do not align with tokens", record.get("id"), misaligned)
        doc.ents = ents
    sentences: List[Span] = []
    for sent in record.get("sentences", []):
        span = doc.char_span(sent["start"], sent["end"], label=sent["label"], alignment_mode="expand")
        if span is not None:
            sentences.append(span)
    doc.spans[SENTENCES_KEY] = SpanGroup(doc, name=SENTENCES_KEY, spans=sentences)
    return doc

"""Systems under evaluation (the pipeline, the same on converted script) and the gold records they are scored on."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .. import corpus
from .scoring import score


System = Callable[[Sequence[dict]], List[dict]]


def pipeline_system(nlp) -> System:
    """Predictions of a spaCy pipeline, through the same path as ``nlpkit extract``."""
    from ..streaming import process

    return lambda records: list(process(nlp, [(r["id"], r["text"]) for r in records]))


def gold_records(path: Optional[Path], corpus_dir: Optional[Path] = None) -> Tuple[List[dict], List[dict]]:
    """(gold records to score, training records for the baselines).

    Default: the corpus test split, with the train split for the baselines. A file or folder of
    gold JSONL is scored as given; the baselines then train on the whole corpus, or on nothing when there is no
    corpus folder (an installed package scoring a user's own gold).
    """
    corpus_dir = Path(corpus_dir or corpus.default_corpus_dir())
    if path is None:
        records = corpus.read_records(corpus_dir)
        split = corpus.splits(corpus_dir, records)
        test = [r for r in records if r["id"] in set(split["test"])]
        train = [r for r in records if r["id"] in set(split["train"])]
        return test, train
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.exists() for f in files):
        raise corpus.CorpusError(f"{path}: no gold .jsonl files")
    test = [json.loads(l) for f in files for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
    test_ids = {r["id"] for r in test}
    records = corpus.read_records(corpus_dir) if corpus_dir.exists() else []
    return test, [r for r in records if r["id"] not in test_ids]


def convert_script(record: dict, direction: str) -> dict:
    """The record with its text converted character by character (OpenCC ``s2t`` or ``t2s``).

    Character by character keeps every offset valid; a character whose conversion is not one character stays.
    """
    from opencc import OpenCC

    converter = OpenCC(direction)
    chars = [converter.convert(c) for c in record["text"]]
    text = "".join(new if len(new) == 1 else old for new, old in zip(chars, record["text"]))
    return {**record, "text": text}


def script_converted(system: System, direction: str) -> System:
    """``system`` run on the records converted to the other script (offsets stay valid, so gold still scores)."""
    return lambda records: system([convert_script(r, direction) for r in records])


def evaluate_systems(
    gold: Sequence[dict], systems: Dict[str, System]
) -> Tuple[Dict[str, Dict[str, object]], Dict[str, List[dict]]]:
    """(scores per system, predictions per system): every system predicts once."""
    predictions = {name: system(gold) for name, system in systems.items()}
    return {name: score(gold, predicted) for name, predicted in predictions.items()}, predictions

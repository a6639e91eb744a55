"""nlpkit: organisations, quantities, policy measures and sections from Chinese government work reports.

>>> import nlpkit
>>> nlp = nlpkit.load()
>>> doc = nlp("全年下拨救灾资金3.2亿元。")
>>> [(e.text, e.label_, e._.value, e._.unit) for e in doc.ents]
[('3.2亿元', 'QUANTITY', 320000000, '元')]
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Optional, Union

if TYPE_CHECKING:
    from spacy.language import Language

__version__ = "0.1.0"
MODEL_NAME = "zh_nlpkit_reports"


class ModelError(Exception):
    """A pipeline that cannot be loaded; the message says what is missing."""


def model_path() -> Path:
    """Where the shipped pipeline lives inside the package."""
    return Path(__file__).resolve().parent / "models" / MODEL_NAME


def load(path: Optional[Union[str, Path]] = None) -> "Language":
    """Load a trained nlpkit pipeline (default: the one shipped in the package)."""
    import spacy

    target = Path(path) if path is not None else model_path()
    if not (target / "config.cfg").exists():
        raise ModelError(f"no trained pipeline at {target} (config.cfg missing); run `nlpkit train` or pass --model")
    try:
        return spacy.load(target)
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(f"cannot load the pipeline at {target}: {str(err).splitlines()[0]}") from None


def to_dataset(records: Iterable[dict]):
    """Records as a ``datasets.Dataset`` (one row per document; entities and sentences as lists of structs).

    QUANTITY values may be a number, a ``[low, high]`` range or null, so ``value`` is stored as JSON text.
    """
    import json

    import datasets

    rows = []
    for record in records:
        entities = [
            {"start": e["start"], "end": e["end"], "label": e["label"], "text": e.get("text", ""),
             "value": json.dumps(e.get("value")), "unit": e.get("unit"), "approx": e.get("approx")}
            for e in record["entities"]
        ]
        rows.append({"id": record["id"], "text": record["text"], "entities": entities, "sentences": record["sentences"]})
    return datasets.Dataset.from_list(rows)


def extract(
    texts: Union[str, Iterable[str]], nlp: Optional["Language"] = None
) -> Union[dict, List[dict]]:
    """Records (ANNOTATION.md format) for one text or for each text of an iterable."""
    from .streaming import process

    nlp = nlp or load()
    if isinstance(texts, str):
        return next(process(nlp, [("doc-0", texts)]))
    return list(process(nlp, ((f"doc-{i}", t) for i, t in enumerate(texts))))

"""nlpkit: organisations, quantities, policy measures and sections from Chinese government work reports.

>>> import nlpkit
>>> nlp = nlpkit.load()
>>> doc = nlp("全年下拨救灾资金3.2亿元。")
>>> [(e.text, e.label_, e._.value, e._.unit) for e in doc.ents]
[('3.2亿元', 'QUANTITY', 320000000, '元')]
"""
from __future__ import annotations

from collections import abc
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, List, Mapping, Optional, Tuple, Union

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
    """Records as a ``datasets.Dataset``: one row per document, entities and sentences as typed lists of structs
    (the Parquet schema: ``value`` a float, null for a range, whose bounds are in ``value_range``)."""
    try:
        import datasets
    except ImportError:
        raise ImportError("nlpkit.to_dataset needs Hugging Face datasets: pip install 'nlpkit[datasets]'") from None
    from .records import records_table

    return datasets.Dataset(records_table(records))


Document = Union[str, Tuple[str, str], Mapping[str, str]]


def extract(
    texts: Union[Document, Iterable[Document]], nlp: Optional["Language"] = None
) -> Union[dict, List[dict]]:
    """Records (ANNOTATION.md format) for one document, or a list of records for an iterable of documents.

    A document is a text (its id is ``doc-N`` by position), an ``(id, text)`` pair or an ``{"id", "text"}`` record;
    anything else (bytes, numbers, records without ``text``) raises ``TypeError`` saying what was given.
    """
    from .streaming import process

    if isinstance(texts, (str, abc.Mapping)) or (isinstance(texts, tuple) and len(texts) == 2 and
                                                  isinstance(texts[0], str) and isinstance(texts[1], str)):
        return extract([texts], nlp)[0]  # type: ignore[list-item]
    if isinstance(texts, (bytes, bytearray)) or not isinstance(texts, abc.Iterable):
        hint = " (decode the bytes first)" if isinstance(texts, (bytes, bytearray)) else ""
        raise TypeError(f"nlpkit.extract takes a text, an (id, text) pair, an {{'id', 'text'}} record or an iterable "
                        f"of them, not {type(texts).__name__}{hint}")
    return list(process(nlp or load(), (as_document(n, item) for n, item in enumerate(texts))))


def as_document(n: int, item: object, prefix: str = "doc") -> Tuple[str, str]:
    """``(id, text)`` of the ``n``-th document given to :func:`extract` (without an id: ``<prefix>-<n>``)."""
    if isinstance(item, str):
        return f"{prefix}-{n}", item
    if isinstance(item, abc.Mapping) and isinstance(item.get("text"), str):
        return str(item.get("id", f"{prefix}-{n}")), item["text"]
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
        return str(item[0]), item[1]
    raise TypeError(f"nlpkit.extract: document {n} is a {type(item).__name__}; give a text, an (id, text) pair or "
                    f"an {{'id', 'text'}} record")

"""Docs as records in the format of ANNOTATION.md: the output contract that outside tools score against."""
from __future__ import annotations

from typing import Dict, Iterable, List

from spacy.tokens import Doc

from .labels import SENTENCES_KEY


def entities_of(doc: Doc, offset: int = 0) -> List[Dict[str, object]]:
    out: List[Dict[str, object]] = []
    for ent in doc.ents:
        item: Dict[str, object] = {
            "start": ent.start_char + offset,
            "end": ent.end_char + offset,
            "label": ent.label_,
            "text": ent.text,
        }
        if ent.label_ == "QUANTITY" and ent.has_extension("value"):
            item.update(value=ent._.value, unit=ent._.unit, approx=ent._.approx)
        out.append(item)
    return out


def sentences_of(doc: Doc, offset: int = 0) -> List[Dict[str, object]]:
    return [
        {"start": s.start_char + offset, "end": s.end_char + offset, "label": s.label_}
        for s in doc.spans.get(SENTENCES_KEY, [])
    ]


def merge_records(doc_id: str, text: str, pieces: List[Dict[str, object]]) -> Dict[str, object]:
    """One record for a document processed in pieces (their offsets already point into ``text``)."""
    return {
        "id": doc_id,
        "text": text,
        "entities": [e for p in pieces for e in p["entities"]],  # type: ignore[union-attr]
        "sentences": [s for p in pieces for s in p["sentences"]],  # type: ignore[union-attr]
    }



def records_table(records: Iterable[Dict[str, object]]):
    """Records as a typed Arrow table, one row per document (Parquet output, ``nlpkit.to_dataset``).

    Entities and sentences are lists of structs. ``value`` is a float64; a range ``[low, high]`` leaves it null and
    fills ``value_range``; an anonymised amount leaves both null.
    """
    import pyarrow as pa

    rows = []
    for record in records:
        entities = []
        for ent in record["entities"]:  # type: ignore[union-attr]
            value = ent.get("value")
            entities.append({
                "start": ent["start"], "end": ent["end"], "label": ent["label"], "text": ent.get("text"),
                "value": None if isinstance(value, list) else value,
                "value_range": value if isinstance(value, list) else None,
                "unit": ent.get("unit"), "approx": ent.get("approx"),
            })
        rows.append({"id": record["id"], "text": record["text"], "entities": entities,
                     "sentences": record["sentences"]})
    return pa.Table.from_pylist(rows, schema=record_schema())


def record_schema():
    """The Arrow schema of a record (pyarrow is imported only when it is needed)."""
    import pyarrow as pa

    entity = pa.struct([
        ("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()), ("text", pa.string()),
        ("value", pa.float64()), ("value_range", pa.list_(pa.float64())), ("unit", pa.string()),
        ("approx", pa.bool_()),
    ])
    sentence = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("label", pa.string())])
    return pa.schema([("id", pa.string()), ("text", pa.string()), ("entities", pa.list_(entity)),
                      ("sentences", pa.list_(sentence))])

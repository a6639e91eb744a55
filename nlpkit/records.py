"""Docs as records in the format of ANNOTATION.md: the output contract that outside tools score against."""
from __future__ import annotations

from typing import Dict, List

from spacy.tokens import Doc

from .pipeline.section import SENTENCES_KEY


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


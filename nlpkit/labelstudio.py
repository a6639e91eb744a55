"""Label Studio round trip: records as tasks with pre-annotations, and a Label Studio JSON export back as gold records.

Entities are ``entity`` regions (ORG, QUANTITY, MEASURE); every sentence is a ``section`` region with its label; a
QUANTITY's ``value``, ``unit`` and ``approx`` sit in a per-region text area as JSON, pre-filled by the normaliser.
Label Studio counts offsets in UTF-16 code units (JavaScript strings), records in code points: both directions
convert, so a character outside the Basic Multilingual Plane does not shift the spans after it.
"""
from __future__ import annotations

import json
from html import escape
from itertools import accumulate
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from . import __version__
from .corpus import validate_record
from .labels import ENTITY_LABELS, SENTENCE_LABELS
from .quantities import parse_quantity
from .text import sentence_spans
from .writers import ENTITY_COLOURS, SECTION_COLOURS

ENTITY_CONTROL, SECTION_CONTROL, ATTRIBUTES_CONTROL, TEXT_OBJECT = "entity", "section", "quantity", "text"


def label_config() -> str:
    """The labelling interface (Settings → Labeling Interface → Code in Label Studio)."""
    def labels(name: str, values: Sequence[str], colours: Dict[str, str]) -> str:
        items = "".join(f'\n    <Label value="{v}" background="{colours.get(v, "#9e9e9e")}"/>' for v in values)
        return f'  <Labels name="{name}" toName="{TEXT_OBJECT}">{items}\n  </Labels>'

    return "\n".join([
        "<View>",
        labels(ENTITY_CONTROL, ENTITY_LABELS, ENTITY_COLOURS),
        labels(SECTION_CONTROL, SENTENCE_LABELS, SECTION_COLOURS),
        f'  <Text name="{TEXT_OBJECT}" value="$text" granularity="symbol"/>',
        f'  <TextArea name="{ATTRIBUTES_CONTROL}" toName="{TEXT_OBJECT}" perRegion="true" editable="true" '
        f'maxSubmissions="1" rows="1" whenTagName="{ENTITY_CONTROL}" whenLabelValue="QUANTITY" '
        f'placeholder="{escape(json.dumps({"value": 0, "unit": "", "approx": False}))}"/>',
        "</View>",
    ]) + "\n"


def utf16_offsets(text: str) -> List[int]:
    """Where each code point starts in UTF-16 code units (one entry more than the text: its end)."""
    return [0, *accumulate(2 if ord(c) > 0xFFFF else 1 for c in text)]


def task_of(record: dict) -> dict:
    """A Label Studio task whose prediction is the record (the user corrects it, not starts from nothing)."""
    text = record["text"]
    to16 = utf16_offsets(text)
    result: List[dict] = []
    for n, ent in enumerate(record["entities"]):
        region = {"start": to16[ent["start"]], "end": to16[ent["end"]], "text": text[ent["start"]:ent["end"]]}
        region_id = f"e{n}"
        result.append(_region(region_id, ENTITY_CONTROL, "labels", {**region, "labels": [ent["label"]]}))
        if ent["label"] == "QUANTITY":
            attributes = json.dumps({k: ent.get(k) for k in ("value", "unit", "approx")}, ensure_ascii=False)
            result.append(_region(region_id, ATTRIBUTES_CONTROL, "textarea", {**region, "text": [attributes]}))
    for n, sent in enumerate(record["sentences"]):
        region = {"start": to16[sent["start"]], "end": to16[sent["end"]], "text": text[sent["start"]:sent["end"]]}
        result.append(_region(f"s{n}", SECTION_CONTROL, "labels", {**region, "labels": [sent["label"]]}))
    return {"data": {"id": record["id"], "text": text},
            "predictions": [{"model_version": f"nlpkit {__version__}", "result": result}]}


def _region(region_id: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region_id, "from_name": control, "to_name": TEXT_OBJECT, "type": kind, "value": value}


def records_from_export(tasks: Iterable[dict]) -> Tuple[List[dict], List[str], List[str]]:
    """Gold records from a Label Studio JSON export (the last submitted annotation of each task), the problems that
    make them unusable (offsets inside a character, bad attributes, anything ``corpus.validate_record`` finds), and
    the ids of tasks not annotated yet (their predictions are not gold, so they are left out)."""
    records: List[dict] = []
    problems: List[str] = []
    unannotated: List[str] = []
    for n, task in enumerate(tasks):
        data = task.get("data", {})
        text, rid = data.get("text"), str(data.get("id", task.get("id", n)))
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not isinstance(text, str):
            problems.append(f"task {rid}: no text in data")
            continue
        if not annotations:
            unannotated.append(rid)
            continue
        record, found = _record_of(rid, text, annotations[-1].get("result", []))
        problems.extend(found)
        problems.extend(str(p) for p in validate_record(record))
        records.append(record)
    return records, problems, unannotated


def _record_of(rid: str, text: str, result: List[dict]) -> Tuple[dict, List[str]]:
    to_code_point = {units: n for n, units in enumerate(utf16_offsets(text))}
    problems: List[str] = []
    attributes: Dict[str, str] = {}
    entities, labels_at = [], {}
    for item in result:
        value = item.get("value", {})
        if item.get("from_name") == ATTRIBUTES_CONTROL and value.get("text"):
            attributes[item.get("id")] = value["text"][0]
    for item in result:
        value, control = item.get("value", {}), item.get("from_name")
        if control not in (ENTITY_CONTROL, SECTION_CONTROL) or not value.get("labels"):
            continue
        start, end = to_code_point.get(value.get("start")), to_code_point.get(value.get("end"))
        label = value["labels"][0]
        if start is None or end is None:
            problems.append(f"task {rid}: region {item.get('id')} has offsets inside a character")
        elif control == SECTION_CONTROL:
            labels_at[(start, end)] = label
        else:
            entity = {"start": start, "end": end, "label": label, "text": text[start:end]}
            if label == "QUANTITY":
                entity.update(_attributes(rid, entity, attributes.get(item.get("id")), problems))
            entities.append(entity)
    sentences = []
    for start, end in sentence_spans(text):
        label = labels_at.get((start, end)) or _covering(labels_at, start, end)
        if label is None:
            problems.append(f"task {rid}: sentence [{start}:{end}] has no section label")
        sentences.append({"start": start, "end": end, "label": label})
    entities.sort(key=lambda e: (e["start"], e["end"]))
    return {"id": rid, "text": text, "entities": entities, "sentences": sentences}, problems


def _covering(labels_at: Dict[Tuple[int, int], str], start: int, end: int) -> Optional[str]:
    """The label of a section region drawn over several sentences (a whole block labelled at once)."""
    return next((label for (lo, hi), label in labels_at.items() if lo <= start and end <= hi), None)


def _attributes(rid: str, entity: dict, written: Optional[str], problems: List[str]) -> dict:
    """A QUANTITY's value, unit and approx: as written in its text area, else from the normaliser."""
    if written is None:
        parsed = parse_quantity(entity["text"])
        return {"value": parsed.value, "unit": parsed.unit, "approx": parsed.approx}
    try:
        given = json.loads(written)
        return {"value": given["value"], "unit": given["unit"], "approx": bool(given["approx"])}
    except (ValueError, KeyError, TypeError):
        problems.append(f"task {rid}: {entity['text']!r} [{entity['start']}:{entity['end']}]: attributes are not "
                        f'JSON like {{"value": 5, "unit": "次", "approx": false}}: {written!r}')
        return {"value": None, "unit": ""}

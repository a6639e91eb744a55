"""Scoring predictions against gold records (both in the record format of ANNOTATION.md).

Works on records, not Docs, so any system that writes the output contract can be scored. Entities are scored
only on gold documents that carry the entity layer; a gold document without a prediction counts as all missed.
"""
from __future__ import annotations

from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..labels import CONTENT_LABELS, ENTITY_LABELS, SENTENCE_LABELS


def prf(tp: float, n_pred: float, n_gold: float) -> Dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def _overlap_matches(gold: List[Tuple[int, int]], pred: List[Tuple[int, int]]) -> Tuple[int, int]:
    """(predicted spans overlapping some gold span, gold spans overlapping some predicted span)."""
    hit_pred = sum(any(s < ge and gs < e for gs, ge in gold) for s, e in pred)
    hit_gold = sum(any(s < pe and ps < e for ps, pe in pred) for s, e in gold)
    return hit_pred, hit_gold


def values_match(gold: dict, pred: dict) -> bool:
    """QUANTITY value and unit agree (numbers compared with a relative tolerance of 1e-6)."""
    if gold.get("unit") != pred.get("unit"):
        return False
    a, b = gold.get("value"), pred.get("value")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return all(values_match({"value": x, "unit": ""}, {"value": y, "unit": ""}) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b


def score(gold_records: Sequence[dict], predicted: Iterable[dict]) -> Dict[str, object]:
    """Entity P/R/F per label (strict and overlap), micro F, QUANTITY value+unit accuracy, sentence scores."""
    by_id = {p["id"]: p for p in predicted}
    counts: Dict[str, Counter] = {label: Counter() for label in ENTITY_LABELS}
    matched_q = correct_q = 0
    sentence_maps: List[Tuple[Dict[Offsets, str], Dict[Offsets, str]]] = []
    missing: List[str] = []
    for gold in gold_records:
        pred = by_id.get(gold["id"])
        if pred is None:
            missing.append(gold["id"])
            pred = {"entities": [], "sentences": []}
        if gold.get("entities") is not None:
            for label in ENTITY_LABELS:
                g = [e for e in gold["entities"] if e["label"] == label]
                p = [e for e in pred["entities"] if e["label"] == label]
                gspans = {(e["start"], e["end"]): e for e in g}
                pspans = {(e["start"], e["end"]): e for e in p}
                strict = set(gspans) & set(pspans)
                hit_pred, hit_gold = _overlap_matches(list(gspans), list(pspans))
                counts[label].update(
                    tp=len(strict), pred=len(pspans), gold=len(gspans), ov_pred=hit_pred, ov_gold=hit_gold
                )
                if label == "QUANTITY":
                    matched_q += len(strict)
                    correct_q += sum(values_match(gspans[k], pspans[k]) for k in strict)
        sentence_maps.append(({(s["start"], s["end"]): s["label"] for s in gold.get("sentences", [])},
                              {(s["start"], s["end"]): s["label"] for s in pred.get("sentences", [])}))
    entities = {}
    for label, c in counts.items():
        entities[label] = {
            "strict": prf(c["tp"], c["pred"], c["gold"]),
            "overlap": {**prf(c["ov_pred"], c["pred"], c["ov_gold"] and c["gold"]),
                        "p": c["ov_pred"] / c["pred"] if c["pred"] else 0.0,
                        "r": c["ov_gold"] / c["gold"] if c["gold"] else 0.0},
            "n_gold": c["gold"],
            "n_pred": c["pred"],
        }
        o = entities[label]["overlap"]
        o["f"] = 2 * o["p"] * o["r"] / (o["p"] + o["r"]) if o["p"] + o["r"] else 0.0
    total = Counter()
    for c in counts.values():
        total.update(c)
    sentences = sentence_scores(sentence_maps)
    return {
        "entities": entities,
        "entities_micro_f": prf(total["tp"], total["pred"], total["gold"])["f"],
        "quantity_value_unit_accuracy": correct_q / matched_q if matched_q else 0.0,
        "quantity_matched": matched_q,
        "sentences": sentences["per_label"],
        "sentences_macro_f": sentences["macro_f"],
        "sentences_accuracy": sentences["accuracy"],
        "confusion": sentences["confusion"],
        "missing_documents": missing,
    }


Offsets = Tuple[int, int]


def sentence_scores(documents: Iterable[Tuple[Dict[Offsets, str], Dict[Offsets, str]]]) -> Dict[str, object]:
    """Sentence labels of (gold, predicted) ``{(start, end): label}`` maps, one pair per document: P/R/F per label
    (a sentence counts where offsets and label agree), macro-F over the content labels present in the gold or the
    predictions (as scikit-learn's macro average: a label absent from both, e.g. PROBLEM in a summary that admits
    no problem, is no error; 0.0 if none is present), accuracy, confusion.

    Used on records (``score``) and, through the section classifier's registered scorer, on spaCy Examples.
    """
    confusion = {g: Counter() for g in SENTENCE_LABELS}
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for gold, pred in documents:
        for key, label in gold.items():
            n_gold[label] += 1
            predicted = pred.get(key)
            confusion[label][predicted or "MISSING"] += 1
            tp[label] += predicted == label
        n_pred.update(pred.values())
    per_label = {label: prf(tp[label], n_pred[label], n_gold[label]) for label in SENTENCE_LABELS}
    total = sum(n_gold.values())
    present = [label for label in CONTENT_LABELS if n_gold[label] or n_pred[label]]
    return {
        "per_label": per_label,
        "macro_f": sum(per_label[label]["f"] for label in present) / len(present) if present else 0.0,
        "accuracy": sum(tp.values()) / total if total else 0.0,
        "confusion": {g: dict(c) for g, c in confusion.items()},
    }


def headline(scores: Dict[str, object]) -> Dict[str, Optional[float]]:
    """The figures the targets are stated in."""
    ents = scores["entities"]  # type: ignore[index]
    return {
        "QUANTITY strict F": ents["QUANTITY"]["strict"]["f"],
        "ORG strict F": ents["ORG"]["strict"]["f"],
        "MEASURE overlap F": ents["MEASURE"]["overlap"]["f"],
        "MEASURE strict F": ents["MEASURE"]["strict"]["f"],
        "QUANTITY value+unit acc": scores["quantity_value_unit_accuracy"],
        "sentence macro-F (A/P/P)": scores["sentences_macro_f"],
    }

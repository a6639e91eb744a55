"""The baselines every evaluation runs beside nlpkit: regex quantities, jieba.posseg, TF-IDF sentence labels."""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, List, Optional, Sequence, Tuple

from ..quantities import APPROX_PREFIX, ARABIC, CHINESE_DIGITS, MULTIPLIER, unit_pattern
from ..text import sentence_spans
from .systems import System


def regex_quantity_system(records: Sequence[dict]) -> List[dict]:
    """Baseline: what one writes without nlpkit's grammar: one regular expression (approximator, Arabic or
    Chinese numeral, 万/亿, 余/多, a measure word from nlpkit's unit list, or 百分之…/%), values by cn2an.

    It has none of the grammar's ANNOTATION.md filters (dates, ordinals, vague 一个, names like 三年行动, codes).
    """
    pattern = re.compile(
        rf"(?P<approx>{APPROX_PREFIX})?(?P<pct>百分之)?(?P<num>{ARABIC}(?:{MULTIPLIER})?|[{CHINESE_DIGITS}]+)"
        rf"(?P<more>余|多)?(?P<unit>%|％|{unit_pattern()})?(?P<suffix>以上|左右)?"
    )
    out = []
    for r in records:
        ents = []
        for m in pattern.finditer(r["text"]):
            unit = "%" if m["pct"] or m["unit"] in ("%", "％") else m["unit"]
            if unit is None:
                continue
            ents.append({"start": m.start(), "end": m.end(), "label": "QUANTITY", "value": cn2an_value(m["num"]), "unit": unit,
                         "approx": bool(m["approx"] or m["more"] or m["suffix"])})
        out.append({"id": r["id"], "entities": ents, "sentences": []})
    return out


def cn2an_value(numeral: str) -> Optional[float]:
    """A numeral's value as cn2an reads it (the baselines' normaliser, never nlpkit's); None where it fails."""
    import cn2an

    try:
        return cn2an.cn2an(unicodedata.normalize("NFKC", numeral).replace(",", ""), "smart")
    except (ValueError, KeyError):
        return None


def jieba_system(records: Sequence[dict]) -> List[dict]:
    """Baseline: jieba.posseg; ``nt`` → ORG, numeral + measure word (``m`` then ``q``) or percent → QUANTITY.

    Value, unit and approx as a jieba user gets them: cn2an on the numeral word (its approximators stripped),
    the measure word (or ``%``) as the unit."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)  # its dictionary-loading messages are not the evaluation's

    numeral = re.compile(rf"(?P<approx>{APPROX_PREFIX})?(?P<num>.+?)(?P<more>余|多)?(?P<pct>%|％)?")

    def quantity(start: int, end: int, numeral_word: str, unit: str) -> dict:
        m = numeral.fullmatch(numeral_word)
        return {"start": start, "end": end, "label": "QUANTITY", "value": cn2an_value(m["num"]), "unit": unit,
                "approx": bool(m["approx"] or m["more"])}

    out = []
    for r in records:
        ents, pos, previous = [], 0, None
        for word, flag in pseg.cut(r["text"]):
            start, end = pos, pos + len(word)
            pos = end
            if flag == "nt":
                ents.append({"start": start, "end": end, "label": "ORG"})
            elif flag == "q" and previous and previous[2] == "m" and previous[1] == start:
                ents.append(quantity(previous[0], end, previous[3], word))
            elif flag == "m" and word.endswith(("%", "％")):
                ents.append(quantity(start, end, word, "%"))
            previous = (start, end, flag, word)
        out.append({"id": r["id"], "entities": ents, "sentences": []})
    return out


def tfidf_sentence_system(train: Sequence[dict]) -> System:
    """Baseline: TF-IDF over character 1–3-grams + logistic regression, each sentence on its own."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [r["text"][s["start"]:s["end"]] for r in train for s in r["sentences"]]
    labels = [s["label"] for r in train for s in r["sentences"]]
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
                          LogisticRegression(max_iter=2000, class_weight="balanced"))
    model.fit(texts, labels)

    def predict(records: Sequence[dict]) -> List[dict]:
        out = []
        for r in records:
            spans = sentence_spans(r["text"])
            labels = model.predict([r["text"][s:e] for s, e in spans]) if spans else []
            out.append({"id": r["id"], "entities": [],
                        "sentences": [{"start": s, "end": e, "label": l} for (s, e), l in zip(spans, labels)]})
        return out

    return predict


def baseline_systems(train: List[dict]) -> Tuple[Dict[str, object], List[str]]:
    """The baselines of the evaluation, trained where they learn on the same training reports, and a note for
    each one left out (no training reports, a missing extra)."""

    notes: List[str] = []
    try:  # the optional extra nlpkit[baselines]; both quantity baselines read numbers with cn2an
        import cn2an  # noqa: F401
        import jieba  # noqa: F401
    except ImportError as missing:
        notes.append(f"the regex and jieba baselines left out: {missing.name} is not installed "
                     "(pip install 'nlpkit[baselines]')")
        quantity_baselines = False
    else:
        quantity_baselines = True
    if not train:
        notes.append("tfidf+LR sentences left out: no corpus to train it on (--corpus)")
    systems: Dict[str, object] = {
        **({"regex quantities": regex_quantity_system} if quantity_baselines else {}),
        **({"tfidf+LR sentences": tfidf_sentence_system(train)} if train else {}),
        **({"jieba.posseg": jieba_system} if quantity_baselines else {}),
    }
    return systems, notes

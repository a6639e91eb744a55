"""Held-out evaluation of a pipeline and of the baselines, in the same run and on the same reports."""
from __future__ import annotations

import datetime
import json
import re
import unicodedata
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .quantities import APPROX_PREFIX, ARABIC, CHINESE_DIGITS, MULTIPLIER, unit_pattern
from .scoring import SENTENCE_LABELS, headline, score
from .text import sentence_spans

System = Callable[[Sequence[dict]], List[dict]]


def pipeline_system(nlp) -> System:
    """Predictions of a spaCy pipeline, through the same path as ``nlpkit extract``."""
    from .streaming import process

    return lambda records: list(process(nlp, [(r["id"], r["text"]) for r in records]))


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
    import jieba.posseg as pseg

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


def errors_by_label(gold: Sequence[dict], predicted: Iterable[dict], context: int = 12) -> Dict[str, List[str]]:
    """False positives and negatives with context, grouped by label (for choosing the next improvement)."""
    by_id = {p["id"]: p for p in predicted}
    out: Dict[str, List[str]] = {}
    for g in gold:
        if g.get("entities") is None:
            continue
        text = g["text"]
        pred = by_id.get(g["id"], {"entities": []})
        gold_set = {(e["start"], e["end"], e["label"]) for e in g["entities"]}
        pred_set = {(e["start"], e["end"], e["label"]) for e in pred["entities"]}
        for kind, spans in (("FN", gold_set - pred_set), ("FP", pred_set - gold_set)):
            for s, e, label in sorted(spans):
                left, right = text[max(0, s - context):s], text[e:e + context]
                line = f"{kind} {g['id']}:{s} {left}[{text[s:e]}]{right}".replace("\n", "⏎")
                out.setdefault(label, []).append(line)
    return out


def markdown_report(
    results: Dict[str, Dict[str, object]],
    meta: Dict[str, object],
    per_fold: Optional[Dict[str, Dict[str, Dict[str, object]]]] = None,
    sections: Sequence[str] = (),
) -> str:
    """EVALUATION.md: headline table for every system, then ``sections`` (Markdown), per-fold figures, per-label
    detail, confusion matrix."""
    lines = ["# nlpkit evaluation", "", "Written by `nlpkit evaluate --write EVALUATION.md`; do not edit by hand.", ""]
    for key, value in meta.items():
        lines.append(f"- {key}: {value}")
    names = list(results)
    keys = list(headline(results[names[0]]))
    lines += ["", "## Headline (held-out reports)", "", *headline_table(results)]
    for section in sections:
        lines += ["", section.rstrip("\n")]
    if per_fold:
        lines += ["", "## Per fold (held-out report: headline figures)", ""]
        for key in keys:
            lines += [f"### {key}", "", "| report | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
            for rid, figures in per_fold.items():
                lines.append(f"| {rid} | " + " | ".join(figure_cell(figures[n], key) for n in names) + " |")
            lines.append("")
    for n in names:
        r = results[n]
        lines += ["", f"## {n}", "", "| label | strict P | strict R | strict F | overlap F | gold | predicted |",
                  "|---|---|---|---|---|---|---|"]
        for label, v in r["entities"].items():  # type: ignore[union-attr]
            s, o = v["strict"], v["overlap"]
            lines.append(f"| {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | {o['f']:.3f} | {v['n_gold']} | {v['n_pred']} |")
        lines += ["", "| sentence label | P | R | F |", "|---|---|---|---|"]
        for label, v in r["sentences"].items():  # type: ignore[union-attr]
            lines.append(f"| {label} | {v['p']:.3f} | {v['r']:.3f} | {v['f']:.3f} |")
        lines.append(f"\nSentence accuracy {r['sentences_accuracy']:.3f}; confusion (gold → predicted):\n")
        cols = list(SENTENCE_LABELS) + ["MISSING"]
        lines += ["| gold \\ pred | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        for g, row in r["confusion"].items():  # type: ignore[union-attr]
            lines.append(f"| {g} | " + " | ".join(str(row.get(c, 0)) for c in cols) + " |")
    return "\n".join(lines) + "\n"


def headline_table(results: Dict[str, Dict[str, object]]) -> List[str]:
    """The headline figures of every system as Markdown table lines."""
    names = list(results)
    lines = ["| figure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in headline(results[names[0]]):
        lines.append(f"| {key} | " + " | ".join(figure_cell(results[n], key) for n in names) + " |")
    return lines


def domain_section(by_domain: Dict[str, Dict[str, Dict[str, object]]]) -> str:
    """Headline figures pooled over the local and over the national held-out reports, local first."""
    lines = ["## By domain: local documents and State Council reports", "",
             "The same held-out predictions pooled per domain (local: the seeds and the local reports of "
             "cities, counties, districts and provinces; national: the State Council's reports). "
             "`nlpkit (no local reports)` is the pipeline trained once on the national reports alone: the transfer "
             "figure, what the local reports add."]
    for name, results in by_domain.items():
        lines += ["", f"### {name}", "", *headline_table(results)]
    return "\n".join(lines) + "\n"


def figure_cell(result: Dict[str, object], key: str) -> str:
    """A headline figure to three places, or – where the system does not predict that label at all."""
    value = headline(result)[key]
    entities = result["entities"]  # type: ignore[index]
    if key.startswith("sentence") and not any(result["sentences"][l]["p"] for l in result["sentences"]):  # type: ignore[index]
        return "–"
    label = key.split()[0]
    if label in entities and not entities[label]["n_pred"]:
        return "–"
    return f"{value:.3f}"


def run_meta(corpus_hash: Optional[str], gold_ids: Sequence[str], shared: Optional[Path] = None) -> Dict[str, object]:
    """Date, corpus hash, the reports scored and (with the shared data) the normaliser's Recognizers-Text pass rate
    on the specs' own spans."""
    meta: Dict[str, object] = {"date": datetime.date.today().isoformat(), "corpus hash": corpus_hash,
                               "reports scored": ", ".join(gold_ids)}
    specs = recognizers_specs(shared)
    if specs is not None:
        from .recognizers import pass_rate

        rate, cases = pass_rate(specs)
        meta["quantity normaliser alone, handed the gold span of each Recognizers-Text result"] = (
            f"{rate:.1%} of {len(cases)} results"
        )
    return meta


def recognizers_specs(shared: Optional[Path]) -> Optional[Path]:
    """The Recognizers-Text spec folder in the shared data, if it is there."""
    specs = shared / "data" / "recognizers_text_zh" if shared else None
    return specs if specs is not None and specs.exists() else None


def recognizers_section(nlp, specs: Path) -> str:
    """EVALUATION.md's end-to-end quantity table: every spec input through the pipeline as ``nlpkit extract`` runs
    it (nlpkit.recognizers.end_to_end)."""
    from .recognizers import end_to_end, markdown_table

    rows = end_to_end(pipeline_system(nlp), specs)
    intro = ("## Quantities end to end on the Recognizers-Text specs", "",
             "Each spec input through the shipped pipeline as `nlpkit extract` runs it; a result is found when a "
             "predicted QUANTITY overlaps it, right when the span overlapping it most has its value. The Number spec's "
             "results are mostly bare numbers, which ANNOTATION.md does not tag (no unit), so its found rate is low "
             "by design; its figure to read is the right value when found.", "")
    return "\n".join([*intro, *markdown_table(rows)]) + "\n"


def save_json(results: Dict[str, object], path: Path) -> None:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

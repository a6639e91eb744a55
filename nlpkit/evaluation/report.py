"""The evaluation as people read it: EVALUATION.md's tables, error listings, run metadata, JSON scores."""
from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from ..labels import SENTENCE_LABELS
from .scoring import headline
from .systems import pipeline_system


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
    """Headline figures pooled over the local and over the national held-out reports, local first, and over each
    kind of local document."""
    lines = ["## By domain: local documents and State Council reports", "",
             "The same held-out predictions pooled per domain (local: the seeds and the local reports of "
             "cities, counties, districts and provinces; national: the State Council's reports), and the local ones "
             "per kind of document (`local: …`: the seeds, bureau summaries and plans, and the government reports "
             "of each level). `nlpkit (no local reports)` is the pipeline trained once on the national reports "
             "alone: the transfer figure, what the local reports add."]
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

"""Leave-one-report-out: every system retrained on the other reports for each held-out one, pooled by domain."""
from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .. import corpus
from .baselines import baseline_systems
from .scoring import score
from .systems import pipeline_system, script_converted


TRANSFER = "nlpkit (no local reports)"


def cross_validate(
    config: Path,
    baseline_config: Optional[Path],
    corpus_dir: Path,
    work_dir: Path,
    on_fold=None,
    max_steps: int = 0,
    ablations: Sequence[Path] = (),
    scripts: Sequence[str] = ("s2t", "t2s"),
    jobs: int = 1,
    transfer: bool = True,
    only: Optional[Sequence[str]] = None,
    by_issuer: bool = False,
    issuer_groups: int = 0,
) -> Tuple[Dict[str, Dict[str, object]], Dict[str, Dict[str, Dict[str, object]]], Dict[str, Dict[str, Dict[str, object]]]]:
    """Leave-one-report-out over the fully annotated reports, every system trained on the same folds.

    Each fold trains ``config`` (each of ``ablations``, named ``nlpkit (<config stem>)``, and
    ``baseline_config``, spaCy's default NER) on every other report, with a training report as the dev set
    (model selection never sees the held-out report), and predicts the held-out one; the nlpkit fold model also
    predicts the held-out report converted to the other script (``scripts``: OpenCC directions), which shows the
    drop on text of the other script. With ``transfer``, ``config`` is also trained once on the national reports
    alone and predicts every local fold (``nlpkit (no local reports)``: what the local reports add). ``max_steps``
    (if set) shortens training for every system alike. ``jobs`` folds train at once, in forked processes
    (training is single-threaded; the figures do not depend on it). ``only``: hold out just these reports.
    ``by_issuer``: leave-one-issuer-out, a fold holding out a report with every other report of its issuer
    (``corpus.issuer``: the same county's other years), as documents from a body the corpus never read: the
    held-out reports of one issuer share a fold model (in ``work_dir/by-issuer``), and the national ones, all the
    State Council's, are predicted by a model of the local reports alone. ``issuer_groups`` (K): the same, with the
    issuers dealt to K groups (``held_out_groups``), one model a group (in ``work_dir/by-issuer-K``): K trainings
    score every report as one from an issuer the model never read. A rerun with the same ``work_dir`` reuses
    every model trained from the same config, overrides and corpus (``trained.json`` beside it) and trains the
    rest.
    Returns (scores over all held-out predictions pooled, scores per fold and system, pooled scores per group of
    held-out reports (``fold_groups``: domain, and kind of local document) and system).
    """

    records = corpus.read_records(corpus_dir)
    folds = [r for r in records if corpus.has_entities(r) and (only is None or r["id"] in only)]
    local = [r for r in folds if corpus.domain(r) == "local"]
    national = [r for r in records if corpus.domain(r) == "national"]
    transfer = transfer and bool(local) and any(corpus.has_entities(r) for r in national)
    by_issuer = by_issuer or bool(issuer_groups)
    fold_dir = work_dir / (f"by-issuer-{issuer_groups}" if issuer_groups else "by-issuer") if by_issuer else work_dir
    run = partial(_fold_predictions, records=records, config=config, baseline_config=baseline_config,
                  corpus_dir=corpus_dir, work_dir=fold_dir,
                  max_steps=max_steps, ablations=ablations, scripts=scripts, by_issuer=by_issuer)
    groups = held_out_groups(folds, by_issuer, issuer_groups)
    predicted: List[Dict[str, List[dict]]] = [{} for _ in folds]  # per report: system name -> its prediction
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) if jobs > 1 else nullcontext() as pool:
        trained_once = partial(_trained_predictions, national, local, config, corpus_dir, work_dir / "transfer", max_steps)
        transferred = pool.submit(trained_once) if pool and transfer else None
        held_groups = [[folds[i] for i in group] for group in groups]
        fold_results = pool.map(run, held_groups) if pool else map(run, held_groups)
        for n, (group, predictions) in enumerate(zip(groups, fold_results)):
            for i, prediction in zip(group, predictions):
                predicted[i] = prediction
            if on_fold is not None:
                on_fold(n + 1, len(groups), ",".join(folds[i]["id"] for i in group))
        if transfer:
            by_id = {p["id"]: p for p in (transferred.result() if transferred else trained_once())}
            for held, predictions in zip(folds, predicted):
                if held["id"] in by_id:
                    predictions[TRANSFER] = [by_id[held["id"]]]
    per_fold = {held["id"]: {name: score([held], p) for name, p in predictions.items()}
                for held, predictions in zip(folds, predicted)}

    def pooled(chosen: Sequence[int]) -> Dict[str, Dict[str, object]]:
        names = [name for name in predicted[chosen[0]] if all(name in predicted[i] for i in chosen)]
        return {name: score([folds[i] for i in chosen], [p for i in chosen for p in predicted[i][name]])
                for name in names}

    by_domain = {name: pooled(chosen) for name, chosen in fold_groups(folds).items()}
    return pooled(range(len(folds))), per_fold, by_domain


def fold_groups(folds: Sequence[dict]) -> Dict[str, List[int]]:
    """The held-out reports (as indices) per domain, local first, and, where the local ones are of more than one
    kind (``corpus.kind``), per kind of local document (``local: bureau documents (seeds)``)."""
    groups: Dict[str, List[int]] = {}
    for name in corpus.DOMAINS:
        chosen = [i for i, r in enumerate(folds) if corpus.domain(r) == name]
        if chosen:
            groups[name] = chosen
        if name == "local":
            kinds: Dict[str, List[int]] = {}
            for i in chosen:
                kinds.setdefault(corpus.kind(folds[i]), []).append(i)
            if len(kinds) > 1:
                groups.update({f"local: {k}": kinds[k] for k in sorted(kinds)})
    return groups


def held_out_groups(folds: Sequence[dict], by_issuer: bool = False, issuer_groups: int = 0) -> List[List[int]]:
    """The folds as indices of the held-out reports: one report each, or ``by_issuer`` one issuer's reports each
    (they have the same training reports, so one model predicts them all), or ``issuer_groups`` (K) groups of whole
    issuers: the issuers, ordered by kind of document (``corpus.kind``) and name, dealt in turn to K groups, so
    every group holds each kind and K models predict every report."""
    if not (by_issuer or issuer_groups):
        return [[i] for i in range(len(folds))]
    groups: Dict[str, List[int]] = {}
    for i, record in enumerate(folds):
        groups.setdefault(corpus.issuer(record), []).append(i)
    if not issuer_groups:
        return list(groups.values())
    dealt: List[List[int]] = [[] for _ in range(issuer_groups)]
    order = sorted(groups, key=lambda issuer: (corpus.kind(folds[groups[issuer][0]]), issuer))
    for n, issuer in enumerate(order):
        dealt[n % issuer_groups].extend(groups[issuer])
    return [sorted(group) for group in dealt if group]


def fold_training_records(records: Sequence[dict], held: Sequence[dict], by_issuer: bool = False) -> List[dict]:
    """The reports a fold trains on: every report but the ``held`` ones and, ``by_issuer``, but their issuers'."""
    ids, issuers = {r["id"] for r in held}, {corpus.issuer(r) for r in held} if by_issuer else set()
    return [r for r in records if r["id"] not in ids and corpus.issuer(r) not in issuers]


def _trained_predictions(
    train_records: List[dict], held: List[dict], config: Path, corpus_dir: Path, out: Path, max_steps: int
) -> List[dict]:
    """``config`` trained on ``train_records`` alone, predicting ``held``."""
    return trained_system(config, out, train_records, corpus_dir, max_steps)(held)


def trained_system(config: Path, out: Path, train_records: Sequence[dict], corpus_dir: Path, max_steps: int,
                   *, sections: bool = True):
    """Train ``config`` into ``out`` on ``train_records`` only and return the trained pipeline as a system."""
    from spacy.cli.train import train

    from .. import load

    overrides = pipeline_overrides(train_records, corpus_dir, max_steps, sections=sections)
    stamp = {"config": Path(config).read_text(encoding="utf-8"), "overrides": overrides,
             "corpus_hash": corpus.corpus_hash(corpus_dir)}
    if not _trained_as(out, stamp):
        train(config, out, overrides=overrides)
        (out / TRAINED_STAMP).write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
    return pipeline_system(load(out / "model-last"))


TRAINED_STAMP = "trained.json"  # what a fold model was trained from: a rerun reuses it only if all of it matches


def _trained_as(out: Path, stamp: Dict[str, object]) -> bool:
    """Whether ``out`` holds a finished model trained from exactly ``stamp`` (config, overrides, corpus hash)."""
    done = out / TRAINED_STAMP
    return (out / "model-last" / "config.cfg").exists() and done.exists() and \
        json.loads(done.read_text(encoding="utf-8")) == json.loads(json.dumps(stamp, ensure_ascii=False))


def pipeline_overrides(train_records: Sequence[dict], corpus_dir: Path, max_steps: int, *, sections: bool = True
                       ) -> Dict[str, object]:
    """``spacy train`` overrides that train on ``train_records`` only, with the first full-gold one of them as the dev
    set (model selection never sees a held-out report); ``sections``: the section classifier's reports too."""
    train_ids = ",".join(r["id"] for r in train_records)
    dev_id = next((r["id"] for r in train_records if corpus.has_entities(r)), None)
    if dev_id is None:  # a StopIteration here would end the caller's map of folds early, silently
        raise corpus.CorpusError("a fold has no fully annotated report left to train on")
    overrides: Dict[str, object] = {"paths.corpus": str(corpus_dir), "corpora.train.split": train_ids,
                                    "corpora.dev.split": dev_id}
    if sections:
        overrides["initialize.components.sections.reports.split"] = train_ids
    if max_steps:
        overrides["training.max_steps"] = max_steps
    return overrides


def _fold_predictions(
    held: List[dict],
    records: List[dict],
    config: Path,
    baseline_config: Optional[Path],
    corpus_dir: Path,
    work_dir: Path,
    max_steps: int,
    ablations: Sequence[Path],
    scripts: Sequence[str],
    by_issuer: bool,
) -> List[Dict[str, List[dict]]]:
    """Train every system on the fold's training reports and return, per ``held`` report, each one's prediction."""

    train_records = fold_training_records(records, held, by_issuer)
    out = work_dir / held[0]["id"]
    pipelines = [("nlpkit", config, "nlpkit")] + [(f"nlpkit ({a.stem})", a, a.stem) for a in ablations]
    systems = {name: trained_system(pipeline_config, out / folder, train_records, corpus_dir, max_steps)
               for name, pipeline_config, folder in pipelines}
    for direction in scripts:
        systems[f"nlpkit ({direction} text)"] = script_converted(systems["nlpkit"], direction)
    if baseline_config is not None:
        systems["spaCy NER (default, chars)"] = trained_system(
            baseline_config, out / "spacy_ner", train_records, corpus_dir, max_steps, sections=False)
    systems.update(baseline_systems(train_records)[0])
    return [{name: system([report]) for name, system in systems.items()} for report in held]

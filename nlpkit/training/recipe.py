"""The training recipe behind ``nlpkit train`` and the gold/baseline set-up behind ``nlpkit evaluate``."""
from __future__ import annotations

import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from .. import corpus as gold_corpus
from .. import MODEL_NAME, __version__, model_path


class TrainingError(Exception):
    """A training run that cannot start or finish; the message says why."""


def train_pipeline(config: Path, corpus_dir: Path, output: Path, *, overrides: Optional[Dict[str, object]] = None,
                   ship: bool = False, report: Callable[[str], None] = print) -> Dict[str, float]:
    """``spacy train`` with the corpus path set and the components saying what they initialise, then test-split
    scores into model-best's meta.json (and model-best shipped with ``ship``).

    With fewer steps than the evaluation interval spaCy would evaluate only the untrained step 0 and keep it as
    model-best, so the interval is cut to the step count. When model-last scores better on the dev split than
    model-best (steps after the last evaluation), ``report`` says so.
    """
    import logging

    from spacy.cli.train import train
    from spacy.util import load_config, logger

    overrides = {**(overrides or {}), "paths.corpus": str(corpus_dir)}
    try:
        settings = load_config(config, overrides=overrides, interpolate=False)["training"]
    except Exception as error:  # spaCy raises ConfigValidationError and plain errors for unknown sections
        raise TrainingError(f"{config}: {str(error).strip().splitlines()[0]}") from None
    max_steps, interval = int(settings["max_steps"]), int(settings["eval_frequency"])
    if max_steps and interval > max_steps:
        overrides["training.eval_frequency"] = max_steps
        report(f"evaluating every {max_steps} steps, not every {interval}: with {max_steps} steps the only "
               "evaluation would be the untrained step 0, which would become model-best")
    logger.setLevel(logging.INFO)  # the components log what they initialise (a minute or two before step 0)
    train(config, output, overrides=overrides)
    best, last = dev_score(output / "model-best"), dev_score(output / "model-last")
    if last > best:
        report(f"note: model-last scores {last:.3f} on the dev split, model-best {best:.3f}: the steps after the last "
               f"evaluation were not evaluated; model-last is in {output / 'model-last'}")
    return finalize_model(output / "model-best", corpus_dir, ship=ship)


def dev_score(model: Path) -> float:
    """The score spaCy chooses model-best by (the config's weighted ``score_weights``) on the dev split."""
    from spacy import load
    from spacy.training import Corpus  # noqa: F401  (registers the corpora readers)
    from spacy.util import registry

    nlp = load(model)
    config = nlp.config.interpolate()
    dev = registry.resolve(config["corpora"])["dev"]
    scores = nlp.evaluate(list(dev(nlp)))
    weights = config["training"]["score_weights"]
    return sum(float(scores.get(key) or 0.0) * weight for key, weight in weights.items() if weight)


def finalize_model(best: Path, corpus_dir: Path, *, ship: bool) -> Dict[str, float]:
    """Score a trained pipeline on the test split, record scores and corpus hash in its meta, ship it."""
    from .. import load
    from ..evaluate import evaluate_systems, pipeline_system
    from ..scoring import headline

    test, _ = gold_records(None, corpus_dir)
    results, _ = evaluate_systems(test, {"nlpkit": pipeline_system(load(best))})
    scores = headline(results["nlpkit"])
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        name=MODEL_NAME.split("_", 1)[1],  # spaCy prefixes the language: zh_nlpkit_reports
        version=__version__,
        description="nlpkit: ORG, QUANTITY, MEASURE and sentence sections for Chinese government work reports",
        license="MIT (model trained on public documents; UD GSDSimp not used)",
    )
    meta["nlpkit"] = {
        "corpus_hash": gold_corpus.corpus_hash(corpus_dir),
        "test_reports": [r["id"] for r in test],
        "test_scores": scores,
    }
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    if ship:
        target = model_path()
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(best, target)
    return scores


def gold_records(path: Optional[Path], corpus_dir: Optional[Path] = None) -> Tuple[List[dict], List[dict]]:
    """(gold records to score, training records for the baselines).

    Default: the corpus test split, with the train split for the baselines. A file or folder of
    gold JSONL is scored as given; the baselines then train on the whole corpus, or on nothing when there is no
    corpus folder (an installed package scoring a user's own gold).
    """
    corpus_dir = Path(corpus_dir or gold_corpus.default_corpus_dir())
    if path is None:
        records = gold_corpus.read_records(corpus_dir)
        split = gold_corpus.splits(corpus_dir, records)
        test = [r for r in records if r["id"] in set(split["test"])]
        train = [r for r in records if r["id"] in set(split["train"])]
        return test, train
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.exists() for f in files):
        raise gold_corpus.CorpusError(f"{path}: no gold .jsonl files")
    test = [json.loads(l) for f in files for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
    test_ids = {r["id"] for r in test}
    records = gold_corpus.read_records(corpus_dir) if corpus_dir.exists() else []
    return test, [r for r in records if r["id"] not in test_ids]


def baseline_systems(train: List[dict]) -> Tuple[Dict[str, object], List[str]]:
    """The baselines of the evaluation, trained where they learn on the same training reports, and a note for
    each one left out (no training reports, a missing extra)."""
    from ..evaluate import jieba_system, regex_quantity_system, tfidf_sentence_system

    systems: Dict[str, object] = {"regex quantities": regex_quantity_system}
    notes: List[str] = []
    if train:
        systems["tfidf+LR sentences"] = tfidf_sentence_system(train)
    else:
        notes.append("tfidf+LR sentences left out: no corpus to train it on (--corpus)")
    try:
        import jieba  # noqa: F401  (optional extra: nlpkit[baselines])
    except ImportError:
        notes.append("jieba.posseg left out: jieba is not installed (pip install 'nlpkit[baselines]')")
    else:
        systems["jieba.posseg"] = jieba_system
    return systems, notes


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
) -> Tuple[Dict[str, Dict[str, object]], Dict[str, Dict[str, Dict[str, object]]], Dict[str, Dict[str, Dict[str, object]]]]:
    """Leave-one-report-out over the fully annotated reports, every system trained on the same folds.

    Each fold trains ``config`` (each of ``ablations``, named ``nlpkit (<config stem>)``, and
    ``baseline_config``, spaCy's default NER) on every other report, with a training report as the dev set
    (model selection never sees the held-out report), and predicts the held-out one; the nlpkit fold model also
    predicts the held-out report converted to the other script (``scripts``: OpenCC directions), which shows the
    drop on text of the other script. With ``transfer``, ``config`` is also trained once on the national reports
    alone and predicts every local fold (``nlpkit (no local reports)``: what the local reports add). ``max_steps``
    (if set) shortens training for every system alike. ``jobs`` folds train at once, in forked processes
    (training is single-threaded; the figures do not depend on it). ``only``: hold out just these reports (each
    still trained on all the others). A rerun with the same ``work_dir`` reuses every model trained from the same
    config, overrides and corpus (``trained.json`` beside it) and trains the rest.
    Returns (scores over all held-out predictions pooled, scores per fold and system, pooled scores per domain
    (``corpus.domain``) and system).
    """
    from ..scoring import score

    records = gold_corpus.read_records(corpus_dir)
    folds = [r for r in records if gold_corpus.has_entities(r) and (only is None or r["id"] in only)]
    local = [r for r in folds if gold_corpus.domain(r) == "local"]
    national = [r for r in records if gold_corpus.domain(r) == "national"]
    transfer = transfer and bool(local) and any(gold_corpus.has_entities(r) for r in national)
    run = partial(_fold_predictions, records=records, config=config, baseline_config=baseline_config,
                  corpus_dir=corpus_dir, work_dir=work_dir, max_steps=max_steps, ablations=ablations, scripts=scripts)
    predicted: List[Dict[str, List[dict]]] = []  # per fold: system name -> its prediction of the held-out report
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) if jobs > 1 else nullcontext() as pool:
        trained_once = partial(_trained_predictions, national, local, config, corpus_dir, work_dir / "transfer", max_steps)
        transferred = pool.submit(trained_once) if pool and transfer else None
        for n, (held, predictions) in enumerate(zip(folds, pool.map(run, folds) if pool else map(run, folds))):
            predicted.append(predictions)
            if on_fold is not None:
                on_fold(n + 1, len(folds), held["id"])
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

    by_domain = {}
    for name in gold_corpus.DOMAINS:
        chosen = [i for i, r in enumerate(folds) if gold_corpus.domain(r) == name]
        if chosen:
            by_domain[name] = pooled(chosen)
    return pooled(range(len(folds))), per_fold, by_domain


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
    from ..evaluate import pipeline_system

    overrides = pipeline_overrides(train_records, corpus_dir, max_steps, sections=sections)
    stamp = {"config": Path(config).read_text(encoding="utf-8"), "overrides": overrides,
             "corpus_hash": gold_corpus.corpus_hash(corpus_dir)}
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
    dev_id = next(r["id"] for r in train_records if gold_corpus.has_entities(r))
    overrides: Dict[str, object] = {"paths.corpus": str(corpus_dir), "corpora.train.split": train_ids,
                                    "corpora.dev.split": dev_id}
    if sections:
        overrides["initialize.components.sections.reports.split"] = train_ids
    if max_steps:
        overrides["training.max_steps"] = max_steps
    return overrides


def _fold_predictions(
    held: dict,
    records: List[dict],
    config: Path,
    baseline_config: Optional[Path],
    corpus_dir: Path,
    work_dir: Path,
    max_steps: int,
    ablations: Sequence[Path],
    scripts: Sequence[str],
) -> Dict[str, List[dict]]:
    """Train every system on the reports other than ``held`` and return each one's prediction of it."""
    from ..evaluate import script_converted

    train_records = [r for r in records if r["id"] != held["id"]]
    out = work_dir / held["id"]
    pipelines = [("nlpkit", config, "nlpkit")] + [(f"nlpkit ({a.stem})", a, a.stem) for a in ablations]
    systems = {name: trained_system(pipeline_config, out / folder, train_records, corpus_dir, max_steps)
               for name, pipeline_config, folder in pipelines}
    for direction in scripts:
        systems[f"nlpkit ({direction} text)"] = script_converted(systems["nlpkit"], direction)
    if baseline_config is not None:
        systems["spaCy NER (default, chars)"] = trained_system(
            baseline_config, out / "spacy_ner", train_records, corpus_dir, max_steps, sections=False)
    systems.update(baseline_systems(train_records)[0])
    return {name: system([held]) for name, system in systems.items()}

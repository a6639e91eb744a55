"""The training recipe behind ``nlpkit train``: spaCy's training, a look at model-last, scores into the meta."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable, Dict, Optional

from .. import corpus
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
    from ..evaluation.scoring import headline
    from ..evaluation.systems import evaluate_systems, gold_records, pipeline_system

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
        "corpus_hash": corpus.corpus_hash(corpus_dir),
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

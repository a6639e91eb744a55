"""The training recipe behind ``nlpkit train``: spaCy's training, then the last step scored into its meta."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Dict, Optional

from .. import corpus
from .. import MODEL_NAME, __version__, model_path


class TrainingError(Exception):
    """A training run that cannot start or finish; the message says why."""


def train_pipeline(config: Path, corpus_dir: Path, output: Path, *, overrides: Optional[Dict[str, object]] = None,
                   ship: bool = False) -> Dict[str, float]:
    """``spacy train`` with the corpus path set and the components saying what they initialise, then test-split
    scores into model-last's meta.json (and model-last shipped with ``ship``).

    The pipeline that ships is the last step, as leave-one-report-out trains and measures it, not the checkpoint the
    dev split prefers: two reports are too few to choose by (between steps 500 and 1500 the dev score did not rise
    while MEASURE on seven held-out local reports rose from 0.50 to 0.63 strict F; EVALUATION.md).
    """
    import logging

    from spacy.cli.train import train
    from spacy.util import load_config, logger

    overrides = {**(overrides or {}), "paths.corpus": str(corpus_dir)}
    try:
        load_config(config, overrides=overrides, interpolate=False)
    except Exception as error:  # spaCy raises ConfigValidationError and plain errors for unknown sections
        raise TrainingError(f"{config}: {str(error).strip().splitlines()[0]}") from None
    logger.setLevel(logging.INFO)  # the components log what they initialise (a minute or two before step 0)
    train(config, output, overrides=overrides)
    return finalize_model(output / "model-last", corpus_dir, ship=ship)


def finalize_model(model: Path, corpus_dir: Path, *, ship: bool) -> Dict[str, float]:
    """Score a trained pipeline on the test split, record scores and corpus hash in its meta, ship it."""
    from .. import load
    from ..evaluation.scoring import headline
    from ..evaluation.systems import evaluate_systems, gold_records, pipeline_system

    test, _ = gold_records(None, corpus_dir)
    results, _ = evaluate_systems(test, {"nlpkit": pipeline_system(load(model))})
    scores = headline(results["nlpkit"])
    meta_path = model / "meta.json"
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
        shutil.copytree(model, target)
    return scores

"""Training smoke test: the shipped config trains a few steps on the tiny corpus through the registered reader."""
import os
import subprocess
import sys

import pytest
import spacy

from .conftest import ROOT


@pytest.mark.slow
def test_spacy_train_with_registered_reader(tiny_corpus, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(ROOT / "configs" / "pipeline.cfg"), "--output", str(tmp_path),
         "--paths.corpus", str(tiny_corpus), "--training.max_steps", "20", "--training.eval_frequency", "10"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    nlp = spacy.load(tmp_path / "model-last")
    doc = nlp("一、工作回顾\n县应急管理局开展检查12场。")
    assert [s.label_ for s in doc.spans["sentences"]]
    assert any(e.label_ == "QUANTITY" for e in doc.ents)


def test_shipped_pipeline_meta_records_corpus_and_scores(shipped_nlp):
    meta = shipped_nlp.meta["nlpkit"]
    assert len(meta["corpus_hash"]) == 64
    assert set(meta["test_scores"]) >= {"QUANTITY strict F", "sentence macro-F (A/P/P)"}


def test_shipped_pipeline_loads_without_importing_nlpkit():
    code = (
        "import spacy, sys; nlp = spacy.load(sys.argv[1]); doc = nlp('一、回顾\\n检查企业3家。');"
        "print([s.label_ for s in doc.spans['sentences']], [e.label_ for e in doc.ents])"
    )
    path = str(ROOT / "nlpkit" / "models" / "zh_nlpkit_reports")
    result = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-1500:]
    assert "QUANTITY" in result.stdout


@pytest.mark.slow
def test_model_package_installs_and_loads_by_name(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nlpkit", "package", str(tmp_path / "pkg")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-1500:]
    wheel = next((tmp_path / "pkg").glob("*/dist/zh_nlpkit_reports-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    code = "import spacy; nlp = spacy.load('zh_nlpkit_reports'); print(nlp('下拨资金3.2亿元。').ents[0]._.value)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(site)})
    assert loaded.returncode == 0, loaded.stderr[-1500:]
    assert loaded.stdout.strip() == "320000000"

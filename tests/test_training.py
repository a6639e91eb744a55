"""Training smoke test: the shipped config trains a few steps on the tiny corpus through the registered reader."""
import json
import os
import subprocess
import sys

import pytest
import spacy

from nlpkit.training.readers import record_to_example

from .conftest import ROOT, load_fixture


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


@pytest.mark.slow
def test_the_ner_alone_learns_a_tiny_corpus(tiny_corpus, tmp_path):
    """Without the rule components nothing else supplies the labels: the statistical NER itself must learn."""
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(ROOT / "configs" / "pipeline.cfg"), "--output", str(tmp_path),
         "--paths.corpus", str(tiny_corpus), "--nlp.pipeline", '["char_features","ner"]',
         "--corpora.train.split", "all", "--corpora.dev.split", "all", "--training.max_steps", "150",
         "--training.eval_frequency", "50", "--training.dropout", "0.0", "--training.score_weights", '{"ents_f": 1.0}'],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    nlp = spacy.load(tmp_path / "model-best")
    assert nlp.pipe_names == ["char_features", "ner"]
    examples = [record_to_example(nlp, r) for r in load_fixture("tiny.jsonl")]
    assert nlp.evaluate(examples)["ents_f"] == 1.0


def test_shipped_pipeline_meta_records_corpus_and_scores(shipped_nlp):
    from nlpkit.corpus import corpus_hash

    meta = shipped_nlp.meta["nlpkit"]
    assert meta["corpus_hash"] == corpus_hash(ROOT / "corpus"), "the shipped pipeline was trained on another corpus: run nlpkit train --ship"
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
    wheel = next((tmp_path / "pkg").glob("zh_nlpkit_reports-*.whl"))
    assert result.stderr.strip().endswith(str(wheel)) and "warning" not in result.stderr.lower()
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    code = "import spacy; nlp = spacy.load('zh_nlpkit_reports'); print(nlp('下拨资金3.2亿元。').ents[0]._.value)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(site)})
    assert loaded.returncode == 0, loaded.stderr[-1500:]
    assert loaded.stdout.strip() == "320000000"


@pytest.mark.slow
def test_cross_validation_trains_every_fold_with_ablations_and_script_conversions(tiny_corpus, tmp_path):
    from nlpkit.evaluation.report import figure_cell, markdown_report
    from nlpkit.evaluation.crossval import cross_validate

    variant = tmp_path / "variant.cfg"
    variant.write_text((ROOT / "configs" / "pipeline.cfg").read_text(encoding="utf-8"), encoding="utf-8")
    folds = []
    results, per_fold, by_domain = cross_validate(
        ROOT / "configs" / "pipeline.cfg", None, tiny_corpus, tmp_path / "cv", max_steps=5, ablations=[variant],
        on_fold=lambda done, total, rid: folds.append((done, total, rid)),
    )
    systems = {"nlpkit", "nlpkit (variant)", "nlpkit (s2t text)", "nlpkit (t2s text)", "tfidf+LR sentences"}
    assert systems <= set(results)
    assert [f[:2] for f in folds] == [(1, 3), (2, 3), (3, 3)] and set(per_fold) == {f[2] for f in folds}
    assert all(systems <= set(by_system) for by_system in per_fold.values())
    assert (tmp_path / "cv" / folds[0][2] / "variant" / "model-last").is_dir()
    assert figure_cell(results["tfidf+LR sentences"], "ORG strict F") == "–"
    report = markdown_report(results, {"date": "today"}, per_fold)
    header = next(line for line in report.splitlines() if line.startswith("| figure |"))
    assert "| nlpkit (variant) |" in header and "| nlpkit (t2s text) |" in header
    assert all(f"| {rid} |" in report for rid in per_fold)
    in_parallel, per_fold_in_parallel, _ = cross_validate(
        ROOT / "configs" / "pipeline.cfg", None, tiny_corpus, tmp_path / "cv2", max_steps=5, scripts=(), jobs=2)
    assert {rid: by_system["nlpkit"] for rid, by_system in per_fold_in_parallel.items()} == \
        {rid: by_system["nlpkit"] for rid, by_system in per_fold.items()}
    assert in_parallel["nlpkit"] == results["nlpkit"]


@pytest.mark.slow
def test_cross_validation_pools_by_domain_with_a_transfer_system(tiny_corpus, tmp_path):
    from nlpkit.evaluation.report import domain_section
    from nlpkit.evaluation.crossval import TRANSFER, cross_validate

    records = load_fixture("tiny.jsonl")
    records[0]["source"] = "gov_work_reports:1999"  # t1 stands for a State Council report: the national domain
    (tiny_corpus / "tiny.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                           encoding="utf-8")
    results, per_fold, by_domain = cross_validate(
        ROOT / "configs" / "pipeline.cfg", None, tiny_corpus, tmp_path / "cv", max_steps=3, scripts=())
    assert set(by_domain) == {"local", "national"}
    assert TRANSFER in by_domain["local"] and TRANSFER not in by_domain["national"] and TRANSFER not in results
    assert TRANSFER in per_fold["t2"] and TRANSFER not in per_fold["t1"]
    assert (tmp_path / "cv" / "transfer" / "model-last").is_dir()
    section = domain_section(by_domain)
    assert section.index("### local") < section.index("### national")


@pytest.mark.slow
def test_cross_validation_by_issuer_trains_one_model_per_issuer_without_its_reports(tiny_corpus, tmp_path):
    from nlpkit.evaluation.crossval import TRAINED_STAMP, cross_validate

    records = load_fixture("tiny.jsonl")
    for record, year in zip(records, ("2020", "2021", "2020")):
        record["source"] = f"local_reports:{'anguo' if record['id'] != 't3' else 'boye'}-city-gov-report-{year}"
    (tiny_corpus / "tiny.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                           encoding="utf-8")
    folds = []
    _, per_fold, _ = cross_validate(ROOT / "configs" / "pipeline.cfg", None, tiny_corpus, tmp_path / "cv",
                                    max_steps=2, scripts=(), by_issuer=True,
                                    on_fold=lambda done, total, ids: folds.append((done, total, ids)))
    assert folds == [(1, 2, "t1,t2"), (2, 2, "t3")] and set(per_fold) == {"t1", "t2", "t3"}

    def trained_on(held):
        stamp = tmp_path / "cv" / "by-issuer" / held / "nlpkit" / TRAINED_STAMP
        return json.loads(stamp.read_text(encoding="utf-8"))["overrides"]["corpora.train.split"]

    assert trained_on("t1") == "t3" and trained_on("t3") == "t1,t2"
    assert not (tmp_path / "cv" / "by-issuer" / "t2").exists()
    # two groups of whole issuers: the same two folds here, their models kept apart from the one-issuer ones
    _, grouped, _ = cross_validate(ROOT / "configs" / "pipeline.cfg", None, tiny_corpus, tmp_path / "cv",
                                   max_steps=2, scripts=(), issuer_groups=2)
    assert set(grouped) == {"t1", "t2", "t3"}
    assert sorted(p.name for p in (tmp_path / "cv" / "by-issuer-2").iterdir()) == ["t1", "t3"]


def test_a_fold_by_issuer_holds_out_the_issuers_reports_together():
    from nlpkit.evaluation.crossval import fold_training_records, held_out_groups

    from .test_corpus import RECORDS

    def training(held, by_issuer):
        return [r["id"] for r in fold_training_records(RECORDS, [RECORDS[i] for i in held], by_issuer)]

    assert training([0], False) == ["a22", "gwr-2020", "gwr-2021", "seed-000", "mine"]
    assert training([0], True) == ["gwr-2020", "gwr-2021", "seed-000", "mine"]
    assert training([2, 3], True) == ["a20", "a22", "seed-000", "mine"]  # a national fold: the local reports alone
    assert training([4], True) == training([4], False)
    assert held_out_groups(RECORDS) == [[0], [1], [2], [3], [4], [5]]
    assert held_out_groups(RECORDS, by_issuer=True) == [[0, 1], [2, 3], [4], [5]]


def test_issuer_groups_deal_whole_issuers_by_kind_to_k_groups():
    from nlpkit.evaluation.crossval import held_out_groups

    from .test_corpus import RECORDS

    # by kind, then name: the State Council, seed-000 (seeds), anguo (county), mine (other) dealt in turn
    assert held_out_groups(RECORDS, issuer_groups=2) == [[0, 1, 2, 3], [4, 5]]
    assert held_out_groups(RECORDS, issuer_groups=3) == [[2, 3, 5], [4], [0, 1]]
    # more groups than issuers: one issuer a group, no empty group
    assert sorted(held_out_groups(RECORDS, issuer_groups=10)) == sorted(held_out_groups(RECORDS, by_issuer=True))


def test_held_out_reports_are_pooled_by_domain_and_by_kind_of_local_document():
    from nlpkit.evaluation.crossval import fold_groups

    from .test_corpus import RECORDS

    assert fold_groups(RECORDS[:5]) == {"local": [0, 1, 4], "local: bureau documents (seeds)": [4],
                                        "local: county government reports": [0, 1], "national": [2, 3]}
    assert fold_groups(RECORDS[:2]) == {"local": [0, 1]}  # one kind: nothing to split


def test_a_fold_without_a_fully_annotated_training_report_is_a_corpus_error(tmp_path):
    from nlpkit.corpus import CorpusError
    from nlpkit.evaluation.crossval import pipeline_overrides

    with pytest.raises(CorpusError, match="no fully annotated report"):
        pipeline_overrides([{"id": "sentences-only", "entities": None}], tmp_path, 0)

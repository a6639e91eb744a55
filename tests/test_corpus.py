import json
import subprocess
import sys

import pytest

from nlpkit import corpus
from nlpkit.corpus import validate, validate_record

from .conftest import ROOT, load_fixture, needs_shared


def test_tiny_corpus_is_valid(tiny_corpus):
    assert validate(tiny_corpus) == []


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda r: r["entities"][0].update(end=10_000), "out of range"),
        (lambda r: r["entities"][0].update(start=r["entities"][0]["start"] - 1), "whitespace or punctuation"),
        (lambda r: r["entities"].append(dict(r["entities"][0])), "overlaps"),
        (lambda r: r["entities"][0].update(label="PERSON"), "unknown entity label"),
        (lambda r: r["entities"][1].pop("unit"), "QUANTITY without a unit"),
        (lambda r: r["sentences"].pop(2), "do not cover"),
        (lambda r: r["sentences"][0].update(label="INTRO"), "unknown sentence label"),
    ],
)
def test_broken_records_are_reported_with_id_offsets_and_text(mutate, message):
    record = load_fixture("tiny.jsonl")[0]
    mutate(record)
    problems = validate_record(record)
    assert any(message in p.message for p in problems), problems
    assert all(p.report == "t1" for p in problems)


def test_standoff_hash_mismatch_is_reported(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "splits.json").write_text('{"dev": [], "test": []}')
    fake = tmp_path / "shared" / "data" / "gov_work_reports"
    fake.mkdir(parents=True)
    (fake / "government_work_reports.jsonl").write_text(json.dumps({"year": 2001, "content": "报告。"}) + "\n")
    record = {"id": "g", "source": "gov_work_reports:2001", "sha256": "0" * 64, "entities": None,
              "sentences": [{"start": 0, "end": 3, "label": "OTHER"}]}
    (folder / "g.jsonl").write_text(json.dumps(record) + "\n")
    import os
    os.environ["NLPKIT_SHARED"] = str(tmp_path / "shared")
    try:
        corpus._shared_texts.cache_clear()
        problems = validate(folder)
    finally:
        del os.environ["NLPKIT_SHARED"]
        corpus._shared_texts.cache_clear()
    assert [p.message for p in problems] == ["stand-off hash no longer matches gov_work_reports:2001"]


def test_cli_validate_fails_on_broken_fixture(tmp_path, tiny_corpus):
    records = load_fixture("tiny.jsonl")
    records[0]["entities"][0]["end"] += 1  # now ends inside punctuation-free text but overlaps nothing
    records[0]["entities"][0]["start"] -= 1
    (tiny_corpus / "tiny.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    result = subprocess.run([sys.executable, "-m", "nlpkit", "corpus", "validate", str(tiny_corpus)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "t1 [" in result.stderr and "Traceback" not in result.stderr


@needs_shared()
def test_project_corpus_is_valid_and_split_by_report():
    assert validate(ROOT / "corpus") == []
    dataset, loro_ids = corpus.load(ROOT / "corpus")
    ids = {split: set(dataset[split]["id"]) for split in dataset}
    assert not ids["train"] & ids["test"] and not ids["dev"] & ids["test"] and not ids["train"] & ids["dev"]
    assert len(loro_ids) >= 5
    reserved = {"gwr-2019", "gwr-2024"}  # the State Council's 2019 and 2024 reports (local reports of 2024 are fine)
    assert not any(i in reserved for split in ids.values() for i in split)
    assert all(i.startswith(("seed-", "gwr-", "local-")) for split in ids.values() for i in split)


def test_missing_shared_data_is_one_clear_line(tmp_path):
    import os

    env = {**os.environ, "NLPKIT_SHARED": str(tmp_path / "nowhere")}
    result = subprocess.run([sys.executable, "-m", "nlpkit", "corpus", "validate", str(ROOT / "corpus")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2
    assert "stand-off reports need" in result.stderr and "NLPKIT_SHARED" in result.stderr
    assert "Traceback" not in result.stderr



RECORDS = [{"id": "a20", "source": "local_reports:anguo-city-gov-report-2020", "level": "county"},
           {"id": "a22", "source": "local_reports:anguo-city-gov-report-2022", "level": "county"},
           {"id": "gwr-2020", "source": "gov_work_reports:2020"},
           {"id": "gwr-2021", "source": "gov_work_reports:2021"},
           {"id": "seed-000", "source": "seeds/000.txt"},
           {"id": "mine"}]


def test_a_local_report_series_is_one_issuer_and_the_state_council_another():
    assert corpus.issuer(RECORDS[0]) == corpus.issuer(RECORDS[1]) == "anguo-city-gov-report"
    assert corpus.issuer(RECORDS[2]) == corpus.issuer(RECORDS[3]) == "State Council"
    assert [corpus.issuer(r) for r in RECORDS[4:]] == ["seed-000", "mine"]  # else each record its own


def test_reports_are_of_a_kind_by_domain_source_and_level():
    assert [corpus.kind(r) for r in RECORDS[1:]] == [
        "county government reports", "State Council reports", "State Council reports", "bureau documents (seeds)",
        "other local documents"]
    assert corpus.kind({**RECORDS[1], "level": "province"}) == "provincial government reports"

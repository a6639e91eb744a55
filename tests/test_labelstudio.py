"""Label Studio round trip: records → tasks with predictions → (a user's annotation) → export → gold records."""
import copy
import json
import subprocess
import sys

import pytest

from nlpkit.corpus import validate_record
from nlpkit.labelstudio import label_config, records_from_export, task_of, utf16_offsets

from .conftest import ROOT

TEXT = "𠀀区应急管理局下拨资金3.2亿元。开展“安全生产月”活动。\n明年将新建避难场所6处。"


@pytest.fixture(scope="module")
def record(shipped_nlp):
    import nlpkit

    return nlpkit.extract({"id": "r1", "text": TEXT}, nlp=shipped_nlp)


def accepted(task: dict) -> dict:
    """The task as a Label Studio export holds it once an annotator submitted the prediction unchanged."""
    exported = copy.deepcopy(task)
    exported["id"] = 7
    exported["annotations"] = [{"id": 1, "was_cancelled": False, "result": exported["predictions"][0]["result"]}]
    return exported


def test_offsets_count_utf16_units_outside_the_bmp():
    assert utf16_offsets("𠀀区a") == [0, 2, 3, 4]


def test_an_accepted_prediction_comes_back_as_the_same_record(record):
    task = task_of(record)
    quantity = next(r for r in task["predictions"][0]["result"] if r["value"].get("labels") == ["QUANTITY"])
    assert quantity["value"]["start"] == TEXT.index("3.2亿元") + 1  # the astral character is two UTF-16 units
    records, problems, unannotated = records_from_export([accepted(task)])
    assert problems == [] and unannotated == []
    assert records == [{k: record[k] for k in ("id", "text", "entities", "sentences")}]
    assert validate_record(records[0]) == []


def test_corrections_are_what_comes_back(record):
    task = accepted(task_of(record))
    result = task["annotations"][0]["result"]
    for item in result:
        if item["from_name"] == "section" and item["value"]["text"].startswith("明年"):
            item["value"]["labels"] = ["PLAN"]
        if item["from_name"] == "quantity" and item["value"]["text"][0].startswith('{"value": 320000000'):
            item["value"]["text"] = ['{"value": 320000000, "unit": "元", "approx": true}']
    result[:] = [item for item in result if item["value"].get("text") != "区应急管理局"]  # deleted, then drawn again
    result.append({"id": "new", "from_name": "entity", "to_name": "text", "type": "labels",
                   "value": {"start": 2, "end": 8, "text": "区应急管理局", "labels": ["ORG"]}})
    gold, problems, _ = records_from_export([task])
    assert problems == []
    assert gold[0]["sentences"][-1]["label"] == "PLAN"
    assert {"start": 1, "end": 7, "label": "ORG", "text": "区应急管理局"} in gold[0]["entities"]
    money = next(e for e in gold[0]["entities"] if e["text"] == "3.2亿元")
    assert money["approx"] is True and money["value"] == 320000000


def test_unannotated_tasks_are_left_out_and_bad_attributes_reported(record):
    task = accepted(task_of(record))
    for item in task["annotations"][0]["result"]:
        if item["from_name"] == "quantity":
            item["value"]["text"] = ["3.2亿"]
    records, problems, unannotated = records_from_export([task, task_of({**record, "id": "r2"})])
    assert unannotated == ["r2"] and len(records) == 1
    assert len(problems) >= 1 and "attributes are not JSON" in problems[0]


def test_the_interface_and_tasks_are_what_label_studio_reads(record):
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface(label_config())
    assert {c.name for c in interface.controls} == {"entity", "section", "quantity"}
    task = task_of(record)
    assert interface.validate_task({"data": task["data"]})
    assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []
    broken = copy.deepcopy(task["predictions"][0])
    broken["result"][0]["value"]["labels"] = ["PERSON"]
    assert interface.validate_prediction(broken, return_errors=True)  # the SDK does check what it is given


def test_cli_round_trip_into_a_valid_corpus(record, tmp_path):
    source = tmp_path / "mine.txt"
    source.write_text(TEXT, encoding="utf-8")
    tasks_path = tmp_path / "tasks.json"
    run = lambda *args: subprocess.run([sys.executable, "-m", "nlpkit", *args], capture_output=True, cwd=ROOT)  # noqa: E731
    assert run("extract", str(source), "--format", "labelstudio", "-o", str(tasks_path)).returncode == 0
    config = run("corpus", "label-config").stdout.decode()
    assert config.startswith("<View>") and 'name="section"' in config
    export = tmp_path / "export.json"
    export.write_text(json.dumps([accepted(t) for t in json.loads(tasks_path.read_text(encoding="utf-8"))]),
                      encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    imported = run("corpus", "import", str(export), "-o", str(corpus / "mine.jsonl"), "--test", "1")
    assert imported.returncode == 0, imported.stderr.decode()
    assert json.loads((corpus / "splits.json").read_text(encoding="utf-8")) == {"dev": [], "test": ["mine"]}
    validated = run("corpus", "validate", str(corpus))
    assert validated.returncode == 0, validated.stderr.decode()
    unlabelled = [accepted(t) for t in json.loads(tasks_path.read_text(encoding="utf-8"))]
    result = unlabelled[0]["annotations"][0]["result"]
    result[:] = [r for r in result if not (r["from_name"] == "section" and r["value"]["start"] == 0)]
    export.write_text(json.dumps(unlabelled), encoding="utf-8")
    refused = run("corpus", "import", str(export), "-o", str(corpus / "other.jsonl"))
    assert refused.returncode == 1 and not (corpus / "other.jsonl").exists()
    assert b"sentence [0:" in refused.stderr  # offsets in brackets survive the console's markup
    export.write_text("{oops", encoding="utf-8")
    bad = run("corpus", "import", str(export), "-o", str(corpus / "other.jsonl"))
    assert bad.returncode == 2 and b"not a Label Studio JSON export" in bad.stderr and not (corpus / "other.jsonl").exists()

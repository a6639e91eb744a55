"""The Dask engine on a real LocalCluster of 2 worker processes: the same records as one machine, also when a
worker is killed mid-run; resuming; per-document errors; Parquet; bags; the command line."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")
import pyarrow.parquet as pq  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from nlpkit import distributed  # noqa: E402
from nlpkit.io import InputError, find_inputs, read_files  # noqa: E402
from nlpkit.streaming import process  # noqa: E402

from .conftest import ROOT  # noqa: E402

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def cluster():
    with distributed.environment_restored(), LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40,
    ) as local, Client(local) as client:
        yield local.scheduler_address, client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list:
    """The seeds as .txt files and, cut into paragraphs, as one JSONL file that spans several partitions."""
    folder = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS[:3]:
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    paragraphs = [p for seed in SEEDS for p in seed.read_text(encoding="utf-8").split("\n") if len(p) > 40]
    with open(folder / "paragraphs.jsonl", "w", encoding="utf-8") as handle:
        for n, paragraph in enumerate(paragraphs):
            handle.write(json.dumps({"id": f"p{n}", "text": paragraph}, ensure_ascii=False) + "\n")
    return [str(folder)]


def one_machine(shipped_nlp, paths) -> list:
    documents = ((d.id, d.text) for d in read_files(find_inputs(paths).files))
    return [json.dumps(r, ensure_ascii=False) for r in process(shipped_nlp, documents)]


def parts(folder: Path, suffix: str = "jsonl") -> list:
    return [line for path in sorted(folder.glob(f"part-*.{suffix}")) for line in path.read_text(encoding="utf-8").splitlines()]


def test_cluster_output_equals_one_machine_record_for_record(cluster, inputs, shipped_nlp, tmp_path):
    summary = distributed.extract(inputs, tmp_path, scheduler=cluster[0], partition_bytes=8_000)
    expected = one_machine(shipped_nlp, inputs)
    assert parts(tmp_path) == expected
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and all(p["done"] for p in manifest["partitions"])
    assert summary.partitions == len(manifest["partitions"]) >= 4 and summary.documents == len(expected)
    jsonl_slices = [i for p in manifest["partitions"] for i in p["inputs"] if "paragraphs.jsonl:" in i]
    assert len(jsonl_slices) >= 2  # the JSONL file was cut between partitions


def test_a_killed_worker_changes_nothing(cluster, inputs, shipped_nlp, tmp_path):
    address, client = cluster
    pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one(done, total):
        if done == 1 and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    distributed.extract(inputs, tmp_path, scheduler=address, partition_bytes=4_000, on_progress=kill_one)
    assert killed and killed[0] not in client.run(os.getpid).values()
    assert parts(tmp_path) == one_machine(shipped_nlp, inputs)


def test_a_rerun_resumes_and_a_changed_input_runs_again(cluster, inputs, tmp_path):
    first = distributed.extract(inputs, tmp_path, scheduler=cluster[0], partition_bytes=8_000)
    before = parts(tmp_path)
    again = distributed.extract(inputs, tmp_path, scheduler=cluster[0], partition_bytes=8_000)
    assert again.reused == again.partitions == first.partitions and parts(tmp_path) == before
    changed = Path(inputs[0]) / SEEDS[0].name
    original = changed.read_text(encoding="utf-8")
    try:
        changed.write_text(original + "\n新建应急避难场所6处。", encoding="utf-8")
        third = distributed.extract(inputs, tmp_path, scheduler=cluster[0], partition_bytes=8_000)
    finally:
        changed.write_text(original, encoding="utf-8")
    assert third.reused == third.partitions - 1 and "新建应急避难场所6处" in parts(tmp_path)[0]


def test_a_bad_document_fails_the_run_or_is_skipped(cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("下拨资金3.2亿元。", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(InputError, match="not a text file"):
        distributed.extract([str(folder)], tmp_path / "fail", scheduler=cluster[0], partition_bytes=10)
    assert json.loads((tmp_path / "fail" / "manifest.json").read_text(encoding="utf-8"))["complete"] is False
    summary = distributed.extract([str(folder)], tmp_path / "skip", scheduler=cluster[0], on_error="skip")
    assert summary.documents == 1 and len(summary.skipped) == 1 and "b.txt" in summary.skipped[0]


def test_parquet_rows_are_the_records(cluster, shipped_nlp, tmp_path):
    summary = distributed.extract([str(SEEDS[0])], tmp_path, scheduler=cluster[0], output_format="parquet")
    table = pq.read_table(tmp_path / "part-00000.parquet").to_pylist()
    record = json.loads(one_machine(shipped_nlp, [str(SEEDS[0])])[0])
    assert summary.documents == 1 and table[0]["id"] == record["id"] and table[0]["text"] == record["text"]
    assert [(e["start"], e["label"]) for e in table[0]["entities"]] == [(e["start"], e["label"]) for e in record["entities"]]
    quantities = [(e["value"], e["value_range"]) for e in table[0]["entities"] if e["label"] == "QUANTITY"]
    expected = [e["value"] for e in record["entities"] if e["label"] == "QUANTITY"]
    assert [r if v is None and r else v for v, r in quantities] == expected


def test_a_local_cluster_leaves_the_environment_as_it_was(tmp_path):
    before = dict(os.environ)
    distributed.extract([str(SEEDS[0])], tmp_path, n_workers=1)
    assert dict(os.environ) == before  # distributed sets MALLOC_TRIM_THRESHOLD_ and friends for its workers


def test_a_bag_of_documents(cluster, tmp_path):
    import dask.bag as db

    bag = db.from_sequence([("a", "下拨资金3.2亿元。"), {"id": "b", "text": "县委召开会议。"}, "检查企业4053家。"],
                           npartitions=2)
    distributed.extract(bag, tmp_path, scheduler=cluster[0])
    records = [json.loads(line) for line in parts(tmp_path)]
    assert [r["id"] for r in records] == ["a", "b", "part-00001-0"]
    assert records[0]["entities"][0]["value"] == 320000000


def test_cli_dask_engine(cluster, inputs, shipped_nlp, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "nlpkit", "extract", *inputs, "--engine", "dask",
                             "--scheduler", cluster[0], "-o", str(out)], capture_output=True, cwd=ROOT)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr[-1500:]
    assert "Dask dashboard: http" in stderr and "reused from an earlier run" in stderr
    assert parts(out) == one_machine(shipped_nlp, inputs)
    missing = subprocess.run([sys.executable, "-m", "nlpkit", "extract", *inputs, "--engine", "dask"],
                             capture_output=True, cwd=ROOT)
    assert missing.returncode == 2 and b"give -o DIR" in missing.stderr and b"Traceback" not in missing.stderr

"""The command line through a subprocess: the output contract, and one clear line for every bad input."""
import codecs
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from .conftest import ROOT, needs_shared


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "nlpkit", *args], input=stdin, capture_output=True, cwd=ROOT)


def test_extract_seed_writes_the_record_contract(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("extract", "seeds/000_3e17749378be4d7b.txt", "--format", "jsonl", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(out.read_text(encoding="utf-8"))
    text = (ROOT / "seeds" / "000_3e17749378be4d7b.txt").read_text(encoding="utf-8")
    assert record["id"] == "000_3e17749378be4d7b" and record["text"] == text
    assert {e["label"] for e in record["entities"]} <= {"ORG", "QUANTITY", "MEASURE"}
    assert "QUANTITY" in {e["label"] for e in record["entities"]}
    for ent in record["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
        if ent["label"] == "QUANTITY":
            assert {"value", "unit", "approx"} <= set(ent)
    assert record["sentences"] and {s["label"] for s in record["sentences"]} <= {"ACHIEVEMENT", "PROBLEM", "PLAN", "OTHER"}


def test_stdin_gbk_and_empty_input():
    result = run("extract", "-", stdin="今年检查企业4053家。".encode("gbk"))
    record = json.loads(result.stdout)
    assert record["text"] == "今年检查企业4053家。"
    empty = json.loads(run("extract", "-", stdin=b"  \n").stdout)
    assert empty["entities"] == [] and empty["sentences"] == []


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"%PDF-1.5 binary", "scan.txt", "not a text file (a PDF file)"),
        (b"\x81\x20\xfe\xff\x80", "bad.txt", "cannot decode"),
        (b'{"id": "a", "text": "x"}\n{broken\n', "in.jsonl", "in.jsonl:2: malformed JSON"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2_and_no_output(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out.jsonl"
    result = run("extract", str(path), "-o", str(out))
    stderr = result.stderr.decode()
    assert result.returncode == 2 and message in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_skip_mode_goes_on_and_exits_1(tmp_path):
    (tmp_path / "a.txt").write_text("全年检查3次。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    out = tmp_path / "out.jsonl"
    result = run("extract", str(tmp_path), "--on-error", "skip", "-o", str(out))
    assert result.returncode == 1 and "skipped" in result.stderr.decode()
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["a"]


def test_missing_model_and_path(tmp_path):
    result = run("extract", "seeds", "--model", str(tmp_path / "none"))
    assert result.returncode == 2 and "no trained pipeline" in result.stderr.decode()
    result = run("extract", str(tmp_path / "missing.txt"))
    assert result.returncode == 2 and "no such file" in result.stderr.decode()


def test_csv_has_one_row_per_entity(tmp_path):
    out = tmp_path / "out.csv"
    run("extract", "-", "--format", "csv", "-o", str(out), stdin="下拨资金3.2亿元，检查企业4053家。".encode())
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "id,label,text,start,end,value,unit,approx,section"
    assert rows[1].startswith("stdin,QUANTITY,3.2亿元,4,9,320000000,元,False,")
    for_excel = tmp_path / "excel.csv"
    run("extract", "-", "--format", "csv", "--bom", "-o", str(for_excel), stdin="检查企业3家。".encode())
    assert for_excel.read_bytes().startswith(codecs.BOM_UTF8 + b"id,label")
    assert run("extract", "-", "--bom", stdin=b"x").returncode == 2


def test_html_page_has_entities_sections_and_quantity_table(tmp_path):
    from html.parser import HTMLParser

    out = tmp_path / "page.html"
    result = run("extract", "seeds/000_3e17749378be4d7b.txt", "--format", "html", "-o", str(out))
    assert result.returncode == 0

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.sections, self.marks, self.cells = [], 0, 0

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "data-section" in attrs:
                self.sections.append(attrs["data-section"])
            self.marks += tag == "mark"
            self.cells += tag == "td"

    page = Collect()
    page.feed(out.read_text(encoding="utf-8"))
    record = json.loads(run("extract", "seeds/000_3e17749378be4d7b.txt").stdout)
    assert page.sections == [s["label"] for s in record["sentences"]]
    assert page.marks == len(record["entities"])
    assert page.cells == 4 * sum(e["label"] == "QUANTITY" for e in record["entities"])


def test_unwritable_output_and_broken_pipeline(tmp_path):
    result = run("extract", "seeds/000_3e17749378be4d7b.txt", "-o", str(tmp_path / "no" / "such" / "out.jsonl"))
    assert result.returncode == 2 and "output folder does not exist" in result.stderr.decode()
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "nlpkit" / "models" / "zh_nlpkit_reports", broken)
    config = broken / "config.cfg"
    config.write_text(config.read_text().replace('"nlpkit_quantity_normalizer"', '"nlpkit_missing_component"'))
    result = run("extract", "seeds/000_3e17749378be4d7b.txt", "--model", str(broken))
    stderr = result.stderr.decode()
    assert result.returncode == 2 and "nlpkit_missing_component" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_interrupted_or_terminated_run_leaves_no_output(tmp_path, signal_name):
    import signal
    import time

    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": str(i), "text": "全年检查企业4053家。" * 200}) + "\n" for i in range(3000)))
    out = tmp_path / "out.jsonl"
    # SIG_DFL: a test run started in the background inherits an ignored SIGINT, which a user's shell would not give
    proc = subprocess.Popen([sys.executable, "-m", "nlpkit", "extract", str(big), "-o", str(out)],
                            stderr=subprocess.PIPE, cwd=ROOT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 90  # interrupt once records are being written, as a user's Ctrl-C would
    while time.monotonic() < deadline and not any(p.stat().st_size for p in tmp_path.glob(".out.jsonl.*.part")):
        time.sleep(0.2)
    proc.send_signal(getattr(signal, signal_name))  # SIGTERM: what a batch scheduler or `kill` sends
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130 and b"interrupted after" in stderr and b"Traceback" not in stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["big.jsonl"]


def test_to_dataset_keeps_records(shipped_nlp):
    import nlpkit

    records = nlpkit.extract(["下拨资金3.2亿元。", "县委召开会议。"], nlp=shipped_nlp)
    dataset = nlpkit.to_dataset(records)
    assert dataset.num_rows == 2 and dataset[0]["text"] == "下拨资金3.2亿元。"
    assert dataset[0]["entities"][0]["value"] == 320000000 and dataset[0]["entities"][0]["value_range"] is None


@needs_shared()
def test_evaluate_scores_any_gold_file_with_baselines(tiny_corpus, tmp_path):
    out = tmp_path / "scores.json"
    report = tmp_path / "EVAL.md"
    (tiny_corpus / "splits.json").write_text(json.dumps({"dev": [], "test": ["t3"]}), encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text((tiny_corpus / "tiny.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    (tiny_corpus / "tiny.jsonl").write_text("\n".join((tiny_corpus / "tiny.jsonl").read_text(encoding="utf-8")
                                                      .splitlines()[1:]) + "\n", encoding="utf-8")
    result = run("evaluate", "--gold", str(gold), "--corpus", str(tiny_corpus), "--json", str(out),
                 "--write", str(report))
    assert result.returncode == 0, result.stderr.decode()[-1500:]
    scores = json.loads(out.read_text())
    assert {"nlpkit", "regex quantities", "tfidf+LR sentences"} <= set(scores)
    assert scores["nlpkit"]["missing_documents"] == []
    quantity = {name: s["entities"]["QUANTITY"]["strict"]["f"] for name, s in scores.items() if "entities" in s}
    assert quantity["nlpkit"] >= 0.8 and quantity["nlpkit"] > quantity["regex quantities"], quantity
    assert "| QUANTITY strict F |" in report.read_text()


def test_two_processes_give_the_same_records_in_input_order(tmp_path):
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    batch = tmp_path / "docs.jsonl"
    batch.write_text("".join(json.dumps({"id": f"{i}-{p.stem}", "text": p.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n"
                             for i in range(2) for p in seeds), encoding="utf-8")
    one = run("extract", str(batch), "--batch-size", "2")
    two = run("extract", str(batch), "--batch-size", "2", "--n-process", "2")
    assert one.returncode == two.returncode == 0, two.stderr.decode()[-1500:]
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 10


def test_killed_worker_stops_the_run_and_leaves_no_output(tmp_path):
    import os
    import signal
    import time

    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": str(i), "text": "全年检查企业4053家。" * 200}) + "\n" for i in range(3000)))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "nlpkit", "extract", str(big), "-o", str(out), "--n-process", "2"],
                            stderr=subprocess.PIPE, cwd=ROOT)
    children: List[str] = []
    deadline = time.monotonic() + 90
    while not children and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.5)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert children, "no worker processes started"
    time.sleep(2)
    os.kill(int(children[0]), signal.SIGKILL)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 3, stderr.decode()[-1500:]
    assert b"worker process died" in stderr and b"no output file" in stderr and b"Traceback" not in stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["big.jsonl"]


def test_bench_writes_figures_profile_and_changes(tmp_path):
    report = tmp_path / "BENCHMARK.md"
    result = run("bench", "seeds/000_3e17749378be4d7b.txt", "--chars", "20000", "--write", str(report))
    assert result.returncode == 0, result.stderr.decode()[-1500:]
    assert "Changes made for speed" not in result.stdout.decode()  # the fixed prose goes to the file only
    text = report.read_text(encoding="utf-8")
    rates = re.findall(r"\| whole pipeline, (?:1 process|n_process=2) \| ([\d,]+) chars/s", text)
    assert len(rates) == 2 and all(int(r.replace(",", "")) > 0 for r in rates)
    assert "| ner |" in text and "| sections |" in text
    profile = text.split("Profile (cProfile")[1].split("Changes made for speed")[0]
    assert len(re.findall(r"^\| `[^`]+` \| [\d,]+ \|", profile, flags=re.M)) == 12


def test_version_and_short_help_as_a_typer_user_expects():
    import nlpkit

    version = run("--version")
    assert version.returncode == 0 and version.stdout.decode().strip() == f"nlpkit {nlpkit.__version__}"
    for args in (["-h"], ["extract", "-h"], ["corpus", "-h"]):
        shown = run(*args)
        assert shown.returncode == 0 and "Usage: " in shown.stdout.decode(), args
    assert "130" in run("-h").stdout.decode()  # every exit code is listed


def test_bench_refuses_an_input_without_text(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    result = run("bench", str(tmp_path / "empty.txt"))
    assert result.returncode == 2 and b"no text to time" in result.stderr and b"Traceback" not in result.stderr


def test_stdin_jsonl_is_detected_or_read_as_asked():
    lines = '{"id": "a", "text": "下拨资金3.2亿元。"}\n{"id": "b", "text": "县委召开会议。"}\n'.encode()
    detected = run("extract", "-", stdin=lines)
    assert [json.loads(l)["id"] for l in detected.stdout.decode().splitlines()] == ["a", "b"]
    assert b"stdin read as JSONL (2 records" in detected.stderr
    as_text = run("extract", "-", "--input-format", "text", stdin=lines)
    assert [json.loads(l)["id"] for l in as_text.stdout.decode().splitlines()] == ["stdin"]
    mixed = run("extract", "-", stdin=lines + "再次检查企业。\n".encode())
    assert json.loads(mixed.stdout)["id"] == "stdin" and b"read as JSONL" not in mixed.stderr


def test_a_directory_run_says_what_it_did_not_read(tmp_path):
    (tmp_path / "a.txt").write_text("下拨资金3.2亿元。", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "c.docx").write_bytes(b"PK\x03\x04")
    result = run("extract", str(tmp_path))
    stderr = result.stderr.decode()
    assert result.returncode == 0 and len(result.stdout.decode().splitlines()) == 1
    assert "read 1 file; skipped 2: " in stderr and "b.pdf (a PDF" in stderr and "c.docx (a Word document" in stderr
    assert "1 document," in stderr


def test_parquet_output_is_typed_and_needs_a_file(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    assert run("extract", "-", "--format", "parquet", "-o", str(out), stdin="下拨资金3.2亿元。".encode()).returncode == 0
    row = pq.read_table(out).to_pylist()[0]
    assert row["id"] == "stdin" and row["entities"][0]["value"] == 320000000.0
    refused = run("extract", "-", "--format", "parquet", stdin="下拨资金。".encode())
    assert refused.returncode == 2 and b"give -o FILE" in refused.stderr


def test_messages_keep_their_brackets():
    """Install hints name extras in brackets; the console must not read them as markup."""
    code = ("import typer\nfrom nlpkit.cli import fail\ntry:\n    fail(\"pip install 'nlpkit[dask]'\")\n"
            "except typer.Exit as stop:\n    raise SystemExit(stop.exit_code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2 and "pip install 'nlpkit[dask]'" in result.stderr

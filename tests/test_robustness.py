"""Messy input: any string, odd whitespace and forms, very long documents; offsets always index the text."""
import json
import subprocess
import sys
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlpkit import streaming
from nlpkit.streaming import pieces, process

from .conftest import ROOT


def check_record(record, text):
    assert record["text"] == text
    previous = 0
    for ent in record["entities"]:
        assert previous <= ent["start"] < ent["end"] <= len(text)
        assert text[ent["start"]:ent["end"]] == ent["text"]
        previous = ent["end"]
    previous = 0
    for sent in record["sentences"]:
        assert previous <= sent["start"] < sent["end"] <= len(text)
        previous = sent["end"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_string_gives_a_valid_record(shipped_nlp, text):
    record = next(process(shipped_nlp, [("x", text)]))
    check_record(record, text)


def test_odd_forms_keep_offsets(shipped_nlp):
    text = "區應急管理局\r\n開展檢查１２３家次，\t整改隐患５万余处\u3000\u00a0；下降６０％。" + "无标点长句" * 400
    record = next(process(shipped_nlp, [("x", text)]))
    check_record(record, text)
    assert any(e["label"] == "QUANTITY" and e["text"] == "１２３家次" for e in record["entities"])


def test_a_5m_character_document_is_processed_in_pieces_with_global_offsets():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    nlp.add_pipe("nlpkit_regex_ruler")
    nlp.add_pipe("nlpkit_quantity_normalizer")
    unit = "全年检查企业4053家。\n"
    text = unit * 400_000  # 5.2 M characters (the rule parts only: the cost is in the piece logic, not the NER)
    assert len(pieces(text, 100_000)) == 52
    record = next(process(nlp, [("long", text)], piece_chars=100_000))
    assert len(record["entities"]) == 400_000
    last = record["entities"][-1]
    assert text[last["start"]:last["end"]] == "4053家" and last["value"] == 4053


def test_replace_mode_reports_undecodable_bytes(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes("检查3次".encode("utf-8") + b"\x81\x20\xfe\xff\x80")
    result = subprocess.run([sys.executable, "-m", "nlpkit", "extract", str(path), "--errors", "replace"],
                            capture_output=True, cwd=ROOT)
    assert result.returncode == 0
    assert "undecodable bytes replaced" in result.stderr.decode()
    assert "\ufffd" in json.loads(result.stdout)["text"]


def test_records_stream_out_before_the_input_is_consumed():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    consumed = []

    def documents():
        for i in range(1000):
            consumed.append(i)
            yield str(i), "检查企业3家。"

    first = next(process(nlp, documents(), batch_size=4))
    assert first["id"] == "0" and len(consumed) < 50  # memory is bounded by the batch, not the input


def test_a_pool_broken_at_submit_or_at_result_raises_worker_error(shipped_nlp, monkeypatch):
    """The pool reports a dead worker from ``result()`` or, once it knows, from the next ``submit()``: both
    must end the run with ``WorkerError`` (exit code 3), never a traceback."""

    class DyingPool:
        def __init__(self, *args, broken_at, **kwargs):
            self.submitted = 0
            self.broken_at = broken_at

        def submit(self, fn, batch):
            self.submitted += 1
            if self.broken_at == "submit" and self.submitted > 1:
                raise BrokenProcessPool("a child process terminated abruptly")
            future = Future()
            if self.broken_at == "result":
                future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
            else:
                future.set_result(fn(batch))  # in this process: the pipeline is the one _in_workers set
            return future

        def shutdown(self, **kwargs):
            pass

    for where in ("submit", "result"):
        monkeypatch.setattr(streaming, "ProcessPoolExecutor", lambda *a, **k: DyingPool(*a, broken_at=where, **k))
        documents = [(str(i), "全年检查企业4053家。") for i in range(8)]
        with pytest.raises(streaming.WorkerError):
            list(process(shipped_nlp, documents, batch_size=1, n_process=2))

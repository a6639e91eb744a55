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
from nlpkit.streaming import process
from nlpkit.text import pieces, sentence_spans

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
    assert [(s["start"], s["end"]) for s in record["sentences"]] == sentence_spans(text)  # ANNOTATION.md's rule


def test_odd_forms_keep_offsets(shipped_nlp):
    text = "區應急管理局\r\n開展檢查１２３家次，\t整改隐患５万余处\u3000\u00a0；下降６０％。" + "无标点长句" * 400
    record = next(process(shipped_nlp, [("x", text)]))
    check_record(record, text)
    assert any(e["label"] == "QUANTITY" and e["text"] == "１２３家次" for e in record["entities"])


def test_a_long_document_is_processed_in_pieces_with_global_offsets():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    nlp.add_pipe("nlpkit_regex_ruler")
    nlp.add_pipe("nlpkit_quantity_normalizer")
    unit = "全年检查企业4053家。\n"
    text = unit * 20_000  # 260,000 characters in pieces of 10,000: the piece logic of a many-megabyte text
    assert len(pieces(text, 10_000)) == 26
    done = []
    record = next(process(nlp, [("long", text)], piece_chars=10_000, on_piece=done.append))
    assert len(record["entities"]) == 20_000 and len(done) == 26 and sum(done) == len(text)
    last = record["entities"][-1]
    assert text[last["start"]:last["end"]] == "4053家" and last["value"] == 4053


def test_batches_hold_at_most_a_piece_worth_of_characters():
    """The pipeline never holds more than about ``piece_chars`` characters of pieces at once."""
    seen = []
    nlp = spacy.blank("zh")

    @spacy.Language.component("batch_probe")
    def batch_probe(doc):
        return doc

    nlp.add_pipe("batch_probe")
    original_pipe = nlp.pipe

    def probing_pipe(texts, **kwargs):
        if not kwargs.get("as_tuples"):  # spaCy's own inner call
            return original_pipe(texts, **kwargs)
        batch = list(texts)
        seen.append(sum(len(t) for t, _ in batch))
        return original_pipe(batch, **kwargs)

    nlp.pipe = probing_pipe
    text = ("检查企业" * 250 + "。") * 100  # 100,100 characters, sentences of 1,001
    list(process(nlp, [("a", text), ("b", "短句。"), ("c", text)], batch_size=16, piece_chars=5_000))
    assert max(seen) <= 5_005 + 1_001 and len(seen) > 40


MEMORY_PROBE = """
import resource, sys
import nlpkit
from nlpkit.streaming import process
nlp = nlpkit.load()
list(process(nlp, [("warm", "全年检查企业4053家。" * 100)]))
text = "全年检查企业4053家，整改隐患5万余处。" * int(sys.argv[1])
record = next(process(nlp, [("long", text)], piece_chars=2_000))
assert len(record["text"]) == len(text)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss_kb(probe: str, size: int) -> int:
    """Peak resident memory (kB) of a fresh interpreter running ``probe`` with ``size`` as its argument."""
    out = subprocess.run([sys.executable, "-c", probe, str(size)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


MULTI_MB_PROBE = """
import resource, sys, spacy
from nlpkit.streaming import process
nlp = spacy.blank("zh")
nlp.add_pipe("nlpkit_char_features")
nlp.add_pipe("nlpkit_sentencizer")
text = ("全年检查企业4053家，整改隐患5万余处。" * 5 + "\\n") * int(sys.argv[1])
record = next(process(nlp, [("long", text)]))
assert len(record["text"]) == len(text)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_multi_megabyte_document_streams_in_pieces():
    """0.27 MB and 2.7 MB of text in the default pieces of 100,000 characters (the fast components, so the test
    takes seconds): the peak grows by about the text (6 MB here), where batches of 16 whole pieces added 17 MB."""
    small, large = peak_rss_kb(MULTI_MB_PROBE, 1_000), peak_rss_kb(MULTI_MB_PROBE, 10_000)
    assert large - small < 10_000, (small, large)


def test_memory_is_bounded_by_the_piece_not_the_document():
    """The shipped pipeline on a 4,200- and an 84,000-character document in pieces of 2,000: the peak grows by
    the text and its record, not by the pieces in flight (batches of 16 pieces added about 32 MB here)."""
    small, large = peak_rss_kb(MEMORY_PROBE, 200), peak_rss_kb(MEMORY_PROBE, 4_000)
    assert large - small < 15_000, (small, large)


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


def test_the_worker_pool_is_gone_when_the_stream_ends(shipped_nlp):
    """The pool's manager thread must be joined before ``process`` returns: left running, it closes its wake-up
    pipe while the interpreter's exit hook writes to it, and a CLI run ends with a stray traceback on stderr."""
    import threading
    from concurrent.futures.process import _ExecutorManagerThread

    documents = [(str(i), "全年检查企业4053家。") for i in range(6)]
    records = list(process(shipped_nlp, documents, batch_size=1, n_process=2))
    assert [r["id"] for r in records] == [str(i) for i in range(6)]
    assert not [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]

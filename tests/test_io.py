from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlpkit.io import AtomicOutput, Document, Failure, InputError, decode_bytes, find_inputs, read_files, read_jsonl

TEXT = "區應急管理局開展檢查3200家次。"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("utf-16"),
        TEXT.encode("big5"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "utf16-bom", "big5"],
)
def test_encodings_are_detected(data):
    assert decode_bytes(data, "x.txt") == TEXT


def test_gbk_simplified_is_detected():
    text = "市应急管理局开展安全生产检查，排查整治隐患5万余处，下拨资金143.35万元。"
    assert decode_bytes(text.encode("gbk"), "x.txt") == text


@pytest.mark.parametrize("data", [b"%PDF-1.4\n...", b"PK\x03\x04zip", b"\x89PNG\r\n", b"\x7fELF\x02", b"ab\x00cd"])
def test_binary_is_refused_by_content(data):
    with pytest.raises(InputError, match="not a text file"):
        decode_bytes(data, "report.txt")


def test_undecodable_bytes_are_refused_or_replaced():
    data = b"\x81\x20\xfe\xff\x80abc"
    with pytest.raises(InputError, match="cannot decode"):
        decode_bytes(data, "bad.txt")
    assert "\ufffd" in decode_bytes(data, "bad.txt", errors="replace")


@given(st.text())
def test_any_utf8_text_round_trips(text):
    if text.startswith("\ufeff") or "\x00" in text:
        return
    assert decode_bytes(text.encode("utf-8"), "x.txt") == text


def test_jsonl_problems_name_file_and_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "好"}\n{oops\n{"id": "b"}\n{"id": "c", "text": 5}\n{"id": "a", "text": "再"}\n')
    items = list(read_files([str(path)]))
    assert isinstance(items[0], Document)
    messages = [i.message for i in items if isinstance(i, Failure)]
    assert [m.split(": ", 1)[1] for m in messages] == [
        "malformed JSON (Expecting property name enclosed in double quotes)",
        "record has no 'text'",
        "'text' is not a string",
        "duplicate id 'a'",
    ]
    assert messages[0].startswith(f"{path}:2")


def test_directories_are_read_recursively_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("乙")
    (tmp_path / "1.txt").write_text("甲")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    (tmp_path / "notes.md").write_text("丙")
    (tmp_path / "README").write_text("丁")
    inputs = find_inputs([str(tmp_path)])
    assert [d.id for d in read_files(inputs.files)] == ["1", "2"]
    assert [(Path(p).name, why) for p, why in inputs.skipped] == [
        ("README", "not .txt or .jsonl"), ("notes.md", "not .txt or .jsonl"),
        ("skip.pdf", "a PDF: extract its text first, e.g. with pdftotext"),
    ]
    assert inputs.summary().startswith("read 2 files; skipped 3: ")


def test_globs_match_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("乙")
    (tmp_path / "1.txt").write_text("甲")
    assert [Path(p).name for p in find_inputs([str(tmp_path / "**" / "*.txt")]).files] == ["1.txt", "2.txt"]
    with pytest.raises(InputError, match="no file matches"):
        find_inputs([str(tmp_path / "*.docx")])


def test_jsonl_byte_ranges_keep_line_numbers(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = ['{"text": "甲"}\n', '{"text": "乙"}\n', '\n', '{"text": "丙"}\n']
    path.write_text("".join(lines), encoding="utf-8")
    cut = len("".join(lines[:2]).encode())
    first = [d.id for d in read_jsonl(str(path), end=cut)]
    rest = [d.id for d in read_jsonl(str(path), start=cut, first_line=3)]
    assert first == ["in-1", "in-2"] and rest == ["in-4"]
    assert first + rest == [d.id for d in read_jsonl(str(path))]


def test_missing_path_and_empty_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        find_inputs([str(tmp_path / "nope.txt")])
    with pytest.raises(InputError, match="no .txt or .jsonl"):
        find_inputs([str(tmp_path)])


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with AtomicOutput(str(target)) as stream:
            stream.write("partial\n")
            raise RuntimeError("worker died")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    with AtomicOutput(str(target)) as stream:
        stream.write("whole\n")
    assert target.read_text() == "whole\n"

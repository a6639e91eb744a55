"""Reading documents (.txt in any common Chinese encoding, JSONL, stdin) and writing records atomically."""
from __future__ import annotations

import codecs
import glob
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from charset_normalizer import from_bytes

SUFFIXES = (".txt", ".jsonl")
BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable (ELF)",
    b"MZ": "an executable (Windows)",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"\x1f\x8b": "a gzip archive",
}
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
CHINESE_ENCODINGS = ["gb18030", "big5"]


class InputError(Exception):
    """Input the user can fix; the message is one line naming the file."""


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    source: str


@dataclass(frozen=True)
class Failure:
    """A document that could not be read (kept in the stream so ``--on-error skip`` can report it)."""

    source: str
    message: str


def decode_bytes(data: bytes, name: str, errors: str = "strict") -> str:
    """Decode a text file: BOMs, UTF-8, GB18030/GBK and Big5; binary content is refused.

    Args:
        errors: ``strict`` refuses undecodable bytes; ``replace`` substitutes U+FFFD (and the caller reports it).
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors=errors)
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise InputError(f"{name}: not a text file ({what})")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: not a text file (binary content)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in CHINESE_ENCODINGS:
        try:
            candidates.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            continue
    if len(candidates) == 1:
        return candidates[0][1]
    if candidates:
        best = from_bytes(data, cp_isolation=CHINESE_ENCODINGS).best()
        chosen = best.encoding.replace("_", "") if best else "gb18030"
        return dict(candidates).get(chosen, candidates[0][1])
    if errors == "replace":
        return data.decode("gb18030", errors="replace")
    raise InputError(f"{name}: cannot decode as UTF-8, GB18030 or Big5 (use --errors replace to substitute)")


SKIP_REASONS = {
    ".pdf": "a PDF: extract its text first, e.g. with pdftotext",
    ".doc": "a Word document: save it as .txt",
    ".docx": "a Word document: save it as .txt",
    ".wps": "a WPS document: save it as .txt",
    ".html": "a web page: save its text as .txt",
    ".htm": "a web page: save its text as .txt",
}


@dataclass
class Inputs:
    """What a list of paths names: the files to read, in order, and the files in directories left unread."""

    files: List[str] = field(default_factory=list)
    skipped: List[Tuple[str, str]] = field(default_factory=list)  # (path, why)

    def summary(self) -> str:
        """``read 3 files; skipped 2: a.pdf (a PDF: …), b.md (not .txt or .jsonl)``."""
        line = f"read {len(self.files)} {'file' if len(self.files) == 1 else 'files'}"
        if self.skipped:
            line += f"; skipped {len(self.skipped)}: " + ", ".join(f"{p} ({why})" for p, why in self.skipped)
        return line


def find_inputs(paths: Sequence[str]) -> Inputs:
    """Files to read; globs (``reports/**/*.txt``, quoted so that the shell leaves them) become the files they
    match, directories their ``.txt``/``.jsonl`` files, recursively and sorted, and every other file in them is
    listed as skipped with the reason (a file given by name is always read, or refused)."""
    inputs = Inputs()
    for raw in paths:
        if raw == "-":
            inputs.files.append(raw)
            continue
        if glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise InputError(f"{raw}: no file matches")
            inputs.files.extend(m for m in matches if Path(m).is_file())
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            read = [str(p) for p in found if p.suffix.lower() in SUFFIXES]
            if not read:
                raise InputError(f"{raw}: directory has no .txt or .jsonl files")
            inputs.files.extend(read)
            inputs.skipped.extend(
                (str(p), SKIP_REASONS.get(p.suffix.lower(), "not .txt or .jsonl"))
                for p in found if p.suffix.lower() not in SUFFIXES
            )
        elif path.exists():
            inputs.files.append(raw)
        else:
            raise InputError(f"{raw}: no such file or directory")
    return inputs


def read_files(files: Sequence[str], errors: str = "strict", stdin_format: str = "auto") -> Iterator[Union[Document, Failure]]:
    """Documents of files and ``-`` (stdin) in the order given; a repeated id is a failure, not a second record.

    Args:
        stdin_format: ``text`` reads stdin as one document, ``jsonl`` as records, ``auto`` as records when
            every non-empty line is a JSON object with a ``text`` (the documents' ``source`` tells which).
    """
    return without_repeated_ids(result for item in files for result in _read_one(item, errors, stdin_format))


def without_repeated_ids(items: Iterable[Union[Document, Failure]]) -> Iterator[Union[Document, Failure]]:
    """The items in order, a document whose id came before turned into a Failure (one record per id)."""
    seen_ids = set()
    for item in items:
        if isinstance(item, Document):
            if item.id in seen_ids:
                yield Failure(item.source, f"{item.source}: duplicate id {item.id!r}")
                continue
            seen_ids.add(item.id)
        yield item


def _read_one(item: str, errors: str, stdin_format: str) -> Iterator[Union[Document, Failure]]:
    if item == "-":
        yield from _read_stdin(errors, stdin_format)
    elif item.lower().endswith(".jsonl"):
        yield from read_jsonl(item, errors)
    else:
        yield read_text_file(item, errors)


def read_text_file(path: str, errors: str = "strict") -> Union[Document, Failure]:
    """One document, its id the file's stem."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        return Failure(path, f"{path}: cannot read ({err.strerror})")
    try:
        return Document(Path(path).stem, decode_bytes(data, path, errors), path)
    except InputError as err:
        return Failure(path, str(err))


def _read_stdin(errors: str, stdin_format: str) -> Iterator[Union[Document, Failure]]:
    try:
        text = decode_bytes(sys.stdin.buffer.read(), "<stdin>", errors)
    except InputError as err:
        yield Failure("-", str(err))
        return
    lines = text.splitlines(keepends=True)
    records = [line for line in lines if line.strip()]
    if stdin_format == "jsonl" or (stdin_format == "auto" and records and all(map(_is_record, records))):
        yield from _records_of_lines(enumerate(lines, 1), "<stdin>", "stdin")
    else:
        yield Document("stdin", text, "<stdin>")


def _is_record(line: str) -> bool:
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(row, dict) and isinstance(row.get("text"), str)


def read_jsonl(
    path: str, errors: str = "strict", start: int = 0, end: Optional[int] = None, first_line: int = 1
) -> Iterator[Union[Document, Failure]]:
    """Records of a JSONL file (or of its lines between byte offsets ``start`` and ``end``, the first of them line
    ``first_line``), read a line at a time so memory does not grow with the file.

    A first line that cannot be decoded (a binary file, another encoding) refuses the whole file.
    """
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield Failure(path, f"{path}: cannot read ({err.strerror})")
        return
    with handle:
        handle.seek(start)
        decoded = _decoded_lines(handle, path, errors, end, first_line)
        yield from _records_of_lines(decoded, path, Path(path).stem)


def _decoded_lines(handle: IO[bytes], path: str, errors: str, end: Optional[int], first_line: int):
    """``(line number, text)`` of each line up to byte ``end``; a line that cannot be decoded becomes a Failure."""
    position = handle.tell()
    for n, raw in enumerate(iter(handle.readline, b""), first_line):
        if end is not None and position >= end:
            return
        position += len(raw)
        where = f"{path}:{n}"
        try:
            yield n, decode_bytes(raw, where, errors)
        except InputError as err:
            yield n, Failure(path if n == 1 else where, str(err))
            if n == 1:
                return


def _records_of_lines(lines, name: str, stem: str) -> Iterator[Union[Document, Failure]]:
    for n, line in lines:
        where = f"{name}:{n}"
        if isinstance(line, Failure):
            yield line
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(where, f"{where}: malformed JSON ({err.msg})")
            continue
        if not isinstance(row, dict) or "text" not in row:
            yield Failure(where, f"{where}: record has no 'text'")
        elif not isinstance(row["text"], str):
            yield Failure(where, f"{where}: 'text' is not a string")
        else:
            yield Document(str(row.get("id", f"{stem}-{n}")), row["text"], where)


class AtomicOutput:
    """An output that appears whole or not at all: a temporary file renamed into place on success
    (text by default, bytes with ``binary``; no path or ``-`` is stdout)."""

    def __init__(self, path: Optional[Union[str, Path]], binary: bool = False) -> None:
        self.path = Path(path) if path and path != "-" else None
        self.binary = binary
        self._tmp: Optional[str] = None
        self.stream: IO = sys.stdout.buffer if binary else sys.stdout

    def __enter__(self) -> IO:
        if self.path is not None:
            directory = self.path.resolve().parent
            if not directory.is_dir():
                raise InputError(f"{self.path}: output folder does not exist")
            try:
                fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=directory)
            except OSError as err:
                raise InputError(f"{self.path}: cannot write output ({err.strerror})") from None
            self.stream = os.fdopen(fd, "wb") if self.binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self.stream

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.path is None:
            self.stream.flush()
            return
        self.stream.close()
        if exc_type is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self._tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual permissions
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)

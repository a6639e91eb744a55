"""Reading documents (.txt in any common Chinese encoding, JSONL, stdin) and writing records atomically."""
from __future__ import annotations

import codecs
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, List, Optional, Sequence, Union

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


def read_inputs(paths: Sequence[str], errors: str = "strict") -> Iterator[Union[Document, Failure]]:
    """Documents from files, directories (recursive), JSONL files and ``-`` (stdin), in the order given."""
    seen_ids = set()
    for item in expand_paths(paths):
        for result in _read_one(item, errors):
            if isinstance(result, Document):
                if result.id in seen_ids:
                    yield Failure(result.source, f"{result.source}: duplicate id {result.id!r}")
                    continue
                seen_ids.add(result.id)
            yield result


def expand_paths(paths: Sequence[str]) -> List[str]:
    """Files to read; directories become their ``.txt``/``.jsonl`` files, recursively and sorted."""
    out: List[str] = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"{raw}: directory has no .txt or .jsonl files")
            out.extend(found)
        elif path.exists():
            out.append(raw)
        else:
            raise InputError(f"{raw}: no such file or directory")
    return out


def _read_one(item: str, errors: str) -> Iterator[Union[Document, Failure]]:
    if item != "-" and item.lower().endswith(".jsonl"):
        yield from _jsonl_documents(item, errors)
        return
    try:
        data = sys.stdin.buffer.read() if item == "-" else Path(item).read_bytes()
    except OSError as err:
        yield Failure(item, f"{item}: cannot read ({err.strerror})")
        return
    name = "<stdin>" if item == "-" else item
    try:
        text = decode_bytes(data, name, errors)
    except InputError as err:
        yield Failure(item, str(err))
        return
    doc_id = "stdin" if item == "-" else Path(item).stem
    yield Document(doc_id, text, name)


def _jsonl_documents(path: str, errors: str) -> Iterator[Union[Document, Failure]]:
    """Records of a JSONL file, read a line at a time so memory does not grow with the file.

    A first line that cannot be decoded (a binary file, another encoding) refuses the whole file.
    """
    try:
        handle = open(path, "rb")
    except OSError as err:
        yield Failure(path, f"{path}: cannot read ({err.strerror})")
        return
    with handle:
        for n, raw in enumerate(handle, 1):
            where = f"{path}:{n}"
            try:
                line = decode_bytes(raw, where, errors)
            except InputError as err:
                yield Failure(path if n == 1 else where, str(err))
                if n == 1:
                    return
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
                yield Document(str(row.get("id", f"{Path(path).stem}-{n}")), row["text"], where)


class AtomicOutput:
    """A text output that appears whole or not at all: a temporary file renamed into place on success."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = Path(path) if path and path != "-" else None
        self._tmp: Optional[str] = None
        self.stream: IO[str] = sys.stdout

    def __enter__(self) -> IO[str]:
        if self.path is not None:
            directory = self.path.resolve().parent
            if not directory.is_dir():
                raise InputError(f"{self.path}: output folder does not exist")
            try:
                fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=directory)
            except OSError as err:
                raise InputError(f"{self.path}: cannot write output ({err.strerror})") from None
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
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

"""Serialisation shared by the components that learn something: bytes, disk and pickling as spaCy's own do."""
from __future__ import annotations

from typing import Iterable

from spacy.util import ensure_path


class LearnedState:
    """``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` for a component whose learned state is one blob.

    A component sets ``state_name`` (what ``exclude`` names, ``"model"`` or ``"lexicon"``) and ``state_file`` (its
    file in the pipeline folder), and writes and reads the blob in ``_write_state``/``_read_state``. Loading a
    pipeline whose blob is missing fails loudly instead of running untrained.
    """

    name: str
    state_name: str
    state_file: str

    def _write_state(self) -> bytes:
        raise NotImplementedError

    def _read_state(self, data: bytes) -> None:
        raise NotImplementedError

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return b"" if self.state_name in exclude else self._write_state()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()):
        if self.state_name in exclude:
            return self
        if not data:
            raise ValueError(f"[{self.name}] no {self.state_name} in the serialised pipeline: train it first")
        self._read_state(data)
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = self.to_bytes(exclude=exclude)
        if data:
            (path / self.state_file).write_bytes(data)

    def from_disk(self, path, *, exclude: Iterable[str] = tuple()):
        if self.state_name in exclude:
            return self
        state = ensure_path(path) / self.state_file
        if not state.exists():
            raise ValueError(f"[{self.name}] no {self.state_name} at {state}: the pipeline folder is incomplete")
        return self.from_bytes(state.read_bytes(), exclude=exclude)

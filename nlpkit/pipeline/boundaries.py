"""Word-boundary features from a pkuseg segmenter, for character-token models (the segmentation ablation).

spacy-pkuseg ships no model, so ``initialize`` trains one on UD Chinese GSDSimp (``../shared``) and
``to_disk`` stores it in the pipeline. Entities stay character-aligned; the words only inform the NER through
``token.lemma_`` = the character's place in its word (B, M, E or S), a hashed embedding attribute.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, List, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import logger

from ..corpus import default_corpus_dir, shared_dir
from .serialization import LearnedState

UD_FOLDER = Path("data") / "ud_zh_gsdsimp"


def conllu_words(path: Path) -> List[List[str]]:
    """Sentences of a CoNLL-U file as word lists (multi-word token ranges skipped)."""
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append(words)
            words = []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                words.append(cols[1])
    return sentences + ([words] if words else [])


def train_segmenter(ud_dir: Path, output: Path, iterations: int) -> None:
    """Train a pkuseg model on UD dev (test file: UD test) into ``output``."""
    import spacy_pkuseg

    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        files = {}
        for part in ("dev", "test"):
            files[part] = Path(work) / f"{part}.txt"
            sentences = conllu_words(ud_dir / f"zh_gsdsimp-ud-{part}.conllu")
            files[part].write_text("\n".join(" ".join(s) for s in sentences) + "\n", encoding="utf-8")
        cwd = os.getcwd()
        os.chdir(work)  # pkuseg writes its scratch files under the working directory
        try:
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
                spacy_pkuseg.train(str(files["dev"]), str(files["test"]), str(output), train_iter=iterations)
        finally:
            os.chdir(cwd)


@Language.factory("nlpkit_word_boundaries", assigns=["token.lemma"], default_config={"iterations": 5})
def make_word_boundaries(nlp: Language, name: str, iterations: int) -> "WordBoundaries":
    return WordBoundaries(name=name, iterations=iterations)


class WordBoundaries(LearnedState):
    """Mark each character token with its place in a pkuseg word (B/M/E/S) in ``token.lemma_``."""

    state_name = "model"

    def __init__(self, name: str, iterations: int) -> None:
        self.name = name
        self.iterations = iterations
        self.model_dir: Optional[Path] = None
        self._segmenter = None

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None,
        ud_dir: Optional[str] = None,
    ) -> None:
        ud = Path(ud_dir) if ud_dir else shared_dir(default_corpus_dir()) / UD_FOLDER
        if not (ud / "zh_gsdsimp-ud-dev.conllu").exists():
            raise ValueError(f"[{self.name}] UD GSDSimp not found at {ud} (needed once, to train the segmenter)")
        target = Path(tempfile.mkdtemp(prefix="nlpkit-pkuseg-"))
        logger.info("[%s] training the word segmenter on %s (%d iterations)", self.name, ud, self.iterations)
        started = time.perf_counter()
        train_segmenter(ud, target, self.iterations)
        self._load(target)
        logger.info("[%s] segmenter trained in %.0f s", self.name, time.perf_counter() - started)

    def _load(self, model_dir: Path) -> None:
        import spacy_pkuseg

        self.model_dir = model_dir
        self._segmenter = spacy_pkuseg.pkuseg(model_name=str(model_dir), user_dict=None)

    def __call__(self, doc: Doc) -> Doc:
        if self._segmenter is None:
            raise ValueError(f"[{self.name}] not initialised: train the pipeline or load a trained one")
        text, tags, pos = doc.text, ["S"] * len(doc.text), 0
        for word in self._segmenter.cut(text):
            start = text.find(word, pos)
            if start < 0:
                continue
            pos = start + len(word)
            if len(word) > 1:
                tags[start:pos] = ["B"] + ["M"] * (len(word) - 2) + ["E"]
        for token in doc:
            token.lemma_ = tags[token.idx] if token.idx < len(tags) else "S"
        return doc

    # serialisation (LearnedState; on disk the segmenter keeps its own folder) ----------------------
    def _write_state(self) -> bytes:
        """The segmenter's model folder as a tar archive (spacy_pkuseg reads its model from a folder)."""
        if self.model_dir is None:
            return b""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(self.model_dir, arcname=".")
        return buffer.getvalue()

    def _read_state(self, data: bytes) -> None:
        target = Path(tempfile.mkdtemp(prefix="nlpkit-pkuseg-"))
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(target, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        self._load(target)

    def to_disk(self, path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        if path.exists():
            shutil.rmtree(path)
        if self.model_dir is not None and self.state_name not in exclude:
            shutil.copytree(self.model_dir, path)

    def from_disk(self, path, *, exclude: Iterable[str] = tuple()) -> "WordBoundaries":
        if self.state_name in exclude:
            return self
        if not Path(path).is_dir():
            raise ValueError(f"[{self.name}] no {self.state_name} at {path}: the pipeline folder is incomplete")
        self._load(Path(path))
        return self

    def __getstate__(self) -> dict:
        """Pickled with its model as bytes (the loaded segmenter itself does not pickle)."""
        return {"name": self.name, "iterations": self.iterations, "model": self.to_bytes()}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["name"], state["iterations"])
        if state["model"]:
            self.from_bytes(state["model"])

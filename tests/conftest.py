"""Shared fixtures: a tiny corpus, the shared data folder, the shipped pipeline (loaded once per session)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("NLPKIT_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shipped_nlp():
    import nlpkit

    return nlpkit.load()


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Three small reports with full gold plus splits, as a corpus folder."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "tiny.jsonl").write_text((FIXTURES / "tiny.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "splits.json").write_text(json.dumps({"dev": ["t2"], "test": ["t3"]}), encoding="utf-8")
    return folder


def needs_shared():
    return pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the checkout")


def load_fixture(name: str) -> list:
    """The records of a JSONL fixture."""
    return [json.loads(l) for l in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if l.strip()]

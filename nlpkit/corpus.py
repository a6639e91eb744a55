"""The gold corpus: load it (joining stand-off annotations with their source text), split it, validate it.

Files in ``corpus/`` hold one report per line in the record format of ANNOTATION.md. Reports whose text may
not be copied into the repository are stand-off: ``source`` names the text (``gov_work_reports:2025``) and
``sha256`` its hash; :func:`read_records` joins them with ``../shared/data``. A record with
``"entities": null`` carries sentence labels only.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from .labels import ENTITY_LABELS, SENTENCE_LABELS
from .text import has_bad_edge, pieces, sentence_spans

SPLITS_FILE = "splits.json"
# Stand-off sources: ``source`` is ``KIND:KEY``; KIND names a file of the shared data and the field holding KEY.
STANDOFF_SOURCES = {
    "gov_work_reports": ("gov_work_reports/government_work_reports.jsonl", "year"),
    "local_reports": ("local_reports/local_reports.jsonl", "key"),
}
RESERVED_YEARS = frozenset({2019, 2024})  # State Council reports kept for outside evaluation


class CorpusError(Exception):
    """A corpus that cannot be read; the message is one line for the user."""


@dataclass(frozen=True)
class Problem:
    """One validation finding, located by report id and offsets."""

    report: str
    start: int
    end: int
    text: str
    message: str

    def __str__(self) -> str:
        return f"{self.report} [{self.start}:{self.end}] {self.text!r}: {self.message}"


def default_corpus_dir() -> Path:
    """``$NLPKIT_CORPUS``, else ``corpus/`` in the current directory (``--corpus`` on the command line): the
    corpus is data for training, not part of the package."""
    return Path(os.environ.get("NLPKIT_CORPUS", "corpus"))


def shared_dir(corpus_dir: Path) -> Path:
    """``$NLPKIT_SHARED`` (``--shared``), else ``shared/`` beside the folder that holds the corpus (``../shared``
    seen from a checkout)."""
    return Path(os.environ.get("NLPKIT_SHARED", corpus_dir.resolve().parent.parent / "shared"))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=4)
def _shared_texts(path: Path, key_field: str) -> Dict[str, str]:
    """The texts of one shared-data file by key (State Council reports by year, local reports by key)."""
    if not path.exists():
        raise CorpusError(
            f"stand-off reports need {path} (the shared data beside the checkout); set NLPKIT_SHARED to its folder"
        )
    texts: Dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get(key_field):
                texts[str(row[key_field])] = row["content"]
    return texts


def resolve_text(record: dict, corpus_dir: Path) -> str:
    """The record's text: inline, or joined from the shared data (and checked against its hash)."""
    if "text" in record:
        return record["text"]
    source = record.get("source", "")
    kind, _, key = source.partition(":")
    if kind not in STANDOFF_SOURCES:
        raise CorpusError(f"{record.get('id')}: unknown stand-off source {source!r}")
    if kind == "gov_work_reports" and int(key) in RESERVED_YEARS:
        raise CorpusError(f"{record.get('id')}: the {key} report is reserved for outside evaluation")
    file, key_field = STANDOFF_SOURCES[kind]
    text = _shared_texts(shared_dir(corpus_dir) / "data" / file, key_field).get(key)
    if text is None:
        raise CorpusError(f"{record.get('id')}: no report {key!r} in the shared data")
    return text


def corpus_files(corpus_dir: Path) -> List[Path]:
    return sorted(p for p in Path(corpus_dir).glob("*.jsonl"))


def read_records(corpus_dir: Optional[Path] = None, *, check_hash: bool = True) -> List[dict]:
    """All gold records with their ``text`` filled in, in file order."""
    corpus_dir = Path(corpus_dir or default_corpus_dir())
    if not corpus_dir.exists():
        raise CorpusError(f"no corpus folder at {corpus_dir}")
    records = []
    for path in corpus_files(corpus_dir):
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise CorpusError(f"{path}:{n}: not JSON ({err.msg})") from None
                standoff = "text" not in record
                record["text"] = resolve_text(record, corpus_dir)
                if standoff and check_hash and text_hash(record["text"]) != record.get("sha256"):
                    raise CorpusError(f"{record['id']}: the text of {record['source']} no longer matches its sha256")
                records.append(record)
    return records


def corpus_hash(corpus_dir: Optional[Path] = None) -> str:
    """sha256 over the corpus files and the split definition (what a trained pipeline was made from)."""
    corpus_dir = Path(corpus_dir or default_corpus_dir())
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir) + [corpus_dir / SPLITS_FILE]:
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def splits(corpus_dir: Optional[Path] = None, records: Optional[Sequence[dict]] = None) -> Dict[str, List[str]]:
    """Report ids per split: ``test`` and ``dev`` are fixed in ``splits.json``; every other report is ``train``."""
    corpus_dir = Path(corpus_dir or default_corpus_dir())
    fixed = json.loads((corpus_dir / SPLITS_FILE).read_text(encoding="utf-8"))
    records = records if records is not None else read_records(corpus_dir)
    held = set(fixed["dev"]) | set(fixed["test"])
    return {
        "train": [r["id"] for r in records if r["id"] not in held],
        "dev": list(fixed["dev"]),
        "test": list(fixed["test"]),
    }


DOMAINS = ("local", "national")


def domain(record: dict) -> str:
    """``national`` for the State Council's reports, ``local`` for every other body's (seeds, local reports, a
    user's own): EVALUATION.md reports the two side by side."""
    return "national" if record.get("source", "").startswith("gov_work_reports:") else "local"


# The adjective a local report's ``level`` reads as in a figure's label (county, city, provincial).
LEVEL_ADJECTIVES = {"province": "provincial"}


def kind(record: dict) -> str:
    """What sort of document a report is, for figures pooled by kind: the State Council's reports, the seeds (bureau
    summaries and plans), local government reports by level (``level``: county, city, province), else other."""
    if domain(record) == "national":
        return "State Council reports"
    if record.get("source", "").startswith("seeds/"):
        return "bureau documents (seeds)"
    level = record.get("level")
    return f"{LEVEL_ADJECTIVES.get(level, level)} government reports" if level else "other local documents"


def issuer(record: dict) -> str:
    """The body that issued the report, as far as the corpus knows it: a local report's series without its year
    (``local_reports:qingyuan-district-gov-report-2025`` -> ``qingyuan-district-gov-report``), ``State Council`` for
    the national reports, else the record itself. Leave-one-issuer-out holds out a report with every other report
    of its issuer, so its names were never read in another year's report."""
    source = record.get("source", "")
    if source.startswith("gov_work_reports:"):
        return "State Council"
    if source.startswith("local_reports:"):
        return re.sub(r"-\d{4}$", "", source.split(":", 1)[1])
    return record["id"]


def has_entities(record: dict) -> bool:
    """Whether the record carries the entity layer (full gold) and not only sentence labels."""
    return record.get("entities") is not None


def load(corpus_dir: Optional[Path] = None):
    """The corpus as a ``datasets.DatasetDict`` with report-level splits, typed like ``nlpkit.to_dataset`` (a
    ``has_entities`` column tells full gold from sentence-only reports, whose ``entities`` are empty).

    Returns:
        (DatasetDict with ``train``/``dev``/``test``, list of fully annotated report ids for leave-one-report-out)
    """
    from . import to_dataset

    records = read_records(corpus_dir)
    ids = splits(corpus_dir, records)
    by_id = {r["id"]: r for r in records}

    def dataset(split: str):
        chosen = [by_id[i] for i in ids[split]]
        rows = to_dataset({**r, "entities": r.get("entities") or []} for r in chosen)
        return rows.add_column("has_entities", [has_entities(r) for r in chosen])

    from datasets import DatasetDict

    return DatasetDict({split: dataset(split) for split in ids}), [r["id"] for r in records if has_entities(r)]


def validate_record(record: dict, text: Optional[str] = None) -> List[Problem]:
    """Every way a record breaks ANNOTATION.md (offsets, edges, overlaps, labels, units, sentence cover)."""
    rid = str(record.get("id", "?"))
    text = record.get("text", "") if text is None else text
    problems: List[Problem] = []

    def report(start: int, end: int, message: str) -> None:
        problems.append(Problem(rid, start, end, text[max(start, 0) : max(end, 0)], message))

    previous_end = -1
    for ent in sorted(record.get("entities") or [], key=lambda e: (e.get("start", 0), e.get("end", 0))):
        start, end, label = ent.get("start"), ent.get("end"), ent.get("label")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            report(start or 0, end or 0, f"entity offsets out of range (text has {len(text)} characters)")
            continue
        if label not in ENTITY_LABELS:
            report(start, end, f"unknown entity label {label!r}")
        if has_bad_edge(text[start:end]):
            report(start, end, "entity begins or ends with whitespace or punctuation")
        if start < previous_end:
            report(start, end, "entity overlaps the previous one")
        if label == "QUANTITY" and not isinstance(ent.get("unit"), str):
            report(start, end, "QUANTITY without a unit (use \"\" when the text has none)")
        previous_end = max(previous_end, end)
    expected = sentence_spans(text)
    got = [(s.get("start"), s.get("end")) for s in record.get("sentences", [])]
    for s in record.get("sentences", []):
        if s.get("label") not in SENTENCE_LABELS:
            report(s.get("start", 0), s.get("end", 0), f"unknown sentence label {s.get('label')!r}")
    if got != expected:
        missing = next(((a, b) for a, b in zip(expected + [(len(text), len(text))], got + [(-1, -1)]) if a != b))
        report(missing[0][0], missing[0][1], f"sentences do not cover the text in order (found {missing[1]})")
    return problems


def validate(corpus_dir: Optional[Path] = None) -> List[Problem]:
    """Validate every record of the corpus, stand-off hashes included."""
    corpus_dir = Path(corpus_dir or default_corpus_dir())
    problems: List[Problem] = []
    seen: Dict[str, str] = {}
    for record in read_records(corpus_dir, check_hash=False):
        if record["id"] in seen:
            problems.append(Problem(record["id"], 0, 0, "", "duplicate report id"))
        seen[record["id"]] = record.get("source", "")
        if "sha256" in record and text_hash(record["text"]) != record["sha256"]:
            problems.append(Problem(record["id"], 0, 0, "", f"stand-off hash no longer matches {record['source']}"))
        problems.extend(validate_record(record))
    return problems


def iter_pieces(record: dict, max_chars: int) -> Iterable[dict]:
    """Cut a record into the pieces ``text.pieces`` cuts its text into, each trimmed to the sentences inside it
    (offsets made local; the piece's id is ``<id>#<offset>``)."""
    sentences = record["sentences"]
    if max_chars <= 0 or not sentences:
        yield record
        return
    k = 0  # pieces and sentences are both in text order: one pass over the sentences
    for cut_start, cut_end in pieces(record["text"], max_chars):
        group: List[dict] = []
        while k < len(sentences) and sentences[k]["end"] <= cut_end:
            if sentences[k]["start"] >= cut_start:
                group.append(sentences[k])
            k += 1
        if not group:
            continue
        lo, hi = group[0]["start"], group[-1]["end"]
        yield {
            "id": f"{record['id']}#{lo}",
            "text": record["text"][lo:hi],
            "entities": None
            if record.get("entities") is None
            else [
                {**e, "start": e["start"] - lo, "end": e["end"] - lo}
                for e in record["entities"]
                if lo <= e["start"] and e["end"] <= hi
            ],
            "sentences": [{**s, "start": s["start"] - lo, "end": s["end"] - lo} for s in group],
        }

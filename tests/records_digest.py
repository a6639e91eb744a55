"""Digests of the records nlpkit writes for the seeds and the State Council reports: a refactoring must leave them
byte-identical. ``python -m tests.records_digest`` prints them; ``--write`` stores them as the test's snapshot."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Dict, Iterable, Tuple

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "fixtures" / "records_digest.json"
RESERVED_YEARS = {"2019", "2024"}  # outside evaluation's reports: not even run here


def model_digest() -> str:
    """The shipped pipeline's files: records only compare for the same model."""
    import nlpkit

    digest = hashlib.sha256()
    for path in sorted(p for p in nlpkit.model_path().rglob("*") if p.is_file()):
        digest.update(path.relative_to(nlpkit.model_path()).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def seed_documents() -> Iterable[Tuple[str, str]]:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        yield path.stem, path.read_text(encoding="utf-8")


def state_council_documents(shared: Path, limit: int = 0) -> Iterable[Tuple[str, str]]:
    rows = [json.loads(line) for line in (shared / "data" / "gov_work_reports" / "government_work_reports.jsonl")
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if str(r["year"]) not in RESERVED_YEARS]
    for row in rows[-limit:] if limit else rows:
        yield f"gov-{row['year']}", row["content"]


def records_digest(documents: Iterable[Tuple[str, str]]) -> str:
    """sha256 of the JSONL that ``nlpkit extract`` writes for the documents."""
    import nlpkit
    from nlpkit.streaming import process

    digest = hashlib.sha256()
    for record in process(nlpkit.load(), documents):
        digest.update((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    return digest.hexdigest()


def digests(shared: Path, state_council_limit: int) -> Dict[str, str]:
    return {
        "model": model_digest(),
        "seeds": records_digest(seed_documents()),
        f"state council, last {state_council_limit or 'all'}": records_digest(
            state_council_documents(shared, state_council_limit)),
    }


if __name__ == "__main__":
    from tests.conftest import SHARED

    result = {**digests(SHARED, 3), **({} if "--write" in sys.argv else digests(SHARED, 0))}
    print(json.dumps(result, indent=1))
    if "--write" in sys.argv:
        SNAPSHOT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")

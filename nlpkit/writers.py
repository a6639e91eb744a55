"""Record writers for the output formats (records stream through; nothing is held back)."""
from __future__ import annotations

import csv
import json
from typing import IO, Callable, Dict

CSV_FIELDS = ["id", "label", "text", "start", "end", "value", "unit", "approx", "section"]


class JsonlWriter:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __call__(self, record: dict) -> None:
        self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        pass


class CsvWriter:
    """One row per entity, with the section label of the sentence it stands in."""

    def __init__(self, stream: IO[str]) -> None:
        self.writer = csv.DictWriter(stream, fieldnames=CSV_FIELDS, lineterminator="\n")
        self.writer.writeheader()

    def __call__(self, record: dict) -> None:
        sentences = record["sentences"]
        k = 0
        for ent in record["entities"]:
            while k < len(sentences) and sentences[k]["end"] <= ent["start"]:
                k += 1
            inside = k < len(sentences) and sentences[k]["start"] <= ent["start"]
            value = ent.get("value")
            self.writer.writerow(
                {
                    "id": record["id"],
                    "label": ent["label"],
                    "text": ent.get("text", record["text"][ent["start"] : ent["end"]]),
                    "start": ent["start"],
                    "end": ent["end"],
                    "value": json.dumps(value) if isinstance(value, list) else value,
                    "unit": ent.get("unit"),
                    "approx": ent.get("approx"),
                    "section": sentences[k]["label"] if inside else "",
                }
            )

    def close(self) -> None:
        pass


WRITERS: Dict[str, Callable[[IO[str]], object]] = {"jsonl": JsonlWriter, "csv": CsvWriter}


def writer_for(name: str, stream: IO[str]):
    return WRITERS[name](stream)

"""Record writers for the output formats (records stream through; nothing is held back)."""
from __future__ import annotations

import csv
import html
import json
from typing import IO, Callable, Dict, List

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


SECTION_COLOURS = {"ACHIEVEMENT": "#2e7d32", "PROBLEM": "#c62828", "PLAN": "#1565c0", "OTHER": "#9e9e9e"}
ENTITY_COLOURS = {"ORG": "#ffd54f", "QUANTITY": "#80deea", "MEASURE": "#ce93d8"}
PAGE_HEAD = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>nlpkit extraction</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; }}
.sentence {{ border-left: 6px solid; padding: 0 0 0 0.6em; margin: 0.2em 0; }}
.legend span {{ display: inline-block; padding: 0.1em 0.6em; margin-right: 0.5em; color: white; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #ccc; padding: 0.2em 0.5em; }}
.entities {{ line-height: 2.2 !important; }}
</style></head><body>
<h1>nlpkit extraction</h1>
<p class="legend">Sections: {legend}</p>
"""


class HtmlWriter:
    """One self-contained page: entities rendered by displaCy, a colour band per sentence section, a table
    of normalised quantities per document."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        legend = "".join(f'<span style="background:{c}">{l}</span>' for l, c in SECTION_COLOURS.items())
        stream.write(PAGE_HEAD.format(legend=legend))

    def __call__(self, record: dict) -> None:
        from spacy import displacy

        text = record["text"]
        self.stream.write(f'<section class="document"><h2>{html.escape(record["id"])}</h2>\n')
        entities = record["entities"]
        for sent in record["sentences"]:
            inside = [
                {"start": e["start"] - sent["start"], "end": e["end"] - sent["start"], "label": e["label"]}
                for e in entities
                if sent["start"] <= e["start"] and e["end"] <= sent["end"]
            ]
            rendered = displacy.render(
                {"text": text[sent["start"] : sent["end"]], "ents": inside, "title": None},
                style="ent", manual=True, page=False, options={"colors": ENTITY_COLOURS},
            )
            colour = SECTION_COLOURS.get(sent["label"], "#000")
            self.stream.write(
                f'<div class="sentence" data-section="{sent["label"]}" style="border-color:{colour}">{rendered}</div>\n'
            )
        quantities = [e for e in entities if e["label"] == "QUANTITY"]
        if quantities:
            self.stream.write("<table><tr><th>quantity</th><th>value</th><th>unit</th><th>approx</th></tr>\n")
            for e in quantities:
                cells = (text[e["start"] : e["end"]], json.dumps(e.get("value")), e.get("unit", ""), e.get("approx"))
                self.stream.write("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>\n")
            self.stream.write("</table>\n")
        self.stream.write("</section>\n")

    def close(self) -> None:
        self.stream.write("</body></html>\n")


class LabelStudioWriter:
    """A JSON array of Label Studio tasks, each record its task's prediction (for a project whose labelling
    interface is ``nlpkit corpus label-config``)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.separator = "[\n"

    def __call__(self, record: dict) -> None:
        from .labelstudio import task_of

        self.stream.write(self.separator + json.dumps(task_of(record), ensure_ascii=False))
        self.separator = ",\n"

    def close(self) -> None:
        self.stream.write("[]\n" if self.separator == "[\n" else "\n]\n")


class ParquetWriter:
    """One row per document (the typed schema of ``records.records_table``), written in row groups so that memory
    stays bounded by ``row_group`` documents; the stream is binary."""

    def __init__(self, stream: IO[bytes], row_group: int = 256) -> None:
        import pyarrow.parquet as pq

        from .records import record_schema

        self.writer = pq.ParquetWriter(stream, record_schema())
        self.row_group = row_group
        self.rows: List[dict] = []

    def __call__(self, record: dict) -> None:
        self.rows.append(record)
        if len(self.rows) >= self.row_group:
            self._flush()

    def _flush(self) -> None:
        from .records import records_table

        if self.rows:
            self.writer.write_table(records_table(self.rows))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


WRITERS: Dict[str, Callable[[IO], object]] = {
    "jsonl": JsonlWriter, "csv": CsvWriter, "html": HtmlWriter, "parquet": ParquetWriter,
    "labelstudio": LabelStudioWriter,
}
BINARY_FORMATS = {"parquet"}


def writer_for(name: str, stream: IO):
    return WRITERS[name](stream)

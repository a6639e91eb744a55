"""Microsoft Recognizers-Text Chinese specs as a test suite for quantities, two ways.

- :func:`pass_rate`, the normaliser alone: :func:`parse_quantity` is handed each expected result's text (the
  gold span) and must give its value.
- :func:`end_to_end`, what a user gets: every spec input goes through the pipeline as ``nlpkit extract`` runs
  it; an expected result is *found* when a predicted QUANTITY overlaps it, *right* when the predicted span that
  overlaps it most has its value. Cases that expect nothing count the QUANTITY spans predicted on them.

Every case counts, also those marked ``NotSupported`` (that marks gaps of Recognizers-Text's own ports).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence

from ..quantities import parse_quantity

IN_SCOPE = (
    "Number_PercentModel.json",
    "NumberWithUnit_CurrencyModel.json",
    "NumberWithUnit_DimensionModel.json",
    "Number_NumberModel.json",
)
# Extract function: records in (``{"id", "text"}``), records with entities out (``nlpkit.evaluate.System``).
Extract = Callable[[Sequence[dict]], List[dict]]


def load_specs(folder: Path, names: Sequence[str] = IN_SCOPE) -> Dict[str, List[dict]]:
    """The spec cases of each file, in file order."""
    return {name: json.loads((folder / name).read_text(encoding="utf-8")) for name in names}


def expected_value(result: dict) -> Optional[float]:
    """A result's resolved value as a number (``"28.45%"`` → 28.45); None where it is not one number."""
    try:
        return float(str(result["Resolution"]["value"]).rstrip("%"))
    except (KeyError, TypeError, ValueError):
        return None


def same_value(got: object, expected: float) -> bool:
    """Equal up to float rounding; a range never equals one number."""
    return isinstance(got, (int, float)) and abs(got - expected) <= 1e-6 * max(1.0, abs(expected))


@dataclass(frozen=True)
class SpecCase:
    spec: str
    text: str
    expected: float
    got: Optional[object]

    @property
    def passed(self) -> bool:
        return same_value(self.got, self.expected)


def spec_cases(folder: Path) -> Iterator[SpecCase]:
    """Every result with a numeric value, and the normaliser's answer on its gold span."""
    for name, cases in load_specs(folder).items():
        for case in cases:
            for result in case.get("Results", []):
                expected = expected_value(result)
                if expected is not None:
                    text = case["Input"][result["Start"]: result["End"] + 1]
                    yield SpecCase(name, text, expected, parse_quantity(text).value)


def pass_rate(folder: Path) -> tuple[float, List[SpecCase]]:
    """Share of spec results the normaliser reads right from the gold span."""
    cases = list(spec_cases(folder))
    return sum(c.passed for c in cases) / len(cases), cases


@dataclass
class SpecRow:
    """End-to-end figures of one spec file; the lists hold the misses for reading."""

    spec: str
    expected: int = 0
    found: int = 0
    right: int = 0
    missed: List[str] = field(default_factory=list)
    wrong: List[str] = field(default_factory=list)
    false: List[str] = field(default_factory=list)

    @property
    def found_rate(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    @property
    def right_when_found(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def found_and_right(self) -> float:
        return self.right / self.expected if self.expected else 0.0


def end_to_end(extract: Extract, folder: Path, names: Sequence[str] = IN_SCOPE) -> List[SpecRow]:
    """Score what ``extract`` finds on every spec input against the spec's results (one row per file)."""
    rows = []
    for name, cases in load_specs(folder, names).items():
        records = extract([{"id": str(n), "text": case["Input"]} for n, case in enumerate(cases)])
        row = SpecRow(name)
        for case, record in zip(cases, records):
            predicted = [e for e in record["entities"] if e["label"] == "QUANTITY"]
            if not case.get("Results"):
                row.false += [f"{case['Input']} → {e['text']}" for e in predicted]
            for result in case.get("Results", []):
                start, end = result["Start"], result["End"] + 1
                row.expected += 1
                overlap = {id(e): min(end, e["end"]) - max(start, e["start"]) for e in predicted}
                touching = [e for e in predicted if overlap[id(e)] > 0]
                shown = f"{case['Input'][start:end]} ({result['Resolution'].get('value')})"
                if not touching:
                    row.missed.append(shown)
                    continue
                row.found += 1
                best = max(touching, key=lambda e: overlap[id(e)])
                expected = expected_value(result)
                if expected is not None and same_value(best.get("value"), expected):
                    row.right += 1
                else:
                    row.wrong.append(f"{shown} → {best['text']} = {best.get('value')} {best.get('unit')}")
        rows.append(row)
    return rows


def spec_title(name: str) -> str:
    """``NumberWithUnit_CurrencyModel.json`` → ``Currency``."""
    return name.split("_", 1)[1].removesuffix("Model.json")


def markdown_table(rows: Sequence[SpecRow]) -> List[str]:
    """The end-to-end table as Markdown lines, the false quantities named under it."""
    lines = ["| spec file | expected results | found | right value when found | found and right | "
             "false QUANTITY spans (cases expecting none) |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {spec_title(r.spec)} | {r.expected} | {r.found_rate:.1%} | {r.right_when_found:.1%} | "
                     f"{r.found_and_right:.1%} | {len(r.false)} |")
    false = [item for r in rows for item in r.false]
    if false:
        lines += ["", "False quantities: " + "; ".join(f"`{item}`" for item in false) + "."]
    return lines

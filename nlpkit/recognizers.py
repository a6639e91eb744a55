"""Microsoft Recognizers-Text Chinese specs as a test suite for the quantity normaliser.

In scope: numbers, percentages, currency and dimensions, every result of every case not marked
``NotSupported``. A case passes when :func:`parse_quantity` of the result's text gives its value.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

from .quantities import parse_quantity

IN_SCOPE = (
    "Number_NumberModel.json",
    "Number_PercentModel.json",
    "NumberWithUnit_CurrencyModel.json",
    "NumberWithUnit_DimensionModel.json",
)


@dataclass(frozen=True)
class SpecCase:
    spec: str
    text: str
    expected: float
    got: Optional[object]

    @property
    def passed(self) -> bool:
        got = self.got[0] if isinstance(self.got, list) else self.got
        return isinstance(got, (int, float)) and abs(got - self.expected) <= 1e-6 * max(1.0, abs(self.expected))


def spec_cases(folder: Path) -> Iterator[SpecCase]:
    """Every in-scope result with the normaliser's answer."""
    for name in IN_SCOPE:
        for case in json.loads((folder / name).read_text(encoding="utf-8")):
            if case.get("NotSupported"):
                continue
            for result in case.get("Results", []):
                raw = str(result["Resolution"]["value"]).rstrip("%")
                try:
                    expected = float(raw)
                except ValueError:
                    continue
                text = case["Input"][result["Start"] : result["End"] + 1]
                yield SpecCase(name, text, expected, parse_quantity(text).value)


def pass_rate(folder: Path) -> tuple[float, List[SpecCase]]:
    cases = list(spec_cases(folder))
    return sum(c.passed for c in cases) / len(cases), cases

"""The quantity normaliser: ``value``, ``unit`` and ``approx`` on every QUANTITY entity."""
from __future__ import annotations

from typing import List

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..quantities import parse_quantity

QUANTITY = "QUANTITY"


@Language.factory(
    "nlpkit_quantity_normalizer",
    assigns=["span._.value", "span._.unit", "span._.approx"],
    default_config={"label": QUANTITY},
)
def make_quantity_normalizer(nlp: Language, name: str, label: str) -> "QuantityNormalizer":
    for attr in ("value", "unit", "approx"):
        if not Span.has_extension(attr):
            Span.set_extension(attr, default=None)
    return QuantityNormalizer(name=name, label=label)


class QuantityNormalizer:
    """Set ``value`` (multipliers folded in, ranges as ``[low, high]``), ``unit`` and ``approx`` on quantities."""

    def __init__(self, name: str, label: str) -> None:
        self.name = name
        self.label = label

    def __call__(self, doc: Doc) -> Doc:
        quantities = [ent for ent in doc.ents if ent.label_ == self.label]
        for ent in quantities:
            quantity = parse_quantity(ent.text)
            ent._.value, ent._.unit, ent._.approx = quantity.value, quantity.unit, quantity.approx
        share_units(quantities)
        return doc


def share_units(quantities: List[Span]) -> None:
    """A unit written once after a list of numbers holds for each: in ``10.6万、3.8万、3.3万平方公里`` every item is
    in 平方公里 (the items are joined by 、 alone; a unitless number elsewhere keeps the empty unit)."""
    run: List[Span] = []
    for ent in quantities:
        if not (run and ent.start == run[-1].end + 1 and ent.doc[run[-1].end].text == "、"):
            run = []
        if ent._.unit:
            for item in run:
                item._.unit = ent._.unit
            run = []
        else:
            run.append(ent)

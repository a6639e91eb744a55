"""QUANTITY components: a grammar-based finder for the regular core and the normaliser for every span."""
from __future__ import annotations

from typing import List

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..quantities import find_quantities, parse_quantity

QUANTITY = "QUANTITY"


@Language.factory(
    "nlpkit_quantity_ruler",
    assigns=["doc.ents"],
    default_config={"label": QUANTITY, "overwrite_quantities": True},
)
def make_quantity_ruler(nlp: Language, name: str, label: str, overwrite_quantities: bool) -> "QuantityRuler":
    return QuantityRuler(name=name, label=label, overwrite_quantities=overwrite_quantities)


class QuantityRuler:
    """Add the grammar's quantities to the NER's entities.

    Other labels are never overridden (a MEASURE such as ``安全生产治本攻坚三年行动`` keeps its numeral). With
    ``overwrite_quantities`` the grammar's span replaces an overlapping statistical QUANTITY span: on held-out
    reports the grammar's boundaries are the more precise (see EVALUATION.md).
    """

    def __init__(self, name: str, label: str, overwrite_quantities: bool = True) -> None:
        self.name = name
        self.label = label
        self.overwrite_quantities = overwrite_quantities

    def __call__(self, doc: Doc) -> Doc:
        found: List[Span] = []
        for start, end in find_quantities(doc.text):
            span = doc.char_span(start, end, label=self.label, alignment_mode="strict")
            if span is not None:
                found.append(span)
        if found:
            found = filter_spans(found)
            grammar = {i for span in found for i in range(span.start, span.end)}
            kept = [
                ent for ent in doc.ents
                if not (self.overwrite_quantities and ent.label_ == self.label and grammar.intersection(range(ent.start, ent.end)))
            ]
            taken = {i for ent in kept for i in range(ent.start, ent.end)}
            new = [s for s in found if not taken.intersection(range(s.start, s.end))]
            doc.ents = sorted(kept + new, key=lambda s: s.start)
        return doc


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
        for ent in doc.ents:
            if ent.label_ == self.label:
                quantity = parse_quantity(ent.text)
                ent._.value, ent._.unit, ent._.approx = quantity.value, quantity.unit, quantity.approx
        return doc

"""Token features for character-level models."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..text import normalize_char


@Language.component("nlpkit_char_normalizer", assigns=["token.norm"])
def char_normalizer(doc: Doc) -> Doc:
    """Set ``token.norm_`` to the simplified, half-width, lower-case form so both scripts share features.

    ``token.text`` is untouched, so offsets keep indexing the original text.
    """
    for token in doc:
        norm = "".join(normalize_char(c) for c in token.text)
        if norm != token.text:
            token.norm_ = norm
    return doc

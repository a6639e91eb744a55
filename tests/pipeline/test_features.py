"""char_features: token norms as the text rule writes them."""
import spacy
from hypothesis import given
from hypothesis import strategies as st

from nlpkit.text import normalize_char


def test_char_features_set_norm_not_text():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_char_features")
    doc = nlp("區１局")
    assert [t.text for t in doc] == ["區", "１", "局"] and [t.norm_ for t in doc] == ["区", "1", "局"]


@given(st.text(alphabet="區局１Ａa ﬁ½。\n", max_size=30))
def test_char_features_norm_every_token_as_the_text_rule_does(text):
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_char_features")
    doc = nlp(text)
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]
    folds = ["".join(normalize_char(c) for c in t.text) for t in doc]
    # a folded character carries its fold; any other keeps its lexeme's norm (spaCy's, e.g. 。 → .)
    assert [t.norm_ for t in doc] == [f if f != t.text else t.lex.norm_ for f, t in zip(folds, doc)]

"""The sentencizer: sentence starts as ANNOTATION.md's rule sets them."""
import spacy
from hypothesis import given
from hypothesis import strategies as st

from nlpkit.text import sentence_spans


@given(st.text(alphabet="回顾检3次 。！\n", max_size=30))
def test_sentencizer_starts_are_the_sentence_rule_starts(text):
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    doc = nlp(text)
    starts = {s for s, _ in sentence_spans(text)} | {0}
    assert [t.i for t in doc if t.is_sent_start] == [t.i for t in doc if t.i == 0 or t.idx in starts]


def test_sentencizer_follows_annotation_rule():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    doc = nlp("一、回顾\n检查3次。整改！")
    assert [s.text.strip() for s in doc.sents] == ["一、回顾", "检查3次。", "整改！"]

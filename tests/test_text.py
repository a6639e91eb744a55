from hypothesis import given
from hypothesis import strategies as st

from nlpkit.text import has_bad_edge, normalize_text, sentence_spans


def test_sentence_rule_matches_annotation_guide():
    text = "一、工作回顾\n全年检查3次。他说：“好。”下一步！\n\n  "
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["一、工作回顾", "全年检查3次。", "他说：“好。”", "下一步！"]


@given(st.text())
def test_sentences_are_ordered_stripped_and_inside(text):
    previous = 0
    for start, end in sentence_spans(text):
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous = end


def test_edges_allow_inner_quotes_only():
    assert not has_bad_edge("“2614”工作法")
    assert not has_bad_edge("市安委办")
    assert has_bad_edge("“五进”")
    assert has_bad_edge("检查，")
    assert has_bad_edge(" 检查")


def test_normalisation_keeps_length_and_folds_scripts():
    assert normalize_text("區應急管理局１２％") == "区应急管理局12%"
    assert normalize_text("½ﬁ㎡Ａ") == "½ﬁ㎡a"  # a fold to several characters would shift offsets: kept


@given(st.text())
def test_normalisation_is_character_wise_and_keeps_length(text):
    folded = normalize_text(text)
    assert len(folded) == len(text)
    assert folded == "".join(normalize_text(c) for c in text)

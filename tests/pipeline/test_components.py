"""Rule components and the section classifier on tiny inputs, with serialisation round trips."""
import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.training import Example

from nlpkit.pipeline.section import SECTIONS_KEY, SENTENCES_KEY
from nlpkit.text import normalize_char, sentence_spans
from nlpkit.training.readers import record_to_doc

from ..conftest import ROOT, load_fixture, needs_shared
from .test_serialization import round_trips



def blank():
    return spacy.blank("zh")


def test_quantity_ruler_and_normalizer():
    nlp = blank()
    nlp.add_pipe("nlpkit_regex_ruler")
    nlp.add_pipe("nlpkit_quantity_normalizer")
    doc = nlp("下拨资金3.2亿元，检查企业4053家。")
    assert [(e.text, e._.value, e._.unit, e._.approx) for e in doc.ents] == [
        ("3.2亿元", 320000000, "元", False),
        ("4053家", 4053, "家", False),
    ]


def test_quantity_normalizer_gives_a_shared_unit_to_every_item_of_a_list():
    nlp = blank()
    nlp.add_pipe("nlpkit_regex_ruler")
    nlp.add_pipe("nlpkit_quantity_normalizer")
    doc = nlp("分别减少10.6万、3.8万、3.3万平方公里，人口减少1386万，增长5%")
    assert [(e.text, e._.value, e._.unit) for e in doc.ents] == [
        ("10.6万", 106000, "平方公里"),
        ("3.8万", 38000, "平方公里"),
        ("3.3万平方公里", 33000, "平方公里"),
        ("1386万", 13860000, ""),
        ("5%", 5, "%"),
    ]


def test_regex_ruler_keeps_other_labels_and_overwrites_its_own():
    nlp = blank()
    ruler = nlp.add_pipe("nlpkit_regex_ruler", config={"overwrite": True})
    doc = nlp.make_doc("开展“2614”工作法3次，检查5万余份")
    doc.ents = [doc.char_span(2, 11, label="MEASURE"), doc.char_span(17, 19, label="QUANTITY")]
    doc = ruler(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("“2614”工作法", "MEASURE"), ("3次", "QUANTITY"), ("5万余份", "QUANTITY")
    ]


def test_shipped_rule_order_frees_a_span_the_ner_took_for_a_quantity():
    # The quantity grammar, the only source of QUANTITY, runs first among the rules: the NER's 党中央 "quantity" it
    # drops is then open to the ORG names after it (in the other order the ORG rule found the span taken).
    config = spacy.util.load_config(ROOT / "configs" / "pipeline.cfg")
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    names = nlp.pipe_names
    doc = nlp.make_doc("在党中央坚强领导下")
    doc.ents = [doc.char_span(1, 4, label="QUANTITY")]
    for name in names[names.index("ner") + 1 : names.index("quantity_normalizer")]:
        doc = nlp.get_pipe(name)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("党中央", "ORG")]


def test_exclusive_regex_ruler_drops_statistical_spans_its_grammar_does_not_confirm():
    nlp = blank()
    ruler = nlp.add_pipe("nlpkit_regex_ruler", config={"overwrite": True, "exclusive": True})
    doc = nlp.make_doc("增强“四个意识”，县委检查企业12家")
    doc.ents = [doc.char_span(3, 5, label="QUANTITY"), doc.char_span(9, 11, label="ORG"),
                doc.char_span(15, 18, label="QUANTITY")]
    assert [(e.text, e.label_) for e in ruler(doc).ents] == [("县委", "ORG"), ("12家", "QUANTITY")]


def test_org_and_measure_finders():
    nlp = blank()
    nlp.add_pipe("nlpkit_regex_ruler", name="org", config={"label": "ORG", "finder": {"@misc": "nlpkit.org_finder.v1"}})
    nlp.add_pipe(
        "nlpkit_regex_ruler", name="measure", config={"label": "MEASURE", "finder": {"@misc": "nlpkit.measure_finder.v1"}}
    )
    doc = nlp("市安委办和国务院印发《安全生产法》，开展“五进”活动，县委书记讲话，区委委员列席市政府会议。")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("市安委办", "ORG"), ("国务院", "ORG"), ("安全生产法", "MEASURE"), ("“五进”活动", "MEASURE"), ("县委", "ORG")
    ]
    doc = nlp("修订《\n传染病防治法\n》，落实\"6.7.6\"工作任务和＂五进＂活动。")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("传染病防治法", "MEASURE"), ("\"6.7.6\"工作任务", "MEASURE"), ("＂五进＂活动", "MEASURE")
    ]


def test_org_ruler_overwrite_corrects_a_statistical_boundary():
    nlp = blank()
    ruler = nlp.add_pipe(
        "nlpkit_regex_ruler", config={"label": "ORG", "finder": {"@misc": "nlpkit.org_finder.v1"}, "overwrite": True}
    )
    doc = nlp.make_doc("发挥区安委办作用，提请xx市应急管理局审议")
    doc.ents = [doc.char_span(0, 6, label="ORG")]
    assert [e.text for e in ruler(doc).ents] == ["区安委办", "xx市应急管理局"]


def test_char_features_set_norm_not_text():
    nlp = blank()
    nlp.add_pipe("nlpkit_char_features")
    doc = nlp("區１局")
    assert [t.text for t in doc] == ["區", "１", "局"] and [t.norm_ for t in doc] == ["区", "1", "局"]


@given(st.text(alphabet="區局１Ａa ﬁ½。\n", max_size=30))
def test_char_features_norm_every_token_as_the_text_rule_does(text):
    nlp = blank()
    nlp.add_pipe("nlpkit_char_features")
    doc = nlp(text)
    assert [t.text for t in doc] == [t.text for t in nlp.make_doc(text)]
    folds = ["".join(normalize_char(c) for c in t.text) for t in doc]
    # a folded character carries its fold; any other keeps its lexeme's norm (spaCy's, e.g. 。 → .)
    assert [t.norm_ for t in doc] == [f if f != t.text else t.lex.norm_ for f, t in zip(folds, doc)]


@given(st.text(alphabet="回顾检3次 。！\n", max_size=30))
def test_sentencizer_starts_are_the_sentence_rule_starts(text):
    nlp = blank()
    nlp.add_pipe("nlpkit_sentencizer")
    doc = nlp(text)
    starts = {s for s, _ in sentence_spans(text)} | {0}
    assert [t.i for t in doc if t.is_sent_start] == [t.i for t in doc if t.i == 0 or t.idx in starts]


def test_sentencizer_follows_annotation_rule():
    nlp = blank()
    nlp.add_pipe("nlpkit_sentencizer")
    doc = nlp("一、回顾\n检查3次。整改！")
    assert [s.text.strip() for s in doc.sents] == ["一、回顾", "检查3次。", "整改！"]


def fitted_sections(nlp):
    records = load_fixture("tiny.jsonl")
    examples = [Example(nlp.make_doc(r["text"]), record_to_doc(nlp.make_doc(r["text"]), r)) for r in records]
    sections = nlp.add_pipe("nlpkit_section_classifier", name="sections")
    sections.initialize(lambda: examples, nlp=nlp)
    return sections, records


def test_section_classifier_learns_and_groups_sections():
    nlp = blank()
    _, records = fitted_sections(nlp)
    doc = nlp(records[0]["text"])
    assert [s.label_ for s in doc.spans[SENTENCES_KEY]] == [s["label"] for s in records[0]["sentences"]]
    assert [s.label_ for s in doc.spans[SECTIONS_KEY]] == ["ACHIEVEMENT", "PROBLEM", "PLAN"]
    assert doc.spans[SENTENCES_KEY][1]._.section == "ACHIEVEMENT"


def test_section_classifier_reads_traditional_like_simplified():
    nlp = blank()
    fitted_sections(nlp)
    simplified = nlp("二、存在问题\n基层应急能力仍然薄弱。")
    traditional = nlp("二、存在問題\n基層應急能力仍然薄弱。")
    assert [s.label_ for s in traditional.spans[SENTENCES_KEY]] == [s.label_ for s in simplified.spans[SENTENCES_KEY]]


def test_section_classifier_round_trip(tmp_path):
    nlp = blank()
    nlp.add_pipe("nlpkit_sentencizer")
    _, records = fitted_sections(nlp)
    text = records[1]["text"]
    doc = nlp(text)
    before = [(s.start_char, s.label_) for s in doc.spans[SENTENCES_KEY]]
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        loaded_doc = loaded(text)
        assert [(s.start_char, s.label_) for s in loaded_doc.spans[SENTENCES_KEY]] == before, way


def test_section_classifier_reads_the_whole_block_under_a_heading():
    # The same sentence under the same heading: only the rest of its block tells done from planned.
    nlp = blank()
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "transition_weight": 0.0})
    done = ["一、工作", "完成了检查。", "完成了整改。", "推进工作。"]
    planned = ["一、工作", "将要检查。", "将要整改。", "推进工作。"]
    sections.fit([done, planned], [["ACHIEVEMENT"] * 4, ["PLAN"] * 4])
    assert sections.predict(["一、工作", "完成了培训。", "推进工作。"])[-1] == "ACHIEVEMENT"
    assert sections.predict(["一、工作", "将要培训。", "推进工作。"])[-1] == "PLAN"


def test_section_classifier_reads_any_count_as_a_count():
    # Achievements report counts, plans do not: a count with digits never seen in training still reads as one.
    nlp = blank()
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "transition_weight": 0.0})
    sections.fit(
        [["检查企业12家。", "检查企业345家。"], ["要检查企业多家。", "要检查企业各家。"]],
        [["ACHIEVEMENT"] * 2, ["PLAN"] * 2],
    )
    assert sections.predict(["要检查企业９７８家。"]) == ["ACHIEVEMENT"]
    assert sections.predict(["要检查企业几家。"]) == ["PLAN"]


def test_uninitialised_section_classifier_says_so():
    nlp = blank()
    nlp.add_pipe("nlpkit_section_classifier")
    try:
        nlp("一、回顾。")
    except ValueError as err:
        assert "not initialised" in str(err)
    else:
        raise AssertionError("expected a clear error")


def test_entity_trimmer_removes_edge_punctuation_keeps_inner_quotes():
    nlp = blank()
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc("镇办\"6.7.6\"任务，开展“2614”工作法")
    doc.ents = [doc.char_span(2, 9, label="MEASURE"), doc.char_span(14, 23, label="MEASURE")]
    assert [e.text for e in trimmer(doc).ents] == ["6.7.6", "“2614”工作法"]


def test_entity_trimmer_extends_a_measure_over_its_head_word():
    nlp = blank()
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc("推进“放管服”改革，完善留抵退税制度，開展安全生產月活動，实施乡村振兴战略规划")
    doc.ents = [
        doc.char_span(2, 7, label="MEASURE"),  # “放管服” (its quotes are trimmed, then it takes 改革 and both quotes)
        doc.char_span(12, 16, label="MEASURE"),  # 留抵退税 + 制度
        doc.char_span(21, 26, label="MEASURE"),  # traditional script: 活動 is read as 活动
        doc.char_span(31, 35, label="MEASURE"),  # 乡村振兴: its head word is in another entity, so not taken
        doc.char_span(35, 39, label="MEASURE"),
    ]
    assert [e.text for e in trimmer(doc).ents] == ["“放管服”改革", "留抵退税制度", "安全生產月活動", "乡村振兴", "战略规划"]


def test_entity_trimmer_drops_dotted_codes_as_quantities():
    nlp = blank()
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc("落实“6.7.6”工作任务3.5项")
    doc.ents = [doc.char_span(3, 8, label="QUANTITY"), doc.char_span(13, 17, label="QUANTITY")]
    assert [e.text for e in trimmer(doc).ents] == ["3.5项"]


def test_lexicon_ruler_learns_names_from_training_examples_and_round_trips(tmp_path):
    nlp = blank()
    lexicon = nlp.add_pipe("nlpkit_lexicon_ruler")
    records = load_fixture("tiny.jsonl")
    examples = [Example(nlp.make_doc(r["text"]), record_to_doc(nlp.make_doc(r["text"]), r)) for r in records]
    lexicon.initialize(lambda: examples, nlp=nlp)
    text = "區應急管理局推行安全生产责任制。"
    assert [(e.text, e.label_) for e in nlp(text).ents] == [("區應急管理局", "ORG"), ("安全生产责任制", "MEASURE")]
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        assert [(e.text, e.label_) for e in loaded(text).ents] == [
            ("區應急管理局", "ORG"), ("安全生产责任制", "MEASURE")
        ], way


@pytest.mark.slow
@needs_shared()
def test_word_boundaries_trains_a_segmenter_and_round_trips(tmp_path):
    nlp = blank()
    nlp.add_pipe("nlpkit_word_boundaries", config={"iterations": 2})
    nlp.initialize()
    text = "市应急管理局开展安全生产大检查。"
    tags = [t.lemma_ for t in nlp(text)]
    assert len(tags) == len(text) and set(tags) <= {"B", "M", "E", "S"} and "B" in tags
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        assert [t.lemma_ for t in loaded(text)] == tags, way

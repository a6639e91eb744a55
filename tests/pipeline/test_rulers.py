"""The regex rulers (quantities, organisations, measures) and the lexicon ruler."""
import spacy
from spacy.training import Example

from nlpkit.training.readers import record_to_doc

from ..conftest import ROOT, load_fixture
from .test_serialization import round_trips


def test_regex_ruler_keeps_other_labels_and_overwrites_its_own():
    nlp = spacy.blank("zh")
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
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("nlpkit_regex_ruler", config={"overwrite": True, "exclusive": True})
    doc = nlp.make_doc("增强“四个意识”，县委检查企业12家")
    doc.ents = [doc.char_span(3, 5, label="QUANTITY"), doc.char_span(9, 11, label="ORG"),
                doc.char_span(15, 18, label="QUANTITY")]
    assert [(e.text, e.label_) for e in ruler(doc).ents] == [("县委", "ORG"), ("12家", "QUANTITY")]


def test_org_and_measure_finders():
    nlp = spacy.blank("zh")
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
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe(
        "nlpkit_regex_ruler", config={"label": "ORG", "finder": {"@misc": "nlpkit.org_finder.v1"}, "overwrite": True}
    )
    doc = nlp.make_doc("发挥区安委办作用，提请xx市应急管理局审议")
    doc.ents = [doc.char_span(0, 6, label="ORG")]
    assert [e.text for e in ruler(doc).ents] == ["区安委办", "xx市应急管理局"]


def test_lexicon_ruler_learns_names_from_training_examples_and_round_trips(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_char_features")  # the lexicon matches on the norms it writes: both scripts
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

"""The section classifier: learning, grouping, context, round trips, the uninitialised case."""
import spacy
from spacy.training import Example

from nlpkit.labels import SECTIONS_KEY, SENTENCES_KEY
from nlpkit.training.readers import record_to_doc

from ..conftest import load_fixture
from .test_serialization import round_trips


def fitted_sections(nlp):
    records = load_fixture("tiny.jsonl")
    examples = [Example(nlp.make_doc(r["text"]), record_to_doc(nlp.make_doc(r["text"]), r)) for r in records]
    nlp.add_pipe("nlpkit_sentencizer")  # the classifier labels doc.sents
    sections = nlp.add_pipe("nlpkit_section_classifier", name="sections")
    sections.initialize(lambda: examples, nlp=nlp)
    return sections, records


def test_section_classifier_learns_and_groups_sections():
    nlp = spacy.blank("zh")
    _, records = fitted_sections(nlp)
    doc = nlp(records[0]["text"])
    assert [s.label_ for s in doc.spans[SENTENCES_KEY]] == [s["label"] for s in records[0]["sentences"]]
    assert [s.label_ for s in doc.spans[SECTIONS_KEY]] == ["ACHIEVEMENT", "PROBLEM", "PLAN"]
    assert doc.spans[SENTENCES_KEY][1]._.section == "ACHIEVEMENT"


def test_section_classifier_reads_traditional_like_simplified():
    nlp = spacy.blank("zh")
    fitted_sections(nlp)
    simplified = nlp("二、存在问题\n基层应急能力仍然薄弱。")
    traditional = nlp("二、存在問題\n基層應急能力仍然薄弱。")
    assert [s.label_ for s in traditional.spans[SENTENCES_KEY]] == [s.label_ for s in simplified.spans[SENTENCES_KEY]]


def test_section_classifier_round_trip(tmp_path):
    nlp = spacy.blank("zh")
    _, records = fitted_sections(nlp)
    text = records[1]["text"]
    doc = nlp(text)
    before = [(s.start_char, s.label_) for s in doc.spans[SENTENCES_KEY]]
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        loaded_doc = loaded(text)
        assert [(s.start_char, s.label_) for s in loaded_doc.spans[SENTENCES_KEY]] == before, way


def test_section_classifier_reads_the_whole_block_under_a_heading():
    # The same sentence under the same heading: only the rest of its block tells done from planned.
    nlp = spacy.blank("zh")
    sections = nlp.add_pipe("nlpkit_section_classifier",
                            config={"n_features": 2**12, "transition_weight": 0.0, "short_document": 0})
    done = ["一、工作", "完成了检查。", "完成了整改。", "推进工作。"]
    planned = ["一、工作", "将要检查。", "将要整改。", "推进工作。"]
    sections.fit([done, planned], [["ACHIEVEMENT"] * 4, ["PLAN"] * 4])
    assert sections.predict(["一、工作", "完成了培训。", "推进工作。"])[-1] == "ACHIEVEMENT"
    assert sections.predict(["一、工作", "将要培训。", "推进工作。"])[-1] == "PLAN"


def test_section_classifier_reads_any_count_as_a_count():
    # Achievements report counts, plans do not: a count with digits never seen in training still reads as one.
    nlp = spacy.blank("zh")
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "transition_weight": 0.0})
    sections.fit(
        [["检查企业12家。", "检查企业345家。"], ["要检查企业多家。", "要检查企业各家。"]],
        [["ACHIEVEMENT"] * 2, ["PLAN"] * 2],
    )
    assert sections.predict(["要检查企业９７８家。"]) == ["ACHIEVEMENT"]
    assert sections.predict(["要检查企业几家。"]) == ["PLAN"]


def test_an_excerpt_is_labelled_sentence_by_sentence_by_what_it_says():
    # A report's sentences take their section's label; a short input has no sections, only what each sentence says.
    nlp = spacy.blank("zh")
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "short_document": 3})
    report = ["一、工作回顾", "完成了检查。", "完成了整改。", "二、下一步", "将要检查。", "将要整改。"]
    sections.fit([report, report], [["ACHIEVEMENT"] * 3 + ["PLAN"] * 3] * 2)
    assert sections.predict(["将要培训。", "完成了培训。"]) == ["PLAN", "ACHIEVEMENT"]


def test_an_excerpt_sentence_that_says_it_plans_is_a_plan_unless_it_reports_work_done():
    # Trained only on counts of done work, the model reads any count as an achievement; a plan cue overrides that
    # in an excerpt, a sign of completion keeps it, and a report's sentences are left to the report model.
    nlp = spacy.blank("zh")
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "short_document": 3})
    sections.fit([["新建场所6处。", "检查企业12家。", "要检查企业。"]] * 2, [["ACHIEVEMENT", "ACHIEVEMENT", "PLAN"]] * 2)
    assert sections.predict(["新建场所6处。"]) == ["ACHIEVEMENT"]
    assert sections.predict(["2025年计划新建场所6处。", "计划新建的6处场所已建成。"]) == ["PLAN", "ACHIEVEMENT"]
    assert sections.predict(["力争新建场所6处。", "明年，新建场所6处。"]) == ["PLAN", "PLAN"]
    assert sections.predict(["计划新建场所6处。"] * 3)[0] == "ACHIEVEMENT"  # three sentences: a report


def test_the_cells_of_a_flattened_table_are_other_unless_they_state_a_count():
    # Trained without OTHER, the models never say it; a run of short unpunctuated lines is a table (ANNOTATION.md):
    # its cells are OTHER, a cell with a count is left to the models, and three such lines in a row, or a line with
    # punctuation, are no table.
    nlp = spacy.blank("zh")
    sections = nlp.add_pipe("nlpkit_section_classifier", config={"n_features": 2**12, "short_document": 3})
    sections.fit([["一、工作回顾", "完成了检查。", "新建场所6处。"], ["二、下一步", "将要检查。", "将要整改。"]],
                 [["ACHIEVEMENT"] * 3, ["PLAN"] * 3])
    table = ["一、工作回顾", "完成了检查。", "序号", "项目名称", "责任单位", "1", "新建场所6处", "县应急管理局"]
    labels = sections.predict(table)
    assert [i for i, label in enumerate(labels) if label == "OTHER"] == [2, 3, 4, 5, 7], labels
    assert "OTHER" not in sections.predict(["一、工作回顾", "完成了检查。", "序号", "项目名称", "责任单位"])
    assert "OTHER" not in sections.predict(["一、工作回顾", "序号", "项目名称。", "责任单位", "县应急管理局"])
    assert sections.predict(["序号", "项目名称", "责任单位", "县应急管理局"]) == ["OTHER"] * 4  # an excerpt too


def test_uninitialised_section_classifier_says_so():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_sentencizer")
    nlp.add_pipe("nlpkit_section_classifier")
    try:
        nlp("一、回顾。")
    except ValueError as err:
        assert "not initialised" in str(err)
    else:
        raise AssertionError("expected a clear error")

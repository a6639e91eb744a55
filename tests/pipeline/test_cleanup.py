"""The entity trimmer (edges, head words, codes, clauses, the document's own title) and the ending filter."""
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from .test_serialization import round_trips


def trimmed(text: str, spans) -> list:
    """The entity texts the trimmer leaves of ``spans`` ((start, end, label) character offsets) in ``text``."""
    nlp = spacy.blank("zh")
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(start, end, label=label) for start, end, label in spans]
    return [e.text for e in trimmer(doc).ents]


def test_entity_trimmer_removes_edge_punctuation_keeps_inner_quotes():
    text = "镇办\"6.7.6\"任务，开展“2614”工作法"
    assert trimmed(text, [(2, 9, "MEASURE"), (14, 23, "MEASURE")]) == ["6.7.6", "“2614”工作法"]


def test_entity_trimmer_extends_a_measure_over_its_head_word():
    text = "推进“放管服”改革，完善留抵退税制度，開展安全生產月活動，实施乡村振兴战略规划"
    spans = [
        (2, 7, "MEASURE"),  # “放管服” (its quotes are trimmed, then it takes 改革 and both quotes)
        (12, 16, "MEASURE"),  # 留抵退税 + 制度
        (21, 26, "MEASURE"),  # traditional script: 活動 is read as 活动
        (31, 35, "MEASURE"),  # 乡村振兴: its head word is in another entity, so not taken
        (35, 39, "MEASURE"),
    ]
    assert trimmed(text, spans) == ["“放管服”改革", "留抵退税制度", "安全生產月活動", "乡村振兴", "战略规划"]


def test_entity_trimmer_drops_dotted_codes_as_quantities():
    assert trimmed("落实“6.7.6”工作任务3.5项", [(3, 8, "QUANTITY"), (13, 17, "QUANTITY")]) == ["3.5项"]


def test_entity_trimmer_keeps_a_measure_within_its_clause_unless_it_is_a_quoted_slogan():
    text = "完善技术转移体系，争创示范区；开展“进一扇门，办所有事”改革"
    assert trimmed(text, [(2, 14, "MEASURE"), (18, 27, "MEASURE")]) == ["技术转移体系", "“进一扇门，办所有事”改革"]


def test_entity_trimmer_drops_the_documents_own_title_but_not_other_titles():
    text = "现将《衡山县安全生产工作要点》印发给你们。\n衡山县安全生产工作要点\n贯彻《安全生产法》"
    assert trimmed(text, [(3, 14, "MEASURE"), (37, 42, "MEASURE")]) == ["安全生产法"]


def test_entity_trimmer_cuts_an_org_run_on_into_the_word_after_it():
    text = "星河共建研究站，云帆征迁小组，星河项目部和中共中央"
    spans = [(0, 3, "ORG"), (8, 12, "ORG"), (15, 20, "ORG"), (21, 25, "ORG")]
    assert trimmed(text, spans) == ["星河", "云帆", "星河项目部", "中共中央"]


def test_entity_trimmer_extends_an_org_over_its_place_and_its_institutions_kind_word():
    text = "唐县民政事业服务中心与华北电力大学、北医三院等三甲医院，保定市的县医院"
    spans = [(2, 10, "ORG"), (11, 14, "ORG"), (18, 22, "ORG"), (32, 35, "ORG")]
    # not over a list's kind after 等, nor over a place that 的 separates
    assert trimmed(text, spans) == ["唐县民政事业服务中心", "华北电力大学", "北医三院", "县医院"]
    # not over another entity's characters
    assert trimmed("华北电力大学", [(0, 3, "ORG"), (3, 6, "MEASURE")]) == ["华北电", "力大学"]


def test_entity_trimmer_extends_an_org_over_the_bodys_own_office():
    text = "国务院办公厅印发，向省人大常委会报告，省委政策研究室和自治区政府国资委，县政府与县委"
    names = ["国务院", "省人大", "省委", "自治区政府", "县政府", "县委"]
    spans = [(text.index(name), text.index(name) + len(name), "ORG") for name in names]
    assert trimmed(text, spans) == ["国务院办公厅", "省人大常委会", "省委政策研究室", "自治区政府国资委", "县政府", "县委"]


def test_entity_trimmer_drops_an_org_that_starts_at_a_level():
    # 全省, 各县: a level of government, not a body (全省政府债务, 各县政府); 省政府 alone is a body
    text = "全省政府债务和各县政府，省政府"
    assert trimmed(text, [(1, 4, "ORG"), (8, 11, "ORG"), (12, 15, "ORG")]) == ["省政府"]


def test_entity_trimmer_drops_an_org_that_names_no_body():
    # a level's own list, a class of bodies, a body counted or graded; 第一中学 and 县政府 are bodies
    text = "省定20项民生工程，人民团体，对接北京一所科研机构和北京三级医院，第一中学，县政府"
    names = ["省定", "人民团", "北京一所科研机构", "北京三级医院", "第一中学", "县政府"]
    spans = [(text.index(name), text.index(name) + len(name), "ORG") for name in names]
    assert trimmed(text, spans) == ["第一中学", "县政府"]


def test_entity_trimmer_drops_an_org_that_is_a_place_alone():
    # ANNOTATION.md: places alone are not ORG; a place that begins a body's name is part of it
    text = "厦门、宁德获评，宁德市政府和河北"
    assert trimmed(text, [(3, 5, "ORG"), (8, 13, "ORG"), (14, 16, "ORG")]) == ["宁德市政府"]


def named_spans(nlp, text: str, spans) -> Doc:
    """A doc of ``text`` whose entities are ``spans`` given as (surface, label), each at its first occurrence."""
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label=label) for name, label in spans]
    return doc


def test_ending_filter_drops_statistical_spans_that_end_as_no_name_of_their_label(tmp_path):
    nlp = spacy.blank("zh")
    ending_filter = nlp.add_pipe("nlpkit_ending_filter", config={"labels": ["ORG", "MEASURE"]})
    text = "县安委会推行河长制，市委部署。"
    reference = nlp.make_doc(text)
    reference.ents = [reference.char_span(0, 4, label="ORG"), reference.char_span(6, 9, label="MEASURE"),
                      reference.char_span(10, 12, label="ORG")]
    # 市委 is too short to teach an ending: only names of min_chars (3) characters or more do
    ending_filter.initialize(lambda: [Example(nlp.make_doc(text), reference)], nlp=nlp)
    assert ending_filter.endings == {"ORG": {"会"}, "MEASURE": {"制"}}
    text = "市安委會、湖北交通区位优越，英利扩产，推行林長制”。"
    spans = [("市安委會", "ORG"), ("湖北交通区位优越", "ORG"), ("英利", "ORG"), ("林長制”", "MEASURE")]
    # a run-on ORG goes; a short name and names ending as learned stay (traditional script and a quote alike)
    kept = ["市安委會", "英利", "林長制”"]
    assert [e.text for e in ending_filter(named_spans(nlp, text, spans)).ents] == kept
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        filtered = loaded.get_pipe("nlpkit_ending_filter")(named_spans(loaded, text, spans))
        assert [e.text for e in filtered.ents] == kept, way

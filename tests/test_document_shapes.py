"""Real document shapes through the shipped pipeline (ANNOTATION.md, "Local documents"): a covering notice around
the document, a table flattened to one cell per line, line breaks inside sentences, and short inputs."""
import pytest

NOTICE = (
    "衡山县人民政府办公室\n"
    "关于印发《衡山县2024年安全生产工作要点》的通知\n"
    "衡政办发〔2024〕3号\n"
    "各乡镇人民政府，县直各单位：\n"
    "现将《衡山县2024年安全生产工作要点》印发给你们，请认真贯彻执行。\n"
    "衡山县人民政府办公室\n"
    "2024年3月1日\n"
    "（此件公开发布）\n"
    "衡山县2024年安全生产工作要点\n"
    "一、总体要求\n"
    "坚持安全发展理念，全面落实安全生产责任制。\n"
    "二、重点任务\n"
    "（一）深化安全生产治本攻坚三年行动。全年开展燃气安全排查整治。\n"
)
TABLE = "附件\n2024年重点项目表\n序号\n项目名称\n建设内容\n责任单位\n1\n应急指挥中心\n新建指挥大厅1处\n县应急管理局\n2\n避难场所\n"


def labelled(doc):
    return [(s.text, s.label_) for s in doc.spans["sentences"]]


def test_a_covering_notice_is_other_and_the_document_it_carries_is_read(shipped_nlp):
    sentences = labelled(shipped_nlp(NOTICE))
    notice = sentences[:9]
    assert [label for _, label in notice] == ["OTHER"] * 9, notice
    assert [label for _, label in sentences[9:13]] == ["PLAN"] * 4
    ents = [(e.text, e.label_) for e in shipped_nlp(NOTICE).ents]
    assert ("衡山县人民政府办公室", "ORG") in ents
    assert not any(label == "MEASURE" and "工作要点" in text for text, label in ents)  # the document's own title
    assert ("安全生产治本攻坚三年行动", "MEASURE") in ents


def test_the_last_sentence_of_a_short_plan_is_read_as_plan(shipped_nlp):
    assert labelled(shipped_nlp(NOTICE))[-1] == ("全年开展燃气安全排查整治。", "PLAN")


def test_a_flattened_table_has_one_sentence_per_cell_and_no_bare_numbers_as_quantities(shipped_nlp):
    doc = shipped_nlp(TABLE)
    cells = [line for line in TABLE.splitlines() if line]
    assert [text for text, _ in labelled(doc)] == cells
    assert {label for text, label in labelled(doc) if not text.startswith("新建")} == {"OTHER"}
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "QUANTITY"] == [("1处", "QUANTITY")]


def test_a_line_break_inside_a_sentence_splits_it_as_the_guide_does(shipped_nlp):
    doc = shipped_nlp("全年共排查整治隐患\n1200余处，未发生较大以上事故。")
    assert [text for text, _ in labelled(doc)] == ["全年共排查整治隐患", "1200余处，未发生较大以上事故。"]
    assert [(e.text, e._.value) for e in doc.ents if e.label_ == "QUANTITY"] == [("1200余处", 1200)]


@pytest.mark.parametrize("text, label", [
    ("2025年计划新建应急避难场所6处。", "PLAN"),
    ("下一步，我们将深化安全生产专项整治，加强应急救援队伍建设。", "PLAN"),
    ("全年共排查整治隐患1200余处，未发生较大以上生产安全事故。", "ACHIEVEMENT"),
    ("部分企业主体责任落实不到位，基层应急力量依然薄弱。", "PROBLEM"),
])
def test_a_single_sentence_is_labelled_by_what_it_says(shipped_nlp, text, label):
    assert labelled(shipped_nlp(text)) == [(text, label)]


def test_a_short_paragraph_is_labelled_sentence_by_sentence(shipped_nlp):
    text = "今年以来，县应急管理局开展执法检查320次。但部分企业安全投入不足，隐患整改不及时。明年将开展燃气安全专项整治。"
    assert [label for _, label in labelled(shipped_nlp(text))] == ["ACHIEVEMENT", "PROBLEM", "PLAN"]

"""The entity trimmer: edges, head words, codes, clauses, the document's own title."""
import spacy


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


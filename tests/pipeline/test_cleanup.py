"""The entity trimmer: edges, head words, codes."""
import spacy


def test_entity_trimmer_removes_edge_punctuation_keeps_inner_quotes():
    nlp = spacy.blank("zh")
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc("镇办\"6.7.6\"任务，开展“2614”工作法")
    doc.ents = [doc.char_span(2, 9, label="MEASURE"), doc.char_span(14, 23, label="MEASURE")]
    assert [e.text for e in trimmer(doc).ents] == ["6.7.6", "“2614”工作法"]


def test_entity_trimmer_extends_a_measure_over_its_head_word():
    nlp = spacy.blank("zh")
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
    nlp = spacy.blank("zh")
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    doc = nlp.make_doc("落实“6.7.6”工作任务3.5项")
    doc.ents = [doc.char_span(3, 8, label="QUANTITY"), doc.char_span(13, 17, label="QUANTITY")]
    assert [e.text for e in trimmer(doc).ents] == ["3.5项"]


def test_entity_trimmer_keeps_a_measure_within_its_clause_unless_it_is_a_quoted_slogan():
    nlp = spacy.blank("zh")
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    text = "完善技术转移体系，争创示范区；开展“进一扇门，办所有事”改革"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(2, 14, label="MEASURE"), doc.char_span(18, 27, label="MEASURE")]
    assert [e.text for e in trimmer(doc).ents] == ["技术转移体系", "“进一扇门，办所有事”改革"]


def test_entity_trimmer_drops_the_documents_own_title_but_not_other_titles():
    nlp = spacy.blank("zh")
    trimmer = nlp.add_pipe("nlpkit_entity_trimmer")
    text = "现将《衡山县安全生产工作要点》印发给你们。\n衡山县安全生产工作要点\n贯彻《安全生产法》"
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(3, 14, label="MEASURE"), doc.char_span(37, 42, label="MEASURE")]
    assert [e.text for e in trimmer(doc).ents] == ["安全生产法"]

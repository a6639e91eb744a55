from nlpkit.evaluation.scoring import score

GOLD = [{
    "id": "d", "text": "市安委办下拨资金3.2亿元。",
    "entities": [{"start": 0, "end": 4, "label": "ORG"},
                 {"start": 8, "end": 14, "label": "QUANTITY", "value": 320000000, "unit": "元", "approx": False}],
    "sentences": [{"start": 0, "end": 15, "label": "ACHIEVEMENT"}],
}]


def test_perfect_prediction():
    s = score(GOLD, GOLD)
    assert s["entities_micro_f"] == 1.0 and s["quantity_value_unit_accuracy"] == 1.0
    assert s["sentences"]["ACHIEVEMENT"]["f"] == 1.0 and s["missing_documents"] == []
    assert s["sentences_macro_f"] == 1.0  # PROBLEM and PLAN, in neither gold nor prediction, are no error


def test_partial_overlap_counts_for_overlap_not_strict():
    pred = [{"id": "d", "entities": [{"start": 1, "end": 4, "label": "ORG"},
                                     {"start": 8, "end": 14, "label": "QUANTITY", "value": 3.2, "unit": "亿元"}],
             "sentences": [{"start": 0, "end": 15, "label": "PLAN"}]}]
    s = score(GOLD, pred)
    assert s["entities"]["ORG"]["strict"]["f"] == 0.0
    assert s["entities"]["ORG"]["overlap"]["f"] == 1.0
    assert s["entities"]["QUANTITY"]["strict"]["f"] == 1.0
    assert s["quantity_value_unit_accuracy"] == 0.0
    assert s["sentences"]["ACHIEVEMENT"]["r"] == 0.0 and s["confusion"]["ACHIEVEMENT"] == {"PLAN": 1}
    assert s["sentences_macro_f"] == 0.0  # ACHIEVEMENT missed, PLAN wrongly found: both count


def test_missing_document_counts_as_all_missed():
    s = score(GOLD, [])
    assert s["missing_documents"] == ["d"]
    assert s["entities"]["ORG"]["strict"]["r"] == 0.0 and s["sentences_accuracy"] == 0.0

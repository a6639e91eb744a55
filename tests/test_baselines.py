"""The evaluation baselines write the record format and behave as documented."""
from nlpkit.evaluation.baselines import jieba_system, regex_quantity_system

RECORDS = [{"id": "a", "text": "全年检查企业3家，下拨资金5万元，增长5%左右。2023年一是开展三年行动。"}]


def test_regex_baseline_reads_values_with_cn2an_and_has_no_guide_filters():
    (record,) = regex_quantity_system(RECORDS)
    found = [(RECORDS[0]["text"][e["start"]:e["end"]], e["value"], e["unit"], e["approx"]) for e in record["entities"]]
    assert found[:3] == [("3家", 3, "家", False), ("5万元", 50000, "元", False), ("5%左右", 5, "%", True)]
    assert ("三年", 3, "年", False) in found  # part of a name: the plain regex takes it, nlpkit's grammar does not


def test_jieba_baseline_writes_records_with_values_read_by_cn2an():
    (record,) = jieba_system([{"id": "b", "text": "中国人民银行下拨资金，处置19件。"}])
    assert record == {"id": "b", "sentences": [], "entities": [
        {"start": 0, "end": 6, "label": "ORG"},
        {"start": 13, "end": 16, "label": "QUANTITY", "value": 19, "unit": "件", "approx": False}]}


def test_a_baseline_left_out_is_named_with_the_reason(monkeypatch):
    import sys

    from nlpkit.evaluation.baselines import baseline_systems

    monkeypatch.setitem(sys.modules, "jieba", None)  # as if the baselines extra were not installed
    systems, notes = baseline_systems([])
    assert systems == {}
    assert any("jieba is not installed" in n and "nlpkit[baselines]" in n for n in notes)
    assert any(n.startswith("tfidf+LR sentences left out: no corpus") for n in notes)

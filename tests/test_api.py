"""``nlpkit.extract`` takes documents as users have them: texts, (id, text) pairs, {"id", "text"} records."""
import pytest

import nlpkit

TEXT = "市应急管理局下拨资金3.2亿元。"


@pytest.fixture(scope="module")
def nlp():
    return nlpkit.load()


def test_one_text_one_record_or_many(nlp):
    record = nlpkit.extract(TEXT, nlp)
    assert record["id"] == "doc-0" and record["text"] == TEXT
    assert ("3.2亿元", 320000000) in [(e["text"], e.get("value")) for e in record["entities"]]
    assert [r["id"] for r in nlpkit.extract(iter([TEXT, TEXT]), nlp)] == ["doc-0", "doc-1"]


def test_records_and_pairs_keep_their_ids(nlp):
    assert nlpkit.extract({"id": "x", "text": TEXT}, nlp)["id"] == "x"
    assert nlpkit.extract(("y", TEXT), nlp)["id"] == "y"
    records = nlpkit.extract([{"id": "a", "text": TEXT}, ("b", TEXT), TEXT], nlp)
    assert [r["id"] for r in records] == ["a", "b", "doc-2"]
    assert all(r["text"] == TEXT and r["entities"] for r in records)


@pytest.mark.parametrize("given,says", [(TEXT.encode(), "decode the bytes"), (3, "not int"),
                                        ([TEXT, 3], "document 1 is a int"), ([{"id": "a"}], "document 0 is a dict")])
def test_anything_else_is_a_clear_type_error(nlp, given, says):
    with pytest.raises(TypeError, match=says):
        nlpkit.extract(given, nlp)

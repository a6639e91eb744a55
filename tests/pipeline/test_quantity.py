"""The quantity normaliser on the quantity ruler's spans."""
import spacy


def test_quantity_ruler_and_normalizer():
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_regex_ruler")
    nlp.add_pipe("nlpkit_quantity_normalizer")
    doc = nlp("下拨资金3.2亿元，检查企业4053家。")
    assert [(e.text, e._.value, e._.unit, e._.approx) for e in doc.ents] == [
        ("3.2亿元", 320000000, "元", False),
        ("4053家", 4053, "家", False),
    ]


def test_quantity_normalizer_gives_a_shared_unit_to_every_item_of_a_list():
    nlp = spacy.blank("zh")
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

"""The regex rulers (quantities, organisations, measures) and the lexicon ruler."""
import pytest
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
    # ANNOTATION.md v1.2: a body inside a role or a meeting is tagged, the role or meeting is not.
    doc = nlp("市安委办和国务院印发《安全生产法》，开展“五进”活动，县委书记讲话，区委委员列席市政府会议。")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("市安委办", "ORG"), ("国务院", "ORG"), ("安全生产法", "MEASURE"), ("“五进”活动", "MEASURE"), ("县委", "ORG"),
        ("区委", "ORG"), ("市政府", "ORG"),
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


@pytest.mark.parametrize("take_starts", [True, False])
def test_org_ruler_overwrite_takes_a_body_the_ner_read_as_or_into_a_measure(take_starts):
    """A body the NER took for a measure (the issue's 县交通运输局) is the rule's ORG; with ``take_starts`` so is one
    it ran on from into the sentence (县委十三届六次, 县医院迁), and the body's own named measure stays (县医院搬迁工程,
    a 《》 title)."""
    nlp = spacy.blank("zh")
    rulers = [
        nlp.add_pipe("nlpkit_regex_ruler", name=f"{kind}_ruler",
                     config={"label": "ORG", "finder": {"@misc": f"nlpkit.{kind}_finder.v1"}, "overwrite": True,
                             "take_starts": take_starts})
        for kind in ("org", "institution")
    ]
    text = "由县交通运输局牵头，落实县委十三届六次全会，加快县医院迁建，完成县医院搬迁工程，按照《中共河北省委关于制定规划的建议》"
    measures = ["县交通运输局", "县委十三届六次", "县医院迁", "县医院搬迁工程", "中共河北省委关于制定规划的建议"]
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(m), text.index(m) + len(m), label="MEASURE") for m in measures]
    for ruler in rulers:
        doc = ruler(doc)
    run_on = [("县委", "ORG"), ("县医院", "ORG")] if take_starts else [("县委十三届六次", "MEASURE"), ("县医院迁", "MEASURE")]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("县交通运输局", "ORG"), *run_on, ("县医院搬迁工程", "MEASURE"), ("中共河北省委关于制定规划的建议", "MEASURE"),
    ]


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


def test_lexicon_ruler_leaves_out_names_tagged_in_few_of_their_occurrences():
    """改革开放 tagged once where it stands alone three times is a phrase; 县政府 inside a longer entity does not count."""
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_char_features")
    lexicon = nlp.add_pipe("nlpkit_lexicon_ruler", config={"min_precision": 0.6})
    text = "深化改革开放。改革开放走深。改革开放以来，县政府和xx县政府推进河长制。"
    reference = nlp.make_doc(text)
    tagged = [("改革开放", "MEASURE"), ("，县政府", "ORG"), ("xx县政府", "ORG"), ("河长制", "MEASURE")]
    reference.ents = [reference.char_span(text.index(name) + name.startswith("，"), text.index(name) + len(name),
                                          label=label) for name, label in tagged]
    assert [e.text for e in reference.ents] == ["改革开放", "县政府", "xx县政府", "河长制"]
    lexicon.initialize(lambda: [Example(nlp.make_doc(text), reference)], nlp=nlp)
    assert lexicon.lexicon == {"县政府": "ORG", "xx县政府": "ORG", "河长制": "MEASURE"}


def found_texts(finder_name: str, text: str) -> list:
    """What a ruler with the finder adds (overlapping finds resolved as the pipeline resolves them: the longest)."""
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_regex_ruler", config={"label": "ORG", "finder": {"@misc": finder_name}})
    return [e.text for e in nlp(text).ents]


@pytest.mark.parametrize("text, names", [
    # a place of the gazetteer before a body word, in a chain, with 中共, and a department by its short name
    ("高阳县人民政府和衡山县防汛抗旱指挥部联合检查", ["高阳县人民政府", "衡山县防汛抗旱指挥部"]),
    ("保定市满城区人民政府、中共河北省委、楚雄州应急管理局", ["保定市满城区人民政府", "中共河北省委", "楚雄州应急管理局"]),
    ("县住建局、县市场监管局和县交通运输局", ["县住建局", "县市场监管局", "县交通运输局"]),
    # congresses with their term; bodies inside roles; bare standing bodies
    ("河南省第十四届人民代表大会第四次会议，县十六届人大", ["河南省第十四届人民代表大会", "县十六届人大"]),
    ("自觉接受县人大及其常委会监督，市委常委会，召开常委会", ["县人大", "常委会", "市委常委会"]),
    # mass organisations with their jurisdiction; the Youth League's committee is not the party's (团县委, not 县委)
    ("县妇联、市总工会、团县委和县残联联合开展", ["县妇联", "市总工会", "团县委", "县残联"]),
    ("全国工商联和全国妇联，完成了十七届人大一次会议", ["全国工商联", "全国妇联", "十七届人大"]),
    # a body named right after its paired one; the Youth League's committee; not 集团委托
    ("支持县纪委监委履职，发挥工会、团委作用，新增两院院士，由集团委托", ["县纪委", "监委", "工会", "团委", "两院"]),
    # and alone, whole (总工会, not 工会); a workers' rest stop is no body
    ("总工会和妇联、红十字会建成工会驿站", ["总工会", "妇联", "红十字会"]),
    ("政协委员和人大代表，县政协委员", ["政协", "人大", "县政协"]),
    # words that are not bodies: 格局, 全局; a county name that reads as 和 + 县委 (和县); 区域
    ("优化区域发展格局，县委统揽全局，市政府和县委部署", ["县委", "市政府", "县委"]),
    # a department by its short name at the start of a clause; not a role or a place named after it
    ("教体局被评为先进，政法委书记、公安厅厅长出席；公安局长和财政局家属院", ["教体局", "政法委", "公安厅"]),
    # a jurisdiction (国家 too) or a place before a department's short name with 委 or 厅; not 开好局
    ("省卫健委、国家医保局和河北省发改委会同省教育厅，为现代化国家开好局，国家破局", ["省卫健委", "国家医保局", "河北省发改委", "省教育厅"]),
    # committees and headquarters by their remit, with the office; not a generic or a residents' one
    ("衡山县森林防灭火指挥部、县安全生产委员会办公室和县工业园区管委会", ["衡山县森林防灭火指挥部", "县安全生产委员会办公室", "县工业园区管委会"]),
    ("省各级国防动员委员会和社区业主委员会、乡镇街道安全生产委员会", []),
    # a party committee's departments and school, courts and procuratorates, offices by their standing short name
    ("县委组织部、区委党校和县检察院、市中级人民法院，市应急办与县扶贫办", ["县委组织部", "区委党校", "县检察院", "市中级人民法院", "市应急办", "县扶贫办"]),
    # standing abbreviations alone (not 消防指战员); levels sharing one body's name are one span
    ("明确安委会职责，出台森防指规程，消防指战员到岗", ["安委会", "森防指"]),
    ("落实中办国办意见，集中办公，提高普通高中办学水平", ["中办", "国办"]),
    # a body's office by its full name, not cut to the abbreviation (县政府办 + 公室); the abbreviations alone
    ("县政府办公室和市委办公室牵头，县委办、县政府办配合", ["县政府办公室", "市委办公室", "县委办", "县政府办"]),
    ("按照省、市安委会部署，落实中央和省、市、县委要求，国务院安委会督导", ["省、市安委会", "省、市、县委", "国务院安委会"]),
    # the finders read normalised text: traditional characters are converted before (RegexRuler), not here
])
def test_org_finder_anchors_bodies_at_places_and_jurisdictions(text, names):
    assert found_texts("nlpkit.org_finder.v1", text) == names


@pytest.mark.parametrize("text, names", [
    ("与北京中医药大学、河北农业大学合作，河南博物院和吉林日报报道", ["北京中医药大学", "河北农业大学", "河南博物院", "吉林日报"]),
    ("保定市第28中学和安国市医院", ["保定市第28中学", "安国市医院"]),
    # no place before the institution word, or a verb or list between: nothing
    ("新建一座眼科医院，扩大城市公立医院改革，与大学合作", []),
    # the jurisdiction's own institutions and numbered schools, named by designation alone
    ("推进新县医院、区人民医院和中医院建设，县直幼儿园、第三幼儿园、第七实验小学投入使用",
     ["县医院", "区人民医院", "中医院", "县直幼儿园", "第三幼儿园", "第七实验小学"]),
    ("县职教中心、妇幼保健院和北京市疾控中心", ["县职教中心", "妇幼保健院", "北京市疾控中心"]),
    ("鼓励城投公司做大做强，县城投公司融资", ["城投公司", "县城投公司"]),
    # a branch named after its parent, by a place or a branch word; not a hospital that merely follows
    ("北京儿童医院保定医院、河北大学安国校区、县医院分院建成，以县医院为牵头医院",
     ["北京儿童医院保定医院", "河北大学安国校区", "县医院分院", "县医院"]),
    # a kind, not one institution: after 级, 全县, a count, or a jurisdiction's own hospital of another county
    ("提升县级中医院水平，全县幼儿园和16所县中医院，各县区医院", []),
    ("推进社区医院和公立中医院建设，新建城区小学，参加保定市中学生运动会", []),
    # companies by a short name after a list mark or a verb; a kind of company is no name
    ("支持天香乳业扩能，永红铸机、吉林农商行与三利集团合作", ["天香乳业", "永红铸机", "吉林农商行", "三利集团"]),
    ("组建子公司，鼓励上市公司，强化公司治理", []),
    # schools by a short name the same way; not a kind of school, 中小学, a plenum, pupils or school places
    ("对南湖中学、东关小学改造，在桃李一中实施，建成晨光幼儿园", ["南湖中学", "东关小学", "桃李一中", "晨光幼儿园"]),
    ("启动了南湖中学，包括晨光幼儿园", ["南湖中学", "晨光幼儿园"]),
    ("完成贤寓中心卫生院和塘湖卫生院改造，发挥乡镇卫生院作用，实现镇卫生院全覆盖，提高乡镇卫生院能力", ["贤寓中心卫生院", "塘湖卫生院"]),
    ("公办幼儿园、农村小学和中小学校舍，十九届二中全会，小学生和中学学位", []),
    # companies by any short name, as the items of a list of companies (after a break or a verb, with or without 等)
    ("培育了星河科技、云帆、青禾等一批龙头企业；宏远、瑞丰2家企业投产", ["星河科技", "云帆", "青禾", "宏远", "瑞丰"]),
    # not places or trades in such a list, not a list a company word only qualifies, not one company counted alone
    ("引进广东、山东等地企业，关停塑料加工、配件铸造等企业", []),
    ("节能节水、环境保护等企业所得税优惠，对接一家三级医院、培育一家上市公司", []),
    # companies in their registered form after a place, with a long name between; not a kind of group
    ("当即对湖南华升金爽纺织服装有限公司和河北物流集团检查", ["湖南华升金爽纺织服装有限公司", "河北物流集团"]),
    ("推进县域集团化办学，白银入选全国紧密型城市医疗集团试点", []),
    # the nation as an institution's place; universities by their short form (not 医科大学 cut short, 中科大道)
    ("深化与中国农大、河北农大合作，中国医科大学和中国安能集团，完成中科大道", ["中国农大", "河北农大", "中国医科大学", "中国安能集团"]),
    ("进入中国大学排名，建设中国特色世界一流大学", []),
    ("县职中和新职中建成，任职中表现突出，在履职中求实效", ["县职中", "职中"]),
    # a school by its number alone where a school is named; not a plenum, 一小时, 一中心, 一老一小
    ("完成五中一期、二中教学楼，建成三中、三小；谋划七小", ["五中", "二中", "三中", "三小"]),
    ("十九届二中、三中、四中全会，一小时交通圈，“一中心、四组团”，统筹一老一小，“十小”工程和“六小”龙", []),
    # an outlet named in 《》 (ANNOTATION.md: ORG), not a MEASURE
    ("在《人民日报》《保定日报》刊发，依据《安全生产法》", ["人民日报", "保定日报"]),
])
def test_institution_finder_needs_a_place_or_a_designation(text, names):
    assert found_texts("nlpkit.institution_finder.v1", text) == names


def test_measure_finder_leaves_an_outlet_in_title_marks_to_the_institution_finder():
    assert found_texts("nlpkit.measure_finder.v1", "在《人民日报》刊发，依据《安全生产法》和《河北省安全生产条例》") == [
        "安全生产法", "河北省安全生产条例"]


def test_measure_finder_skips_the_documents_own_title_in_a_covering_notice():
    text = "关于印发《衡山县2024年安全生产工作要点》的通知\n现将《衡山县2024年安全生产工作要点》印发给你们。\n" \
           "衡山县2024年安全生产工作要点\n一、贯彻《安全生产法》\n修订《\n传染病防治法\n》"
    assert found_texts("nlpkit.measure_finder.v1", text) == ["安全生产法", "传染病防治法"]


@pytest.mark.parametrize("text, names", [
    ("推进平安保定建设，建设法治满城、美丽湖北和数字吉林", ["平安保定", "法治满城", "美丽湖北", "数字吉林"]),
    ("推进平安建设，发展数字经济，建设美丽乡村", []),  # no place after the campaign word
])
def test_measure_finder_reads_campaigns_a_place_names_after_itself(text, names):
    assert found_texts("nlpkit.measure_finder.v1", text) == names

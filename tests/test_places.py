from nlpkit import places


def test_gazetteer_has_every_level_and_short_forms():
    names = places.place_names()
    assert {"河北省", "保定市", "高阳县", "清苑区", "易县", "内蒙古自治区", "楚雄彝族自治州", "楚雄州"} <= names
    assert not {"城区", "东区", "和县"} & names  # words in running text


def test_stems_are_provinces_and_prefectures_only():
    stems = places.place_stems()
    assert {"河北", "保定", "内蒙古", "楚雄", "郑州"} <= stems
    assert not {"高阳", "资源", "新建"} & stems  # county stems (资源县, 新建区) are words



def test_county_stems_are_counties_and_districts_without_their_suffix():
    stems = places.county_stems()
    assert {"定兴", "满城", "阜平"} <= stems
    assert not {"保定", "郑州", "易"} & stems  # prefectures are place_stems; one character (易县) is no stem

"""Word boundaries: a trained segmenter in the pipeline, round-tripped."""
import pytest
import spacy

from ..conftest import needs_shared
from .test_serialization import round_trips


@pytest.mark.slow
@needs_shared()
def test_word_boundaries_trains_a_segmenter_and_round_trips(tmp_path):
    nlp = spacy.blank("zh")
    nlp.add_pipe("nlpkit_word_boundaries", config={"iterations": 2})
    nlp.initialize()
    text = "市应急管理局开展安全生产大检查。"
    tags = [t.lemma_ for t in nlp(text)]
    assert len(tags) == len(text) and set(tags) <= {"B", "M", "E", "S"} and "B" in tags
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        assert [t.lemma_ for t in loaded(text)] == tags, way

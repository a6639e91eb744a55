"""Every component survives ``to_disk``/``from_disk``, ``to_bytes``/``from_bytes`` and pickling, like spaCy's own."""
import pickle
from pathlib import Path
from typing import Dict

import pytest
import spacy
from spacy.language import Language
from spacy.util import load_model_from_config

import nlpkit
from nlpkit.labels import SENTENCES_KEY

from ..conftest import ROOT


def round_trips(nlp: Language, folder: Path) -> Dict[str, Language]:
    """The pipeline loaded back three ways: from disk, from bytes into a fresh pipeline of its config, unpickled."""
    nlp.to_disk(folder)
    fresh = load_model_from_config(nlp.config, auto_fill=False)
    return {"disk": spacy.load(folder), "bytes": fresh.from_bytes(nlp.to_bytes()), "pickle": pickle.loads(pickle.dumps(nlp))}


def output(nlp: Language, texts) -> list:
    """What a user reads off the docs: entities with their values, labelled sentences."""
    return [
        ([(e.start_char, e.end_char, e.label_, e._.value if e.has_extension("value") else None) for e in doc.ents],
         [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(SENTENCES_KEY, [])],
         [t.lemma_ for t in doc])
        for doc in nlp.pipe(texts)
    ]


def test_the_shipped_pipeline_gives_the_same_records_after_every_round_trip(tmp_path):
    nlp = nlpkit.load()
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    expected = output(nlp, seeds)
    assert any(doc[0] for doc in expected) and any(doc[1] for doc in expected)
    for way, loaded in round_trips(nlp, tmp_path / "p").items():
        assert output(loaded, seeds) == expected, way


def test_a_pipeline_folder_without_its_weights_fails_loudly(tmp_path):
    nlp = nlpkit.load()
    nlp.to_disk(tmp_path / "p")
    for missing in ("ending_filter/endings.json", "lexicon_ruler/lexicon.json", "sections/model.npz"):
        weights = tmp_path / "p" / missing
        data = weights.read_bytes()
        weights.unlink()
        with pytest.raises(ValueError, match="pipeline folder is incomplete"):
            spacy.load(tmp_path / "p")
        weights.write_bytes(data)
    assert spacy.load(tmp_path / "p").pipe_names == nlp.pipe_names


@pytest.mark.parametrize("component,field", [("ending_filter", "endings"), ("lexicon_ruler", "lexicon"),
                                             ("sections", "model")])
def test_exclude_leaves_a_components_learned_state_out(component, field):
    nlp = nlpkit.load()
    pipe = nlp.get_pipe(component)
    assert len(pipe.to_bytes(exclude=[field])) < len(pipe.to_bytes()) // 10
    fresh = load_model_from_config(nlp.config, auto_fill=False).get_pipe(component)
    before = fresh.to_bytes()
    fresh.from_bytes(pipe.to_bytes(), exclude=[field])
    assert fresh.to_bytes() == before

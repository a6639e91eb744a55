"""The records of the seeds and of three State Council reports match the committed snapshot for the shipped model:
a change that is meant to leave behaviour alone must leave them byte-identical (retraining changes the model and
then the snapshot: ``python -m tests.records_digest --write``)."""
import json

from .conftest import SHARED, needs_shared
from .records_digest import SNAPSHOT, digests


@needs_shared()
def test_records_are_byte_identical_to_the_snapshot():
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert digests(SHARED, 3) == expected

"""Section classifier: a label for every sentence (ACHIEVEMENT, PROBLEM, PLAN, OTHER) from its text and context.

A sentence's section is mostly decided by the heading it stands under, with exceptions inside blocks, so the
model reads the sentence, its enclosing headings, the whole block under its top heading (a block of completed
work reads differently from a block of plans even where one sentence alone does not) and its position (a
hashed linear model), and a Viterbi
pass over the label transitions seen in training keeps sections contiguous unless the evidence is strong.

An input of a few sentences (a paragraph, a single sentence) is an excerpt, not a report: it has no headings, block or
position to read, so a second linear model, fitted on every training sentence alone, labels each of its sentences by
what it says. Report sentences rarely say "will" (a plan section's sentences are imperatives), so that model misses
an excerpt's explicit plan (2025年计划新建应急避难场所6处。 reads as done work by its count): a sentence with a
plan cue and no sign of completion is read as PLAN.

A table flattened to one cell per line (ANNOTATION.md, local documents) is a run of short lines without punctuation:
its cells are OTHER, except a cell that states a count (新建指挥大厅1处), which the models read like any sentence. In
the gold corpus (every local report, the seeds, 26 State Council reports) all 40 sentences read as such cells are
OTHER.
"""

import io
import re
from collections import Counter
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from murmurhash.mrmr import hash_unicode
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example
from spacy.util import logger, registry

from ..labels import SECTIONS_KEY, SENTENCE_LABELS, SENTENCES_KEY
from ..text import normalize_text
from .serialization import LearnedState

TOP_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分)")
SUB_HEADING = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
POSITION_BINS = 10
WHITESPACE_RUN = re.compile(r"\s\s+")
DIGIT = re.compile(r"[0-9]")
# Read alone, a sentence that says it plans (明年…, 下一步…, 力争…, 计划新建…, 将加快…) and nothing done: on the sentences
# of 61 local reports read alone, 176 of the 180 it matches are PLAN (excerpt macro-F 0.864 → 0.865). Both cues read the
# normalised text (full-width ， is ,).
PLAN_CUE = re.compile(
    r"^(?:明年|下一步|下步|今后|来年|下一年度?)|力争"
    r"|计划(?:新建|建设|实施|开展|完成|改造|投资|新增|培训|组织|举办)"
    r"|^[^。,]{0,12}(?:将|拟)(?:新建|建设|实施|开展|完成|持续|继续|进一步|加快|全面|深入)"
)
DONE_CUE = re.compile("已|了|累计|共计|建成|完成率|超额|实现")
# A flattened table: TABLE_RUN or more lines in a row, each of at most TABLE_CELL_CHARS characters, no punctuation, no
# heading. A cell with a count (a digit before a word) may state work done or planned, so it is left to the models.
TABLE_RUN, TABLE_CELL_CHARS = 4, 12
PUNCTUATION = re.compile(r"[,.;:!?、。“”‘’《》（）()]")
COUNT = re.compile(r"[0-9][^0-9]")
Row = Tuple[np.ndarray, np.ndarray]  # (feature indices, values) of one sentence or block


@Language.factory(
    "nlpkit_section_classifier",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"n_features": 2**18, "inverse_regularization": 4.0, "transition_weight": 0.3,
                    "short_document": 8, "scorer": {"@scorers": "nlpkit.sections_scorer.v1"}},
    default_score_weights={"sections_macro_f": 1.0},
)
def make_section_classifier(
    nlp: Language, name: str, n_features: int, inverse_regularization: float, transition_weight: float,
    short_document: int, scorer: Callable[[Iterable[Example]], Dict[str, object]],
) -> "SectionClassifier":
    """``short_document``: an input of fewer sentences is an excerpt, labelled sentence by sentence (0: never)."""
    if not Span.has_extension("section"):
        Span.set_extension("section", getter=section_of)
    return SectionClassifier(name=name, n_features=n_features, inverse_regularization=inverse_regularization,
                             transition_weight=transition_weight, short_document=short_document, scorer=scorer)


@registry.scorers("nlpkit.sections_scorer.v1")
def make_sections_scorer() -> Callable[[Iterable[Example]], Dict[str, object]]:
    """The sections' scores for spaCy's training loop (``sections_macro_f`` is what model-best is chosen by)."""
    return score_sections


def section_of(span: Span) -> Optional[str]:
    """The section label of the labelled sentence that contains the span's first token."""
    for sent in span.doc.spans.get(SENTENCES_KEY, []):
        if sent.start <= span.start < sent.end:
            return sent.label_
    return None


def sentence_contexts(texts: Sequence[str]) -> List[Tuple[str, str, str, int, float]]:
    """For each sentence: (sentence, top heading above it, sub-heading above it, index of its top-level block,
    relative position)."""
    top = sub = ""
    block = 0
    out = []
    for i, text in enumerate(texts):
        if TOP_HEADING.match(text):
            top, sub, block = text, "", block + 1
        elif SUB_HEADING.match(text):
            sub = text
        out.append((text, top, sub, block, i / max(len(texts), 1)))
    return out


class SectionClassifier(LearnedState):
    """Label sentences and group them into contiguous sections (``doc.spans['sections']``)."""

    state_name, state_file = "model", "model.npz"

    def __init__(self, name: str, n_features: int, inverse_regularization: float, transition_weight: float,
                 scorer: Callable[[Iterable[Example]], Dict[str, object]], short_document: int = 8) -> None:
        self.name = name
        self.scorer = scorer
        self.n_features = n_features
        self.inverse_regularization = inverse_regularization  # the logistic regression's C
        self.transition_weight = transition_weight
        self.short_document = short_document
        self.coef: Optional[np.ndarray] = None
        self.intercept: Optional[np.ndarray] = None
        self.excerpt_coef: Optional[np.ndarray] = None  # the model of sentences read alone
        self.excerpt_intercept: Optional[np.ndarray] = None
        self.log_transitions = np.zeros((len(SENTENCE_LABELS), len(SENTENCE_LABELS)))
        self.log_start = np.zeros(len(SENTENCE_LABELS))

    # features -------------------------------------------------------------------------------------
    @property
    def n_columns(self) -> int:
        return self.n_features + 3 * (self.n_features // 4) + POSITION_BINS + 2

    def _features(self, texts: Sequence[str]) -> Tuple[List[Row], List[Row], List[int]]:
        """Sparse rows of one document: per sentence, char 1–3-grams of the sentence (digits folded to 0, so any
        count reads as a count), 1–2-grams of its top and sub heading, position, shape; per top-level block,
        1–2-grams of the whole block (what the block as a whole reports: done, wrong or to do); and each
        sentence's block. A block's row is built once and, the model being linear, scored once for all its
        sentences."""
        heading_size = self.n_features // 4
        block_at, dense_at = self.n_features + 2 * heading_size, self.n_features + 3 * heading_size
        contexts = sentence_contexts([DIGIT.sub("0", normalize_text(t)) for t in texts])
        block_texts: Dict[int, List[str]] = {}
        for text, _, _, block, _ in contexts:
            block_texts.setdefault(block, []).append(text)
        block_index = {block: i for i, block in enumerate(block_texts)}
        block_rows = [as_row(hashed_char_ngrams("".join(t), 2, heading_size), block_at) for t in block_texts.values()]
        headings: Dict[Tuple[str, int], Dict[int, float]] = {}  # a heading's n-grams, built once for its sentences
        rows: List[Row] = []
        for text, top, sub, _, position in contexts:
            features = hashed_char_ngrams(text, 3, self.n_features)
            for offset, heading in ((self.n_features, top), (self.n_features + heading_size, sub)):
                if (heading, offset) not in headings:
                    headings[heading, offset] = {
                        offset + index: value for index, value in hashed_char_ngrams(heading, 2, heading_size).items()
                    }
                features.update(headings[heading, offset])
            features[dense_at + min(int(position * POSITION_BINS), POSITION_BINS - 1)] = 1.0
            if TOP_HEADING.match(text) or SUB_HEADING.match(text):
                features[dense_at + POSITION_BINS] = 1.0
            if len(text) < 25:
                features[dense_at + POSITION_BINS + 1] = 1.0
            rows.append(as_row(features))
        return rows, block_rows, [block_index[c[3]] for c in contexts]

    # learning --------------------------------------------------------------------------------------
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        reports: Optional[Callable[[Language], Iterable[Example]]] = None,
    ) -> None:
        """Fit on the labelled sentences of whole reports (``reports`` if given, else the training examples)."""
        examples = reports(nlp) if reports is not None else get_examples()
        documents = [labelled_sentences(eg.reference) for eg in examples]
        documents = [d for d in documents if d]
        if not documents:
            raise ValueError(f"[{self.name}] no reports with sentence labels to learn from")
        logger.info("[%s] fitting on %d reports, %d sentences", self.name, len(documents), sum(map(len, documents)))
        self.fit([[t for t, _ in d] for d in documents], [[l for _, l in d] for d in documents])

    def fit(self, documents: Sequence[Sequence[str]], labels: Sequence[Sequence[str]]) -> None:
        """Fit the sentence model and the label transitions on whole documents, and the excerpt model on every
        sentence alone."""
        rows = []
        for doc in documents:
            sentence_rows, block_rows, blocks = self._features(doc)
            rows += [(np.concatenate([i, block_rows[b][0]]), np.concatenate([v, block_rows[b][1]]))
                     for (i, v), b in zip(sentence_rows, blocks)]
        y = np.array([SENTENCE_LABELS.index(l) for doc in labels for l in doc])
        self.coef, self.intercept = self._fit_logistic(rows, y, self.n_columns)
        alone = [as_row(sentence_ngrams(text, self.n_features)) for doc in documents for text in doc]
        self.excerpt_coef, self.excerpt_intercept = self._fit_logistic(alone, y, self.n_features)
        counts = np.ones((len(SENTENCE_LABELS), len(SENTENCE_LABELS)))
        starts = np.ones(len(SENTENCE_LABELS))
        for doc in labels:
            idx = [SENTENCE_LABELS.index(l) for l in doc]
            starts[idx[0]] += 1
            for a, b in zip(idx, idx[1:]):
                counts[a, b] += 1
        self.log_transitions = np.log(counts / counts.sum(axis=1, keepdims=True))
        self.log_start = np.log(starts / starts.sum())

    def _fit_logistic(self, rows: Sequence[Row], y: np.ndarray, n_columns: int) -> Tuple[np.ndarray, np.ndarray]:
        """(coef, intercept) of a class-balanced logistic regression on sparse rows, one coef row per label."""
        from scipy import sparse  # training-only dependencies, kept off the loading path
        from sklearn.linear_model import LogisticRegression

        features = sparse.csr_matrix(
            (np.concatenate([v for _, v in rows]), np.concatenate([i for i, _ in rows]),
             np.cumsum([0] + [len(i) for i, _ in rows])),
            shape=(len(rows), n_columns),
        )
        model = LogisticRegression(C=self.inverse_regularization, max_iter=2000, class_weight="balanced")
        model.fit(features, y)
        coef = np.zeros((len(SENTENCE_LABELS), n_columns), dtype=np.float32)
        intercept = np.full(len(SENTENCE_LABELS), -1e4, dtype=np.float32)
        if len(model.classes_) == 2:  # binary sklearn stores one row: expand to both classes
            coef[model.classes_[1]], intercept[model.classes_[1]] = model.coef_[0], model.intercept_[0]
            coef[model.classes_[0]], intercept[model.classes_[0]] = 0.0, 0.0
        else:
            coef[model.classes_], intercept[model.classes_] = model.coef_, model.intercept_
        return coef, intercept

    # prediction ------------------------------------------------------------------------------------
    def predict(self, texts: Sequence[str]) -> List[str]:
        """Labels for one document's sentences, decoded jointly (Viterbi); an excerpt's sentence by sentence."""
        if not texts:
            return []
        if self.coef is None:
            raise ValueError(f"[{self.name}] the section classifier is not initialised: train it first")
        if len(texts) < self.short_document:
            rows = [as_row(sentence_ngrams(text, self.n_features)) for text in texts]
            scores = np.stack([self.excerpt_coef[:, index] @ values for index, values in rows]) + self.excerpt_intercept
            labels = [says_plan(text) or SENTENCE_LABELS[k] for text, k in zip(texts, scores.argmax(axis=1))]
        else:
            labels = self._decode(texts)
        for i in table_cells(texts):
            labels[i] = "OTHER"
        return labels

    def _decode(self, texts: Sequence[str]) -> List[str]:
        """A report's labels: the sentence model's scores decoded jointly with the label transitions (Viterbi)."""
        rows, block_rows, blocks = self._features(texts)
        block_scores = np.stack([self.coef[:, index] @ values for index, values in block_rows])
        scores = np.stack([self.coef[:, index] @ values for index, values in rows]) + block_scores[blocks] + self.intercept
        emissions = scores - np.logaddexp.reduce(scores, axis=1, keepdims=True)
        trans = self.transition_weight * self.log_transitions
        best = emissions[0] + self.transition_weight * self.log_start
        back = np.zeros((len(texts), len(SENTENCE_LABELS)), dtype=np.int64)
        for i in range(1, len(texts)):
            total = best[:, None] + trans
            back[i] = total.argmax(axis=0)
            best = total.max(axis=0) + emissions[i]
        path = [int(best.argmax())]
        for i in range(len(texts) - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        return [SENTENCE_LABELS[k] for k in reversed(path)]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # read once: ``Span.text`` builds a Python Token per character
        spans = [span for span in map(without_edge_space, doc.sents) if len(span)]
        labels = self.predict([text[s.start_char : s.end_char] for s in spans])
        sentences = [Span(doc, s.start, s.end, label=l) for s, l in zip(spans, labels)]
        doc.spans[SENTENCES_KEY] = SpanGroup(doc, name=SENTENCES_KEY, spans=sentences)
        doc.spans[SECTIONS_KEY] = SpanGroup(doc, name=SECTIONS_KEY, spans=list(group_sections(sentences)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    # scoring ---------------------------------------------------------------------------------------
    def score(self, examples: Iterable[Example], **kwargs) -> Dict[str, object]:
        """The registered scorer of the config (``nlpkit.sections_scorer.v1`` by default), as spaCy's textcat does."""
        return self.scorer(examples)

    # serialisation (LearnedState) ---------------------------------------------------------------
    # float16 weights: a quarter of the size, and no decision changes at that precision.
    def _write_state(self) -> bytes:
        if self.coef is None:
            return b""
        buffer = io.BytesIO()
        np.savez_compressed(buffer, coef=self.coef.astype(np.float16), intercept=self.intercept,
                            excerpt_coef=self.excerpt_coef.astype(np.float16), excerpt_intercept=self.excerpt_intercept,
                            log_transitions=self.log_transitions, log_start=self.log_start)
        return buffer.getvalue()

    def _read_state(self, data: bytes) -> None:
        with np.load(io.BytesIO(data)) as arrays:
            self.coef = arrays["coef"].astype(np.float32)
            self.intercept = arrays["intercept"]
            self.excerpt_coef = arrays["excerpt_coef"].astype(np.float32)
            self.excerpt_intercept = arrays["excerpt_intercept"]
            self.log_transitions = arrays["log_transitions"]
            self.log_start = arrays["log_start"]


def as_row(features: Dict[int, float], offset: int = 0) -> Row:
    """A sparse row from ``{column: value}``, its columns shifted by ``offset`` (a block's part of the layout)."""
    return (np.fromiter(features.keys(), dtype=np.int64) + offset, np.fromiter(features.values(), dtype=np.float32))


def table_cells(texts: Sequence[str]) -> List[int]:
    """Indices of the cells of flattened tables (``TABLE_RUN``) that state no count: the lines ANNOTATION.md makes
    OTHER whatever section they stand in."""
    normalized = [normalize_text(t) for t in texts]
    short = [len(t) <= TABLE_CELL_CHARS and not PUNCTUATION.search(t) and not TOP_HEADING.match(t)
             and not SUB_HEADING.match(t) for t in normalized]
    cells, start = [], 0
    for end in range(len(texts) + 1):
        if end == len(texts) or not short[end]:
            if end - start >= TABLE_RUN:
                cells += [i for i in range(start, end) if not COUNT.search(normalized[i])]
            start = end + 1
    return cells


def says_plan(text: str) -> Optional[str]:
    """``PLAN`` for a sentence read alone that says it plans and reports nothing done (``PLAN_CUE``), else None."""
    normalized = normalize_text(text)
    return "PLAN" if PLAN_CUE.search(normalized) and not DONE_CUE.search(normalized) else None


def sentence_ngrams(text: str, n_features: int) -> Dict[int, float]:
    """A sentence's own features: hashed char 1–3-grams of its normalised text, digits folded to 0."""
    return hashed_char_ngrams(DIGIT.sub("0", normalize_text(text)), 3, n_features)


def hashed_char_ngrams(text: str, n_max: int, n_features: int) -> Dict[int, float]:
    """L2-normalised counts of character 1..n_max-grams, hashed (MurmurHash3, as scikit-learn's HashingVectorizer
    with ``analyzer="char"``, ``alternate_sign=False``: the same columns, without importing scikit-learn)."""
    text = WHITESPACE_RUN.sub(" ", text)
    grams = Counter(text[i : i + n] for n in range(1, n_max + 1) for i in range(len(text) - n + 1))
    counts: Dict[int, float] = {}
    for gram, count in grams.items():  # each distinct n-gram hashed once
        index = abs(hash_unicode(gram, 0)) % n_features
        counts[index] = counts.get(index, 0.0) + count
    norm = sum(v * v for v in counts.values()) ** 0.5
    return {k: v / norm for k, v in counts.items()} if norm else counts


def without_edge_space(sentence: Span) -> Span:
    """A sentence of ``doc.sents`` without the whitespace tokens (line breaks, blank lines) it ends or starts with:
    the extent ANNOTATION.md gives a sentence."""
    doc, start, end = sentence.doc, sentence.start, sentence.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


def labelled_sentences(doc: Doc) -> List[Tuple[str, str]]:
    """(sentence text, label) pairs of a gold doc's ``sentences`` span group."""
    return [(s.text, s.label_) for s in doc.spans.get(SENTENCES_KEY, [])]


def group_sections(sentences: Sequence[Span]) -> Iterator[Span]:
    """Contiguous runs of sentences with the same label, as one span each."""
    run: List[Span] = []
    for sent in sentences:
        if run and sent.label_ != run[0].label_:
            yield Span(sent.doc, run[0].start, run[-1].end, label=run[0].label_)
            run = []
        run.append(sent)
    if run:
        yield Span(run[0].doc, run[0].start, run[-1].end, label=run[0].label_)


def score_sections(examples: Iterable[Example]) -> Dict[str, object]:
    """Sentence-label P/R/F per label, accuracy and macro-F over the content labels (``scoring.sentence_scores``
    on the sentences of each Example, matched by offsets)."""
    from ..evaluation.scoring import sentence_scores

    def labels(doc: Doc) -> Dict[Tuple[int, int], str]:
        return {(s.start_char, s.end_char): s.label_ for s in doc.spans.get(SENTENCES_KEY, [])}

    scores = sentence_scores((labels(eg.reference), labels(eg.predicted)) for eg in examples)
    return {"sections_macro_f": scores["macro_f"], "sections_acc": scores["accuracy"],
            "sections_per_type": scores["per_label"]}

"""The labels of ANNOTATION.md and the keys under which the pipeline keeps its spans: defined here, once."""

ENTITY_LABELS = ("ORG", "QUANTITY", "MEASURE")
SENTENCE_LABELS = ("ACHIEVEMENT", "PROBLEM", "PLAN", "OTHER")
CONTENT_LABELS = SENTENCE_LABELS[:3]  # what sentence macro-F averages over (OTHER is whatever is left)
SENTENCES_KEY = "sentences"  # doc.spans: one span per sentence, labelled with its section
SECTIONS_KEY = "sections"  # doc.spans: runs of consecutive sentences with the same label

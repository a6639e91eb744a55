"""Training support: the corpus reader that ``spacy train`` uses."""

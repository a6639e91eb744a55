"""spaCy components of nlpkit, one module each; registered through entry points."""

"""Shared facts of the genre, used by every stage: year facts (calendar), level words and slots (vocab),
task topics, Chinese numerals."""

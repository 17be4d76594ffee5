"""Read stage: a speech file (.txt in any common encoding, .docx) -> cleaned, numbered paragraphs."""

from drafter.rx import speed_up_charsets

speed_up_charsets()  # before the cleaning patterns are compiled (the same patterns, compiled faster)

"""Read stage: a speech file (.txt in any common encoding, .docx) -> cleaned, numbered paragraphs."""

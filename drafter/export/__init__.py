"""Export stage: a Draft -> .docx (GB/T 9704 speech layout), .md or .txt."""

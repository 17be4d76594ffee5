"""Draft stage: parameters -> context (year facts, level words) -> chosen phrases -> composed Draft."""

"""Mine stage: a cleaned speech -> its outline (structure) -> generalised phrase-bank candidates."""

"""Mine stage: a cleaned speech -> its outline (structure) -> generalised phrase-bank candidates."""

from drafter.rx import speed_up_charsets

speed_up_charsets()  # before the stage's ~200 patterns are compiled (the same patterns, compiled faster)

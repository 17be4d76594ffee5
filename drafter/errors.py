"""The exception tree. Every error a user can cause is a UserError with a Chinese message."""

from __future__ import annotations

from pathlib import Path


class DrafterError(Exception):
    """Base of every exception drafter raises on purpose."""


class UserError(DrafterError):
    """A problem the user can fix: bad input, a bad option, a file in the way.

    Printed by the CLI as ``PATH:LINE: message`` plus an optional hint, exit code 1.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def location(self) -> str:
        """``path:line`` (or ``path``, or empty) for the start of a message."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class SourceError(UserError):
    """A speech file that cannot be read (type, encoding, corrupt .docx)."""


class BankError(UserError):
    """A phrase bank that cannot be loaded, validated or edited."""


class TemplateError(UserError):
    """A skeleton template that cannot be found, parsed or rendered."""


class ContextError(UserError):
    """Bad draft parameters: year, level, points, topics, length ..."""


class ExportError(UserError):
    """An output file that cannot be written."""


def yaml_error_location(error: BaseException) -> tuple[str, int | None]:
    """A YAML syntax error's problem text and 1-based line (PyYAML and ruamel marks count from 0)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    return str(problem), (mark.line + 1 if mark is not None else None)

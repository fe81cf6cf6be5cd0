"""One exception root for the package; each child says when it is raised."""

from __future__ import annotations


class CxResearchError(Exception):
    """Raised for any problem cxresearch reports to its user."""


class ConfigError(CxResearchError):
    """Raised when params.yaml or a parameter passed to a stage is wrong."""


class ValidationError(CxResearchError):
    """Raised when input data break their contract; carries every problem found.

    ``problems`` is a list of strings formatted ``file:row:column: value — expected …``
    so the message lists all of them at once, one per line.
    """

    def __init__(self, problems: list[str], warnings: list[str] | None = None):
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        super().__init__("\n".join(self.problems))


class CodebookError(ValidationError):
    """Raised when a codebook file is malformed (missing fields, duplicate ids, bad valence)."""


class TranscriptError(ValidationError):
    """Raised when an interview transcript lacks front matter or has malformed turns."""


class StageError(CxResearchError):
    """Raised when a pipeline stage fails to execute or render."""

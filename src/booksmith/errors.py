"""Errors and diagnostics with addresses: a file and line, or a preset's JSON path, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, optionally a line (1-based) or a JSON path inside it."""

    file: Path | None = None
    line: int | None = None
    json_path: str | None = None

    def __str__(self) -> str:
        parts = [str(self.file) if self.file else "<input>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.json_path:
            parts.append(f"at {self.json_path}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    location: Location | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"{self.severity.value}: {where}{self.message}{hint}"


class BooksmithError(Exception):
    """A problem the user can fix; the CLI prints it as one paragraph, without a traceback."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        self.diagnostic = Diagnostic(Severity.ERROR, message, location, hint)
        super().__init__(str(self.diagnostic))

    def __reduce__(self) -> tuple:
        """Sent between processes whole, address and hint included."""
        diagnostic = self.diagnostic
        return (BooksmithError, (diagnostic.message, diagnostic.location, diagnostic.hint))


class Diagnostics:
    """Recoverable problems collected during a build and shown once at the end."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def warn(self, message: str, location: Location | None = None, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.WARNING, message, location, hint))

    def note(self, message: str, location: Location | None = None, hint: str = "") -> None:
        self.items.append(Diagnostic(Severity.NOTE, message, location, hint))

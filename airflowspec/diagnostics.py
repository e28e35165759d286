"""The one record every problem becomes: a code, a severity, a message and a place in the spec."""

from __future__ import annotations

import dataclasses
import enum
import shlex
from collections.abc import Iterable

from airflowspec.printable import printable

#: A path into the spec document: mapping keys and sequence indexes, outermost first.
SpecPath = tuple[str | int, ...]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem found in a spec.

    Checks create it with a `path` only; `locate` in `airflowspec.sourcemap` fills in
    `file`, `line` and `col` (1-based). `on_key` points at the key rather than the value.
    """

    code: str
    severity: Severity
    message: str
    path: SpecPath = ()
    hint: str = ""
    on_key: bool = False
    file: str = ""
    line: int = 0
    col: int = 0
    #: Of a spec with `environments:`, those where it was found (`base` for the spec without one).
    environments: tuple[str, ...] = ()

    def __str__(self) -> str:
        """One line, whatever the file name, message and hint hold (see `airflowspec.printable`)."""
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        text = f"{self.message}; {self.hint}" if self.hint else self.message
        return printable(f"{where}: {self.severity.value} {self.code} {self.label}{text}")

    @property
    def label(self) -> str:
        """`[dev, prod] ` before the message when found in environments; "" otherwise."""
        return f"[{', '.join(self.environments)}] " if self.environments else ""

    @property
    def dotted_path(self) -> str:
        return format_path(self.path)


def error(code: str, message: str, path: SpecPath = (), hint: str = "", *, on_key: bool = False) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, path, hint, on_key)


def warning(code: str, message: str, path: SpecPath = (), hint: str = "", *, on_key: bool = False) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, path, hint, on_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def format_path(path: SpecPath) -> str:
    """`("connections", "warehouse", "port")` -> `connections.warehouse.port`; indexes as `[0]`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, str, str]:
    return (diagnostic.line, diagnostic.col, diagnostic.code, diagnostic.message)


def shell_word(text: str) -> str:
    """A path in a command to copy: shell-quoted where needed, control characters as `?`."""
    return shlex.quote("".join(char if char.isprintable() else "?" for char in text))


def quote(text: str, limit: int = 60) -> str:
    """A user's string for a one-line message: quoted, what a terminal could act on escaped, shortened."""
    shown = printable(text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"

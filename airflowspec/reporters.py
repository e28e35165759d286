"""How diagnostics are printed: `text` for people, `json` for tools, `github` as workflow commands
that annotate the pull request's files. Whatever the format, no character of a file name, message or
hint reaches the output raw if a terminal could act on it (`airflowspec.printable`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from airflowspec.diagnostics import Diagnostic, Severity
from airflowspec.printable import printable

Reporter = Callable[[Sequence[Diagnostic], bool], str]  # (diagnostics, colour) -> text


def text(diagnostics: Sequence[Diagnostic], colour: bool = False) -> str:
    lines = []
    for diagnostic in diagnostics:
        line = str(diagnostic)
        if colour:
            word = diagnostic.severity.value
            code = "31" if diagnostic.severity is Severity.ERROR else "33"  # red, yellow
            line = line.replace(f" {word} ", f" \033[{code}m{word}\033[0m ", 1)
        lines.append(line + "\n")
    return "".join(lines)


def json_lines(diagnostics: Sequence[Diagnostic], colour: bool = False) -> str:
    """One JSON object per line and diagnostic; unsafe characters as `\\uXXXX`, other text as it is."""
    return "".join(printable(json.dumps(record(d), ensure_ascii=False)) + "\n" for d in diagnostics)


def github(diagnostics: Sequence[Diagnostic], colour: bool = False) -> str:
    """GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=CODE::message`."""
    lines = []
    for diagnostic in diagnostics:
        properties = github_properties(diagnostic.file, diagnostic.line, diagnostic.col, diagnostic.code)
        message = f"{diagnostic.message}; {diagnostic.hint}" if diagnostic.hint else diagnostic.message
        message = diagnostic.label + message
        lines.append(f"::{diagnostic.severity.value} {properties}::{github_data(message)}\n")
    return "".join(lines)


REPORTER_BY_NAME: dict[str, Reporter] = {"github": github, "json": json_lines, "text": text}


def record(diagnostic: Diagnostic) -> dict[str, object]:
    """A diagnostic as JSON data: the fields of `validate --format json`, also in `diff --format json`."""
    found: dict[str, object] = {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "file": diagnostic.file,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "path": diagnostic.dotted_path,
    }
    if diagnostic.environments:  # only for a spec with `environments:`, so other output stays as it was
        found["environments"] = list(diagnostic.environments)
    return found


def github_data(text: str) -> str:
    """A workflow command's message: one line (a line break is escaped as `\\n`, like every character a
    terminal could act on), `%` as GitHub reads it."""
    return printable(text).replace("%", "%25")


def github_properties(file: str, line: int, col: int, title: str) -> str:
    """`file=F,line=L,col=C,title=T`, each left out when unknown."""
    fields = {"file": file, "line": line, "col": col, "title": title}
    return ",".join(f"{key}={github_property(str(value))}" for key, value in fields.items() if value)


def github_property(text: str) -> str:
    return github_data(text).replace(":", "%3A").replace(",", "%2C")

"""Print changes: text for people (one block per artifact, a closing summary), JSON for bots, or GitHub
workflow commands. In JSON and GitHub the specs' diagnostics are in the same format.

Paths and values come from specs and from what is deployed: every format escapes what a terminal could
act on (`airflowspec.printable`), before the colours airflowspec adds itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from airflowspec.diagnostics import Diagnostic
from airflowspec.diff.changes import Change
from airflowspec.diff.compare import MISSING
from airflowspec.diff.impact import disruptive
from airflowspec.diff.masking import REDACTED
from airflowspec.printable import printable, printable_lines
from airflowspec.reporters import github, github_data, github_properties, record

Style = Callable[[str, str], str]  # (text, kind) -> text, colour or not
_MARK = {"add": "+", "change": "~", "remove": "-"}


def summary(changes: Sequence[Change]) -> dict[str, int]:
    return {kind: sum(1 for change in changes if change.kind == kind) for kind in ("add", "change", "remove")}


def text_report(changes: Sequence[Change], style: Style = lambda text, kind: text) -> str:
    lines: list[str] = []
    for artifact in dict.fromkeys(change.artifact for change in changes):
        lines.append(printable(artifact))
        for change in (change for change in changes if change.artifact == artifact):
            where = f"{change.path}: " if change.path else ""  # a line of text has no path
            lines.append(style(printable(f"  {_MARK[change.kind]} {where}{_values(change)}"), change.kind))
            if change.impact:
                lines.append(f"      {change.impact}")
    counts = summary(changes)
    lines.append(f"{counts['add']} to add, {counts['change']} to change, {counts['remove']} to remove")
    return "\n".join(lines) + "\n"


def github_report(changes: Sequence[Change] | None, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """One workflow command per diagnostic, then per change (None: nothing was compared), at the spec line
    it comes from; a warning where it stops, restarts or replaces something."""
    lines = [github(diagnostics)]
    for change in changes or ():
        level = "warning" if disruptive(change.impact) else "notice"
        where = f"{change.path}: " if change.path else ""  # a line of text has no path
        message = f"{_MARK[change.kind]} {where}{_values(change)}" + (f" ({change.impact})" if change.impact else "")
        properties = github_properties(change.file, change.line, change.col, f"airflowspec diff {change.artifact}")
        lines.append(f"::{level} {properties}::{github_data(message)}\n")
    if changes is not None:
        counts = summary(changes)
        lines.append(f"{counts['add']} to add, {counts['change']} to change, {counts['remove']} to remove\n")
    return "".join(lines)


def json_report(changes: Sequence[Change] | None, diagnostics: Sequence[Diagnostic] = ()) -> str:
    """One document: the changes and their summary (left out when nothing was compared), and the
    diagnostics with the fields of `validate --format json`."""
    document: dict[str, Any] = {}
    if changes is not None:
        document = {"changes": [change.as_json() for change in changes], "summary": summary(changes)}
    document["diagnostics"] = [record(diagnostic) for diagnostic in diagnostics]
    return printable_lines(json.dumps(document, indent=2, ensure_ascii=False, default=str)) + "\n"


def _values(change: Change) -> str:
    if change.masked:
        return "(sensitive value changed)" if change.kind == "change" else REDACTED
    if change.kind == "add":
        return _shown(change.new)
    if change.kind == "remove":
        return _shown(change.old)
    return f"{_shown(change.old)} -> {_shown(change.new)}"


def _shown(value: Any) -> str:
    return "(none)" if value is MISSING else json.dumps(value, ensure_ascii=False, default=str)

"""Turn a spec path into `line:col`: the one place where checks' paths meet the file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from airflowspec.diagnostics import Diagnostic, SpecPath
from airflowspec.document import Position, YamlMap, YamlSeq


def position_of(document: YamlMap, path: SpecPath, *, on_key: bool = False) -> Position:
    """Where `path` was written; the deepest part of it that exists when it was not."""
    node: object = document
    position = document.position
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, YamlMap) and isinstance(part, str) and part in node:
            positions = node.key_positions if on_key and last else node.value_positions
            position = positions[part]
            node = node[part]
        elif isinstance(node, YamlSeq) and isinstance(part, int) and 0 <= part < len(node):
            position = node.item_positions[part]
            node = node[part]
        else:
            break
    return position


def locate(diagnostics: Iterable[Diagnostic], document: YamlMap | None, file: str) -> list[Diagnostic]:
    """Fill in `file`, `line` and `col` of each diagnostic from its path."""
    located = []
    for diagnostic in diagnostics:
        line, col = (diagnostic.line, diagnostic.col)
        if document is not None and not line:
            line, col = position_of(document, diagnostic.path, on_key=diagnostic.on_key)
        located.append(dataclasses.replace(diagnostic, file=file, line=line, col=col))
    return located

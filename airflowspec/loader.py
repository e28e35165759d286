"""Read a spec file, or any YAML or JSON input, into a `YamlMap` that keeps the position of every key
and value.

Parsing goes through libyaml's C parser (ruamel.yaml.clib) and builds the document from the event
stream with an explicit stack, so speed is close to C and no input can exhaust the Python stack.
Every input has the same limits, checked while it is built, before anything grows: the bytes read
(`inputs.MAX_BYTES`), the nesting depth, and what aliases add, counted both in nodes and in
characters (one long string aliased many times is as large as its copies).
Every problem becomes an AS0xx diagnostic; nothing here raises for bad input.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from airflowspec.diagnostics import Diagnostic, error
from airflowspec.document import Position, YamlMap, YamlSeq, resolve_plain, resolve_tagged
from airflowspec.inputs import InputProblem, read_file

MAX_DEPTH = 64
#: Nodes that aliases may add on top of those written out: enough for any honest reuse of an
#: anchor, far too few for a "billion laughs" document.
MAX_ALIAS_EXPANSION = 250_000
#: Characters of scalar text that aliases may add: a 1 MB string aliased 3,000 times is refused.
MAX_ALIAS_TEXT = 16 * 1024 * 1024


class LoadError(Exception):
    """Bad input: carries the diagnostic. Raised inside this module only."""

    def __init__(self, diagnostic: Diagnostic, position: Position | None = None) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.position = position


@dataclasses.dataclass(frozen=True)
class Loaded:
    """The outcome of reading a file: a document, or the diagnostics that stopped it."""

    file: str
    document: YamlMap | None
    diagnostics: tuple[Diagnostic, ...] = ()
    io_error: bool = False
    #: Numbers written otherwise than Python writes them back (`01234`, `1.10`): position -> text as written.
    numbers: dict[Position, str] = dataclasses.field(default_factory=dict)
    #: What checking it costs, in bytes: those read, and the text aliases add.
    weight: int = 0


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read and parse the spec at `path`. `io_error` is set when the file itself could not be read."""
    name = display or str(path)
    try:
        data = _read(path)
    except LoadError as exc:
        return Loaded(name, None, (dataclasses.replace(exc.diagnostic, file=name),), io_error=True)
    return load_bytes(data, name)


def load_bytes(data: bytes, file: str, noun: str = "spec") -> Loaded:
    """Parse a document whose root must be a mapping. `noun` names it in messages: "spec", "file"."""
    builder = _Builder(noun)
    try:
        document = _parse(_decode(data), builder)
    except LoadError as exc:
        return Loaded(file, None, (_located(exc, file),))
    return Loaded(file, document, numbers=builder.numbers, weight=len(data) + builder.alias_text)


def load_value(text: str) -> tuple[Any, Diagnostic | None]:
    """Any YAML or JSON value held in a string (a mapping, a list or a scalar), within the same limits;
    or the diagnostic that stopped it, placed in the string."""
    try:
        return _parse(text, _Builder("value"), any_root=True), None
    except LoadError as exc:
        return None, _located(exc, "")


def _located(exc: LoadError, file: str) -> Diagnostic:
    line, col = exc.position or (0, 0)
    return dataclasses.replace(exc.diagnostic, file=file, line=line, col=col)


def _read(path: Path) -> bytes:
    if path.is_dir():
        raise LoadError(error("AS001", "is a directory, not a spec file", hint="pass the path of the YAML file"))
    try:
        return read_file(path)
    except InputProblem as problem:
        raise LoadError(error(problem.code, problem.message, hint=problem.hint)) from None


def _decode(data: bytes) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        diagnostic = error("AS002", f"byte 0x{data[exc.start]:02x} is not valid UTF-8", hint="save the file as UTF-8")
        raise LoadError(diagnostic, (line, col)) from None


def _parse(text: str, builder: _Builder, any_root: bool = False) -> Any:
    try:
        for event in _events(text):
            builder.feed(event)
    except LoadError:
        raise
    except Exception as exc:  # the YAML library's own errors, pure or C
        raise _syntax_error(exc, text) from None
    return builder.root if any_root else builder.result()


def _events(text: str) -> Iterator[Any]:
    parser = _c_parser(text)
    if parser is None:
        from ruamel.yaml.main import YAML

        yield from YAML(typ="safe", pure=True).parse(text)
        return
    while True:
        event = parser.get_event()
        yield event
        if type(event).__name__ == "StreamEndEvent":
            return


def _c_parser(text: str) -> Any:
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found]  # C extension, no stubs
    except ImportError:  # pragma: no cover - platforms without the C extension
        return None
    return CParser(text)


_EMPTY_HINTS = {"spec": "a spec starts with `apiVersion: airflowspec/v1`"}
_LEADING_TAB = re.compile(r"^ *\t", re.MULTILINE)


def _syntax_error(exc: Exception, text: str) -> LoadError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark:
        line, col = mark.line + 1, mark.column + 1
    else:  # the reader's errors (a control character) give an index into the text instead
        line, col = _line_and_column(text, getattr(exc, "position", 0))
    # libyaml's message for a tab is "found character that cannot start any token", on the tab's line
    tab = _LEADING_TAB.match(text, _line_start(text, line))
    if tab:
        return LoadError(
            error("AS004", "a tab indents this line", hint="YAML indents with spaces only"),
            (line, tab.end() - tab.start()),
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return LoadError(error("AS003", f"YAML syntax error: {problem}"), (line, col))


def _line_and_column(text: str, index: int) -> Position:
    index = min(max(index, 0), len(text))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line - 1):
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index = found + 1
    return index


class _Builder:
    """Turns parser events into YamlMap/YamlSeq/scalars, one event at a time."""

    def __init__(self, noun: str) -> None:
        self.noun = noun
        # Each frame: [container, pending key or None, key position, expanded size, anchor, text before it].
        self.stack: list[list[Any]] = []
        # anchor -> (value, expanded nodes, expanded characters of scalar text)
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.documents = 0
        self.root: Any = None
        self.root_position: Position = (1, 1)
        self.alias_nodes = 0
        self.alias_text = 0
        self.text = 0  # characters of scalar text so far, aliases expanded
        self.numbers: dict[Position, str] = {}

    def feed(self, event: Any) -> None:
        kind = type(event).__name__
        handler = getattr(self, "_on_" + kind, None)
        if handler is not None:
            handler(event)

    def result(self) -> YamlMap:
        if self.documents == 0 or self.root is None:
            raise LoadError(error("AS006", f"the {self.noun} is empty", hint=_EMPTY_HINTS.get(self.noun, "")), (1, 1))
        if not isinstance(self.root, YamlMap):
            found = "a list" if isinstance(self.root, YamlSeq) else "a single value"
            raise LoadError(
                error("AS007", f"the {self.noun} must be a mapping of keys, not {found}"), self.root_position
            )
        return self.root

    def _on_DocumentStartEvent(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise LoadError(
                error(
                    "AS010",
                    f"a {self.noun} is one YAML document; this file has more",
                    hint="remove the `---` and what follows",
                ),
                _position(event),
            )

    def _on_ScalarEvent(self, event: Any) -> None:
        value = _scalar(event)
        length = len(event.value)
        self.text += length
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, length)
        position = _position(event)
        if type(value) in (int, float) and str(value) != event.value:
            self.numbers[position] = event.value
        self._attach(value, position, 1)

    def _on_AliasEvent(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise LoadError(
                error("AS003", f"YAML syntax error: alias *{event.anchor} names no anchor defined before it"),
                _position(event),
            )
        value, size, text = self.anchors[event.anchor]
        self.alias_nodes += size
        self.alias_text += text
        self.text += text
        if self.alias_nodes > MAX_ALIAS_EXPANSION or self.alias_text > MAX_ALIAS_TEXT:
            what = (
                f"{MAX_ALIAS_EXPANSION} nodes"
                if self.alias_nodes > MAX_ALIAS_EXPANSION
                else f"{MAX_ALIAS_TEXT} characters"
            )
            raise LoadError(
                error(
                    "AS009",
                    f"aliases expand to more than {what}",
                    hint="write the values out instead of nesting aliases",
                ),
                _position(event),
            )
        self._attach(value, _position(event), size)

    def _on_MappingStartEvent(self, event: Any) -> None:
        self._open(YamlMap(_position(event)), event)

    def _on_SequenceStartEvent(self, event: Any) -> None:
        self._open(YamlSeq(_position(event)), event)

    def _on_MappingEndEvent(self, event: Any) -> None:
        self._close()

    _on_SequenceEndEvent = _on_MappingEndEvent

    def _open(self, container: YamlMap | YamlSeq, event: Any) -> None:
        _check_tag(event, "map" if isinstance(container, YamlMap) else "seq")
        if len(self.stack) >= MAX_DEPTH:
            raise LoadError(error("AS008", f"the {self.noun} nests deeper than {MAX_DEPTH} levels"), _position(event))
        self.stack.append([container, None, None, 1, event.anchor, self.text])

    def _close(self) -> None:
        container, _, _, size, anchor, text_before = self.stack.pop()
        if anchor is not None:
            self.anchors[anchor] = (container, size, self.text - text_before)
        self._attach(container, container.position, size)

    def _attach(self, value: Any, position: Position, size: int) -> None:
        if not self.stack:
            self.root, self.root_position = value, position
            return
        frame = self.stack[-1]
        frame[3] += size
        container = frame[0]
        if isinstance(container, YamlSeq):
            container.append(value)
            container.item_positions.append(position)
        elif frame[1] is None:
            frame[1], frame[2] = self._key(container, value, position), position
        else:
            key = frame[1]
            container[key] = value
            container.key_positions[key] = frame[2]
            container.value_positions[key] = position
            frame[1] = None

    @staticmethod
    def _key(container: YamlMap, value: Any, position: Position) -> str:
        if isinstance(value, (YamlMap, YamlSeq)):
            raise LoadError(error("AS010", "a key must be a plain value, not a mapping or list"), position)
        key = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        if key == "<<":
            raise LoadError(
                error(
                    "AS010", "merge keys (<<) are not supported", hint="write the keys out; anchors and aliases work"
                ),
                position,
            )
        if key in container:
            first = container.key_positions[key][0]
            raise LoadError(
                error(
                    "AS005",
                    f"duplicate key '{key}' (first defined on line {first})",
                    hint="each key may appear once in a mapping",
                ),
                position,
            )
        return key


def _scalar(event: Any) -> Any:
    tag = event.tag
    try:
        if tag is None or tag == "!":
            return resolve_plain(event.value) if event.implicit[0] and not event.style else event.value
        ok, value = resolve_tagged(tag, event.value)
    except ValueError:  # Python's limit on the digits of an integer
        raise LoadError(
            error("AS011", f"a number with {len(event.value)} digits is too long", hint="quote it if it is text"),
            _position(event),
        ) from None
    if not ok:
        raise LoadError(
            error("AS010", f"tag {tag} is not supported here", hint="remove the tag; the spec uses plain YAML values"),
            _position(event),
        )
    return value


def _check_tag(event: Any, kind: str) -> None:
    tag = event.tag
    if tag is not None and tag not in ("!", "tag:yaml.org,2002:" + kind):
        raise LoadError(
            error("AS010", f"tag {tag} is not supported here", hint="remove the tag; the spec uses plain YAML values"),
            _position(event),
        )


def _position(event: Any) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)

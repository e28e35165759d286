"""The one YAML and JSON writer: same data, same bytes, on every machine.

Rendered artifacts hold plain data (dicts, lists, strings, numbers, booleans, None), so a small
emitter suffices: block style, two-space indent, lists indented under their key as in Helm's own
values files. A string is written plain only when every YAML 1.1 and 1.2 reader (Helm's included)
reads it back as the same string; otherwise it is double-quoted, with YAML escapes for what is not printable.
Being ours, the bytes cannot change with a library upgrade, and it is several times faster than a
general-purpose dumper on large specs.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from airflowspec.printable import printable_lines

_PLAIN = re.compile(r"[A-Za-z_/][\w./@%+=,$-]*(?::[\w./@%+=,$-]+)*(?: [\w./@%+=,$()-]+)*\Z", re.ASCII)
# Words that YAML 1.1 (Helm's parser) or 1.2 reads as booleans or null.
_SPECIAL_WORDS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
# YAML caps an implicit (`key: value`) key at 1024 characters as written, quotes and escapes included;
# libyaml, go-yaml (Helm) and ruamel all refuse one character more. Longer keys are written explicitly.
_MAX_IMPLICIT_KEY = 1024
# Characters YAML 1.1 treats as line breaks even inside quotes.
_LINE_BREAKS = frozenset("\x85\u2028\u2029")
_NEEDS_ESCAPE = re.compile('["\\\\\u2028\u2029]')
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def to_yaml(data: Any) -> str:
    """`data` as a YAML document, ending in a newline."""
    lines: list[str] = []
    _block(data, 0, lines)
    return "\n".join(lines) + "\n"


def to_json(data: Any) -> str:
    """`data` as indented JSON, keys in the order given, ending in a newline; readable non-ASCII text as
    it is, and what a terminal or editor would act on (control and format characters) as `\\uXXXX`."""
    return printable_lines(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def comment_text(text: str) -> str:
    """`text` made safe inside a one-line `#` comment (YAML, requirements.txt) or a JSON string.

    Every character that is not printable becomes `?`: line breaks of every kind (`\\r`, `\\v`, `\\f`,
    NEL, U+2028/9, which YAML 1.1 and Python's `splitlines` also break on), other control and format
    characters, lone surrogates. What is left cannot end the comment, so a file name cannot add lines.
    """
    return "".join(char if char.isprintable() else "?" for char in text)


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _SPECIAL_WORDS:
        return text
    return _quoted(text)


def _quoted(text: str) -> str:
    """Double-quoted, escaping only what YAML needs: readable for any printable character."""
    if text.isprintable() and not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if char.isprintable() and char not in _LINE_BREAKS:
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def _block(data: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(data, dict) and data:
        for key, value in data.items():
            written = scalar(key)
            if len(written) > _MAX_IMPLICIT_KEY:
                lines.append(f"{pad}? {written}")
                _entry(f"{pad}:", value, indent, lines)
            else:
                _entry(f"{pad}{written}:", value, indent, lines)
    elif isinstance(data, list) and data:
        for item in data:
            _item(pad, item, indent, lines)
    else:
        lines.append(pad + _inline(data))


def _entry(head: str, value: Any, indent: int, lines: list[str]) -> None:
    if isinstance(value, (dict, list)) and value:
        lines.append(head)
        _block(value, indent + 2, lines)
    elif isinstance(value, str) and _fits_literal_block(value):
        chomp = "" if value.endswith("\n") and not value.endswith("\n\n") else "-"
        lines.append(f"{head} |{chomp}")
        lines.extend(" " * (indent + 2) + line if line else "" for line in value.removesuffix("\n").split("\n"))
    else:
        lines.append(f"{head} {_inline(value)}")


def _fits_literal_block(text: str) -> bool:
    """Multi-line text that a `|` block gives back exactly: readable where the text is a file or a list."""
    lines = text.removesuffix("\n").split("\n")
    return (
        len(lines) > 1
        and not text.endswith("\n\n")
        and not lines[0].startswith(" ")
        and all(
            line.isprintable() and not _LINE_BREAKS.intersection(line) and line == line.rstrip(" ") for line in lines
        )
    )


def _item(pad: str, item: Any, indent: int, lines: list[str]) -> None:
    if not (isinstance(item, (dict, list)) and item):
        lines.append(f"{pad}- {_inline(item)}")
        return
    start = len(lines)
    _block(item, indent + 2, lines)
    lines[start] = f"{pad}- {lines[start][indent + 2 :]}"


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)

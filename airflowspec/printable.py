"""Untrusted text made safe to print: nothing a spec, a file name or a dump holds can move the cursor,
retitle the terminal, reorder what is shown (bidi overrides) or start a line of its own.

`printable` writes each such character as a visible escape in JSON's notation (`\\n`, `\\u001b`,
`\\u202e`), so the same function serves text for people and JSON documents (inside a JSON string the
escapes mean the character itself). Other characters, non-ASCII letters and symbols included, are kept.
"""

from __future__ import annotations

import re
import unicodedata

#: Control characters (C0, DEL, C1), format characters (bidi controls, zero-width characters, soft
#: hyphen, tags), line and paragraph separators, surrogates (undecodable bytes of a file name), and
#: private-use and unassigned code points, whose meaning a terminal may decide.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

_NOT_PLAIN_ASCII = re.compile(r"[^ -~]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every unsafe character (see UNSAFE_CATEGORIES) escaped, as `\\u001b` or `\\n`."""
    if text.isprintable():  # the common case, at C speed: isprintable() is False for every unsafe character
        return text
    return _NOT_PLAIN_ASCII.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`printable`, keeping the line breaks between lines: for a document printed over several lines
    (`json.dumps(..., indent=2)`, whose own strings never hold a raw line break)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if unicodedata.category(char) not in UNSAFE_CATEGORIES:
        return char
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code > 0xFFFF:  # as JSON writes it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"

"""`packages:` are PEP 508 requirements, each named once, and never Airflow itself.

Every target hands a package to pip as one line of a requirements file (MWAA's requirements.txt, the
community chart's requested-packages.txt) or as one word of a command line (the official chart's image),
often through Kubernetes, which rewrites `$(NAME)` and `$$` in container arguments and environment. So a
package must be one line whose meaning none of them can change: pip joins a line ending in `\\`, cuts it at
` #` (comment) or at a word starting with `-` (options such as `--index-url`), replaces `${NAME}` with an
environment variable, splits the line at `\\r`, `\\x85` or `\\u2028` too, reads a name ending in `.whl` as
a file and a URL ending in `[...]` as one with extras. Each such package is refused with the first reason
found (AS220 before parsing, AS221 after).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from airflowspec.diagnostics import Diagnostic, SpecPath, error, quote
from airflowspec.spec import Spec

AIRFLOW_ITSELF = frozenset({"apache-airflow", "apache-airflow-core"})
#: What pip reads as an archive file rather than a project name (pip's utils/filetypes.py).
ARCHIVE_EXTENSIONS = (
    *(".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz"),
    *(".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma"),
)
#: What pip takes as extras at the end of a line's requirement part, once it has normalised it as a path.
PIP_EXTRAS = re.compile(r"\[[^\[\]]+\]\Z")
#: (pattern, reason, hint) for what pip or Kubernetes would read otherwise than as written; first match wins.
LINE_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"(?:^|\s)-"),
        "pip reads a word starting with '-' as an option (-e, -r, --index-url...), not as a requirement",
        "give one PEP 508 requirement; index and install options are not packages",
    ),
    (
        re.compile(r"\\"),
        "pip joins a line ending in '\\' with the next one, and shells read '\\' as an escape",
        "remove the backslash",
    ),
    (
        re.compile(r"\s#"),
        "pip reads ' #' as the start of a comment and drops the rest of the line",
        "remove the whitespace before '#'",
    ),
    (
        re.compile(r"\$\{"),
        "pip replaces '${NAME}' with an environment variable of the machine that installs",
        "write the value itself; a package cannot hold '${'",
    ),
    (
        re.compile(r"\$[($]"),
        "Kubernetes replaces '$(NAME)' with a variable of the container and '$$' with '$'",
        "write the value itself; a package cannot hold '$(' or '$$'",
    ),
)


def check_packages(spec: Spec) -> Iterator[Diagnostic]:
    first_index: dict[str, int] = {}
    for index, text in enumerate(spec.packages):
        path = ("packages", index)
        requirement = read_package(text, path)
        if isinstance(requirement, Diagnostic):
            yield requirement
            continue
        name = canonicalize_name(requirement.name)
        if name in AIRFLOW_ITSELF:
            yield error("AS208", f"{quote(text)} would change Airflow itself", path, "set `airflow.version` instead")
        elif name in first_index:
            yield error(
                "AS209",
                f"package '{name}' is listed twice (first as {quote(spec.packages[first_index[name]])})",
                path,
                "keep one requirement per package",
            )
        else:
            first_index[name] = index


def read_package(text: str, path: SpecPath = ()) -> Requirement | Diagnostic:
    """The requirement pip reads from `text`, or why pip would read something else (AS220, AS207, AS221)."""
    unprintable = next((char for char in text if not char.isprintable()), None)
    if unprintable is not None:
        code = f"U+{ord(unprintable):04X}"
        reason = f"it holds the unprintable character {code}; pip, YAML and shells may end or split a line there"
        return _line_error(text, reason, "a package is one line of printable text", path)
    for pattern, reason, hint in LINE_RULES:
        if pattern.search(text):
            return _line_error(text, reason, hint, path)
    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        message = f"{quote(text)} is not a valid requirement: {str(exc).splitlines()[0]}"
        return error("AS207", message, path, "write it as PEP 508, e.g. `pandas>=2.1,<3`")
    return _requirement_problem(text, requirement, path) or requirement


def _requirement_problem(text: str, requirement: Requirement, path: SpecPath = ()) -> Diagnostic | None:
    """AS221 when pip would read this valid PEP 508 requirement as something else."""
    if requirement.url is not None and ";" in requirement.url:
        reason = "pip cuts a requirement at its first ';' to find the marker, here inside the URL"
        return error("AS221", f"{quote(text)} would not reach pip as written: {reason}", path, "write ';' as %3B")
    if requirement.url is not None and PIP_EXTRAS.search(posixpath.normpath(text.partition(";")[0].strip())):
        reason = "pip reads a '[...]' at the end of a URL as extras"
        hint = "write '[' and ']' in the URL as %5B and %5D"
        return error("AS221", f"{quote(text)} would not reach pip as written: {reason}", path, hint)
    name = requirement.name.lower()
    if requirement.url is None and not requirement.specifier and name.endswith(ARCHIVE_EXTENSIONS):
        reason = "pip reads a bare name ending in an archive extension as a local file"
        hint = f"add a version, e.g. `{requirement.name}>=0`"
        return error("AS221", f"{quote(text)} would not reach pip as written: {reason}", path, hint)
    return None


def _line_error(text: str, reason: str, hint: str, path: SpecPath) -> Diagnostic:
    return error("AS220", f"{quote(text)} would not reach pip as written: {reason}", path, hint)

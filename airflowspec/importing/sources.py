"""Read each source, recognise it by its content, and import it into one spec.

MWAA sources are taken in an order that lets each use what the one before found: the template (or
`get-environment`) first, for the store and its prefixes; then requirements.txt, checked against the
Airflow version; then the store's entries.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflowspec.diff.live import ReadProblem, read_document
from airflowspec.importing import Imported
from airflowspec.importing.entries import import_entries
from airflowspec.importing.mwaa import import_environment, import_template
from airflowspec.inputs import InputProblem, read_file

_CONSTRAINT = re.compile(r'--constraints?[ =]"?[^"\s]*constraints-(?P<version>[0-9][^/]*)/constraints-[0-9.]+\.txt"?\Z')


@dataclasses.dataclass(frozen=True)
class Source:
    file: str
    kind: str  # mwaa-template, mwaa-environment, requirements, store-rendered, store-live
    data: Any


_ORDER = ("mwaa-template", "mwaa-environment", "requirements", "store-rendered", "store-live")


def read_sources(paths: Sequence[Path]) -> list[Source]:
    """Each path, read within the limits of every input and recognised; ReadProblem when one cannot be."""
    return sorted((_read(path) for path in paths), key=lambda source: _ORDER.index(source.kind))


def import_sources(sources: Sequence[Source]) -> Imported:
    into = Imported(spec={"apiVersion": "airflowspec/v1"}, sources=[source.file for source in sources])
    for source in sources:
        _IMPORTERS[source.kind](source, into)
    return into


def _read(path: Path) -> Source:
    file = str(path)
    try:
        data = read_file(path)
    except InputProblem as problem:
        raise ReadProblem(dataclasses.replace(_error(problem.code, problem.message, problem.hint), file=file)) from None
    if path.name.endswith(".txt") or _looks_like_requirements(data):
        return Source(file, "requirements", _text(data, file))
    document = read_document(data, file)
    if isinstance(document.get("Resources"), dict):
        return Source(file, "mwaa-template", document)
    if isinstance(document.get("Environment"), dict):
        return Source(file, "mwaa-environment", document["Environment"])
    if isinstance(document.get("Parameters"), list):
        return Source(file, "store-live", document["Parameters"])
    for key in ("parameters", "entries"):
        if isinstance(document.get(key), list) and "generatedBy" in document:
            return Source(file, "store-rendered", document[key])
    raise ReadProblem(
        dataclasses.replace(
            _error("AS600", "is none of the sources `import` reads", "see `airflowspec import --help`"), file=file
        )
    )


def _error(code: str, message: str, hint: str = "") -> Any:
    from airflowspec.diagnostics import error

    return error(code, message, hint=hint)


def _looks_like_requirements(data: bytes) -> bool:
    return data.lstrip().startswith((b"--constraint", b"-c "))


def _text(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadProblem(dataclasses.replace(_error("AS002", "is not valid UTF-8"), file=file)) from None


def _template(source: Source, into: Imported) -> None:
    if not import_template(source.data, source.file, into):
        into.not_carried(source.file, "Resources", "holds no AWS::MWAA::Environment")


def _environment(source: Source, into: Imported) -> None:
    import_environment(source.data, source.file, into)


def _requirements(source: Source, into: Imported) -> None:
    """Each requirement a package; the constraints line checked against the Airflow version (airflowspec
    writes the one for the spec's version and MWAA's Python itself)."""
    packages = into.spec.setdefault("packages", [])
    version = into.spec.get("airflow", {}).get("version")
    for number, line in enumerate(source.data.splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        constraint = _CONSTRAINT.match(text)
        if constraint is not None:
            if version is None:
                into.at("airflow")["version"] = constraint["version"]
            elif constraint["version"] != version:
                message = f"constraints of Airflow {constraint['version']}, not of {version}, the environment's"
                into.not_carried(source.file, f"line {number}", message)
        elif text.startswith("-"):
            into.not_carried(source.file, f"line {number}", "a pip option the spec does not carry")
        else:
            packages.append(text)
    if not packages:
        del into.spec["packages"]


def _store(source: Source, into: Imported) -> None:
    import_entries(source.data, source.file, into, live=source.kind == "store-live")


_IMPORTERS = {
    "mwaa-template": _template,
    "mwaa-environment": _environment,
    "requirements": _requirements,
    "store-rendered": _store,
    "store-live": _store,
}

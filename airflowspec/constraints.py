"""Airflow's constraints against the spec's packages, offline.

Airflow publishes, per release and Python version, the exact version of every dependency it was tested
with (`constraints-<airflow>/constraints-<python>.txt`). MWAA installs requirements.txt under that file,
so a package whose specifier excludes the constrained version fails there (the update runs for half an
hour, then rolls back); the community chart installs packages without it, so the same package quietly
moves one of Airflow's own dependencies.

Nothing here touches the network: the constraints come from a file named on the command line
(`--constraints`), else from the user's cache, which only `airflowspec packages fetch-constraints`
fills. Without either, the check is skipped and says so once.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

#: Where Airflow publishes its constraints; `$AIRFLOWSPEC_CONSTRAINTS_URL` replaces it (a mirror).
URL = "https://raw.githubusercontent.com/apache/airflow/constraints-{airflow}/constraints-{python}.txt"
_PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")
_IMAGE_PYTHON = re.compile(r"-python(3\.[0-9]+)\b")
_FILE_PYTHON = re.compile(r"constraints-(3\.[0-9]+)\.txt\Z")


@dataclasses.dataclass(frozen=True)
class Constraints:
    """The pinned version of each dependency, by canonical name, and where the pins came from."""

    pins: dict[str, str]
    origin: str
    python: str


@dataclasses.dataclass(frozen=True)
class Conflict:
    index: int  # in `packages`
    requirement: str
    name: str
    constrained: str


def cache_dir() -> Path:
    """`$AIRFLOWSPEC_CACHE_DIR`, else `$XDG_CACHE_HOME/airflowspec`, else `~/.cache/airflowspec`."""
    explicit = os.environ.get("AIRFLOWSPEC_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "airflowspec"


def url(airflow: str, python: str) -> str:
    return os.environ.get("AIRFLOWSPEC_CONSTRAINTS_URL", URL).format(airflow=airflow, python=python)


def cached_file(airflow: str, python: str) -> Path:
    return cache_dir() / "constraints" / f"constraints-{airflow}-python{python}.txt"


def parse(text: str, origin: str, python: str) -> Constraints:
    """Each `name==version` line (comments and anything else skipped)."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        match = _PIN.match(line.strip())
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return Constraints(pins, origin, python)


def image_python(tag: str | None) -> str | None:
    """The Python of an Airflow image tag like `2.9.3-python3.11`."""
    match = _IMAGE_PYTHON.search(tag or "")
    return match[1] if match else None


def file_python(name: str) -> str | None:
    """The Python of a constraints file named as Airflow names them (`constraints-3.11.txt`)."""
    match = _FILE_PYTHON.search(name)
    return match[1] if match else None


def cached(airflow: str, python: str | None) -> Path | None:
    """The cached constraints of `airflow` for `python`; for an unknown Python, those of any Python
    (they differ little), the newest first."""
    if python is not None:
        path = cached_file(airflow, python)
        return path if path.is_file() else None
    found = sorted((cache_dir() / "constraints").glob(f"constraints-{airflow}-python3.*.txt"), key=_python_order)
    return found[-1] if found else None


def _python_order(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.stem.rsplit("python", 1)[1].split("."))


def conflicts(packages: tuple[str, ...], constraints: Constraints) -> list[Conflict]:
    """Each package whose specifier excludes the version Airflow pins, where its markers apply on
    Linux with the constraints' Python (extras change nothing here: they add dependencies)."""
    environment = {"python_version": constraints.python, "sys_platform": "linux", "platform_system": "Linux"}
    found = []
    for index, text in enumerate(packages):
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue  # checks.packages reports it
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        pinned = constraints.pins.get(canonicalize_name(requirement.name))
        if (
            pinned is not None
            and requirement.specifier
            and not requirement.specifier.contains(pinned, prereleases=True)
        ):
            found.append(Conflict(index, text, requirement.name, pinned))
    return found

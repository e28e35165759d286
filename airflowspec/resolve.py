"""`packages resolve`: the spec's packages resolved by pip itself, as the platform will install them.

`pip install --dry-run --report` for the target's Python on Linux (binary wheels only, as MWAA), under
Airflow's constraints when they are at hand (`airflowspec.constraints`), through the spec's package indexes
(credentials from their secrets' `env` sources, in pip's environment) unless the command line gives index
options. Nothing is installed. Each package is one line of the requirements file pip reads,
so pip's "Cannot install -r FILE (line N)" names the package to point at.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from airflowspec.diagnostics import Diagnostic, error

#: The platform MWAA and EKS nodes run Airflow on.
PLATFORM = "manylinux2014_x86_64"
_LINE = re.compile(r"\(line ([0-9]+)\)")
_MISSING = re.compile(r"satisfies the requirement ([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclasses.dataclass(frozen=True)
class Resolution:
    """The versions pip would install (name -> version), or why it cannot."""

    installed: dict[str, str]
    diagnostics: tuple[Diagnostic, ...] = ()
    conflict: bool = False  # pip's resolver found the set impossible (not: an index it could not reach)


def resolve(
    packages: Sequence[str],
    python: str,
    constraints: Path | None,
    index_options: Sequence[str],
    variables: Mapping[str, str] | None = None,
    hidden: Sequence[str] = (),
) -> Resolution:
    """pip's resolution; `variables` join its environment (the spec's indexes, with credentials: never
    on its command line), and each of `hidden` is masked in what pip printed before it is read."""
    with tempfile.TemporaryDirectory() as folder:
        requirements, report = Path(folder) / "requirements.txt", Path(folder) / "report.json"
        requirements.write_text("".join(f"{package}\n" for package in packages), encoding="utf-8")
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--report", str(report),
            "--only-binary=:all:", "--platform", PLATFORM, "--python-version", python, "--implementation", "cp",
            "--disable-pip-version-check", "--no-input", *index_options, "-r", str(requirements),
        ]  # fmt: skip
        if constraints is not None:
            command += ["-c", str(constraints)]
        environment = {**os.environ, **(variables or {})}
        result = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
        if result.returncode == 0:
            installed = json.loads(report.read_text(encoding="utf-8")).get("install", [])
            found = {item["metadata"]["name"]: item["metadata"]["version"] for item in installed}
            return Resolution(dict(sorted(found.items(), key=lambda item: canonicalize_name(item[0]))))
    output = _masked(result.stdout + "\n" + result.stderr, hidden)
    conflict = "ResolutionImpossible" in output or "The conflict is caused by:" in output
    return Resolution({}, tuple(_problems(output, packages)), conflict)


def _masked(output: str, hidden: Sequence[str]) -> str:
    """pip hides a password in the URLs it prints; a credential it prints otherwise is hidden here."""
    for value in sorted(hidden, key=len, reverse=True):
        output = output.replace(value, "****")
    return output


def _problems(output: str, packages: Sequence[str]) -> list[Diagnostic]:
    """pip's failure as located diagnostics: each package it names (by line, or by a missing name)."""
    cause = _cause(output)
    conflicts = "\n".join(line for line in output.splitlines() if "Cannot install" in line)
    indexes = sorted({int(number) - 1 for number in _LINE.findall(conflicts) if 0 < int(number) <= len(packages)})
    names = {canonicalize_name(name) for name in _MISSING.findall(output)}
    indexes += [i for i, package in enumerate(packages) if _name(package) in names and i not in indexes]
    hint = "loosen one of them, or pin the versions the constraints allow"
    if not indexes:
        return [error("AS457", f"pip cannot resolve the packages: {cause}", ("packages",), hint)]
    return [error("AS457", f"pip cannot resolve {packages[i]!r}: {cause}", ("packages", i), hint) for i in indexes]


def _cause(output: str) -> str:
    """pip's reason in one line: `The conflict is caused by:` and its lines, else its first error."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if "The conflict is caused by:" in lines:
        start = lines.index("The conflict is caused by:") + 1
        caused = [line for line in lines[start:] if " depends on " in line or "The user requested" in line]
        return "; ".join(caused)
    errors = [line.removeprefix("ERROR: ") for line in lines if line.startswith("ERROR:")]
    return errors[0] if errors else (lines[-1] if lines else "pip failed")


def _name(package: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", package)
    return canonicalize_name(match[0]) if match else ""

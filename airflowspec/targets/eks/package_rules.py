"""How each chart carries `packages:` into a pod, and the package strings it cannot carry safely.

- Community chart 8.9.0: its install-pip-packages init container runs a `bash -c` script with one line
  `echo '<package>' >> requested-packages.txt` per package (Helm's `squote` adds the quotes and escapes
  nothing), so a `'` would end the quoting and the rest would run as shell. airflowspec writes a package
  holding `'` in packaging's normal form (marker strings in double quotes) when that is the same
  requirement; a `'` that remains (in a URL, or in a marker string that holds `"`) is refused (AS327).
- Community chart 8.0.9 to 8.8.0: the script runs `pip install --user "<package>" ...` (Helm's `quote`,
  Go's `%q`: `"` and `\\` escaped), where bash still expands `$` and backquotes: those are refused (AS327).
  Before 8.0.9 each package is its own argument of `pip install`, with no shell.
- Official chart, `pipInstallAtStart: true`: the packages are joined with spaces into
  `_PIP_ADDITIONAL_REQUIREMENTS`, which the image's entrypoint passes unquoted to `pip install`; bash
  splits it at whitespace and expands glob patterns (`*`, `?`, `[`, extglob's `@(`) to file names, so
  those are refused (AS340).

Package indexes reach pip through the environment (`index_env`): the community chart gives its pip container
the Airflow environment from 8.5.0 (AS342); a CodeArtifact token cannot be fetched by a pod (AS343).

What every target refuses (line breaks, `\\`, ` #`, `${`, `$(`, options) is AS220/AS221, checked once for
all targets; a package refused there is not judged again here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from packaging.requirements import Requirement
from packaging.version import Version

from airflowspec.checks.packages import read_package
from airflowspec.diagnostics import Diagnostic, error, quote
from airflowspec.package_indexes import Index, spec_indexes
from airflowspec.spec import EksTarget, Spec

#: What bash changes in an unquoted expansion: word splitting at whitespace, pathname expansion (with
#: extglob on, `@(`, `+(` and `!(` are patterns too).
UNQUOTED_SPECIAL = re.compile(r"[\s*?\[]|[@+!]\(")


@dataclasses.dataclass(frozen=True)
class Quoting:
    """How a community chart release quotes each package in its shell script, and what breaks out."""

    special: re.Pattern[str]
    reason: str
    hint: str


#: By the first release that quotes this way, newest first; before 8.0.9 no shell reads the packages.
COMMUNITY_QUOTING = (
    (
        "8.9.0",
        Quoting(
            re.compile("'"),
            "it writes each package as `echo '<package>'` in a shell script, where a single quote ends the quoting",
            "write a single quote in a URL as %27; on this chart a marker string cannot hold one",
        ),
    ),
    (
        "8.0.9",
        Quoting(
            re.compile("[$`]"),
            "it writes each package as `pip install \"<package>\"` in a shell script, where bash expands '$' and '`'",
            "write '$' in a URL as %24 and '`' as %60; on this chart a marker string cannot hold them",
        ),
    ),
)


def community_form(text: str) -> str:
    """The package as written for the community chart: in packaging's normal form when it holds a `'`
    and that form is the same requirement (markers in double quotes), otherwise as written."""
    requirement = read_package(text) if "'" in text else None
    if not isinstance(requirement, Requirement):
        return text
    normal = str(requirement)
    return normal if Requirement(normal) == requirement else text


def check_community_packages(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    version = eks.effective_chart_version()
    quoting = next((q for since, q in COMMUNITY_QUOTING if Version(version) >= Version(since)), None)
    if quoting is None:
        return
    for index, text in enumerate(spec.packages):
        if _breaks_out(text, quoting.special):
            message = f"{quote(text)} cannot be carried by community chart {version}: {quoting.reason}"
            yield error("AS327", message, ("packages", index), quoting.hint)


def _breaks_out(text: str, special: re.Pattern[str]) -> bool:
    """Whether a package that every target accepts holds, as written for the community chart, what the
    chart's quoting cannot carry. The normal form changes only quotes, spaces and marker names, and writes
    a `'` only where `text` has one, so a `text` without the characters is never parsed here."""
    if not special.search(text) or not isinstance(read_package(text), Requirement):
        return False
    return bool(special.search(community_form(text)))


def check_official_packages(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if not eks.pip_install_at_start:
        return
    for index, text in enumerate(spec.packages):
        requirement = read_package(text) if UNQUOTED_SPECIAL.search(text) else None
        if isinstance(requirement, Requirement):
            normal = str(requirement)
            yield error(
                "AS340",
                f"{quote(text)} would change in the image's unquoted `pip install $_PIP_ADDITIONAL_REQUIREMENTS`: "
                "bash splits it at whitespace and expands glob patterns ('*', '?', '[', '@(') to file names",
                ("packages", index),
                f"write it as `{normal}`"
                if not UNQUOTED_SPECIAL.search(normal)
                else "bake it into an image (`targets.eks.image`)",
            )


#: The first community release whose install-pip-packages container gets the Airflow environment (`extraEnv`).
COMMUNITY_PIP_ENVIRONMENT = "8.5.0"


def check_community_indexes(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    indexes = spec_indexes(spec) if spec.packages else []
    version = eks.effective_chart_version()
    if indexes and Version(version) < Version(COMMUNITY_PIP_ENVIRONMENT):
        yield error(
            "AS342",
            f"community chart {version} runs pip in a container without the Airflow environment, so pip cannot "
            "be told of a package index",
            indexes[0].path,
            f"use chart {COMMUNITY_PIP_ENVIRONMENT} or later",
            on_key=True,
        )
    yield from _code_artifact_tokens(indexes)


def check_official_indexes(spec: Spec, eks: EksTarget) -> Iterator[Diagnostic]:
    if eks.pip_install_at_start and spec.packages:  # else AS336: no packages installed, no index used
        yield from _code_artifact_tokens(spec_indexes(spec))


def _code_artifact_tokens(indexes: list[Index]) -> Iterator[Diagnostic]:
    for index in indexes:
        if index.code_artifact is not None and index.index.password is None:
            yield error(
                "AS343",
                "on EKS a CodeArtifact token comes from a Kubernetes Secret: a pod that installs packages "
                "cannot fetch one",
                index.path,
                "add `password: {secret: NAME}`, a Secret that a CronJob refreshes with "
                "`aws codeartifact get-authorization-token` (a token lasts 12 hours at most)",
                on_key=True,
            )

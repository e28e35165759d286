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
from package_corpus import CODES, EVERY_TARGET, HOSTILE, VIEWS, meaning, packages_yaml, pip_reads, run_bash, spec_text

from airflowspec import api
from airflowspec.spec import EksTarget
from airflowspec.targets.eks.community_values import compile_values

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
    from airflowspec.targets.eks.package_rules import community_form  # new in the fix of issue 10

    form = community_form(package)
    if form != package:
        assert "'" not in form
        assert meaning(form) == meaning(package)


def _validated(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The corpus entries that validate in `text` (a spec holding all of HOSTILE)."""
    validation = _validate(text, tmp_path, monkeypatch)
    refused = {d.path[1] for d in validation.diagnostics if d.path[:1] == ("packages",) and d.code in CODES}
    return [package for index, package in enumerate(HOSTILE) if index not in refused]

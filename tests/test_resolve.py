"""`packages resolve`: pip itself resolves the packages for the target's Python and platform, against a
package index the tests build (tiny wheels in a folder), never the internet."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airflowspec.cli import app

SPEC = """\
apiVersion: airflowspec/v1
name: shop
airflow: {version: "2.10.3"}
packages:
  - alpha==1.0
  - PACKAGE
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop"
    executionRoleArn: "arn:aws:iam::123456789012:role/shop"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = ()) -> None:
    """A pure-Python wheel with its metadata and RECORD, as pip reads one."""
    dist = f"{name}-{version}"
    files = {
        f"{name}/__init__.py": "",
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        + "".join(f"Requires-Dist: {requirement}\n" for requirement in requires),
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    files[f"{dist}.dist-info/RECORD"] = "\n".join([*record, f"{dist}.dist-info/RECORD,,"]) + "\n"
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)


@pytest.fixture
def index(tmp_path: Path) -> Path:
    """alpha needs gamma 1.0, beta needs gamma 2.0: they cannot be installed together."""
    folder = tmp_path / "index"
    folder.mkdir()
    _wheel(folder, "alpha", "1.0", ("gamma==1.0",))
    _wheel(folder, "beta", "1.0", ("gamma==2.0",))
    _wheel(folder, "gamma", "1.0")
    _wheel(folder, "gamma", "2.0")
    return folder


def _resolve(tmp_path: Path, package: str, index: Path, *args: str) -> tuple[int, str, str, Path]:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(SPEC.replace("PACKAGE", package), encoding="utf-8")
    command = ["packages", "resolve", str(spec), "--no-index", "--find-links", str(index), *args]
    result = CliRunner().invoke(app, command)
    return result.exit_code, result.stdout, result.stderr, spec


def test_packages_that_resolve_print_and_lock_the_set(tmp_path: Path, index: Path) -> None:
    lock = tmp_path / "requirements.lock"
    code, out, err, _ = _resolve(tmp_path, "gamma", index, "--lock", str(lock))
    assert (code, out) == (0, "alpha==1.0\ngamma==1.0\n"), err
    assert lock.read_text() == out
    (tmp_path / "elsewhere").write_text("mine\n")
    lock.unlink()
    lock.symlink_to(tmp_path / "elsewhere")  # a link planted where the lock goes: refused, nothing written
    code, _, err, _ = _resolve(tmp_path, "gamma", index, "--lock", str(lock))
    assert code == 2 and "error AS603" in err
    assert (tmp_path / "elsewhere").read_text() == "mine\n"


def test_a_conflict_is_located_at_each_package_pip_names(tmp_path: Path, index: Path) -> None:
    code, out, err, spec = _resolve(tmp_path, "beta==1.0", index)
    assert (code, out) == (1, "")
    cause = "alpha 1.0 depends on gamma==1.0; beta 1.0 depends on gamma==2.0"
    hint = "loosen one of them, or pin the versions the constraints allow"
    assert err.splitlines() == [
        f"{spec}:5:5: error AS457 pip cannot resolve 'alpha==1.0': {cause}; {hint}",
        f"{spec}:6:5: error AS457 pip cannot resolve 'beta==1.0': {cause}; {hint}",
    ]


def test_airflow_s_constraints_take_part_in_the_resolution(tmp_path: Path, index: Path) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("gamma==2.0\n")
    code, _, err, spec = _resolve(tmp_path, "gamma", index, "--constraints", str(constraints))
    assert code == 1
    assert f"{spec}:5:5: error AS457 pip cannot resolve 'alpha==1.0': " in err
    assert "The user requested (constraint) gamma==2.0" in err


def test_a_package_the_index_does_not_have_is_located(tmp_path: Path, index: Path) -> None:
    code, _, err, spec = _resolve(tmp_path, "delta>=1", index)
    assert code == 1
    assert err.startswith(f"{spec}:6:5: error AS457 pip cannot resolve 'delta>=1': ")

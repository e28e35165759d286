"""Packages against Airflow's constraints, offline: an error on MWAA (its pip installs under them), a
warning on EKS (the charts install without them), a notice when none are at hand; fetched once into the
cache from a loopback server, never the internet."""

from __future__ import annotations

import functools
import gc
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airflowspec.cli import app

#: The head of a real constraints file (constraints-2.10.3/constraints-3.11.txt), in its own format.
CONSTRAINTS = """\
#
# This constraints file was automatically generated on 2024-11-04T09:30:51.402937
# via "eager-upgrade" mechanism of PIP. For the "v2-10-test" branch of Airflow.
#
Authlib==1.3.2
boto3==1.35.36
kubernetes==29.0.0
pandas==2.1.4
requests==2.32.3
"""

SPEC = """\
apiVersion: airflowspec/v1
name: shop
airflow: {version: "2.10.3"}
packages:
  - pandas>=2.1,<3
  - kubernetes==11.0.0
  - "boto3<1.30; python_version >= '3.8'"
  - "requests[socks]<2.30"
  - "authlib<1; python_version < '3'"
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop"
    executionRoleArn: "arn:aws:iam::123456789012:role/shop"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
  eks:
    image: {repository: apache/airflow, tag: 2.10.3-python3.11}
"""


def _validate(spec: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["validate", str(spec), *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "airflowspec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return path


@pytest.fixture
def cache(tmp_path: Path) -> str:
    return str(tmp_path / "cache")


def test_pins_that_exclude_airflow_s_are_errors_on_mwaa_and_warnings_on_eks(spec: Path, tmp_path: Path) -> None:
    """Located at the package's line, naming both versions; a marker that holds is checked (boto3), one
    that does not is not (authlib), extras change nothing (requests[socks])."""
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(CONSTRAINTS)
    code, out, err = _validate(spec, "--constraints", str(constraints))
    assert code == 1
    pinned = "which Airflow 2.10.3's constraints pin for Python 3.11"
    mwaa = "MWAA installs under the constraints and will fail; allow that version, or leave it to them"
    eks = "the chart installs packages without constraints, so Airflow's own dependency would change"
    expected = []
    for line, package, version in [
        (6, "'kubernetes==11.0.0' excludes kubernetes", "29.0.0"),
        (7, "'boto3<1.30; python_version >= '3.8'' excludes boto3", "1.35.36"),
        (8, "'requests[socks]<2.30' excludes requests", "2.32.3"),
    ]:
        expected.append(f"{spec}:{line}:5: warning AS396 {package} {version}, {pinned}; {eks}")
        expected.append(f"{spec}:{line}:5: error AS455 {package} {version}, {pinned}; {mwaa}")
    assert [line for line in out.splitlines() if " AS455 " in line or " AS396 " in line] == expected
    assert err == ""


def test_compatible_pins_pass_and_nothing_is_said(spec: Path, tmp_path: Path) -> None:
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(CONSTRAINTS)
    spec.write_text(
        SPEC.replace("kubernetes==11.0.0", "kubernetes>=29").replace("<1.30", ">=1.30").replace("<2.30", ">=2.30")
    )
    code, out, err = _validate(spec, "--constraints", str(constraints))
    assert code == 0
    assert " AS455 " not in out and " AS396 " not in out and err == ""


def test_without_constraints_at_hand_the_check_is_skipped_with_one_notice(spec: Path, cache: str) -> None:
    code, out, err = _validate(spec, env={"AIRFLOWSPEC_CACHE_DIR": cache})
    assert code == 0  # never a failure
    assert " AS455 " not in out
    assert err == (
        "airflowspec: notice: packages not checked against Airflow's constraints, none cached; run "
        "`airflowspec packages fetch-constraints --airflow 2.10.3 --python 3.11`\n"
    )


@pytest.fixture
def index(tmp_path: Path) -> Iterator[str]:
    """A loopback server holding the constraints file where Airflow publishes it, by release and Python."""
    root = tmp_path / "served"
    (root / "constraints-2.10.3").mkdir(parents=True)
    (root / "constraints-2.10.3" / "constraints-3.11.txt").write_text(CONSTRAINTS)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/constraints-{{airflow}}/constraints-{{python}}.txt"
    server.shutdown()
    server.server_close()


def test_constraints_are_fetched_once_and_then_read_offline(spec: Path, cache: str, index: str) -> None:
    env = {"AIRFLOWSPEC_CACHE_DIR": cache, "AIRFLOWSPEC_CONSTRAINTS_URL": index}
    fetched = CliRunner().invoke(
        app, ["packages", "fetch-constraints", "--airflow", "2.10.3", "--python", "3.11"], env=env
    )
    assert fetched.exit_code == 0, fetched.stderr
    assert (
        fetched.stdout
        == f"wrote {cache}/constraints/constraints-2.10.3-python3.11.txt: 5 pins of Airflow 2.10.3 for Python 3.11\n"
    )
    offline = {"AIRFLOWSPEC_CACHE_DIR": cache, "AIRFLOWSPEC_CONSTRAINTS_URL": "http://127.0.0.1:9/{airflow}/{python}"}
    code, out, err = _validate(spec, env=offline)  # the cache, not the (unreachable) server
    assert code == 1 and " AS455 " in out and err == ""
    missing = CliRunner().invoke(
        app, ["packages", "fetch-constraints", "--airflow", "2.9.9", "--python", "3.11"], env=env
    )
    assert missing.exit_code == 2 and "error AS001 cannot fetch it: HTTP 404" in missing.stderr
    gc.collect()  # a response left open would warn here, in this test, not in a later one

"""Private package indexes: each target hands pip the spec's indexes, and no credential reaches a file.

EKS: pip's variables name each credential as `$(VARIABLE)`, read from its Kubernetes Secret before them.
MWAA: requirements.txt's option lines when no index needs credentials; otherwise startup.sh, which reads
them at start (run here with bash, a stand-in `aws` answering as the AWS CLI does).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app

EXAMPLE = EXAMPLES / "private-index" / "airflowspec.yaml"
CANARY = "canary-Idx-7f3"  # the Nexus password, as NEXUS_PASSWORD holds it when a push or a render runs
TOKEN = "canary-ca-token-9q"  # what the stand-in `aws` prints for a CodeArtifact token
NEXUS = "https://nexus.acme.example/repository/pypi-proxy/simple/"
CODE_ARTIFACT = "acme-111122223333.d.codeartifact.eu-west-1.amazonaws.com/pypi/internal/simple/"

SPEC = """\
apiVersion: airflowspec/v1
name: shop
airflow: {version: "2.10.3"}
packages: [acme-utils==1.4]
INDEXES
secrets:
  index-password: {env: INDEX_PASSWORD, kubernetes: {name: pypi, key: password}}
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop"
    createExecutionRole: true
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _render(spec: Path, target: str) -> dict[str, str]:
    validation, artifacts = api.render(spec, target)
    assert artifacts, [str(d) for d in validation.diagnostics]
    return {artifact.path: artifact.text for artifact in artifacts}


def _spec(tmp_path: Path, indexes: str) -> Path:
    path = tmp_path / "airflowspec.yaml"
    path.write_text(SPEC.replace("INDEXES", indexes), encoding="utf-8")
    return path


def test_community_values_give_pip_the_indexes_with_credentials_from_secrets() -> None:
    values: dict[str, Any] = YAML(typ="safe").load(_render(EXAMPLE, "eks")["values.yaml"])
    env = values["airflow"]["extraEnv"]
    names = [item["name"] for item in env]
    assert names[-4:] == [
        "AIRFLOWSPEC_PIP_INDEX_PASSWORD",
        "AIRFLOWSPEC_PIP_EXTRA_INDEX_1_PASSWORD",
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
    ]  # each credential before the URL that names it: Kubernetes expands only what is listed before
    by_name = {item["name"]: item for item in env}
    assert by_name["AIRFLOWSPEC_PIP_INDEX_PASSWORD"]["valueFrom"] == {
        "secretKeyRef": {"name": "pypi-credentials", "key": "nexus-password"}
    }
    assert by_name["PIP_INDEX_URL"]["value"] == NEXUS.replace(
        "https://", "https://airflow-deploy:$(AIRFLOWSPEC_PIP_INDEX_PASSWORD)@"
    )
    assert (
        by_name["PIP_EXTRA_INDEX_URL"]["value"]
        == f"https://aws:$(AIRFLOWSPEC_PIP_EXTRA_INDEX_1_PASSWORD)@{CODE_ARTIFACT}"
    )


def test_official_values_read_credentials_in_secret_and_name_them_in_extra_env() -> None:
    spec = EXAMPLES.parent / "tests" / "cases" / "official-valid" / "indexes-from-secrets.yaml"
    values: dict[str, Any] = YAML(typ="safe").load(_render(spec, "eks")["values.yaml"])
    assert [item["envName"] for item in values["secret"]][-3:] == [
        "AIRFLOWSPEC_PIP_INDEX_USERNAME",
        "AIRFLOWSPEC_PIP_INDEX_PASSWORD",
        "AIRFLOWSPEC_PIP_EXTRA_INDEX_1_PASSWORD",
    ]
    assert YAML(typ="safe").load(values["extraEnv"]) == [
        {
            "name": "PIP_INDEX_URL",
            "value": "https://$(AIRFLOWSPEC_PIP_INDEX_USERNAME):$(AIRFLOWSPEC_PIP_INDEX_PASSWORD)"
            "@nexus.example.com/repository/pypi-group/simple/",
        },
        {
            "name": "PIP_EXTRA_INDEX_URL",
            "value": f"https://aws:$(AIRFLOWSPEC_PIP_EXTRA_INDEX_1_PASSWORD)@{CODE_ARTIFACT}",
        },
    ]


def test_an_index_without_credentials_is_an_option_line_of_requirements(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "packageIndex: {url: 'https://pypi.internal.example/simple/'}\n"
        "extraPackageIndexes: [{url: 'https://mirror.example/simple/', username: reader}]",
    )
    rendered = _render(spec, "mwaa")
    assert "startup.sh" not in rendered  # nothing to read at start: no script, none uploaded
    assert rendered["requirements.txt"].splitlines()[2:] == [
        "--index-url https://pypi.internal.example/simple/",
        "--extra-index-url https://reader@mirror.example/simple/",
        "acme-utils==1.4",
    ]
    assert "StartupScriptS3Path" not in rendered["template.yaml"]


def test_mwaa_reads_credentials_at_start_and_writes_none(tmp_path: Path) -> None:
    rendered = _render(EXAMPLE, "mwaa")
    assert "index" not in rendered["requirements.txt"].replace("Package indexes", "")
    template = YAML(typ="safe").load(rendered["template.yaml"])
    properties = template["Resources"]["Environment"]["Properties"]
    assert properties["StartupScriptS3Path"] == "startup.sh"
    assert properties["StartupScriptS3ObjectVersion"] == {"Ref": "StartupScriptS3ObjectVersion"}
    statements = template["Resources"]["ExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = {statement["Action"] if isinstance(statement["Action"], str) else "" for statement in statements}
    assert {"codeartifact:GetAuthorizationToken", "codeartifact:ReadFromRepository", "sts:GetServiceBearerToken"} <= (
        actions
    )
    reads = [s for s in statements if s["Action"] == "ssm:GetParameter" and "package-index" in str(s["Resource"])]
    assert reads == [
        {
            "Effect": "Allow",
            "Action": "ssm:GetParameter",
            "Resource": [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
                    "/airflowspec/orders/package-index/nexus-password"
                }
            ],
        }
    ]
    assert (
        "STARTUP_SCRIPT_VERSION=$(aws s3api put-object --bucket acme-orders-airflow --key startup.sh"
        in (rendered["template.yaml"])
    )


def _stand_in_aws(folder: Path, ssm_value: str, fail: bool = False) -> Path:
    """An `aws` that answers the two calls startup.sh makes, checking their arguments, as the CLI prints."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    script = bin_folder / "aws"
    script.write_text(
        "#!/bin/bash\n"
        + ("exit 255\n" if fail else "")
        + 'if [ "$*" = "ssm get-parameter --name /airflowspec/orders/package-index/nexus-password'
        ' --with-decryption --query Parameter.Value --output text" ]; then\n'
        f"  printf '%s\\n' '{ssm_value}'\n"
        'elif [ "$*" = "codeartifact get-authorization-token --domain acme --domain-owner 111122223333'
        ' --region eu-west-1 --query authorizationToken --output text" ]; then\n'
        f"  printf '%s\\n' '{TOKEN}'\n"
        'else\n  echo "unexpected: $*" >&2; exit 2\nfi\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_folder


def _source(script: str, bin_folder: Path) -> subprocess.CompletedProcess[str]:
    """As MWAA does: source the script in bash, then read the environment it leaves."""
    probe = (
        f"source {script}; "
        'printf "%s\\n" "$PIP_INDEX_URL" "$PIP_EXTRA_INDEX_URL" "${AIRFLOWSPEC_PIP_INDEX_PASSWORD-unset}"'
    )
    env = {"PATH": f"{bin_folder}:{os.environ['PATH']}", "HOME": str(bin_folder)}
    return subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=env, check=False)


def test_startup_script_exports_the_urls_with_what_it_reads_at_start(tmp_path: Path) -> None:
    script = tmp_path / "startup.sh"
    script.write_text(_render(EXAMPLE, "mwaa")["startup.sh"], encoding="utf-8")
    assert CANARY not in script.read_text(encoding="utf-8")
    result = _source(str(script), _stand_in_aws(tmp_path, CANARY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        NEXUS.replace("https://", f"https://airflow-deploy:{CANARY}@"),
        f"https://aws:{TOKEN}@{CODE_ARTIFACT}",
        "unset",  # the helper variables are gone: only pip's are left
    ]
    assert result.stderr == ""


def test_startup_script_says_what_it_could_not_read(tmp_path: Path) -> None:
    script = tmp_path / "startup.sh"
    script.write_text(_render(EXAMPLE, "mwaa")["startup.sh"], encoding="utf-8")
    result = _source(str(script), _stand_in_aws(tmp_path, CANARY, fail=True))
    assert result.returncode == 0  # MWAA goes on; pip then fails on that index, and the log says why
    assert result.stderr.splitlines() == [
        "airflowspec startup.sh: could not read secret nexus-password; pip cannot use that package index",
        "airflowspec startup.sh: could not read a CodeArtifact token of acme; pip cannot use that package index",
    ]


def test_no_credential_reaches_an_artifact_a_diff_or_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXUS_PASSWORD", CANARY)
    runner = CliRunner()
    for target in ("eks", "mwaa"):
        out = tmp_path / target
        result = runner.invoke(app, ["render", str(EXAMPLE), "-t", target, "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        for path in out.iterdir():
            assert CANARY not in path.read_text(encoding="utf-8"), path
        assert CANARY not in result.stdout + result.stderr
    changed = tmp_path / "airflowspec.yaml"
    changed.write_text(EXAMPLE.read_text(encoding="utf-8").replace("airflow-deploy", "airflow-ci"), encoding="utf-8")
    notes = {"eks": "every pod that runs pip restarts", "mwaa": "StartupScriptS3ObjectVersion (an environment update)"}
    for target, note in notes.items():
        result = runner.invoke(app, ["diff", str(EXAMPLE), str(changed), "-t", target])
        assert result.exit_code == 1, result.stderr
        assert note in result.stdout and CANARY not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("indexes", "expected"),
    [
        (
            "packageIndex: {url: 'https://deploy:hunter2@pypi.example/simple/'}",
            "5:21: error AS223 this index URL cannot be handed to pip: it holds a user name or password, which "
            "the spec may only take from a secret",
        ),
        (
            "packageIndex: {url: 'http://pypi.example/simple/'}",
            "5:21: error AS223 this index URL cannot be handed to pip: it is not an https URL",
        ),
        (
            "packageIndex: {url: 'https://pypi.example/simple/?token=x'}",
            "5:21: error AS223 this index URL cannot be handed to pip: it holds a character other than",
        ),
        (
            "packageIndex: {url: 'https://pypi.example/simple/', password: {secret: index-password}}",
            "5:63: error AS226 a password needs a user name to go with it",
        ),
        (
            "packageIndex: {url: 'https://pypi.example/simple/', username: 'me@corp'}",
            "5:63: error AS225 this user name holds a character a URL cannot carry as written",
        ),
        (
            "packageIndex: {url: 'https://[oops/simple/'}",
            "5:21: error AS223 this index URL cannot be handed to pip: it holds a character other than",
        ),
        (
            f"packageIndex: {{url: 'https://{CODE_ARTIFACT.replace('.com/', '.com:99999/')}'}}",
            "5:21: error AS223 this index URL cannot be handed to pip: its port is not one from 1 to 65535",
        ),
    ],
    ids=["credentials-in-url", "http", "query", "password-alone", "username-with-at", "unparsable", "port"],
)
def test_an_index_that_cannot_reach_pip_is_refused_at_its_line(tmp_path: Path, indexes: str, expected: str) -> None:
    spec = _spec(tmp_path, indexes)
    result = CliRunner().invoke(app, ["validate", str(spec), "--format", "text"])
    assert result.exit_code == 1
    found = [line for line in result.stdout.splitlines() if " error " in line]
    assert len(found) == 1 and found[0].startswith(f"{spec}:{expected}"), result.stdout
    assert "hunter2" not in result.stdout + result.stderr


def test_eks_cannot_fetch_a_code_artifact_token(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(
        "apiVersion: airflowspec/v1\nname: shop\nairflow: {version: '2.1.4'}\npackages: [acme-utils==1.4]\n"
        f"packageIndex: {{url: 'https://{CODE_ARTIFACT}'}}\ntargets: {{eks: {{chartVersion: '8.4.1'}}}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(spec)])
    errors = [line.split(" error ")[1][:5] for line in result.stdout.splitlines() if " error " in line]
    assert (result.exit_code, errors) == (1, ["AS342", "AS343"]), result.stdout


def _without_index(tmp_path: Path) -> Path:
    """The example with a Nexus index that needs no credential, and no CodeArtifact: no startup.sh."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("  password: {secret: nexus-password}\n", "").split("extraPackageIndexes:")[0]
    rest = EXAMPLE.read_text(encoding="utf-8").split("    password: {secret: codeartifact-token}\n")[1]
    path = tmp_path / "airflowspec.yaml"
    path.write_text(text + rest, encoding="utf-8")
    return path


def test_a_startup_script_of_a_former_spec_is_removed_flagged_and_diffed(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "rendered"
    assert runner.invoke(app, ["render", str(EXAMPLE), "-t", "mwaa", "-o", str(out)]).exit_code == 0
    (out / "startup.sh").write_text(
        (out / "startup.sh").read_text(encoding="utf-8") + f"export EXTRA_TOKEN={CANARY}\n", encoding="utf-8"
    )  # a hand edit holding a secret
    against = runner.invoke(app, ["diff", str(EXAMPLE), "--against", str(out), "-t", "mwaa"])
    assert against.exit_code == 1 and "startup.sh" in against.stdout and CANARY not in against.stdout
    spec = _without_index(tmp_path)
    check = runner.invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out), "--check"])
    assert check.exit_code == 1 and "(the whole file: the spec no longer renders it)" in check.stdout
    assert runner.invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out)]).exit_code == 0
    assert not (out / "startup.sh").exists()
    assert runner.invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out), "--check"]).exit_code == 0
    (out / "startup.sh").write_text("#!/bin/bash\necho mine\n", encoding="utf-8")  # one of the user's own
    assert runner.invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out)]).exit_code == 0
    assert (out / "startup.sh").read_text(encoding="utf-8") == "#!/bin/bash\necho mine\n"


def test_mwaa_runs_one_startup_script_and_a_given_role_is_told_what_to_grant(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    role = "    executionRoleArn: arn:aws:iam::111122223333:role/mwaa\n"
    text = text.replace("    createExecutionRole: true\n", role + "    startupScriptS3Path: scripts/mine.sh\n")
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(spec), "-t", "mwaa"])
    found = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if " AS43" in line]
    assert (result.exit_code, found) == (
        1,
        [
            "warning AS432 startup.sh reads the package indexes' credentials with the execution role: it needs "
            "codeartifact:GetAuthorizationToken, codeartifact:ReadFromRepository, ssm:GetParameter, "
            "sts:GetServiceBearerToken; grant them (`createExecutionRole: true` makes a role that has them)",
            "error AS431 a package index needs the startup script airflowspec renders (startup.sh), and MWAA runs "
            "only one: `startupScriptS3Path` names a script of your own; remove it, and move what your script "
            "does elsewhere (or add its lines to the rendered one)",
        ],
    ), result.stdout


def test_diff_says_what_dropping_the_startup_script_does(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["diff", str(EXAMPLE), str(_without_index(tmp_path)), "-t", "mwaa"])
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    script = lines[lines.index("startup.sh") + 1 : lines.index("startup.sh") + 3]
    assert script[0].startswith("  - ")  # its first line, removed
    assert script[1] == (
        "      the spec renders no startup script now: the template drops StartupScriptS3Path (an environment "
        "update), and MWAA stops running it; the file can then be deleted from the bucket"
    )


def test_a_link_where_a_former_startup_sh_was_is_neither_followed_nor_removed(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.sh"
    elsewhere.write_text("# Generated by airflowspec from a.yaml. Do not edit.\n", encoding="utf-8")
    (out / "startup.sh").symlink_to(elsewhere)
    spec = _without_index(tmp_path)
    assert CliRunner().invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out)]).exit_code == 0
    assert (out / "startup.sh").is_symlink() and elsewhere.exists()

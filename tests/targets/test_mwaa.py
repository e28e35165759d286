"""The MWAA target: templates cfn-lint accepts, requirements pinned by constraints, SSM parameters
that hold no secret. Each MWAA rule's exact diagnostic is a case in tests/cases/invalid/mwaa-*."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
from conftest import example_specs, variant_id, variants_for
from ruamel.yaml import YAML

from airflowspec import api

MWAA_EXAMPLES = [spec for spec in example_specs() if "\n  mwaa:" in spec.read_text(encoding="utf-8")]


def test_seed_and_mwaa_examples_render_for_mwaa() -> None:
    assert {spec.parent.name for spec in MWAA_EXAMPLES} >= {"seed", "mwaa"}


def _lint(template: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint

    matches = lint(template, config=ManualArgs(include_checks=["I"], regions=["us-east-1", "eu-central-1"]))
    return [f"{match.rule.id} {match.message}" for match in matches]


def _template(spec: Path, env: str | None = None) -> str:
    _, artifacts = api.render(spec, "mwaa", env)
    return next(artifact.text for artifact in artifacts if artifact.path == "template.yaml")


@pytest.mark.parametrize("variant", variants_for("mwaa"), ids=variant_id)
def test_each_mwaa_environment_passes_cfn_lint(variant: tuple[Path, str | None]) -> None:
    assert _lint(_template(*variant)) == []


def test_cfn_lint_would_catch_a_bad_template() -> None:
    text = _template(MWAA_EXAMPLES[0])
    text = text.replace("MaxWorkers: 12", "MaxWorkers: 0").replace("MaxWorkers: 10", "MaxWorkers: 0")
    assert "MaxWorkers: 0" in text
    assert any(finding.startswith("E3034") for finding in _lint(text))


def test_requirements_start_with_the_constraints_of_airflow_and_python() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    lines = next(a.text for a in artifacts if a.path == "requirements.txt").splitlines()
    assert lines[0] == (
        '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.9.2/constraints-3.11.txt"'
    )
    assert lines[2:] == ["pandas>=2.1,<3", "awscli"]


def test_ssm_parameters_name_each_secret_instead_of_a_value() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    parameters = json.loads(next(a.text for a in artifacts if a.path == "ssm-parameters.json"))["parameters"]
    warehouse = next(p for p in parameters if p["name"] == "/airflow/connections/warehouse")
    assert warehouse["type"] == "SecureString"
    assert json.loads(warehouse["value"])["password"] == "<secret:warehouse-password>"
    environment = next(p for p in parameters if p["name"] == "/airflow/variables/environment")
    assert environment == {"name": "/airflow/variables/environment", "type": "String", "value": "production"}


def test_backend_kwargs_keep_mwaas_lookup_pattern_for_aws_default() -> None:
    _, artifacts = api.render(next(s for s in MWAA_EXAMPLES if s.parent.name == "seed"), "mwaa")
    text = next(a.text for a in artifacts if a.path == "template.yaml")
    assert (
        'secrets.backend_kwargs: "{\\"connections_prefix\\": \\"/airflow/connections\\", '
        '\\"variables_prefix\\": \\"/airflow/variables\\", \\"config_prefix\\": null, '
        '\\"connections_lookup_pattern\\": \\"^(?!aws_default$).*$\\"}"'
    ) in text


@pytest.mark.parametrize(("value", "refused"), [("a\nb", True), ("a\tb", True), ("a\x85b", True), ("a\u00a0b", False)])
def test_tag_values_take_the_apis_separators_not_control_characters(value: str, refused: bool, tmp_path: Path) -> None:
    """The API's `[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`: a space separator is fine, a line break or a tab is not."""
    spec = tmp_path / "spec.yaml"
    text = (Path(__file__).parents[2] / "examples" / "mwaa" / "airflowspec.yaml").read_text(encoding="utf-8")
    escaped = value.encode("unicode_escape").decode("ascii")
    spec.write_text(text.replace("{team: analytics,", f'{{team: "{escaped}",'), encoding="utf-8")
    codes = [(d.code, d.path) for d in api.validate(spec).diagnostics]
    assert (("AS423", ("targets", "mwaa", "tags", "team")) in codes) is refused


MINIMAL = """\
apiVersion: airflowspec/v1
name: demo
airflow:
  version: "2.10.3"
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::demo-airflow"
    executionRoleArn: "arn:aws:iam::123456789012:role/demo"
    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}
"""


def _render(tmp_path: Path, text: str) -> dict[str, str]:
    """Each rendered file's text; the spec must be valid (warnings allowed)."""
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(text, encoding="utf-8")
    validation, artifacts = api.render(spec, "mwaa")
    assert validation.ok, [str(d) for d in validation.diagnostics]
    return {artifact.path: artifact.text for artifact in artifacts}


def _load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def _properties(files: dict[str, str]) -> dict[str, Any]:
    return cast(dict[str, Any], _load(files["template.yaml"])["Resources"]["Environment"]["Properties"])


# CloudWatch logs: as the MWAA console sets them unless the spec says otherwise.


def test_task_logs_default_to_info_and_the_other_logs_to_off(tmp_path: Path) -> None:
    files = _render(tmp_path, MINIMAL)
    off = {"Enabled": False, "LogLevel": "INFO"}
    assert _properties(files)["LoggingConfiguration"] == {
        "DagProcessingLogs": off,
        "SchedulerLogs": off,
        "TaskLogs": {"Enabled": True, "LogLevel": "INFO"},
        "WebserverLogs": off,
        "WorkerLogs": off,
    }
    assert _lint(files["template.yaml"]) == []


def test_false_turns_task_logs_off_and_a_level_turns_a_log_on(tmp_path: Path) -> None:
    files = _render(tmp_path, MINIMAL + "    logging: {task: false, scheduler: WARNING}\n")
    logging = _properties(files)["LoggingConfiguration"]
    assert logging["TaskLogs"] == {"Enabled": False, "LogLevel": "INFO"}
    assert logging["SchedulerLogs"] == {"Enabled": True, "LogLevel": "WARNING"}
    assert logging["WorkerLogs"] == {"Enabled": False, "LogLevel": "INFO"}
    assert _lint(files["template.yaml"]) == []


# What the spec does not use is not in the template: requirements, the SSM backend.


def test_without_packages_the_template_installs_no_requirements(tmp_path: Path) -> None:
    files = _render(tmp_path, MINIMAL)
    template = _load(files["template.yaml"])
    assert "Parameters" not in template
    assert not [key for key in template["Resources"]["Environment"]["Properties"] if key.startswith("Requirements")]
    assert files["requirements.txt"].splitlines() == [
        '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt"',
        "# Generated by airflowspec from airflowspec.yaml. Do not edit: change the spec and render again.",
        "# The spec lists no packages: template.yaml installs no requirements.txt, and this file need not be uploaded.",
    ]
    assert _lint(files["template.yaml"]) == []


def test_packages_bring_requirements_and_their_version_parameter(tmp_path: Path) -> None:
    files = _render(tmp_path, MINIMAL + "packages: [pandas]\n")
    template = _load(files["template.yaml"])
    assert list(template["Parameters"]) == ["RequirementsS3ObjectVersion"]
    properties = template["Resources"]["Environment"]["Properties"]
    assert properties["RequirementsS3Path"] == "requirements.txt"
    assert properties["RequirementsS3ObjectVersion"] == {"Ref": "RequirementsS3ObjectVersion"}
    assert files["requirements.txt"].splitlines()[2:] == ["pandas"]


def test_without_connections_or_variables_airflow_reads_nothing_from_ssm(tmp_path: Path) -> None:
    files = _render(tmp_path, MINIMAL)
    assert _properties(files)["AirflowConfigurationOptions"] == {}
    assert json.loads(files["ssm-parameters.json"])["parameters"] == []
    assert _lint(files["template.yaml"]) == []


@pytest.mark.parametrize(
    "body", ["variables: {environment: production}\n", "connections: {crm: {type: http, host: crm.internal}}\n"]
)
def test_a_connection_or_a_variable_brings_the_ssm_backend(body: str, tmp_path: Path) -> None:
    options = _properties(_render(tmp_path, MINIMAL + body))["AirflowConfigurationOptions"]
    assert options["secrets.backend"] == (
        "airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend"
    )
    assert json.loads(options["secrets.backend_kwargs"])["variables_prefix"] == "/airflow/variables"


def test_without_connections_or_variables_the_secrets_options_are_the_users(tmp_path: Path) -> None:
    """airflowspec sets no backend then, so the spec may choose one (MWAA documents Secrets Manager's)."""
    backend = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend"
    config = f"  config:\n    secrets: {{backend: {backend}}}\n"
    spec = MINIMAL.replace('  version: "2.10.3"\n', f'  version: "2.10.3"\n{config}')
    assert _properties(_render(tmp_path, spec))["AirflowConfigurationOptions"] == {"secrets.backend": backend}


# The header: commands that deploy the template as rendered.

FILES = "    pluginsS3Path: plugins/plugins.zip\n    startupScriptS3Path: scripts/startup.sh\n"
PINNED = "    pluginsS3ObjectVersion: p1\n    startupScriptS3ObjectVersion: s1\n    requirementsS3ObjectVersion: r1\n"
DEPLOYS = {
    "no-files": MINIMAL,
    "requirements": MINIMAL + "packages: [pandas]\n",
    "plugins-and-startup-script": MINIMAL + FILES,
    "all-three-one-pinned": MINIMAL + FILES + "    pluginsS3ObjectVersion: v1.plugins\npackages: [pandas]\n",
    "all-three-pinned": MINIMAL + FILES + PINNED + "packages: [pandas]\n",
}


def _header_commands(template: str) -> list[str]:
    """The commands in template.yaml's header (its comment lines indented by two), continuations joined."""
    script = "\n".join(line[4:] for line in template.splitlines() if line.startswith("#   "))
    return script.replace("\\\n", "").splitlines()


def _uploads_and_deploy(template: str) -> tuple[dict[str, list[str]], list[str]]:
    """{VARIABLE: the words of the upload whose output it holds}, and the words of the deploy command."""
    uploads, deploys = {}, []
    for command in _header_commands(template):
        if assignment := re.fullmatch(r"\s*([A-Z_]+)=\$\((.*)\)", command):
            uploads[assignment[1]] = shlex.split(assignment[2])
        elif command.lstrip().startswith("aws cloudformation deploy"):
            deploys.append(shlex.split(command))
    assert len(deploys) == 1, deploys
    return uploads, deploys[0]


@pytest.mark.parametrize("text", DEPLOYS.values(), ids=DEPLOYS)
def test_the_header_deploys_with_every_parameter_the_template_takes(text: str, tmp_path: Path) -> None:
    """`aws cloudformation deploy` keeps the stack's previous value of a parameter left out, even one
    whose default the spec changed, and has none for a new stack: so every parameter is passed, each
    without a default as the VersionId its upload prints, each with one as that default."""
    files = _render(tmp_path, text)
    template = _load(files["template.yaml"])
    parameters, properties = template.get("Parameters", {}), template["Resources"]["Environment"]["Properties"]
    uploads, deploy = _uploads_and_deploy(files["template.yaml"])
    assert deploy[:7] == [
        "aws",
        "cloudformation",
        "deploy",
        "--template-file",
        "template.yaml",
        "--stack-name",
        "STACK",
    ]
    overrides = dict(word.split("=", 1) for word in deploy[8:])
    assert deploy[7:8] == (["--parameter-overrides"] if parameters else [])
    assert set(overrides) == set(parameters)
    for name, value in overrides.items():
        if "Default" in parameters[name]:
            assert value == parameters[name]["Default"]
            continue
        upload = uploads[value.removeprefix("$")]
        options = dict(zip(upload[3::2], upload[4::2], strict=True))
        assert upload[:3] == ["aws", "s3api", "put-object"]
        assert options["--bucket"] == "demo-airflow"
        assert options["--key"] == properties[name.replace("ObjectVersion", "Path")]
        assert (options["--query"], options["--output"]) == ("VersionId", "text")
    assert len(uploads) == sum(1 for parameter in parameters.values() if "Default" not in parameter)
    assert _lint(files["template.yaml"]) == []


def test_the_header_quotes_the_keys_it_names(tmp_path: Path) -> None:
    key = "run $(id); 'it' #x"
    template = _render(tmp_path, MINIMAL + f'    startupScriptS3Path: "{key}"\n')["template.yaml"]
    uploads, deploy = _uploads_and_deploy(template)
    upload = uploads["STARTUP_SCRIPT_VERSION"]
    assert upload[upload.index("--key") + 1] == key
    assert deploy[8:] == ["StartupScriptS3ObjectVersion=$STARTUP_SCRIPT_VERSION"]
    assert _lint(template) == []


@pytest.mark.filterwarnings(
    "ignore:Tried to parse AWS.*but it.s not supported:UserWarning"
)  # moto creates no environment
def test_the_header_commands_create_and_update_a_stack_with_the_aws_cli(tmp_path: Path) -> None:
    """The header run as printed, by the real AWS CLI against moto's S3 and CloudFormation: the stack
    gets the versions the uploads print, and on update the version the spec now pins (a parameter that
    `deploy` is not given keeps its previous value, whatever the template's new default)."""
    aws = shutil.which("aws")
    if aws is None:
        pytest.skip("needs the AWS CLI (`aws`) on PATH")
    moto_server = pytest.importorskip("moto.server", reason="needs moto[server] (the test extra)")
    boto3 = pytest.importorskip("boto3", reason="needs boto3 (the aws extra)")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        env |= credentials | {"AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": "eu-central-1"}
        clients = {"endpoint_url": endpoint, "region_name": "eu-central-1"}
        keys = {key.lower(): value for key, value in credentials.items()}
        s3 = boto3.client("s3", **clients, **keys)
        s3.create_bucket(Bucket="demo-airflow", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        s3.put_bucket_versioning(Bucket="demo-airflow", VersioningConfiguration={"Status": "Enabled"})
        cloudformation = boto3.client("cloudformation", **clients, **keys)
        spec_text = DEPLOYS["all-three-one-pinned"]
        for pinned in ("v1.plugins", "v2.plugins"):
            out = tmp_path / "rendered"
            out.mkdir(exist_ok=True)
            for artifact_path, text in _render(tmp_path, spec_text.replace("v1.plugins", pinned)).items():
                (out / artifact_path).write_text(text, encoding="utf-8")
            (out / "startup.sh").write_text(f"export RUN={pinned}\n", encoding="utf-8")
            script = "set -eu\n" + "\n".join(_header_commands((out / "template.yaml").read_text(encoding="utf-8")))
            run = subprocess.run(["bash", "-c", script], cwd=out, env=env, capture_output=True, text=True, timeout=300)
            assert run.returncode == 0, run.stderr
            latest = {
                version["Key"]: version["VersionId"]
                for version in s3.list_object_versions(Bucket="demo-airflow")["Versions"]
                if version["IsLatest"]
            }
            stack = cloudformation.describe_stacks(StackName="STACK")["Stacks"][0]
            assert {item["ParameterKey"]: item["ParameterValue"] for item in stack["Parameters"]} == {
                "RequirementsS3ObjectVersion": latest["requirements.txt"],
                "PluginsS3ObjectVersion": pinned,
                "StartupScriptS3ObjectVersion": latest["scripts/startup.sh"],
            }
    finally:
        server.stop()

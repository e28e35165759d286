"""`airflowspec diff`: exit codes, paths, masking and impact, on every example and both targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, GOLDEN, check_golden, example_variants
from helpers import secrets_manager_spec
from ruamel.yaml import YAML
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app
from airflowspec.diff.impact import MWAA_STORE_LEFT
from airflowspec.emit import to_yaml

#: (spec, target, the options that choose its environment): each example as it deploys.
PAIRS = [
    (spec, target, ["--env", env] if env else [])
    for spec, env in example_variants()
    for target in api.declared_targets(api.validate(spec, env=env).spec)  # type: ignore[arg-type]
]
IDS = [f"{spec.parent.name}{'@' + env[1] if env else ''}-{target}" for spec, target, env in PAIRS]


def _diff(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


@pytest.mark.parametrize(("spec", "target", "env"), PAIRS, ids=IDS)
def test_identical_specs_exit_0_and_list_nothing(spec: Path, target: str, env: list[str]) -> None:
    assert _diff(str(spec), str(spec), "-t", target, *env) == (0, "0 to add, 0 to change, 0 to remove\n")
    code, out = _diff(str(spec), str(spec), "-t", target, *env, "--format", "json")
    validated = CliRunner().invoke(app, ["validate", str(spec), "-t", target, *env, "--format", "json"]).stdout
    assert (code, json.loads(out)) == (
        0,
        {
            "changes": [],
            "summary": {"add": 0, "change": 0, "remove": 0},
            "diagnostics": [json.loads(line) for line in validated.splitlines()],
        },
    )


@pytest.mark.parametrize(("spec", "target", "env"), PAIRS, ids=IDS)
def test_a_changed_host_and_an_added_variable_are_named(
    spec: Path, target: str, env: list[str], tmp_path: Path
) -> None:
    document: Any = YAML(typ="safe").load(spec.read_text(encoding="utf-8"))
    conn_id = next(name for name, conn in document["connections"].items() if "secret" not in conn)  # not whole
    document["connections"][conn_id]["host"] = "changed.example.com"
    document["variables"]["added_by_test"] = "yes please"
    new = tmp_path / "airflowspec.yaml"
    new.write_text(to_yaml(document), encoding="utf-8")
    code, out = _diff(str(spec), str(new), "-t", target, *env, "--format", "json")
    paths = [change["path"] for change in json.loads(out)["changes"]]
    assert code == 1
    assert any(conn_id.upper() in path.upper() and path.endswith("host") for path in paths), paths
    assert any("added_by_test" in path.lower() for path in paths), paths


def test_a_changed_secret_is_reported_and_never_shown(tmp_path: Path) -> None:
    parameters = {
        "Parameters": [
            {"Name": "/airflow/variables/slack_token", "Type": "SecureString", "Value": "xoxb-old-canary-value"},
            {"Name": "/airflow/variables/environment", "Type": "String", "Value": "production"},
        ]
    }
    live = tmp_path / "ssm.json"
    live.write_text(json.dumps(parameters), encoding="utf-8")
    env = {"SLACK_TOKEN": "xoxb-new-canary-value", "WAREHOUSE_PASSWORD": "pw-canary-value"}
    seed = str(EXAMPLES / "seed" / "airflowspec.yaml")
    for output in ("text", "json"):
        code, out = _diff(seed, "--against", str(live), "-t", "mwaa", "--format", output, "--show-secrets", env=env)
        assert code == 1
        assert "slack_token" in out
        assert "canary" not in out
    code, out = _diff(seed, "--against", str(live), "-t", "mwaa", env=env)
    assert "  ~ parameters[name=/airflow/variables/slack_token].value: (sensitive value changed)" in out


#: The MWAA example's connections and variables moved from SSM to Secrets Manager.
TO_SECRETS_MANAGER = (
    "    ssm:\n      connectionsPrefix: /analytics-prod/connections\n"
    "      variablesPrefix: /analytics-prod/variables\n",
    "    secretsBackend: secretsManager\n    secretsManager:\n      connectionsPrefix: analytics-prod/connections\n"
    "      variablesPrefix: analytics-prod/variables\n",
)
#: Edits made to both specs of a case first: the store it compares in.
BASES = {"mwaa-secrets-manager": [TO_SECRETS_MANAGER]}

# Realistic changes: (name, example, target, [(old text, new text), ...]). Each impact rule is hit.
CHANGES = [
    (
        "mwaa-replace",
        "mwaa",
        "mwaa",
        [("subnet-08f7e6d5c4b3a2910", "subnet-0aaaaaaaaaaaaaaaa"), ("key/1234abcd", "key/9999abcd")],
    ),
    ("mwaa-update-graceful", "mwaa", "mwaa", [("max: 12}", "max: 16}"), ("schedulers: 3", "schedulers: 4")]),
    ("mwaa-update-forced", "seed", "mwaa", [("max: 10}", "max: 4}"), ("expose_config: false", "expose_config: true")]),
    ("mwaa-requirements", "mwaa", "mwaa", [("  - dbt-core>=1.8,<1.9\n", "  - dbt-core>=1.9,<1.10\n  - polars\n")]),
    ("mwaa-major-upgrade", "mwaa", "mwaa", [('version: "2.10.3"', 'version: "3.0.6"')]),
    ("mwaa-plugins-version", "mwaa", "mwaa", [("3sL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", "Vd2k8aZ0plugins.v42")]),
    (
        "mwaa-worker-strategy",
        "mwaa",
        "mwaa",
        [("workerReplacementStrategy: GRACEFUL", "workerReplacementStrategy: FORCED")],
    ),
    (
        "mwaa-ssm",
        "mwaa",
        "mwaa",
        [
            ("  environment: production\n", "  environment: staging\n  region: eu-central-1\n"),
            ("role: TRANSFORMER", "role: LOADER"),
        ],
    ),
    (
        "community-config-and-pools",
        "seed",
        "eks",
        [
            ("load_examples: false", "load_examples: true"),
            ("  reporting: {slots: 2}\n", "  reporting: {slots: 4}\n  backfill: {slots: 1}\n"),
        ],
    ),
    ("community-packages", "kubernetes-executor", "eks", [("scikit-learn==1.5.2", "scikit-learn==1.6.0")]),
    (
        "community-secret-reference",
        "seed",
        "eks",
        [("password: {secret: warehouse-password}", "password: {secret: slack-token}")],
    ),
    (
        "official-pip-at-start",
        "official-airflow3",
        "eks",
        [
            ("variables:\n", "packages: [polars]\nvariables:\n"),
            ("    chart: official\n", "    chart: official\n    pipInstallAtStart: true\n"),
        ],
    ),
    ("mwaa-ssm-removed", "mwaa", "mwaa", [("  dbt_project_dir: /usr/local/airflow/dags/dbt\n", "")]),
    ("mwaa-to-secrets-manager", "mwaa", "mwaa", [TO_SECRETS_MANAGER]),
    (
        "mwaa-secrets-manager",
        "mwaa",
        "mwaa",
        [
            ("  environment: production\n", "  environment: staging\n"),
            ("  dbt_project_dir: /usr/local/airflow/dags/dbt\n", ""),
            ("password: {secret: snowflake-password}", "password: {secret: reporting-password}"),
        ],
    ),
    (
        "official-version-and-env",
        "official-airflow3",
        "eks",
        [('version: "3.1.8"', 'version: "3.2.1"'), ("  environment: production\n", "  environment: staging\n")],
    ),
]


@pytest.mark.parametrize(("name", "example", "target", "edits"), CHANGES, ids=[case[0] for case in CHANGES])
def test_realistic_changes_as_golden(
    name: str,
    example: str,
    target: str,
    edits: list[tuple[str, str]],
    tmp_path: Path,
    update_golden: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both specs in folders of the test's own, named relatively: the files that json and github name."""
    text = (EXAMPLES / example / "airflowspec.yaml").read_text(encoding="utf-8")
    for before, after in BASES.get(name, []):
        assert before in text, before
        text = text.replace(before, after)
    old, new = tmp_path / "old" / "airflowspec.yaml", tmp_path / "new" / "airflowspec.yaml"
    old.parent.mkdir()
    old.write_text(text, encoding="utf-8")
    for before, after in edits:
        assert before in text, before
        text = text.replace(before, after)
    new.parent.mkdir()
    new.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    old, new = Path("old/airflowspec.yaml"), Path("new/airflowspec.yaml")
    code, out = _diff(str(old), str(new), "-t", target)
    assert code == 1
    check_golden(GOLDEN / "diff" / f"{name}.txt", out, update_golden)
    code, out = _diff(str(old), str(new), "-t", target, "--format", "json")
    check_golden(GOLDEN / "diff" / f"{name}.json", out, update_golden)
    code, out = _diff(str(old), str(new), "-t", target, "--format", "github")
    check_golden(GOLDEN / "diff" / f"{name}.github", out, update_golden)


def test_against_the_rendered_directory_and_helm_values(tmp_path: Path) -> None:
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    out_dir = tmp_path / "out"
    assert CliRunner().invoke(app, ["render", str(seed), "-t", "mwaa", "-o", str(out_dir)]).exit_code == 0
    assert _diff(str(seed), "--against", str(out_dir), "-t", "mwaa", env={"WAREHOUSE_PASSWORD": "x"})[0] == 0
    values = CliRunner().invoke(app, ["render", str(seed), "-t", "eks"]).stdout
    helm = tmp_path / "helm-values.yaml"
    helm.write_text("USER-SUPPLIED VALUES:\n" + values, encoding="utf-8")
    assert _diff(str(seed), "--against", str(helm), "-t", "eks") == (0, "0 to add, 0 to change, 0 to remove\n")


def test_against_mwaa_ignores_what_the_platform_adds(tmp_path: Path) -> None:
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    _, artifacts = api.render(seed, "mwaa")
    template = YAML(typ="safe").load(next(a.text for a in artifacts if a.path == "template.yaml"))
    environment = {
        k: v
        for k, v in template["Resources"]["Environment"]["Properties"].items()
        if k != "RequirementsS3ObjectVersion"
    }
    environment |= {"Arn": "arn:aws:airflow:eu-central-1:123456789012:environment/data-platform", "Status": "AVAILABLE"}
    environment |= {"RequirementsS3ObjectVersion": "v3", "WebserverUrl": "abc.airflow.amazonaws.com", "MaxWorkers": 6}
    for settings in environment["LoggingConfiguration"].values():
        settings["CloudWatchLogGroupArn"] = "arn:aws:logs:eu-central-1:123456789012:log-group:x"
    live = tmp_path / "environment.json"
    live.write_text(json.dumps({"Environment": environment}), encoding="utf-8")
    code, out = _diff(str(seed), "--against", str(live), "-t", "mwaa")
    assert code == 1
    assert out.splitlines()[:2] == [
        "template.yaml",
        "  ~ Resources.Environment.Properties.MaxWorkers: 6 -> 10",
    ]
    assert out.splitlines()[-1] == "0 to add, 1 to change, 0 to remove"


def test_trouble_exits_2(tmp_path: Path) -> None:
    seed = str(EXAMPLES / "seed" / "airflowspec.yaml")
    assert _diff(seed, str(tmp_path / "missing.yaml"), "-t", "eks")[0] == 2
    assert _diff(seed, "--against", str(tmp_path / "missing.json"), "-t", "eks")[0] == 2
    assert _diff(seed, "-t", "eks")[0] == 2  # neither NEW nor --against


def _trouble(*args: str) -> str:
    result = CliRunner().invoke(app, ["diff", *args])
    assert result.exit_code == 2, result.output
    return result.stderr


def test_against_refuses_what_it_cannot_compare(tmp_path: Path) -> None:
    seed = str(EXAMPLES / "seed" / "airflowspec.yaml")
    (tmp_path / "notes.md").write_text("not a render\n", encoding="utf-8")
    assert "holds none of the files `render --target eks` writes (values.yaml)" in _trouble(
        seed, "--against", str(tmp_path), "-t", "eks"
    )
    assert "is a spec: to compare two specs, give it as NEW" in _trouble(seed, "--against", seed, "-t", "eks")
    looped = tmp_path / "values.yaml"
    looped.write_text("a: &a [*a]\n", encoding="utf-8")
    refused = f"{looped}:1:8: error AS003 YAML syntax error: alias *a names no anchor defined before it"
    assert refused in _trouble(seed, "--against", str(looped), "-t", "eks")
    assert refused in _trouble(seed, "--against", str(tmp_path), "-t", "eks")  # the same file in a directory


def _live_environment(spec: Path, folder: Path, **extra: str) -> str:
    """`aws mwaa get-environment` output as the spec renders it, plus `extra` properties it does not set."""
    _, artifacts = api.render(spec, "mwaa")
    template = YAML(typ="safe").load(next(a.text for a in artifacts if a.path == "template.yaml"))
    environment = {
        key: value
        for key, value in template["Resources"]["Environment"]["Properties"].items()
        if not (isinstance(value, dict) and "Ref" in value)
    }
    assert not set(extra) & set(environment)
    live = folder / "environment.json"
    live.write_text(json.dumps({"Environment": environment | extra}), encoding="utf-8")
    return str(live)


def test_against_mwaa_removes_what_the_spec_no_longer_sets(tmp_path: Path) -> None:
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    live = _live_environment(seed, tmp_path, PluginsS3Path="plugins.zip")
    code, out = _diff(str(seed), "--against", live, "-t", "mwaa")
    assert (code, out.splitlines()[1]) == (1, '  - Resources.Environment.Properties.PluginsS3Path: "plugins.zip"')


def test_against_ssm_warns_about_secrets_it_cannot_compare(tmp_path: Path) -> None:
    live = tmp_path / "ssm.json"
    live.write_text(json.dumps({"Parameters": []}), encoding="utf-8")
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    env = {"SLACK_TOKEN": None, "WAREHOUSE_PASSWORD": "set"}
    result = CliRunner().invoke(app, ["diff", str(seed), "--against", str(live), "-t", "mwaa"], env=env)  # type: ignore[arg-type]
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if "AS601" in line] == [
        f"{live}: warning AS601 secret `slack-token` cannot be compared: `SLACK_TOKEN` is not set; set it to compare"
        " the parameters that hold it (they show as changed)"
    ]


def test_against_ssm_a_spec_that_chose_secrets_manager_wants_no_parameter_there(tmp_path: Path) -> None:
    """Its parameters still in SSM show as removed, saying Airflow no longer reads them; none is shown."""
    parameters = [
        {"Name": "/airflow/variables/slack_token", "Type": "SecureString", "Value": "xoxb-old-canary-value"},
        {"Name": "/airflow/variables/environment", "Type": "String", "Value": "production"},
    ]
    live = tmp_path / "ssm.json"
    live.write_text(json.dumps({"Parameters": parameters}), encoding="utf-8")
    spec = secrets_manager_spec(EXAMPLES / "seed" / "airflowspec.yaml", tmp_path)
    result = CliRunner().invoke(
        app, ["diff", str(spec), "--against", str(live), "-t", "mwaa"], env={"SLACK_TOKEN": None}
    )  # type: ignore[dict-item]
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:5] == [
        "  - parameters[name=/airflow/variables/slack_token]: (sensitive value)",
        f"      {MWAA_STORE_LEFT}",
        '  - parameters[name=/airflow/variables/environment]: {"name": "/airflow/variables/environment", "type": '
        '"String", "value": "production"}',
        f"      {MWAA_STORE_LEFT}",
    ]
    assert "canary" not in result.stdout + result.stderr
    assert "AS601" not in result.stderr  # no parameter the spec wants needs the secret


@pytest.mark.parametrize(
    ("old", "new", "new_environment"),
    [
        ("2.10.3", "3.0.6", True),
        ("3.0.6", "2.10.3", True),
        ("2.11.0", "3.0.6", False),
        ("3.0.6", "2.11.0", False),
        ("2.10.3", "2.9.2", False),
        ("2.10.3", "latest", False),
    ],
)
def test_mwaa_version_changes_that_need_a_new_environment(old: str, new: str, new_environment: bool) -> None:
    from airflowspec.diff.impact import MWAA_NEW_MAJOR, PROPERTIES, impact

    note = impact("mwaa", "community", "template.yaml", (*PROPERTIES, "AirflowVersion"), None, (old, new))
    assert (note == MWAA_NEW_MAJOR) is new_environment


def test_against_a_partial_directory_compares_what_it_holds(tmp_path: Path) -> None:
    spec = EXAMPLES / "mwaa" / "airflowspec.yaml"
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["render", str(spec), "-t", "mwaa", "-o", str(out)]).exit_code == 0
    (out / "requirements.txt").unlink()
    (out / "ssm-parameters.json").unlink()
    result = CliRunner().invoke(app, ["diff", str(spec), "--against", str(out), "-t", "mwaa"])
    assert (result.exit_code, result.stdout) == (0, "0 to add, 0 to change, 0 to remove\n")
    assert [line for line in result.stderr.splitlines() if "AS602" in line] == [
        f"{out}: warning AS602 holds no requirements.txt; it is not compared",
        f"{out}: warning AS602 holds no ssm-parameters.json; it is not compared",
    ]


def test_against_mwaa_ignores_empty_and_aws_tags(tmp_path: Path) -> None:
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    _, artifacts = api.render(seed, "mwaa")
    template = YAML(typ="safe").load(next(a.text for a in artifacts if a.path == "template.yaml"))
    environment = {
        key: value
        for key, value in template["Resources"]["Environment"]["Properties"].items()
        if not (isinstance(value, dict) and "Ref" in value)
    }
    tags = environment.get("Tags", {})
    environment |= {"Tags": {**tags, "aws:cloudformation:stack-name": "x"}, "KmsKey": "", "PluginsS3Path": None}
    live = tmp_path / "environment.json"
    live.write_text(json.dumps({"Environment": environment}), encoding="utf-8")
    assert _diff(str(seed), "--against", str(live), "-t", "mwaa") == (0, "0 to add, 0 to change, 0 to remove\n")


def _invoke(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["diff", *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_json_holds_the_diagnostics_and_nothing_goes_to_stderr(tmp_path: Path) -> None:
    """The specs' warnings with the fields of `validate --format json`, and the comparison's own (AS601)."""
    seed = str(EXAMPLES / "seed" / "airflowspec.yaml")
    live = tmp_path / "ssm.json"
    live.write_text(json.dumps({"Parameters": []}), encoding="utf-8")
    env = {"SLACK_TOKEN": None, "WAREHOUSE_PASSWORD": "set"}
    code, out, err = _invoke(seed, "--against", str(live), "-t", "mwaa", "--format", "json", env=env)
    document = json.loads(out)
    validated = CliRunner().invoke(app, ["validate", seed, "-t", "mwaa", "--format", "json"]).stdout
    assert (code, err) == (1, "")
    assert list(document) == ["changes", "summary", "diagnostics"]
    assert document["diagnostics"] == [
        *(json.loads(line) for line in validated.splitlines()),
        {
            "code": "AS601",
            "severity": "warning",
            "message": "secret `slack-token` cannot be compared: `SLACK_TOKEN` is not set",
            "hint": "set it to compare the parameters that hold it (they show as changed)",
            "file": str(live),
            "line": 0,
            "col": 0,
            "path": "",
        },
    ]


def test_github_annotates_diagnostics_and_changes_at_their_lines(tmp_path: Path) -> None:
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    new = tmp_path / "airflowspec.yaml"
    new.write_text(seed.read_text(encoding="utf-8").replace("host: warehouse.internal", "host: wh2"), "utf-8")
    code, out, err = _invoke(str(seed), str(new), "-t", "eks", "--format", "github")
    lines = out.splitlines()
    assert (code, err) == (1, "")
    assert f"::warning file={new},line=22,col=1,title=AS315::packages are pip-installed" in lines[0]  # the new spec's
    assert lines[-2:] == [
        f"::notice file={new},line=37,col=5,title=airflowspec diff values.yaml::~ airflow.connections[id=warehouse]"
        '.host: "warehouse.internal" -> "wh2" (the chart\'s sync Deployment re-applies it within a minute; no pod'
        " restarts (one removed from the spec stays in Airflow))",
        "0 to add, 1 to change, 0 to remove",
    ]
    assert not any(line.startswith(f"{seed}:") for line in lines)  # no diagnostic as text


def test_a_failed_diff_in_a_machine_format_is_only_its_diagnostics(tmp_path: Path) -> None:
    """Nothing compared: no `changes` that could read as "no change"; the errors in the format; exit 2."""
    seed = str(EXAMPLES / "seed" / "airflowspec.yaml")
    broken = tmp_path / "values.yaml"
    broken.write_text("a: &a [*a]\n", encoding="utf-8")
    code, out, err = _invoke(seed, "--against", str(broken), "-t", "eks", "--format", "json")
    (error,) = [d for d in json.loads(out)["diagnostics"] if d["severity"] == "error"]
    assert (code, err, list(json.loads(out))) == (2, "", ["diagnostics"])
    assert (error["code"], error["file"], error["line"], error["col"]) == ("AS003", str(broken), 1, 8)
    code, out, err = _invoke(seed, "--against", str(broken), "-t", "eks", "--format", "github")
    assert (code, err) == (2, "")
    assert f"::error file={broken},line=1,col=8,title=AS003::YAML syntax error" in out
    assert "to add" not in out


OFFICIAL = EXAMPLES / "official-airflow3" / "airflowspec.yaml"


@pytest.mark.parametrize(
    ("spec", "artifact", "path", "where"),
    [
        (OFFICIAL, "values.yaml", ("env", ("name", "AIRFLOW_CONN_S3_LAKE"), "value", "extra", "region_name"), (42, 13)),
        (OFFICIAL, "values.yaml", ("env", ("name", "AIRFLOW_CONN_S3_LAKE"), "value", "conn_type"), (41, 5)),
        (OFFICIAL, "values.yaml", ("secret", ("envName", "AIRFLOW_VAR_WAREHOUSE_API_KEY"), "secretKey"), (36, 3)),
        (
            OFFICIAL,
            "values.yaml",
            ("apiServer", "env", ("name", "AIRFLOW__API_AUTH__JWT_SECRET"), "valueFrom"),
            (69, 5),
        ),
        (OFFICIAL, "values.yaml", ("workers", "replicas"), (62, 3)),  # no rule: the target's block
        (
            EXAMPLES / "seed" / "airflowspec.yaml",
            "values.yaml",
            ("airflow", "config", "AIRFLOW__CORE__LOAD_EXAMPLES"),
            (16, 7),
        ),
        (
            EXAMPLES / "mwaa" / "airflowspec.yaml",
            "template.yaml",
            ("Resources", "Environment", "Properties", "LoggingConfiguration", "TaskLogs", "LogLevel"),
            (87, 7),
        ),
    ],
    ids=["conn-extra", "conn-type", "secret-variable", "jwt", "unmapped", "community-option", "mwaa-log"],
)
def test_a_change_is_placed_where_the_spec_sets_it(
    spec: Path, artifact: str, path: tuple[Any, ...], where: tuple[int, int]
) -> None:
    from airflowspec.diff.origin import position, spec_path

    validation = api.validate(spec)
    assert validation.spec is not None
    assert position(validation.document, spec_path(validation.spec, artifact, path)) == where


def test_warnings_print_once_for_the_new_spec_and_can_be_left_out(tmp_path: Path) -> None:
    """The old spec's warnings are about what is deployed, not the change: once, for the new spec;
    `--ignore` and `--quiet` leave them out (issue 11, item 12)."""
    seed = EXAMPLES / "seed" / "airflowspec.yaml"
    new = tmp_path / "airflowspec.yaml"
    new.write_text(seed.read_text(encoding="utf-8").replace("host: warehouse.internal", "host: wh2"), "utf-8")
    _, _, err = _invoke(str(seed), str(new), "-t", "eks")
    assert [line.split(": ", 1)[0] for line in err.splitlines()] == [f"{new}:22:1", f"{new}:58:3", f"{new}:58:3"]
    _, _, err = _invoke(str(seed), str(new), "-t", "eks", "--ignore", "AS315", "--ignore", "AS316")
    assert " AS315 " not in err and " AS316 " not in err and " AS351 " in err
    code, out, err = _invoke(str(seed), str(new), "-t", "eks", "-q", "--format", "json")
    assert (code, err, json.loads(out)["diagnostics"]) == (1, "", [])


def test_against_mwaa_shows_requirements_a_spec_without_packages_leaves_installed(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    text = (EXAMPLES / "mwaa" / "airflowspec.yaml").read_text(encoding="utf-8")
    start = text.index("packages:\n")
    end = text.index("variables:\n")
    spec.write_text(text[:start] + text[end:], encoding="utf-8")
    live = _live_environment(spec, tmp_path, RequirementsS3Path="requirements.txt")
    code, out = _diff(str(spec), "--against", live, "-t", "mwaa")
    assert (code, out.splitlines()[1]) == (
        1,
        '  - Resources.Environment.Properties.RequirementsS3Path: "requirements.txt"',
    )

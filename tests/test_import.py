"""`airflowspec import`: what is deployed back into a spec, secrets as references, the rest carried or
reported; the proof is the round trip (render, import the rendered files, render again: the same bytes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import variant_id, variants_for
from typer.testing import CliRunner

from airflowspec import api
from airflowspec.cli import app


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


ROUND_TRIPS = [(*variant, "mwaa") for variant in variants_for("mwaa")] + [
    (*variant, "eks") for variant in variants_for("eks")
]


@pytest.mark.parametrize(
    ("spec", "env", "target"), ROUND_TRIPS, ids=[f"{variant_id(v[:2])}-{v[2]}" for v in ROUND_TRIPS]
)
def test_rendered_files_import_to_a_spec_that_renders_them_again(
    spec: Path, env: str | None, target: str, tmp_path: Path
) -> None:
    _, artifacts = api.render(spec, target, env)
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    for artifact in artifacts:
        (rendered / artifact.path).write_text(artifact.text, encoding="utf-8")
    imported = tmp_path / "airflowspec.yaml"
    code, _, err = _run("import", *(str(rendered / a.path) for a in artifacts), "-o", str(imported))
    assert code == 0, err
    validation, again = api.render(imported, target)
    assert again, validation.diagnostics
    source = spec.name if env is None else f"{spec.name}, environment {env}"
    for before, after in zip(artifacts, again, strict=True):
        assert after.text == before.text.replace(f"from {source}", "from airflowspec.yaml"), after.path


CANARY = "canary-Zq8v"  # a value that must never leave the dump


def _live_dump(tmp_path: Path) -> Path:
    """`aws ssm get-parameters-by-path --recursive --with-decryption` of an environment made by hand."""
    parameters = [
        {"Name": "/airflow/variables/stage", "Type": "String", "Value": "prod"},
        {"Name": "/airflow/variables/limits", "Type": "String", "Value": '{"rows":10}'},
        {"Name": "/airflow/variables/slack_token", "Type": "SecureString", "Value": f"xoxb-{CANARY}"},
        {
            "Name": "/airflow/connections/warehouse",
            "Type": "SecureString",
            "Value": json.dumps(
                {"conn_type": "postgres", "host": "db", "login": "etl", "password": f"pw-{CANARY}",
                 "extra": {"sslmode": "require", "api_token": f"tk-{CANARY}"}}
            ),
        },
        {"Name": "/airflow/connections/legacy", "Type": "SecureString", "Value": f"postgres://u:{CANARY}@h/db"},
        {"Name": "/other/thing", "Type": "String", "Value": "x"},
    ]  # fmt: skip
    dump = tmp_path / "ssm.json"
    dump.write_text(json.dumps({"Parameters": parameters}), encoding="utf-8")
    return dump


def test_a_live_store_s_secrets_become_references_to_provide(tmp_path: Path) -> None:
    template = Path(api.__file__).parent.parent / "tests" / "golden" / "seed" / "mwaa" / "template.yaml"
    code, out, err = _run("import", str(template), str(_live_dump(tmp_path)))
    assert code == 1  # /other/thing is outside the prefixes: reported as not carried
    assert CANARY not in out + err
    assert "  slack_token:\n    secret: slack-token\n" in out
    assert "  legacy:\n    secret: legacy-connection\n" in out  # a URI: kept whole in a secret
    assert "    password:\n      secret: warehouse-password\n" in out
    assert "      api_token:\n        secret: warehouse-api-token\n" in out
    assert "  limits:\n    rows: 10\n" in out
    assert err.splitlines()[:2] == [
        f"{tmp_path}/ssm.json: secret: variables.slack_token: secret `slack-token`: provide it in $SLACK_TOKEN "
        "before `secrets push`",
        f"{tmp_path}/ssm.json: secret: connections.warehouse.password: secret `warehouse-password`: provide it in "
        "$WAREHOUSE_PASSWORD before `secrets push`",
    ]
    assert f"{tmp_path}/ssm.json: not carried: /other/thing: outside the connections and variables prefixes" in err
    code, out, _ = _run("import", str(template), str(_live_dump(tmp_path)), "--format", "json")
    report = json.loads(out)
    assert CANARY not in out
    assert [note["kind"] for note in report["notes"]].count("secret") == 4


def test_get_environment_json_imports_like_its_template(tmp_path: Path) -> None:
    environment = {
        "Environment": {
            "Name": "analytics", "Arn": "arn:aws:airflow:eu-west-1:123456789012:environment/analytics",
            "Status": "AVAILABLE", "AirflowVersion": "2.10.3", "EnvironmentClass": "mw1.small",
            "SourceBucketArn": "arn:aws:s3:::analytics-airflow", "DagS3Path": "dags",
            "ExecutionRoleArn": "arn:aws:iam::123456789012:role/analytics",
            "NetworkConfiguration": {"SubnetIds": ["subnet-0a1b2c3d", "subnet-4e5f6a7b"],
                                     "SecurityGroupIds": ["sg-0123abcd"]},
            "WebserverAccessMode": "PRIVATE_ONLY", "MinWorkers": 1, "MaxWorkers": 4, "Schedulers": 2,
            "LoggingConfiguration": {"TaskLogs": {"Enabled": True, "LogLevel": "WARNING",
                                                  "CloudWatchLogGroupArn": "arn:aws:logs:..."}},
            "Tags": {"team": "analytics", "aws:cloudformation:stack-name": "x"},
            "AirflowConfigurationOptions": {"core.default_timezone": "utc"},
            "WebserverUrl": "abc.airflow.eu-west-1.on.aws",
        }
    }  # fmt: skip
    source = tmp_path / "environment.json"
    source.write_text(json.dumps(environment), encoding="utf-8")
    spec = tmp_path / "analytics.airflowspec.yaml"
    assert _run("import", str(source), "-o", str(spec))[0] == 0
    validation = api.validate(spec)
    assert validation.ok and validation.spec is not None, validation.diagnostics
    mwaa = validation.spec.targets.mwaa
    assert mwaa is not None and (validation.spec.name, mwaa.schedulers, mwaa.workers.max) == ("analytics", 2, 4)
    assert (mwaa.logging.task, mwaa.tags) == ("WARNING", {"team": "analytics"})


def test_requirements_of_another_version_are_reported_and_an_index_kept_without_its_password(tmp_path: Path) -> None:
    template = Path(api.__file__).parent.parent / "tests" / "golden" / "seed" / "mwaa" / "template.yaml"
    requirements = tmp_path / "requirements.txt"
    url = "https://raw.githubusercontent.com/apache/airflow/constraints-2.8.1/constraints-3.11.txt"
    index = (
        f"--index-url https://build:{CANARY}@packages.example.com/simple"  # a private index, its password in the URL
    )
    requirements.write_text(f'--constraint "{url}"\n{index}\npandas==2.2.3\n')
    code, out, err = _run("import", str(template), str(requirements))
    assert code == 1
    assert "packages:\n  - pandas==2.2.3\n" in out
    assert (
        "packageIndex:\n  url: https://packages.example.com/simple\n  username: build\n"
        "  password:\n    secret: package-index-password\n"
    ) in out  # the password a secret, whose value stays out
    assert CANARY not in out + err
    assert [line for line in err.splitlines() if "not carried" in line] == [
        f"{requirements}: not carried: line 1: constraints of Airflow 2.8.1, not of 2.9.2, the environment's",
    ]
    secret = "secret `package-index-password`: provide it in $PACKAGE_INDEX_PASSWORD"
    assert f"{requirements}: secret: line 2: {secret}" in err


def test_unreadable_and_unknown_sources_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    spec = tmp_path / "airflowspec.yaml"
    (tmp_path / "link.json").symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "other.json").write_text('{"hello": "world"}')
    (tmp_path / "broken.yaml").write_text("a: [\n")
    for name, message in [
        ("link.json", "error AS603"),
        ("other.json", "error AS600 is none of the sources `import` reads"),
        ("broken.yaml", "error AS003 YAML syntax error"),
        ("missing.json", "error AS001"),
    ]:
        code, out, err = _run("import", str(tmp_path / name), "-o", str(spec))
        assert (code, out) == (2, ""), name
        assert message in err, (name, err)
        assert not spec.exists()


def test_airflow_exports_and_a_secrets_manager_dump_keep_their_secrets_out(tmp_path: Path) -> None:
    connections = {
        "warehouse": {"conn_type": "postgres", "host": "db", "login": "etl", "password": f"pw-{CANARY}",
                      "port": 5432, "schema": "", "extra": json.dumps({"sslmode": "require", "token": CANARY})},
    }  # fmt: skip
    (tmp_path / "connections.json").write_text(json.dumps(connections))
    (tmp_path / "variables.json").write_text(json.dumps({"stage": "prod", "api_key": CANARY, "rows": {"a": 1}}))
    dump = {"SecretValues": [
        {"Name": "airflow/variables/region", "SecretString": "eu-west-1"},
        {"Name": "airflow/variables/db_password", "SecretString": CANARY},
        {"Name": "airflow/connections/slack", "SecretString": json.dumps({"conn_type": "slack", "password": CANARY})},
    ]}  # fmt: skip
    (tmp_path / "secrets.json").write_text(json.dumps(dump))
    sources = [str(tmp_path / name) for name in ("connections.json", "variables.json", "secrets.json")]
    code, out, err = _run("import", *sources)
    assert code == 1  # everything carried, but no source says which Airflow: the spec does not validate yet
    assert err.endswith("airflowspec.yaml:6:1: error AS102 missing required key `airflow`\n")
    assert CANARY not in out + err
    assert "  warehouse:\n    type: postgres\n    host: db\n    login: etl\n    password:\n" in out
    assert "      token:\n        secret: warehouse-token\n" in out
    assert "  api_key:\n    secret: api-key\n" in out and "  rows:\n    a: 1\n" in out
    assert "  region: eu-west-1\n" in out and "  db_password:\n    secret: db-password\n" in out
    assert "  slack:\n    type: slack\n    password:\n      secret: slack-password\n" in out
    assert sorted(line.split(": secret: ")[1].split(":")[0] for line in err.splitlines() if ": secret: " in line) == [
        "connections.slack.password", "connections.warehouse.extra.token", "connections.warehouse.password",
        "variables.api_key", "variables.db_password",
    ]  # fmt: skip
    assert _run("import", sources[0], "--from", "nonsense")[0] == 2


TEAM_VALUES = sorted((Path(__file__).parent / "cases" / "import").glob("*-values.yaml"))


@pytest.mark.parametrize("values", TEAM_VALUES, ids=lambda p: p.stem)
def test_a_team_s_own_values_import_whole_and_validate(values: Path, tmp_path: Path) -> None:
    """Values written by hand in the shapes real repositories use (the same objects under `helm template`:
    tests/test_import_helm.py)."""
    spec = tmp_path / "airflowspec.yaml"
    code, _, err = _run("import", str(values), "-o", str(spec), "--name", "data")
    assert code == 0, err
    assert api.validate(spec).ok


def test_secrets_written_out_in_chart_values_never_reach_the_spec(tmp_path: Path) -> None:
    community = tmp_path / "community.yaml"
    community.write_text(
        "airflow:\n"
        "  executor: CeleryExecutor\n"
        f"  fernetKey: fk-{CANARY}\n"
        "  connections:\n"
        f"    - {{id: db, type: postgres, host: h, password: pw-{CANARY}}}\n"
        "  variables:\n"
        f"    - {{key: api_token, value: tk-{CANARY}}}\n"
        f"externalDatabase: {{host: db, user: u, password: db-{CANARY}}}\n"
    )
    official = tmp_path / "official.yaml"
    official.write_text(
        'airflowVersion: "2.11.0"\nexecutor: CeleryExecutor\n'
        f"webserverSecretKey: ws-{CANARY}\n"
        f'env:\n  - {{name: AIRFLOW_CONN_DB, value: \'{{"conn_type":"postgres","password":"pw-{CANARY}"}}\'}}\n'
    )
    for values in (community, official):
        spec = tmp_path / f"{values.stem}.airflowspec.yaml"
        code, out, err = _run("import", str(values), "-o", str(spec), "--format", "json")
        assert code == 1, err  # each secret written out is reported, by its path
        assert CANARY not in out + err + spec.read_text()
        assert any(note["kind"] == "not carried" for note in json.loads(out)["notes"])


def test_helm_get_values_output_a_template_string_and_the_chart_version(tmp_path: Path) -> None:
    values = tmp_path / "release.yaml"
    values.write_text(
        "USER-SUPPLIED VALUES:\n"
        "airflow:\n"
        "  executor: KubernetesExecutor\n"
        '  image: {repository: apache/airflow, tag: "2.8.4"}\n'
        "  config:\n"
        '    AIRFLOW__WEBSERVER__BASE_URL: "https://{{ .Release.Name }}.example.com"\n'
        '    AIRFLOW__CORE__PARALLELISM: "32"\n'
    )
    spec = tmp_path / "airflowspec.yaml"
    code, _, err = _run("import", str(values), "-o", str(spec), "--chart-version", "8.8.0", "--name", "data")
    assert code == 1
    assert f"{values}: not carried: airflow.config.AIRFLOW__WEBSERVER__BASE_URL: a Helm template" in err
    validation = api.validate(spec)
    assert validation.ok and validation.spec is not None and validation.spec.targets.eks is not None
    assert validation.spec.targets.eks.chart_version == "8.8.0"
    assert validation.spec.airflow.config == {"core": {"parallelism": "32"}}
    assert "{{" not in spec.read_text()


def test_an_alias_bomb_is_refused_as_every_input_is(tmp_path: Path) -> None:
    bomb = tmp_path / "values.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    bomb.write_text("\n".join(lines) + "\nairflow: {}\n")
    code, out, err = _run("import", str(bomb))
    assert (code, out) == (2, "")
    assert "error AS009 aliases expand to more than" in err


GOLDEN = Path(__file__).parent / "golden"
SHAPES: list[object] = [None, "x", 7, [1, "a"], {"a": {"b": [None]}}]


@pytest.mark.parametrize(
    "artifact",
    ["seed/eks/values.yaml", "production-official/eks/values.yaml", "production-mwaa/mwaa/template.yaml",
     "mwaa/mwaa/ssm-parameters.json"],
)  # fmt: skip
def test_a_source_of_the_wrong_shape_anywhere_is_carried_or_reported_never_a_crash(artifact: str) -> None:
    """Every key of the first two levels, and of the environment's properties, replaced by values of every
    other shape: the import ends with a spec and a report (or a located error), never a traceback."""
    from ruamel.yaml import YAML

    from airflowspec.importing.sources import import_sources, read_sources

    document = YAML(typ="safe").load((GOLDEN / artifact).read_text(encoding="utf-8"))
    places = [(key,) for key in document] + [
        (key, inner) for key, value in document.items() if isinstance(value, dict) for inner in value
    ]
    properties = document.get("Resources", {}).get("Environment", {}).get("Properties", {})
    places += [("Resources", "Environment", "Properties", key) for key in properties]
    kind = read_sources([GOLDEN / artifact])[0].kind
    for place in places:
        for shape in SHAPES:
            mutated = json.loads(json.dumps(document))
            node = mutated
            for key in place[:-1]:
                node = node[key]
            node[place[-1]] = shape
            source = read_sources([GOLDEN / artifact])[0]
            data = (mutated, source.data[1]) if isinstance(source.data, tuple) else _content(mutated, kind)
            imported = import_sources([type(source)(source.file, kind, data)])
            assert imported.spec["apiVersion"] == "airflowspec/v1", (place, shape)


def _content(document: dict[str, object], kind: str) -> object:
    from airflowspec.importing.sources import _content as content

    return content(document, kind) if kind != "mwaa-template" else document


def test_a_second_chart_values_file_is_reported_not_merged(tmp_path: Path) -> None:
    first, second = (GOLDEN / name / "eks" / "values.yaml" for name in ("seed", "official-airflow3"))
    code, out, err = _run("import", str(first), str(second))
    assert code == 1
    assert f"{second}: not carried: (all): a second chart's values: one spec is one deployment on EKS" in err
    assert "    chart: community\n" in out


def test_index_options_keep_no_credential_in_the_spec(tmp_path: Path) -> None:
    """A password holding `/`, a token written as the user, a token in the query, a URL that does not
    parse: the spec gets secrets or nothing, and no message quotes any of them."""
    template = Path(api.__file__).parent.parent / "tests" / "golden" / "seed" / "mwaa" / "template.yaml"
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.9.2/constraints-3.11.txt"\n'
        f"--index-url https://deploy:Zm9v/{CANARY}@nexus.example.com/simple/\n"
        f"--extra-index-url https://{CANARY}@pypi.fury.io/acme/\n"
        f"--extra-index-url https://mirror.example.com/simple/?token={CANARY}\n"
        f"--extra-index-url https://[{CANARY}/simple/\n"
        "pandas==2.2.3\n"
    )
    code, out, err = _run("import", str(template), str(requirements))
    assert code == 1
    assert CANARY not in out + err
    assert (
        "packageIndex:\n  url: https://nexus.example.com/simple/\n  username: deploy\n  password:\n"
        "    secret: package-index-password\nextraPackageIndexes:\n  - url: https://pypi.fury.io/acme/\n"
        "    username:\n      secret: extra-package-index-1-username\n"
    ) in out
    assert [line for line in err.splitlines() if "not carried" in line] == [
        f"{requirements}: not carried: line {n}: an index URL the spec cannot take (https, no query): not shown"
        for n in (4, 5)
    ]

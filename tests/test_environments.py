"""`environments:`: the merge rules, where diagnostics point, the guard rails, `--env` on every command,
the rendered layout, and promotion diffs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, GOLDEN, check_golden
from helpers import without_notices
from typer.testing import CliRunner

from airflowspec import api, environments
from airflowspec.cli import app
from airflowspec.document import YamlMap
from airflowspec.emit import to_yaml
from airflowspec.loader import load_bytes
from airflowspec.sourcemap import position_of
from airflowspec.targets import TARGETS

EXAMPLE = EXAMPLES / "multi-environment" / "airflowspec.yaml"

BASE = """\
apiVersion: airflowspec/v1
name: shop
airflow:
  version: "2.10.3"
  executor: CeleryExecutor
  config:
    core: {parallelism: 32, dags_are_paused_at_creation: true}
packages: [pandas==2.2.3]
variables:
  stage: dev
  bucket: s3://shop-dev
secrets:
  token: {env: SHOP_TOKEN}
targets:
  mwaa:
    sourceBucketArn: "arn:aws:s3:::shop-dev"
    executionRoleArn: "arn:aws:iam::123456789012:role/shop"
    network:
      subnetIds: [subnet-0a1b2c3d4e5f60718, subnet-08f7e6d5c4b3a2910]
      securityGroupIds: [sg-0123456789abcdef0]
    workers: {min: 1, max: 2}
"""


def _spec(tmp_path: Path, environments_block: str, base: str = BASE) -> Path:
    spec = tmp_path / "airflowspec.yaml"
    spec.write_text(base + environments_block, encoding="utf-8")
    return spec


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, without_notices(result.stderr)


def _document(text: str) -> YamlMap:
    loaded = load_bytes(text.encode(), "spec.yaml")
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document


# --- the merge rules -------------------------------------------------------------------------------


def test_maps_merge_key_by_key_lists_and_values_replace_and_null_removes() -> None:
    document = _document(
        "a: {b: 1, c: [1, 2], d: {e: x, f: y}, g: keep}\n"
        "h: [1]\n"
        "environments:\n"
        "  prod:\n"
        "    a: {c: [3], d: {e: z}, g: null, n: new}\n"
        "    h: {now: a map}\n"
    )
    parts = environments.split(document)
    merged = environments.merge(parts.base, parts.overlays["prod"])
    assert merged == {"a": {"b": 1, "c": [3], "d": {"e": "z", "f": "y"}, "n": "new"}, "h": {"now": "a map"}}
    assert parts.base == {"a": {"b": 1, "c": [1, 2], "d": {"e": "x", "f": "y"}, "g": "keep"}, "h": [1]}  # unchanged
    assert "environments" not in merged


def test_an_environment_can_drop_a_target_and_add_one() -> None:
    document = _document(
        "targets: {mwaa: {workers: {max: 2}}}\nenvironments:\n  k8s: {targets: {mwaa: null, eks: {}}}\n"
    )
    parts = environments.split(document)
    assert environments.merge(parts.base, parts.overlays["k8s"]) == {"targets": {"eks": {}}}


def test_each_merged_value_keeps_the_position_it_was_written_at() -> None:
    document = _document(
        "targets:\n"  # 1
        "  mwaa:\n"  # 2
        "    workers: {min: 1, max: 2}\n"  # 3
        "    schedulers: 2\n"  # 4
        "environments:\n"  # 5
        "  prod:\n"  # 6
        "    targets:\n"  # 7
        "      mwaa:\n"  # 8
        "        workers: {max: 10}\n"  # 9
        "        schedulers: null\n"  # 10
    )
    parts = environments.split(document)
    merged = environments.merge(parts.base, parts.overlays["prod"])
    assert position_of(merged, ("targets", "mwaa", "workers", "max")) == (9, 24)  # the overlay's line
    assert position_of(merged, ("targets", "mwaa", "workers", "min")) == (3, 20)  # the base's line
    # a mapping the overlay removed a key from is the overlay's: "missing key" points where it was removed
    assert position_of(merged, ("targets", "mwaa", "schedulers")) == (9, 9)


def test_values_are_the_same_only_when_they_render_the_same() -> None:
    assert environments.same(1, 1) and environments.same([1, {"a": "x"}], [1, {"a": "x"}])
    assert not environments.same(1, True) and not environments.same(1, 1.0) and not environments.same("1", 1)


# --- validate: every environment, named, at the line that supplied the value ----------------------


def test_an_invalid_value_only_in_prod_fails_validate_naming_prod_at_its_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "environments:\n  dev: {}\n  prod:\n    targets:\n      mwaa:\n        workers: {max: 0}\n")
    code, out, _ = _run("validate", str(spec), "-q")
    assert code == 1
    assert out == f"{spec}:27:24: error AS104 [prod] `targets.mwaa.workers.max` must be at least 1\n"
    assert _run("validate", str(spec), "--env", "dev", "-q") == (0, "", "")


def test_a_problem_of_the_base_is_reported_once_naming_every_environment_it_reaches(tmp_path: Path) -> None:
    base = BASE.replace("    workers: {min: 1, max: 2}\n", "    workers: {min: 1, max: 2}\n    schedulers: 9\n")
    spec = _spec(tmp_path, "environments:\n  dev: {}\n  prod:\n    targets: {mwaa: {schedulers: 3}}\n", base)
    code, out, _ = _run("validate", str(spec), "-q")
    assert code == 1
    assert out == f"{spec}:22:17: error AS405 [base, dev] schedulers must be 2 to 5 on mw1.small, not 9\n"
    code, out, _ = _run("validate", str(spec), "-q", "--format", "json")
    assert json.loads(out)["environments"] == ["base", "dev"]


def test_a_key_removed_by_an_environment_is_missing_at_the_environment(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "environments:\n  prod:\n    targets:\n      mwaa:\n        sourceBucketArn: null\n")
    code, out, _ = _run("validate", str(spec), "-q")
    assert (code, out) == (
        1,
        f"{spec}:25:7: error AS102 [prod] missing required key `sourceBucketArn` in `targets.mwaa`\n",
    )


def test_a_typo_in_an_environment_is_an_error_at_its_line(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "environments:\n  prod:\n    targets:\n      mwaa:\n        wrokers: {max: 3}\n")
    code, out, _ = _run("validate", str(spec), "-q")
    assert code == 1
    assert out == f"{spec}:26:9: error AS101 [prod] unknown key `wrokers` in `targets.mwaa`; did you mean `workers`?\n"


def test_an_environment_that_repeats_the_base_or_removes_nothing_is_warned(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "environments:\n  prod:\n"
        '    variables: {stage: dev, bucket: "s3://shop-prod", unset: null}\n'
        "    packages: [pandas==2.2.3]\n",
    )
    code, out, _ = _run("validate", str(spec), "--env", "prod", "--ignore", "AS202")
    assert code == 0
    assert out.splitlines() == [
        f"{spec}:24:17: warning AS113 [prod] `stage` repeats the base's value; remove it from the environment; "
        "it inherits the base's",
        f"{spec}:24:55: warning AS114 [prod] `unset: null` removes nothing: the base does not set it",
        f"{spec}:25:5: warning AS113 [prod] `packages` repeats the base's value; remove it from the environment; "
        "it inherits the base's",
    ]
    spec.write_text(spec.read_text() + "    acknowledge: [AS113, AS114, AS202]\n")
    assert _run("validate", str(spec), "--env", "prod") == (0, "", "")


def test_two_environments_that_deploy_the_same_thing_are_warned(tmp_path: Path) -> None:
    """The same MWAA environment name (or Helm release in one namespace): where they meet, one replaces
    the other, and a push takes the other's parameters as its own."""
    spec = _spec(tmp_path, "environments:\n  dev: {}\n  prod: {}\n  qa:\n    name: shop-qa\n")
    code, out, _ = _run("validate", str(spec), "--ignore", "AS202")
    assert (code, out) == (
        0,
        f"{spec}:24:3: warning AS118 [prod] environment `prod` deploys MWAA environment `shop`, as `dev` does: "
        "in one AWS account and region, one replaces the other; give it its own `name`, or acknowledge AS118 "
        "if prod and dev never share one\n",
    )
    spec.write_text(spec.read_text().replace("  prod: {}\n", "  prod: {acknowledge: [AS118]}\n"))
    assert _run("validate", str(spec), "--ignore", "AS202") == (0, "", "")


def test_environment_names_and_overlays_are_checked(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "environments:\n  base: {}\n  Prod: {}\n  list: [1]\n  fixed: {apiVersion: airflowspec/v1, environments: {}}\n",
    )
    code, out, _ = _run("validate", str(spec), "-q")
    assert code == 1
    assert [line.split(": ", 1)[1] for line in out.splitlines()] == [
        "error AS110 environment name 'base' is what the spec without an environment is called; "
        "use lowercase letters, digits and '-', at most 63, e.g. dev, staging, prod-eu",
        "error AS110 environment name 'Prod' is not a DNS label; use lowercase letters, digits and '-', "
        "at most 63, e.g. dev, staging, prod-eu",
        "error AS111 [list] environment `list` must be a mapping of the keys that differ from the base",
        "error AS112 [fixed] an environment cannot set `apiVersion`; set it once, in the base",
        "error AS112 [fixed] an environment cannot set `environments`; set it once, in the base",
    ]


def test_environments_are_checked_within_the_budget_of_the_largest_spec(tmp_path: Path) -> None:
    """Each environment is checked whole: thousands of empty ones must not make a file take hours. What
    checking them all reads may not exceed the largest spec airflowspec reads (64 MiB)."""
    spec = _spec(tmp_path, "environments:\n" + "".join(f"  e{index}: {{}}\n" for index in range(4000)))
    size = spec.stat().st_size
    assert size * 4001 > 64 * 2**20
    code, out, _ = _run("validate", str(spec), "-q")
    assert (code, out) == (
        1,
        f"{spec}:22:1: error AS117 4000 environments of a spec of {size // 1024} KiB: checking each would read "
        f"{size * 4001 // 2**20} MiB, more than the 64 MiB airflowspec reads; split it into several specs\n",
    )
    assert api.validate(spec).environments == ()  # none was checked


def test_a_target_s_name_is_no_environment_name(tmp_path: Path) -> None:
    """`rendered/eks/` would be both the base's folder and the parent of environment `eks`'s."""
    assert {name for name, why in environments.RESERVED.items() if why == "is a target's name"} == set(TARGETS)
    spec = _spec(tmp_path, "environments:\n  mwaa: {}\n")
    assert _run("validate", str(spec), "-q")[1].split(": ", 1)[1] == (
        "error AS110 environment name 'mwaa' is a target's name; use lowercase letters, digits and '-', "
        "at most 63, e.g. dev, staging, prod-eu\n"
    )


def test_an_unknown_environment_is_a_usage_error_with_did_you_mean(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "environments:\n  staging: {}\n  prod: {}\n")
    code, out, _ = _run("validate", str(spec), "--env", "prd")
    assert (code, out) == (
        2,
        f"{spec}: error AS115 --env 'prd': the spec has no such environment; did you mean prod? it has staging, prod\n",
    )
    plain = tmp_path / "plain" / "airflowspec.yaml"
    plain.parent.mkdir()
    plain.write_text(BASE)
    code, out, _ = _run("validate", str(plain), "--env", "prod")
    assert (code, out) == (
        2,
        f"{plain}: error AS115 --env 'prod': the spec declares no environments; leave out --env\n",
    )


# --- commands that write or compare need one environment -------------------------------------------


def test_commands_that_write_or_push_need_an_environment(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "environments:\n  dev: {}\n  prod: {}\n")
    need = f"{spec}: error AS116 the spec declares environments (dev, prod); choose one with --env ENV"
    assert _run("render", str(spec)) == (2, "", need + " or use --all\n")
    assert _run("render", str(spec), "-t", "mwaa") == (2, "", need + " or use --all\n")
    assert _run("diff", str(spec), str(spec), "-t", "mwaa")[::2] == (2, need + "\n")
    assert _run("ssm", "push", str(spec), "--dry-run") == (2, "", need + "\n")
    assert _run("secrets", "push", str(spec), "--dry-run") == (2, "", need + "\n")
    assert _run("render", str(spec), "--env", "prod")[0] == 0


def test_push_takes_the_environment_s_names_and_secrets(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "environments:\n  prod:\n    name: shop-prod\n    variables: {stage: prod, token: {secret: token}}\n"
        "    targets: {mwaa: {ssm: {variablesPrefix: /shop-prod/variables}}}\n",
    )
    code, out, err = _run("ssm", "push", str(spec), "--env", "prod", "--dry-run", env={"SHOP_TOKEN": "t0ken-canary"})
    assert code == 0, err
    assert "would be written /shop-prod/variables/stage (String)" in out
    assert "would be written /shop-prod/variables/token (SecureString)" in out
    assert "canary" not in out + err


# --- rendering: every environment, independently ---------------------------------------------------


def test_each_environment_renders_as_the_spec_it_merges_to(tmp_path: Path) -> None:
    """An environment's files are those of a standalone spec holding its merged document: nothing of
    another environment, nor of an earlier render, reaches them."""
    parts = environments.split(_document(EXAMPLE.read_text(encoding="utf-8")))
    order = [*parts.names, *reversed(parts.names)]  # each rendered after every other one, once
    for env in order:
        standalone = tmp_path / env / "airflowspec.yaml"
        standalone.parent.mkdir(exist_ok=True)
        standalone.write_text(to_yaml(_plain(environments.merge(parts.base, parts.overlays[env]))), encoding="utf-8")
        for target in api.declared_targets(api.validate(standalone).spec):  # type: ignore[arg-type]
            _, merged = api.render(EXAMPLE, target, env)
            _, alone = api.render(standalone, target)
            assert [_headless(a.text) for a in merged] == [_headless(a.text) for a in alone], (env, target)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _headless(text: str) -> str:
    """Without the line that names the spec file (and the environment)."""
    return "\n".join(line for line in text.splitlines() if "airflowspec from " not in line)


def test_render_all_writes_every_environment_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("airflowspec.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    code, out, _ = _run("render", "--all", "airflowspec.yaml", "-q")
    assert code == 0
    assert out.splitlines() == [
        "wrote rendered/dev/eks",
        "wrote rendered/staging/eks",
        "wrote rendered/prod/eks",
        "wrote rendered/prod/mwaa",
    ]
    for folder in ("dev/eks", "staging/eks", "prod/eks", "prod/mwaa"):
        env, target = folder.split("/")
        for path in Path("rendered", env, target).iterdir():
            assert path.read_text() == (GOLDEN / "multi-environment" / env / target / path.name).read_text()
    assert _run("render", "--check", "airflowspec.yaml", "-q") == (0, "", "")
    broken = EXAMPLE.read_text(encoding="utf-8").replace(
        "        workers: {min: 2, max: 10}", "        workers: {max: 0}"
    )
    Path("airflowspec.yaml").write_text(broken)
    before = {path: path.read_bytes() for path in Path("rendered").rglob("*") if path.is_file()}
    code, out, err = _run("render", "--all", "airflowspec.yaml", "-q")
    assert (code, out) == (1, "")
    assert "[prod] `targets.mwaa.workers.max` must be at least 1" in err
    assert {path: path.read_bytes() for path in Path("rendered").rglob("*") if path.is_file()} == before


@pytest.fixture
def rendered_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The multi-environment example in a folder of its own, every environment rendered: its text."""
    monkeypatch.chdir(tmp_path)
    text = EXAMPLE.read_text(encoding="utf-8")
    Path("airflowspec.yaml").write_text(text)
    assert _run("render", "--all", "airflowspec.yaml", "-q")[0] == 0
    return text


def test_render_check_names_the_stale_environment_and_folders_left_behind(rendered_example: str) -> None:
    text = rendered_example
    Path("airflowspec.yaml").write_text(text.replace("            replicas: 2\n", "            replicas: 3\n", 1))
    code, out, _ = _run("render", "--check", "airflowspec.yaml", "-q")
    assert code == 1
    assert out.splitlines()[:3] == [
        "rendered/staging/eks: stale; run `airflowspec render airflowspec.yaml --env staging --target eks "
        "-o rendered/staging/eks`",
        "values.yaml",
        "  ~ workers.replicas: 2 -> 3",
    ]
    assert _run("render", "--check", "airflowspec.yaml", "--env", "prod", "-q") == (0, "", "")
    Path("airflowspec.yaml").write_text(text)
    Path("rendered/qa/eks").mkdir(parents=True)
    Path("rendered/qa/eks/values.yaml").write_text("x: 1\n")
    Path("rendered/eks").mkdir()
    Path("rendered/eks/values.yaml").write_text("x: 1\n")
    code, out, _ = _run("render", "--check", "airflowspec.yaml", "rendered/qa/eks/values.yaml", "-q")
    assert code == 1
    assert out.splitlines() == [
        "rendered/qa/eks: airflowspec.yaml declares no environment qa; delete the folder",
        "rendered/eks: airflowspec.yaml renders each of its environments into rendered/ENV/; delete the folder",
    ]
    # given the spec alone, the folder of an environment it no longer has is found by its name
    Path("rendered/eks/values.yaml").unlink()
    Path("rendered/eks").rmdir()
    Path("qa.airflowspec.yaml").write_text("another spec's: rendered/qa/ is its folder\n")
    assert _run("render", "--check", "airflowspec.yaml", "-q") == (0, "", "")
    Path("qa.airflowspec.yaml").unlink()
    code, out, _ = _run("render", "--check", "airflowspec.yaml", "-q")
    assert (code, out) == (1, "rendered/qa/eks: airflowspec.yaml declares no environment qa; delete the folder\n")


def test_render_check_of_one_target_takes_the_environments_that_deploy_to_it(rendered_example: str) -> None:
    text = rendered_example
    assert _run("render", "--check", "airflowspec.yaml", "-t", "mwaa", "-q") == (0, "", "")  # prod only
    plain = Path("plain", "airflowspec.yaml")  # a spec without environments that has no mwaa target: refused
    plain.parent.mkdir()
    plain.write_text(text.split("\nenvironments:")[0])
    code, _, err = _run("render", "--check", str(plain), "-t", "mwaa", "-q")
    assert (code, err.split(": ", 1)[1][:15]) == (1, "error AS400 the")
    Path("airflowspec.yaml").write_text(text.replace("        workers: {min: 2, max: 10}", "        workers: {max: 0}"))
    code, out, err = _run("render", "--check", "airflowspec.yaml", "-t", "mwaa", "-q")
    assert (code, out) == (1, "")
    assert err.endswith("error AS104 [prod] `targets.mwaa.workers.max` must be at least 1\n")


# --- promotion: two environments of one spec ------------------------------------------------------


def test_promotion_diff_shows_what_prod_changes_over_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    monkeypatch.chdir(EXAMPLE.parent)
    promote = ["diff", "airflowspec.yaml", "--env", "staging", "--to-env", "prod", "-t", "eks"]
    code, out, _ = _run(*promote, "-q")
    assert code == 1
    check_golden(GOLDEN / "diff" / "promotion-staging-prod.txt", out, update_golden)
    code, out, _ = _run(*promote, "-q", "--format", "json")
    assert code == 1
    check_golden(GOLDEN / "diff" / "promotion-staging-prod.json", out, update_golden)
    changes = {change["path"]: change for change in json.loads(out)["changes"]}
    assert changes["airflow.variables[key=slack_token]"]["new"] == {"key": "slack_token", "value": "(sensitive value)"}
    host = changes["airflow.connections[id=orders_db].host"]  # placed at the line of prod's overlay that sets it
    assert (host["file"], host["line"], host["col"]) == ("airflowspec.yaml", 107, 9)
    database = changes["externalDatabase.host"]  # targets.eks.database.host of prod's overlay
    cpu = changes["workers.resources.requests.cpu"]  # targets.eks.components.workers.resources of prod's
    assert [(database["line"], database["col"]), (cpu["line"], cpu["col"])] == [(122, 11), (133, 36)]
    assert _run("diff", "airflowspec.yaml", "--env", "prod", "--to-env", "prod", "-t", "eks", "-q")[:2] == (
        0,
        "0 to add, 0 to change, 0 to remove\n",
    )


def test_diff_against_a_deployed_environment(tmp_path: Path) -> None:
    deployed = tmp_path / "staging"
    assert _run("render", str(EXAMPLE), "--env", "staging", "-t", "eks", "-o", str(deployed), "-q")[0] == 0
    against = ["diff", str(EXAMPLE), "--against", str(deployed), "-t", "eks", "-q"]
    assert _run(*against, "--env", "staging")[:2] == (0, "0 to add, 0 to change, 0 to remove\n")
    code, out, _ = _run(*against, "--env", "prod")
    assert code == 1
    assert '~ externalDatabase.host: "orders-staging-metadata' in out
    assert _run(*against)[0] == 2

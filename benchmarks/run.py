"""Time airflowspec against floors measured in the same run, and print the ratios with their targets.

    pip install '.[bench]' && python benchmarks/run.py

- cold `airflowspec validate` of the seed example vs `check-jsonschema --schemafile` on the same file;
- validate and render (each target) of the large spec vs libyaml's composer on the same file
  (`yaml.compose(text, Loader=yaml.CSafeLoader)`: C speed, and it keeps line numbers);
- the 10x spec vs the 1x spec, for validate, render and diff;
- cold validate of the seed with 700 cached constraints checked vs with none cached (the check skipped);
- validate of the large spec deployed as 10 environments vs as 1 (every environment is checked);
- validate of a spec holding hostile 1 MB values (built to make a backtracking check quadratic) vs
  libyaml's composer on the same file: every check must stay linear;
- peak memory of rendering the 10x spec.
Each figure is the best of several runs; nothing here is asserted, it prints.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import large_spec, with_environments  # noqa: E402

from airflowspec import api  # noqa: E402
from airflowspec.diff.run import diff_specs  # noqa: E402

SEED = ROOT / "examples" / "seed" / "airflowspec.yaml"
SCHEMA = ROOT / "schema" / "airflowspec.schema.json"


#: Strings that make a backtracking pattern quadratic: long runs of URL scheme characters, `a://`
#: repeated, `x://` and colons, a user and colon with no `@`, placeholder and template openings, underscores.
HOSTILE_VALUES = {
    "scheme_run": ("", "a"),
    "scheme_signs": ("", "a1+.-"),
    "many_schemes": ("", "a://"),
    "colons": ("x://", ":"),
    "no_at": ("a://b:", "c"),
    "user_colons": ("a://", "x:"),
    "placeholders": ("", "<secret:"),
    "dollar_braces": ("", "${"),
    "underscores": ("", "_"),
    "words": ("", "a_"),
    "resolve": ("", "{{resolve:"),
}


def hostile_spec(target: str, size: int = 1_000_000) -> str:
    """Each hostile value, `size` characters long, as a variable, a config option and a connection extra."""
    values = {name: (head + unit * size)[:size] for name, (head, unit) in HOSTILE_VALUES.items()}
    lines = ["apiVersion: airflowspec/v1", "name: demo", "airflow:", '  version: "2.9.2"', "  config:", "    core:"]
    lines += [f"      {name}: {json.dumps(value)}" for name, value in values.items()]
    lines += ["variables:", *(f"  {name}: {json.dumps(value)}" for name, value in values.items())]
    lines += ["connections:", "  c:", "    type: http", "    extra:"]
    lines += [f"      {name}: {json.dumps(value)}" for name, value in values.items()]
    mwaa = [
        "  mwaa:",
        '    sourceBucketArn: "arn:aws:s3:::demo-airflow"',
        '    executionRoleArn: "arn:aws:iam::123456789012:role/demo"',
        "    network: {subnetIds: [subnet-0a1b2c3d, subnet-4e5f6a7b], securityGroupIds: [sg-0123abcd]}",
    ]
    lines += ["targets:", *(['  eks: {chart: community, chartVersion: "8.9.0"}'] if target == "eks" else mwaa)]
    return "\n".join(lines) + "\n"


def best(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def cold(command: list[str], runs: int = 7, env: dict[str, str] | None = None) -> float:
    """Median wall time of a fresh process, start-up included; `env` added to this one's environment."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mib(command: list[str]) -> float:
    subprocess.run(command, capture_output=True, check=False)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def row(label: str, seconds: float, floor: float, target: float) -> None:
    ratio = seconds / floor
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"{label:<44} {seconds * 1000:9.1f} ms  {ratio:6.2f}x  (target <= {target:g}x: {verdict})")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="airflowspec-bench-"))
    small, large = work / "large-1x.yaml", work / "large-10x.yaml"
    small.write_text(large_spec(1), encoding="utf-8")
    large.write_text(large_spec(10), encoding="utf-8")
    changed = work / "large-1x-changed.yaml"
    changed.write_text(small.read_text().replace("value number 1 ", "value NUMBER 1 "), encoding="utf-8")
    changed10 = work / "large-10x-changed.yaml"
    changed10.write_text(large.read_text().replace("value number 1 ", "value NUMBER 1 "), encoding="utf-8")
    print(f"machine: {sys.platform}, Python {sys.version.split()[0]}; spec 1x {small.stat().st_size // 1024} KiB")

    # First, while this process is small: a child started from a large process reports that process's
    # memory as its own peak (the child starts as a copy of it).
    print("\npeak memory")
    out = work / "out"
    mib = peak_memory_mib([sys.executable, "-m", "airflowspec", "render", str(large), "-t", "eks", "-o", str(out)])
    verdict = "meets" if mib < 1024 else "MISSES"
    print(f"{'render --target eks of the 10x spec':<44} {mib:9.1f} MiB  (target < 1024 MiB: {verdict})")

    print("\ncold start on the seed example (median of 7 processes)")
    checker = cold(["check-jsonschema", "--schemafile", str(SCHEMA), str(SEED)])
    ours = cold([sys.executable, "-m", "airflowspec", "validate", str(SEED)])
    print(f"{'check-jsonschema --schemafile (the floor)':<44} {checker * 1000:9.1f} ms")
    row("airflowspec validate", ours, checker, 1)

    print("\nthe constraints check on the seed example, cold (median of 7 processes)")
    cache = work / "cache"
    pinned = cache / "constraints" / "constraints-2.9.2-python3.11.txt"
    pinned.parent.mkdir(parents=True)
    pinned.write_text(
        "".join(f"package-{index:04d}=={index % 9}.{index % 7}.0\n" for index in range(700)) + "pandas==2.1.4\n"
    )
    skipped = cold(
        [sys.executable, "-m", "airflowspec", "validate", str(SEED)], env={"AIRFLOWSPEC_CACHE_DIR": str(work / "empty")}
    )
    checked = cold(
        [sys.executable, "-m", "airflowspec", "validate", str(SEED)], env={"AIRFLOWSPEC_CACHE_DIR": str(cache)}
    )
    print(f"{'validate, no constraints cached (the floor)':<44} {skipped * 1000:9.1f} ms")
    row("validate, 700 cached constraints checked", checked, skipped, 1.1)

    print("\nthe 1x spec against libyaml's composer (best of 5)")
    text = small.read_text(encoding="utf-8")
    floor = best(lambda: yaml.compose(text, Loader=yaml.CSafeLoader))
    print(f"{'yaml.compose, CSafeLoader (the floor)':<44} {floor * 1000:9.1f} ms")
    row("validate", best(lambda: api.validate(small)), floor, 3)
    for target in ("eks", "mwaa"):
        row(f"render --target {target}", best(lambda target=target: api.render(small, target)), floor, 4)

    print("\nthe 10x spec against the 1x spec (best of 3)")
    pairs = {
        "validate": lambda path, _: api.validate(path),
        "render --target eks": lambda path, _: api.render(path, "eks"),
        "render --target mwaa": lambda path, _: api.render(path, "mwaa"),
        "diff --target eks": lambda path, other: diff_specs(path, other, "eks"),
        "diff --target mwaa": lambda path, other: diff_specs(path, other, "mwaa"),
    }
    for label, action in pairs.items():
        one = best(lambda action=action: action(small, changed), 3)
        ten = best(lambda action=action: action(large, changed10), 3)
        row(f"{label} (10x / 1x)", ten, one, 11)

    print("\nthe 1x spec with 10 environments against it with 1 (best of 3)")
    one_env, ten_envs = work / "large-1-environment.yaml", work / "large-10-environments.yaml"
    one_env.write_text(with_environments(small.read_text(encoding="utf-8"), 1), encoding="utf-8")
    ten_envs.write_text(with_environments(small.read_text(encoding="utf-8"), 10), encoding="utf-8")
    floor = best(lambda: api.validate(one_env), 3)
    print(f"{'validate, 1 environment (the floor)':<44} {floor * 1000:9.1f} ms")
    row("validate, 10 environments", best(lambda: api.validate(ten_envs), 3), floor, 11)
    row("validate --env of one of the 10", best(lambda: api.validate(ten_envs, env="env-03"), 3), floor, 1)

    print("\nhostile 1 MB values against libyaml's composer (best of 3)")
    for target in ("eks", "mwaa"):
        hostile = work / f"hostile-{target}.yaml"
        hostile.write_text(hostile_spec(target), encoding="utf-8")
        text = hostile.read_text(encoding="utf-8")
        floor = best(lambda text=text: yaml.compose(text, Loader=yaml.CSafeLoader), 3)
        label = f"validate, {len(HOSTILE_VALUES)} values x 3 places ({target})"
        print(f"{'yaml.compose, CSafeLoader (the floor)':<44} {floor * 1000:9.1f} ms  ({len(text) // 1_000_000} MB)")
        row(label, best(lambda hostile=hostile: api.validate(hostile), 3), floor, 4)


if __name__ == "__main__":
    main()

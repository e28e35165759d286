"""Rebuild the chart folders that the helm-backed tests read (AIRFLOWSPEC_CHARTS) from git copies of the charts.

    python tests/charts/setup_charts.py --community-git DIR --official-git DIR --out CHARTS [NAME ...]

DIR is a git directory (a clone, or a bare mirror) of airflow-helm/charts and of apache/airflow (or a fork
that holds its chart release commits). Each NAME (default: every release airflowspec supports) is made as
CHARTS/NAME, replacing what was there:

- `community-<version>`: `charts/airflow` of airflow-helm/charts at tag `airflow-<version>`;
- `official-<version>`: `chart/` of apache/airflow at the commit in OFFICIAL_COMMITS;

each with an empty stand-in for every subchart that its Chart.yaml (or requirements.yaml, before Helm 3's
`apiVersion: v2`) depends on: `charts/<name>/Chart.yaml` with that name and version and nothing else, so
that `helm template` runs offline. The stand-ins render nothing: the tests never look for the embedded
PostgreSQL or Redis. Chart code is never committed; this script is how another checkout gets the same folders.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML

from airflowspec.targets.eks import community_chart, official_chart

#: An apache/airflow commit per official chart release, on the branch the release was cut from: its
#: chart/Chart.yaml says that version, and its values.yaml and values.schema.json are byte for byte the
#: release's (../shared/reference/data). Read from the fork n-badtke-cg/airflow, whose history holds them.
OFFICIAL_COMMITS = {
    "1.18.0": "48ae6af196270e51ee9e9af853cacf474633c60b",
    "1.19.0": "5dc0143e7df3d7d0985aaffdfd96df9905432150",
    "1.20.0": "64875d3eb95ef643295cd60381f88f68a05768c2",
    "1.21.0": "2ff2513665855395f0387967e548b86c54c0e52b",
}


def source_of(name: str) -> tuple[str, str]:
    """(git revision, folder inside the repository) of a chart folder name."""
    chart, _, version = name.partition("-")
    if chart == "community" and version in community_chart.CHART_VERSIONS:
        return f"airflow-{version}", "charts/airflow"
    if chart == "official" and version in OFFICIAL_COMMITS:
        return OFFICIAL_COMMITS[version], "chart"
    raise SystemExit(f"{name}: not a chart release airflowspec supports")


def export(git_dir: Path, revision: str, folder: str, target: Path) -> None:
    """`folder` of the repository at `revision`, written to `target` (which must not exist)."""
    archive = subprocess.run(
        ["git", "--git-dir", str(git_dir), "archive", "--format=tar", revision, folder],
        capture_output=True,
        check=True,
    ).stdout
    prefix = folder.rstrip("/") + "/"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if not member.name.startswith(prefix) or not (member.isfile() or member.isdir()):
                continue
            member.name = member.name[len(prefix) :]
            tar.extract(member, target, filter="data")


def dependencies(chart: Path) -> list[tuple[str, str]]:
    """(name, version) of each subchart, from Chart.yaml (v2) or requirements.yaml (v1)."""
    yaml = YAML(typ="safe")
    found = []
    for file in ("Chart.yaml", "requirements.yaml"):
        path = chart / file
        if path.is_file():
            document = yaml.load(path.read_text(encoding="utf-8")) or {}
            found += [(str(dep["name"]), str(dep["version"])) for dep in document.get("dependencies") or []]
    return found


def add_stand_ins(chart: Path) -> None:
    for name, version in dependencies(chart):
        stand_in = chart / "charts" / name
        stand_in.mkdir(parents=True, exist_ok=True)
        (stand_in / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n", encoding="utf-8")


def build(name: str, git_dirs: dict[str, Path], out: Path) -> None:
    revision, folder = source_of(name)
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        made = Path(scratch) / name
        made.mkdir()
        export(git_dirs[name.partition("-")[0]], revision, folder, made)
        add_stand_ins(made)
        final = out / name
        if final.exists():
            shutil.rmtree(final)
        made.rename(final)
    print(f"{final}: {folder} at {revision}")


def every_release() -> list[str]:
    return [
        *(f"community-{version}" for version in community_chart.CHART_VERSIONS),
        *(f"official-{version}" for version in official_chart.CHART_VERSIONS),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--community-git", type=Path, required=True, help="git directory of airflow-helm/charts")
    parser.add_argument("--official-git", type=Path, required=True, help="git directory of apache/airflow")
    parser.add_argument("--out", type=Path, required=True, help="the folder AIRFLOWSPEC_CHARTS names")
    parser.add_argument("names", nargs="*", help="e.g. community-8.6.1 official-1.19.0; default: all")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    git_dirs = {"community": args.community_git, "official": args.official_git}
    for name in args.names or every_release():
        build(name, git_dirs, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

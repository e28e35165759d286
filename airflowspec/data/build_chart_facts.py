"""Build `airflowspec.data.chart_facts` from the charts' own values.yaml and values.schema.json files.

    python -m airflowspec.data.build_chart_facts --from FOLDER [FOLDER ...]

Each FOLDER holds, per release, either the reference layout (`community-chart-<version>-values.yaml`,
`official-chart-<version>-values.yaml`, `official-chart-<version>-values.schema.json`) or the chart
folders that tests/charts/setup_charts.py makes (`community-<version>/values.yaml`, ...); the first
folder that has a file wins. Every release the targets support must be found.

Written: `chart_facts/<chart>.json`, every key path of every release with its kind and the releases that
have it, and `chart_facts/official-<version>-values.schema.json.gz`, the chart's schema as published
(gzip, no timestamp). A release's keys are those of its values.yaml and, for the official chart, those its
values.schema.json declares (`properties`, not the Kubernetes definitions it refers to), which include keys
values.yaml leaves in comments (`dags.gitSync.knownHosts`). Where the schema declares a key, it says the
kind: an object closed by `additionalProperties: false` is a `map`, another object is `free`. Otherwise
the kind comes from the key's default in values.yaml and the comment above it:

- `map`: a mapping with the keys its values.yaml lists, and no others;
- `free`: a mapping that takes any keys: its default is `{}`; or the comment above it links to the
  Kubernetes API reference (a Kubernetes object: securityContext, affinity, resources ...) or says it
  holds annotations or labels. Keys below it are examples, not the chart's keys, and are left out;
- `subchart`: a subchart's section (SUBCHARTS): any keys, since they are that chart's, and the ones the
  values.yaml lists below it are listed too;
- `list`, `value` (a string, number or boolean), `any` (null: the chart leaves its type open).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from airflowspec.data.chart_facts import FOLDER, facts_name, schema_name
from airflowspec.document import YamlMap
from airflowspec.inputs import read_file
from airflowspec.loader import load_bytes
from airflowspec.targets.eks import community_chart, official_chart

SUPPORTED = {"community": community_chart.CHART_VERSIONS, "official": official_chart.CHART_VERSIONS}
#: Top-level sections that hold a subchart's values: the dependencies in each release's Chart.yaml
#: (requirements.yaml before 8.4.0), the same in every release supported (tests/test_chart_facts.py
#: checks it against the chart folders).
SUBCHARTS = {"community": ("postgresql", "redis"), "official": ("postgresql",)}
_KUBERNETES_REFERENCE = re.compile(r"kubernetes\.io/docs/reference/(generated/)?kubernetes-api")
_ANNOTATIONS_OR_LABELS = re.compile(r"^#+\s*(extra\s+|additional\s+|custom\s+)?(pod\s+)?(annotations|labels)\b", re.I)


def values_file(folders: Sequence[Path], chart: str, version: str, name: str = "values.yaml") -> Path | None:
    for folder in folders:
        for path in (folder / f"{chart}-chart-{version}-{name}", folder / f"{chart}-{version}" / name):
            if path.is_file():
                return path
    return None


def key_tree(source: Path, subcharts: Sequence[str] = ()) -> dict[str, str]:
    """Key path -> kind, for one values.yaml."""
    data = read_file(source)
    loaded = load_bytes(data, str(source), noun="file")
    if loaded.document is None:
        raise SystemExit(str(loaded.diagnostics[0]))
    lines = data.decode("utf-8").splitlines()
    return dict(_walk(loaded.document, lines, (), subcharts))


def _walk(
    node: YamlMap, lines: list[str], path: tuple[str, ...], subcharts: Sequence[str]
) -> Iterator[tuple[str, str]]:
    for key, value in node.items():
        here = (*path, key)
        subchart = not path and key in subcharts and isinstance(value, dict)
        kind = "subchart" if subchart else _kind(value, _comment_above(lines, node.key_positions[key][0]))
        yield ".".join(here), kind
        if kind in ("map", "subchart"):
            yield from _walk(value, lines, here, subcharts)


def _kind(value: Any, comment: list[str]) -> str:
    if isinstance(value, dict):
        documented = any(_KUBERNETES_REFERENCE.search(line) or _ANNOTATIONS_OR_LABELS.match(line) for line in comment)
        return "free" if not value or documented else "map"
    if isinstance(value, list):
        return "list"
    return "any" if value is None else "value"


def schema_tree(schema: dict[str, Any], path: tuple[str, ...] = ()) -> dict[str, str]:
    """Key path -> kind, for what a values.schema.json declares."""
    tree = {}
    for key, node in (schema.get("properties") or {}).items():
        here = (*path, key)
        tree[".".join(here)] = _schema_kind(node)
        tree.update(schema_tree(node, here))
    return tree


def _schema_kind(node: dict[str, Any]) -> str:
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else types
    if "object" in types:
        return "map" if node.get("additionalProperties") is False and "properties" in node else "free"
    if "array" in types:
        return "list"
    return "any" if not types or types == ["null"] else "value"


def _comment_above(lines: list[str], line: int) -> list[str]:
    """The comment lines right above 1-based `line`, up to a blank or other line."""
    block: list[str] = []
    index = line - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.insert(0, lines[index].strip())
        index -= 1
    return block


def facts_text(chart: str, trees: dict[str, dict[str, str]], default_airflow: dict[str, str]) -> str:
    """One JSON document, a line per key: `"path": [[kind, first release, last release], ...]`."""
    versions = list(trees)
    rows = []
    for path in sorted({path for tree in trees.values() for path in tree}):
        spans: list[list[str]] = []
        for index, version in enumerate(versions):
            kind = trees[version].get(path)
            if kind is None:
                continue
            if spans and spans[-1][0] == kind and spans[-1][2] == versions[index - 1]:
                spans[-1][2] = version
            else:
                spans.append([kind, version, version])
        rows.append(f"  {json.dumps(path)}: {json.dumps(spans)}")
    head = f'{{\n"chart": {json.dumps(chart)},\n"versions": {json.dumps(versions)},\n'
    head += f'"defaultAirflow": {json.dumps(default_airflow)},\n'
    return head + '"keys": {\n' + ",\n".join(rows) + "\n}\n}\n"


def default_airflow_of(chart: str, source: Path) -> str:
    """The Airflow release a chart installs by default: `airflowVersion` (official), or the release at the
    start of `airflow.image.tag` (community, e.g. `2.8.4-python3.9`)."""
    loaded = load_bytes(read_file(source), str(source), noun="file")
    assert loaded.document is not None
    if chart == "official":
        return str(loaded.document["airflowVersion"])
    found = re.match(r"[0-9]+\.[0-9]+\.[0-9]+", str(loaded.document["airflow"]["image"]["tag"]))
    assert found, source
    return found.group()


def build(folders: Sequence[Path]) -> dict[str, bytes]:
    """File name -> bytes, for every file of the package data."""
    built: dict[str, bytes] = {}
    for chart, versions in SUPPORTED.items():
        trees, airflow = {}, {}
        for version in versions:
            source = values_file(folders, chart, version)
            if source is None:
                raise SystemExit(f"no values.yaml of the {chart} chart {version} in {', '.join(map(str, folders))}")
            trees[version] = key_tree(source, SUBCHARTS[chart])
            airflow[version] = default_airflow_of(chart, source)
            if chart == "official":
                schema = _schema_file(folders, version)
                trees[version] |= schema_tree(json.loads(schema))
                built[schema_name(version)] = gzip.compress(schema, compresslevel=9, mtime=0)
        built[facts_name(chart)] = facts_text(chart, trees, airflow).encode("utf-8")
    return built


def _schema_file(folders: Sequence[Path], version: str) -> bytes:
    schema = values_file(folders, "official", version, "values.schema.json")
    if schema is None:
        raise SystemExit(f"no values.schema.json of the official chart {version}")
    return read_file(schema)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folders", type=Path, nargs="+", required=True, help="folders to read")
    for name, data in build(parser.parse_args(argv).folders).items():
        (FOLDER / name).write_bytes(data)
        print(f"wrote {FOLDER / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

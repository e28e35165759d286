"""`airflowspec import`: a spec from what is already deployed, and a report of what it could not carry.

Each source is read as every untrusted input is (`diff.live.read_document`: the loader's limits, located
errors), recognised by its content, and turned into parts of a spec; the parts of several sources
combine into one (an MWAA template, its requirements.txt and an SSM dump are one environment). A value
that is a secret never reaches the spec: it becomes a `secrets:` entry the user must provide, and the
report says so. What has no place in the spec is reported with its path, never dropped in silence.
"""

from __future__ import annotations

import dataclasses
from typing import Any

#: A note of the report: what could not be carried ("not carried"), or a secret to provide ("secret").
NOT_CARRIED = "not carried"
SECRET = "secret"


@dataclasses.dataclass(frozen=True)
class Note:
    """One line of the report: a place in a source and what happened to it."""

    kind: str  # NOT_CARRIED or SECRET
    source: str  # the file
    path: str  # where in it: a dotted path, a parameter name, a line
    message: str

    def as_json(self) -> dict[str, str]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Imported:
    """What the sources say, as spec data (camelCase keys, in the spec's order), with the report."""

    spec: dict[str, Any] = dataclasses.field(default_factory=dict)
    notes: list[Note] = dataclasses.field(default_factory=list)
    sources: list[str] = dataclasses.field(default_factory=list)
    #: The chart release values are for, when they do not say (`--chart-version`).
    chart_version: str | None = None

    def at(self, *path: str) -> dict[str, Any]:
        """The mapping at `path`, made where missing."""
        node = self.spec
        for part in path:
            node = node.setdefault(part, {})
        return node

    def not_carried(self, source: str, path: str, message: str) -> None:
        self.notes.append(Note(NOT_CARRIED, source, path, message))

    def secret(self, source: str, path: str, name: str, environment_variable: str) -> None:
        message = f"secret `{name}`: provide it in ${environment_variable} before `secrets push`"
        self.notes.append(Note(SECRET, source, path, message))

    @property
    def complete(self) -> bool:
        """Everything was carried (secrets to provide are no loss)."""
        return not any(note.kind == NOT_CARRIED for note in self.notes)


#: The spec's top-level keys in the order `init` and the examples write them.
_ORDER = (
    "apiVersion", "name", "airflow", "dags", "packages", "packageIndex", "extraPackageIndexes", "volumes",
    "variables", "connections", "pools", "secrets", "targets",
)  # fmt: skip


def spec_text(imported: Imported, name: str | None, today: str) -> str:
    """The spec as YAML, headed by where it came from and when; `name` (else the sources') names it."""
    from airflowspec.emit import comment_text, to_yaml
    from airflowspec.spec import EksTarget, MwaaTarget

    data = dict(imported.spec)
    data["name"] = name or data.get("name") or "imported"
    ordered = {key: data[key] for key in _ORDER if key in data} | data
    for target, model in (("eks", EksTarget), ("mwaa", MwaaTarget)):
        found = ordered.get("targets", {}).get(target)
        if isinstance(found, dict):  # in the order of the model's fields
            fields = [field.alias or key for key, field in model.model_fields.items()]
            ordered["targets"][target] = {key: found[key] for key in fields if key in found} | found
    header = [
        "# yaml-language-server: $schema=airflowspec.schema.json",
        f"# Imported by airflowspec on {today} from:",
        *(f"#   {source}" for source in imported.sources),
    ]
    return "\n".join(comment_text(line) for line in header) + "\n" + to_yaml(ordered)

"""Build `airflowspec/data/config_reference.py`, the options Airflow reads per minor release, from Airflow's
own distributions.

    python -m airflowspec.data.build_config_reference --download /tmp/airflow-dists   # pip downloads them
    python -m airflowspec.data.build_config_reference --from /tmp/airflow-dists       # offline, from that folder

The distributions: the newest patch release of every Airflow minor from 2.0 in `airflow_releases`
(apache-airflow for 2.x, apache-airflow-core for 3.x, whose wheels hold airflow/config_templates/config.yml)
and the provider releases in PROVIDER_RELEASES. A folder may hold wheels or sdists; nothing is imported or run.

What an option's letter says, for each minor:
* it exists when that release's config.yml declares it, or a listed provider's `config:` does for a section
  the release's config.yml lacks (`[celery]` from 2.7, `[aws]`, `[fab]` ...; before 2.7 not for a section
  some Airflow release declares itself), or the parser still reads it as a deprecated name
  (`deprecated_options`, `deprecated_sections`) of one that exists;
* its type is how Airflow parses the value: when every read with literal names in the release's code and
  in the providers' code is `getboolean` (or `getint`, `getfloat`), that type; when one is a plain `get`,
  text (`[webserver] expose_config` also takes `non-sensitive-only`); when the code shows no read,
  config.yml's `type`. (config.yml says `string` for options Airflow parses, such as `load_examples`.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from packaging.version import Version

from airflowspec.data.airflow_releases import AIRFLOW_RELEASES
from airflowspec.data.config_sources import Distribution, Key, Option, find_archives, read_distribution

#: Providers whose options count: those the targets' images ship (amazon, celery, cncf.kubernetes, fab,
#: elasticsearch, microsoft.azure, openlineage, postgres, snowflake, standard) and the executors and auth
#: managers people add (edge3, keycloak, opensearch). For each, the first release with a `config:` and the
#: newest of each major since: options are only dropped at a major or between those (celery dropped
#: worker_precheck in 3.x), so their union is every option a release of theirs reads.
PROVIDER_RELEASES = (
    "apache-airflow-providers-amazon==8.29.0",
    "apache-airflow-providers-amazon==9.39.0",
    "apache-airflow-providers-celery==3.3.0",
    "apache-airflow-providers-celery==3.26.0",
    "apache-airflow-providers-cncf-kubernetes==7.4.0",
    "apache-airflow-providers-cncf-kubernetes==7.14.0",
    "apache-airflow-providers-cncf-kubernetes==8.4.2",
    "apache-airflow-providers-cncf-kubernetes==9.0.1",
    "apache-airflow-providers-cncf-kubernetes==10.25.0",
    "apache-airflow-providers-edge3==1.6.0",
    "apache-airflow-providers-edge3==2.0.1",
    "apache-airflow-providers-edge3==3.8.0",
    "apache-airflow-providers-edge3==4.3.2",
    "apache-airflow-providers-edge3==5.1.0",
    "apache-airflow-providers-elasticsearch==5.5.3",
    "apache-airflow-providers-elasticsearch==6.10.0",
    "apache-airflow-providers-fab==1.5.4",
    "apache-airflow-providers-fab==2.4.4",
    "apache-airflow-providers-fab==3.10.2",
    "apache-airflow-providers-keycloak==0.11.2",
    "apache-airflow-providers-microsoft-azure==15.2.1",
    "apache-airflow-providers-openlineage==1.14.0",
    "apache-airflow-providers-openlineage==2.20.3",
    "apache-airflow-providers-opensearch==1.15.0",
    "apache-airflow-providers-postgres==7.1.1",
    "apache-airflow-providers-snowflake==6.20.0",
    "apache-airflow-providers-standard==1.21.0",
)
#: Sections Airflow hands whole to a library, so any option there is read: Sentry's SDK, Celery's
#: broker and result-backend transports, the Elasticsearch and OpenSearch clients (`conf.getsection`).
OPEN_SECTIONS = (
    "celery_broker_transport_options",
    "celery_result_backend_transport_options",
    "elasticsearch_configs",
    "opensearch_configs",
    "sentry",
)
LETTERS = {"string": "s", "boolean": "b", "integer": "i", "float": "f"}
OUTPUT = Path(__file__).with_name("config_reference.py")
_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclasses.dataclass(frozen=True)
class Reference:
    """What config_reference.py holds."""

    minors: tuple[str, ...]
    core_sources: dict[str, str]  # minor -> "apache-airflow 2.9.3"
    provider_sources: tuple[str, ...]
    open_sections: tuple[str, ...]
    options: dict[str, dict[str, str]]  # section -> option -> one letter per minor
    deprecated: dict[str, dict[str, str]]  # section -> option -> `d` per minor where it is a deprecated name


def core_releases() -> dict[str, str]:
    """Minor -> the requirement of its newest patch release, from 2.0 on."""
    newest: dict[str, Version] = {}
    for text in AIRFLOW_RELEASES:
        version = Version(text)
        minor = f"{version.major}.{version.minor}"
        if version.major >= 2 and (minor not in newest or version > newest[minor]):
            newest[minor] = version
    ordered = sorted(newest.items(), key=lambda item: item[1])
    return {minor: f"{_core_name(version)}=={version}" for minor, version in ordered}


def _core_name(version: Version) -> str:
    return "apache-airflow" if version.major < 3 else "apache-airflow-core"


def build(
    folder: Path, core_requirements: dict[str, str] | None = None, providers: Sequence[str] = PROVIDER_RELEASES
) -> Reference:
    """The reference from the distributions in `folder` (raises FileNotFoundError naming what is missing).
    Default: the newest patch of every minor (`core_releases`) and PROVIDER_RELEASES."""
    core_requirements = core_requirements or core_releases()
    archives = find_archives(folder, [*core_requirements.values(), *providers])
    provided = [read_distribution(archives[requirement]) for requirement in providers]
    cores = {minor: read_distribution(archives[requirement]) for minor, requirement in core_requirements.items()}
    core_sections = {section for core in cores.values() for section, _ in core.options}
    core_sections |= {new for core in cores.values() for new in core.deprecated_sections.values()}
    per_minor = [letters_for(core, provided, core_sections) for core in cores.values()]
    deprecated = [
        {key: "d" for key in _deprecated_names(core, letters)}
        for core, letters in zip(cores.values(), per_minor, strict=True)
    ]
    return Reference(
        minors=tuple(cores),
        core_sources={minor: core.label for minor, core in cores.items()},
        provider_sources=tuple(provider.label for provider in provided),
        open_sections=OPEN_SECTIONS,
        options=_columns(per_minor),
        deprecated=_columns(deprecated),
    )


def _columns(per_minor: Sequence[dict[Key, str]]) -> dict[str, dict[str, str]]:
    """section -> option -> its letters in each minor, `-` where a minor lacks it; sorted."""
    table: dict[str, dict[str, str]] = {}
    for section, option in sorted({key for letters in per_minor for key in letters}):
        table.setdefault(section, {})[option] = "".join(letters.get((section, option), "-") for letters in per_minor)
    return table


def _deprecated_names(core: Distribution, letters: dict[Key, str]) -> set[Key]:
    """The names a release reads only as deprecated forms of others (not also declared in its config.yml)."""
    old_sections = set(core.deprecated_sections)
    names = {key for key in letters if key[0] in old_sections or key in core.deprecated_options}
    return {key for key in names if key not in core.options}


def letters_for(core: Distribution, providers: Sequence[Distribution], core_sections: set[str]) -> dict[Key, str]:
    """(section, option) -> its letter in one minor, for every name a spec can write. `core_sections`: every
    section some Airflow release declares or renames itself (before 2.7, which loads providers' options,
    Airflow ran those executors itself, under its own names: 2.4 reads `[kubernetes]`, not `[kubernetes_executor]`)."""
    own = {section for section, _ in core.options}
    taken = own if Version(core.version) >= Version("2.7") else own | core_sections
    declared = dict(core.options)
    declared.update({key: option for key, option in _provided(providers).items() if key[0] not in taken})
    reads: dict[Key, frozenset[str]] = {}
    for distribution in (core, *providers):
        for key, kinds in distribution.reads.items():
            reads[key] = reads.get(key, frozenset()) | kinds
    letters = {
        key: _letter(option, reads.get(key, frozenset()), key in core.sensitive) for key, option in declared.items()
    }
    aliases = dict(core.deprecated_options)
    for old_section, new_section in core.deprecated_sections.items():
        aliases.update(
            {(old_section, option): (section, option) for section, option in declared if section == new_section}
        )
    for old, new in aliases.items():
        if new in declared and old not in letters:
            kinds = reads.get(new, frozenset()) | reads.get(old, frozenset())
            letters[old] = _letter(declared[new], kinds, new in core.sensitive or old in core.sensitive)
    return {key: letter for key, letter in letters.items() if all(map(_is_name, key))}


def _provided(providers: Sequence[Distribution]) -> dict[Key, Option]:
    """Every provider option: the newest release's type; sensitive if any release says so."""
    found: dict[Key, Option] = {}
    for provider in sorted(providers, key=lambda item: (item.name, Version(item.version))):
        for key, option in provider.options.items():
            sensitive = option.sensitive or (key in found and found[key].sensitive)
            found[key] = Option(option.type, sensitive)
    return found


def _letter(option: Option, reads: frozenset[str], listed_sensitive: bool) -> str:
    letter = LETTERS[parsed_as(option.type, reads)]
    return letter.upper() if option.sensitive or listed_sensitive else letter


def parsed_as(declared: str, reads: frozenset[str]) -> str:
    """What a value must be for every reader: one typed reader decides; any plain read makes it text."""
    if not reads:
        return declared if declared in LETTERS else "string"
    if reads == {"integer", "float"}:
        return "integer"  # both int() and float() take it
    return next(iter(reads)) if len(reads) == 1 else "string"


def _is_name(name: str) -> bool:
    """What `airflow.config` accepts as a section or option name (the spec's ConfigName)."""
    return bool(name) and name[0].isalpha() and set(name) <= _NAME_CHARACTERS


def download(folder: Path) -> None:
    """pip downloads every distribution the reference is built from (no dependencies) into `folder`, one
    at a time: pip would refuse two releases of one project in one call."""
    for requirement in [*core_releases().values(), *PROVIDER_RELEASES]:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(folder), requirement]
        subprocess.run(command, check=True)


def render(reference: Reference) -> str:
    """config_reference.py's text: deterministic, as `ruff format` leaves it."""
    lines = [
        '"""Airflow\'s configuration options per minor release, and how Airflow parses each value.',
        "",
        "Generated by `python -m airflowspec.data.build_config_reference` (read it for what each letter rests on);",
        "do not edit. Each option has one letter per minor in MINORS: `-` that release does not read it, `s` text,",
        "`b` a boolean, `i` an integer, `f` a float; upper case: sensitive, so Airflow reads its `_cmd` and",
        "`_secret` forms too.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "MINORS = (",
        *(f"    {_quoted(minor)}," for minor in reference.minors),
        ")",
        "#: The release each minor's options come from: its newest patch.",
        "CORE_SOURCES = {",
        *(f"    {_quoted(minor)}: {_quoted(label)}," for minor, label in reference.core_sources.items()),
        "}",
        "#: Provider releases whose options count wherever Airflow's own config.yml lacks their section.",
        "PROVIDER_SOURCES = (",
        *(f"    {_quoted(label)}," for label in reference.provider_sources),
        ")",
        "#: Sections Airflow passes whole to a library: any option there is read.",
        "OPEN_SECTIONS = frozenset(",
        "    {",
        *(f"        {_quoted(section)}," for section in reference.open_sections),
        "    }",
        ")",
    ]
    lines += _table("OPTIONS", reference.options)
    lines.append("#: Names a minor reads only as deprecated forms of others: `d` in each minor where that is so.")
    lines += _table("DEPRECATED", reference.deprecated)
    return "\n".join(lines) + "\n"


def _table(name: str, table: dict[str, dict[str, str]]) -> list[str]:
    lines = [f"{name}: dict[str, dict[str, str]] = {{"]
    for section, options in table.items():
        lines.append(f"    {_quoted(section)}: {{")
        lines += [f"        {_quoted(option)}: {_quoted(column)}," for option, column in options.items()]
        lines.append("    },")
    return [*lines, "}"]


def _quoted(text: str) -> str:
    return json.dumps(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="folder", type=Path, help="a folder that holds the wheels or sdists")
    source.add_argument("--download", type=Path, help="pip download the distributions into this folder first")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default: %(default)s")
    arguments = parser.parse_args(argv)
    folder: Path = arguments.download or arguments.folder
    if arguments.download:
        folder.mkdir(parents=True, exist_ok=True)
        download(folder)
    try:
        reference = build(folder)
    except FileNotFoundError as missing:
        print(f"error: {missing}; run with --download FOLDER to fetch them", file=sys.stderr)
        return 1
    write(arguments.output, render(reference))
    count, sections = sum(map(len, reference.options.values())), len(reference.options)
    print(f"wrote {arguments.output}: {count} options in {sections} sections, {len(reference.minors)} minors")
    return 0


def write(path: Path, text: str) -> None:
    from airflowspec.output import write_artifacts
    from airflowspec.targets import Artifact

    write_artifacts(path.parent, [Artifact(path.name, text)])


if __name__ == "__main__":
    sys.exit(main())

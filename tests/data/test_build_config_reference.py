"""config_reference.py is what build_config_reference writes, for the releases airflow_releases lists.

Without the network: the committed table must name the newest patch of every minor and the provider
releases the script lists, and must be the script's own rendering of its data; the script's reading and
merging rules are checked on small distributions built here. With the real distributions in a folder,
`AIRFLOWSPEC_CONFIG_DISTS=FOLDER pytest tests/data` rebuilds the whole table and compares it (the script's
`--download FOLDER` fetches them).
"""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from airflowspec.data import build_config_reference as script
from airflowspec.data import config_reference
from airflowspec.data.config_sources import read_distribution

COMMITTED = Path(config_reference.__file__)


def _committed() -> script.Reference:
    return script.Reference(
        minors=config_reference.MINORS,
        core_sources=config_reference.CORE_SOURCES,
        provider_sources=config_reference.PROVIDER_SOURCES,
        open_sections=tuple(sorted(config_reference.OPEN_SECTIONS)),
        options=config_reference.OPTIONS,
        deprecated=config_reference.DEPRECATED,
    )


def test_every_minor_from_2_0_at_its_newest_patch_and_the_listed_providers() -> None:
    expected = {minor: requirement.replace("==", " ") for minor, requirement in script.core_releases().items()}
    assert expected == config_reference.CORE_SOURCES, "rebuild: python -m airflowspec.data.build_config_reference"
    assert tuple(p.replace("==", " ") for p in script.PROVIDER_RELEASES) == config_reference.PROVIDER_SOURCES
    assert tuple(sorted(config_reference.OPEN_SECTIONS)) == script.OPEN_SECTIONS
    assert config_reference.MINORS[0] == "2.0" and "3.3" in config_reference.MINORS


def test_the_table_is_the_scripts_rendering_of_it() -> None:
    assert script.render(_committed()) == COMMITTED.read_text(encoding="utf-8")


def test_every_column_has_a_letter_per_minor() -> None:
    for table, letters in ((config_reference.OPTIONS, set("-sbifSBIF")), (config_reference.DEPRECATED, {"-", "d"})):
        for section, options in table.items():
            for option, column in options.items():
                assert len(column) == len(config_reference.MINORS) and set(column) <= letters, (section, option)


@pytest.mark.skipif(not os.environ.get("AIRFLOWSPEC_CONFIG_DISTS"), reason="AIRFLOWSPEC_CONFIG_DISTS names no folder")
def test_a_full_rebuild_gives_the_committed_table() -> None:
    rebuilt = script.build(Path(os.environ["AIRFLOWSPEC_CONFIG_DISTS"]))
    assert script.render(rebuilt) == COMMITTED.read_text(encoding="utf-8")


# Small distributions with what the rules rest on.
_CONFIG_24 = """\
- name: core
  options:
  - {name: load_examples, type: string, default: "True"}
  - {name: parallelism, type: string, default: "32"}
  - {name: sql_alchemy_conn, type: string, sensitive: true}
  - {name: expose_config, type: string}
- name: kubernetes
  options:
  - {name: namespace, type: string}
- name: celery
  options:
  - {name: worker_concurrency, type: integer}
"""
_CONFIG_27 = """\
core:
  options:
    load_examples: {type: string}
    parallelism: {type: integer}
database:
  options:
    sql_alchemy_conn: {type: string, sensitive: true}
    Not-A-Name: {type: string}
"""
_CODE = """\
from airflow.configuration import conf
conf.getboolean("core", "load_examples")
conf.getboolean("CORE", "expose_config")
conf.get("core", "expose_config").lower() == "non-sensitive-only"
conf.getint("celery", "worker_concurrency")
"""
_PARSER_27 = """\
class AirflowConfigParser:
    deprecated_options: dict = {("database", "sql_alchemy_conn"): ("core", "sql_alchemy_conn", "2.3.0")}
    deprecated_sections = {"kubernetes_executor": ("kubernetes", "2.5.0")}
"""
_PROVIDER = """\
def get_provider_info():
    return {"package-name": "x", "config": {
        "celery": {"options": {
            "worker_concurrency": {"type": "string"}, "broker_url": {"type": "string", "sensitive": True}
        }},
        "kubernetes_executor": {"options": {"namespace": {"type": "string"}}},
        "aws": {"options": {"session_factory": {"type": "string"}}},
    }}
"""


def _wheel(folder: Path, name: str, files: dict[str, str]) -> None:
    with zipfile.ZipFile(folder / name, "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)


def _sdist(folder: Path, name: str, root: str, files: dict[str, str]) -> None:
    with tarfile.open(folder / name, "w:gz") as sdist:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{root}/{path}")
            info.size = len(data)
            sdist.addfile(info, io.BytesIO(data))


def test_build_from_small_distributions(tmp_path: Path) -> None:
    config = "airflow/config_templates/config.yml"
    _wheel(tmp_path, "apache_airflow-2.4.3-py3-none-any.whl", {config: _CONFIG_24, "airflow/jobs/x.py": _CODE})
    files_27 = {config: _CONFIG_27, "airflow/configuration.py": _PARSER_27, "airflow/x.py": _CODE}
    _sdist(tmp_path, "apache_airflow-2.7.3.tar.gz", "apache_airflow-2.7.3/src", files_27)
    _wheel(
        tmp_path,
        "apache_airflow_providers_celery-3.3.0-py3-none-any.whl",
        {"airflow/providers/celery/get_provider_info.py": _PROVIDER},
    )
    cores = {"2.4": "apache-airflow==2.4.3", "2.7": "apache-airflow==2.7.3"}
    reference = script.build(tmp_path, cores, ["apache-airflow-providers-celery==3.3.0"])
    assert reference.options == {
        "aws": {"session_factory": "ss"},  # a provider's section no Airflow release declares: in every minor
        "celery": {"broker_url": "-S", "worker_concurrency": "ii"},  # 2.4 ran Celery itself, from its config.yml
        "core": {
            "expose_config": "s-",  # a plain read besides getboolean: text
            "load_examples": "bb",  # config.yml says string; the code parses a boolean
            "parallelism": "si",
            "sql_alchemy_conn": "SS",  # 2.7: a deprecated name of database.sql_alchemy_conn
        },
        "database": {"sql_alchemy_conn": "-S"},
        "kubernetes": {"namespace": "ss"},  # 2.7: a deprecated name of the provider's [kubernetes_executor]
        "kubernetes_executor": {"namespace": "-s"},  # not in 2.4, which read [kubernetes]
    }
    assert reference.deprecated == {"core": {"sql_alchemy_conn": "-d"}, "kubernetes": {"namespace": "-d"}}
    assert reference.core_sources == {"2.4": "apache-airflow 2.4.3", "2.7": "apache-airflow 2.7.3"}


def test_a_missing_distribution_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"lacks apache-airflow==2\.4\.3"):
        script.build(tmp_path, {"2.4": "apache-airflow==2.4.3"}, [])


def test_a_provider_without_config_declares_nothing(tmp_path: Path) -> None:
    info = "def get_provider_info():\n    return {'package-name': 'apache-airflow-providers-http'}\n"
    _wheel(
        tmp_path,
        "apache_airflow_providers_http-6.3.0-py3-none-any.whl",
        {"airflow/providers/http/get_provider_info.py": info},
    )
    distribution = read_distribution(tmp_path / "apache_airflow_providers_http-6.3.0-py3-none-any.whl")
    assert (distribution.label, distribution.options) == ("apache-airflow-providers-http 6.3.0", {})

"""MWAA: Amazon Managed Workflows for Apache Airflow.

`render --target mwaa` writes three files: `template.yaml`, a CloudFormation template with one
`AWS::MWAA::Environment` whose S3 object versions are parameters (a new requirements.txt is a
parameter change), headed by the commands that upload those files and deploy it with every
parameter; `requirements.txt`, pinned by the constraints of the exact Airflow and Python MWAA runs
(installed only when the spec lists packages: without them the template has no RequirementsS3Path);
and `ssm-parameters.json`, the connections and variables that `airflowspec ssm push` writes to SSM
Parameter Store, where Airflow's SSM secrets backend reads them, with every secret a placeholder that
names it. The backend is configured only when the spec has connections or variables. Task logs go
to CloudWatch at INFO unless `logging.task` says otherwise; the other logs only when given a level.
Pools and volumes have no place on MWAA: they are reported and left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from airflowspec.diagnostics import Diagnostic, error
from airflowspec.emit import comment_text
from airflowspec.render import render_template
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.targets import Artifact
from airflowspec.targets.mwaa.content_rules import check_contents
from airflowspec.targets.mwaa.deploy_command import deploy_lines
from airflowspec.targets.mwaa.properties import check_properties
from airflowspec.targets.mwaa.requirements import compile_requirements
from airflowspec.targets.mwaa.rules import check_environment
from airflowspec.targets.mwaa.ssm_parameters import ssm_parameters
from airflowspec.targets.mwaa.stack_rules import check_wiring
from airflowspec.targets.mwaa.template import compile_template
from airflowspec.targets.mwaa.template_rules import check_template_strings


class _Mwaa:
    name = "mwaa"
    files: tuple[str, ...] = ("template.yaml", "requirements.txt", "ssm-parameters.json")

    def check(self, spec: Spec) -> Iterable[Diagnostic]:
        mwaa = spec.targets.mwaa
        if mwaa is None:
            return _missing_block()
        return [
            *check_environment(spec, mwaa),
            *check_wiring(spec, mwaa),
            *check_properties(spec, mwaa),
            *check_contents(spec, mwaa),
            *check_template_strings(spec, mwaa),
        ]

    def compile(self, spec: Spec, source: str) -> list[Artifact]:
        mwaa = spec.targets.mwaa
        assert mwaa is not None  # check() reports a missing block before compiling
        header = comment_text(source)  # the file name goes only into comments and a JSON string, on one line
        template = render_template(
            "mwaa/template.yaml.j2",
            source=header,
            deploy=[comment_text(line) for line in deploy_lines(spec, mwaa)],
            template=compile_template(spec, mwaa, source),
        )
        parameters = render_template("mwaa/ssm-parameters.json.j2", source=header, parameters=_parameters(spec, mwaa))
        return [
            Artifact("template.yaml", template),
            Artifact("requirements.txt", compile_requirements(spec, source)),
            Artifact("ssm-parameters.json", parameters),
        ]


def _parameters(spec: Spec, mwaa: MwaaTarget) -> list[dict[str, str]]:
    return [parameter.as_json() for parameter in ssm_parameters(spec, mwaa)]


def _missing_block() -> Iterator[Diagnostic]:
    yield error(
        "AS400",
        "the spec has no `targets.mwaa`, which MWAA needs (bucket, role, network)",
        ("targets",),
        "add a `targets.mwaa` block",
        on_key=True,
    )


MWAA = _Mwaa()

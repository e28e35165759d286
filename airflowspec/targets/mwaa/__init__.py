"""MWAA: Amazon Managed Workflows for Apache Airflow.

`render --target mwaa` writes four files: `template.yaml`, a CloudFormation template with one
`AWS::MWAA::Environment` whose S3 object versions are parameters (a new requirements.txt is a
parameter change), headed by the commands that upload those files and deploy it with every
parameter; `requirements.txt`, pinned by the constraints of the exact Airflow and Python MWAA runs
(installed only when the spec lists packages: without them the template has no RequirementsS3Path);
and the connections and variables that `airflowspec secrets push` writes to the store the spec chose
(`secretsBackend`), where Airflow's backend for it reads them, with every secret a placeholder that
names it: `ssm-parameters.json` for SSM Parameter Store (the default; `airflowspec ssm push` writes
them too), `secretsmanager-secrets.json` for Secrets Manager. Both files are always written, the one
of the store not chosen empty, so that a change of store shows in `diff` and `render --check` as
entries leaving one file for the other. The backend is configured only when the spec has connections
or variables. A fifth, `startup.sh`, only when a package index needs credentials (`package_indexes`):
MWAA runs one startup script, and a stub beside a script of the user's own would be uploaded in its place. Task logs go
to CloudWatch at INFO unless `logging.task` says otherwise; the other logs only when given a level.
Pools and volumes have no place on MWAA: they are reported and left out.

Wired into a stack. `name` (the spec's `name` when unset), `sourceBucketArn`, `executionRoleArn`,
`kmsKey`, each of `network.subnetIds` and `network.securityGroupIds`, and `createSecurityGroup.vpcId`
are each a literal, `{parameter: Name}` or `{import: ExportName}`. A parameter becomes a template
parameter of the type its field needs (an ARN or name a `String` with the AllowedPattern of the
literal's rule; a subnet `AWS::EC2::Subnet::Id`, a security group `AWS::EC2::SecurityGroup::Id`, a
VPC `AWS::EC2::VPC::Id`) and the property its `Ref`; an import becomes `Fn::ImportValue`. A list may
instead be one `{parameter: Name}` of a list type (`List<AWS::EC2::Subnet::Id>`...). One name may
serve several values of one kind (AS427 otherwise), and none the template uses itself (AS428).
Parameter names are letters and digits, starting with a letter: the header's deploy command passes
each from the shell variable of that name (`Subnets="${Subnets:?}"`, a list comma-separated) and
stops when it is unset; the uploads find the bucket from the ARN in the bucket's parameter, or from
`SOURCE_BUCKET` when an import gives it.

`createExecutionRole: true` (instead of `executionRoleArn`, AS429) makes the role with the policy
MWAA's user guide documents, for the environment's own name, bucket and log groups; with `kmsKey` it
may use that key only (so the key is given by ARN or id, AS430), without one MWAA's own; and it may
read the spec's connections and variables, only when there are any and only under their prefixes
(`ssm:GetParameter`). The role has no name of its own: the deploy command passes `--capabilities
CAPABILITY_IAM`. `network.createSecurityGroup: {vpcId}` makes a group in that VPC whose rule lets
the environment's parts reach one another (all traffic from itself), as MWAA needs, and gives it to
the environment first, before the listed groups (one to five in all, AS407). Outputs: the
environment's `Arn` and `WebserverUrl`, exported as `<stack name>-EnvironmentArn` and
`<stack name>-WebserverUrl` for other stacks to import.

`properties` is merged into the environment's properties last, checked against CloudFormation's
schema of AWS::MWAA::Environment (`targets.mwaa.properties`: AS450-AS454). Every property the
template writes is set by a spec field, which the refusal names; so it is for what a newer schema
adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from airflowspec.diagnostics import Diagnostic, error
from airflowspec.emit import comment_text
from airflowspec.render import render_template
from airflowspec.spec import Spec
from airflowspec.targets import Artifact
from airflowspec.targets.mwaa.content_rules import check_contents
from airflowspec.targets.mwaa.deploy_command import deploy_lines
from airflowspec.targets.mwaa.package_indexes import (
    STARTUP_SCRIPT,
    check_startup_script,
    startup_script,
    uses_startup_script,
)
from airflowspec.targets.mwaa.properties import check_properties
from airflowspec.targets.mwaa.requirements import compile_requirements
from airflowspec.targets.mwaa.rules import check_environment
from airflowspec.targets.mwaa.secret_stores import (
    SecretStore,
    chosen_store,
    secrets_manager_store,
    ssm_store,
    store_entries,
)
from airflowspec.targets.mwaa.secrets_manager_rules import check_secrets_backend
from airflowspec.targets.mwaa.stack_rules import check_wiring
from airflowspec.targets.mwaa.template import compile_template
from airflowspec.targets.mwaa.template_rules import check_template_strings


class _Mwaa:
    name = "mwaa"
    files: tuple[str, ...] = (
        "template.yaml",
        "requirements.txt",
        STARTUP_SCRIPT,
        "ssm-parameters.json",
        "secretsmanager-secrets.json",
    )
    optional: tuple[str, ...] = (STARTUP_SCRIPT,)

    def check(self, spec: Spec) -> Iterable[Diagnostic]:
        mwaa = spec.targets.mwaa
        if mwaa is None:
            return _missing_block()
        return [
            *check_environment(spec, mwaa),
            *check_wiring(spec, mwaa),
            *check_properties(spec, mwaa),
            *check_contents(spec, mwaa),
            *check_secrets_backend(spec, mwaa),
            *check_template_strings(spec, mwaa),
            *check_startup_script(spec, mwaa),
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
        return [
            Artifact("template.yaml", template),
            Artifact("requirements.txt", compile_requirements(spec, source)),
            *_startup_script(spec, chosen_store(mwaa), header),
            *(
                _entries(spec, store, chosen_store(mwaa), header)
                for store in (ssm_store(mwaa), secrets_manager_store(mwaa))
            ),
        ]


_COMMANDS = {"ssm": "`airflowspec ssm push`", "secretsManager": "`airflowspec secrets push`"}
_HOMES = {"ssm": "SSM Parameter Store", "secretsManager": "Secrets Manager"}


def _startup_script(spec: Spec, store: SecretStore, header: str) -> list[Artifact]:
    return [Artifact(STARTUP_SCRIPT, startup_script(spec, store, header))] if uses_startup_script(spec) else []


def _entries(spec: Spec, store: SecretStore, chosen: SecretStore, header: str) -> Artifact:
    """The store's file: its entries when the spec chose it, else none and where they are."""
    if store.key == chosen.key:
        note = f"{_COMMANDS[store.key]} writes these, each <secret:NAME> filled from the secret's env source."
        entries = [entry.as_json() for entry in store_entries(spec, store)]
    else:
        note = f"None here: the spec keeps connections and variables in {_HOMES[chosen.key]} ({chosen.artifact})."
        entries = []
    text = render_template("mwaa/entries.json.j2", source=header, note=note, key=store.entries, entries=entries)
    return Artifact(store.artifact, text)


def _missing_block() -> Iterator[Diagnostic]:
    yield error(
        "AS400",
        "the spec has no `targets.mwaa`, which MWAA needs (bucket, role, network)",
        ("targets",),
        "add a `targets.mwaa` block",
        on_key=True,
    )


MWAA = _Mwaa()

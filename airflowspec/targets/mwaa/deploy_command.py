"""The header of template.yaml: the commands that deploy the template as rendered.

`aws cloudformation deploy` gives every template parameter that `--parameter-overrides` leaves out
its previous value (UsePreviousValue) when the stack exists, and no value when it is new; so the
command passes every parameter: the version each upload prints, or the version the spec pins, and
for each `{parameter: P}` of the spec the shell variable `P` (the command stops if it is unset). A
template that makes the execution role is deployed with `--capabilities CAPABILITY_IAM`.
"""

from __future__ import annotations

from airflowspec.diagnostics import shell_word
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.spec.stack import StackImport, StackParameter
from airflowspec.targets.mwaa.package_indexes import STARTUP_SCRIPT, uses_startup_script
from airflowspec.targets.mwaa.stack_values import template_parameters
from airflowspec.targets.mwaa.template import ObjectFile, object_files

_BUCKET_VARIABLE = "SOURCE_BUCKET"


def deploy_lines(spec: Spec, mwaa: MwaaTarget) -> list[str]:
    """Comment lines, without their `# `; each printable (spec text is shell-quoted, `?` for a control
    character), so none can end the comment."""
    files = object_files(spec, mwaa)
    wired = list(template_parameters(spec, mwaa))
    bucket = _bucket(mwaa)
    deploy = "aws cloudformation deploy --template-file template.yaml --stack-name STACK"
    if mwaa.create_execution_role:  # an IAM role without a name of its own
        deploy += " --capabilities CAPABILITY_IAM"
    overrides = [f'{name}="${{{name}:?}}"' for name in wired]
    overrides += [f"{file.parameter}={_value(file)}" for file in files]
    uploads = [file for file in files if not file.version]
    lines = _introduction(bool(files), bool(uploads)) + _stack_values(wired, mwaa, bool(files))
    rendered = _rendered(spec)
    lines += [f"  {_variable(file)}=$({_upload(file, bucket, rendered)})" for file in uploads]
    if not overrides:
        return [*lines, f"  {deploy}"]
    lines.append(f"  {deploy} --parameter-overrides \\")
    last = len(overrides) - 1
    lines += [f"    {override}" + (" \\" if index < last else "") for index, override in enumerate(overrides)]
    if not files:
        return lines
    lines += _notes(files, uploads, rendered)
    lines += [
        "To pass a version already in the bucket, list the file's versions (newest first), e.g.:",
        f"  aws s3api list-object-versions --bucket {bucket} --prefix {shell_word(files[0].key)}"
        " --query 'Versions[].[Key,VersionId,LastModified]' --output text",
    ]
    return lines


def _introduction(files: bool, uploads: bool) -> list[str]:
    if not files:
        return ["Deploy from this folder:"]
    if not uploads:
        return ["Deploy from this folder, passing every version (`deploy` keeps the last value of one left out):"]
    return [
        "Deploy from this folder: upload each file the environment installs, keep the VersionId that",
        "`aws s3api put-object` prints, and pass every version (`deploy` keeps the last value of one left out):",
    ]


def _stack_values(wired: list[str], mwaa: MwaaTarget, names_bucket: bool) -> list[str]:
    """What to set first: each template parameter's value in a shell variable of the parameter's name
    (a parameter name is letters and digits), and the bucket's name when the commands need it and an
    import gives it."""
    lines = []
    if wired:
        lines.append(f"First set {', '.join(wired)}: each template parameter's value, a list comma-separated.")
    if names_bucket and isinstance(mwaa.source_bucket_arn, StackImport):
        export = mwaa.source_bucket_arn.import_
        lines.append(f"Set {_BUCKET_VARIABLE} to the name of the bucket whose ARN the export {export} holds.")
    return lines


def _bucket(mwaa: MwaaTarget) -> str:
    """The bucket's name in the commands: from the literal ARN; from the ARN in the parameter's shell
    variable; or from SOURCE_BUCKET, for an import."""
    arn = mwaa.source_bucket_arn
    if isinstance(arn, StackParameter):
        return f'"${{{arn.parameter}##*:}}"'
    if isinstance(arn, StackImport):
        return f'"${_BUCKET_VARIABLE}"'
    return shell_word(arn.rpartition(":")[2])


def _rendered(spec: Spec) -> dict[str, str]:
    """The files `render` writes beside template.yaml that the environment installs, by property prefix."""
    rendered = {"Requirements": "requirements.txt"}
    if uses_startup_script(spec):
        rendered["StartupScript"] = STARTUP_SCRIPT
    return rendered


def _notes(files: list[ObjectFile], uploads: list[ObjectFile], rendered: dict[str, str]) -> list[str]:
    notes = []
    pinned = [file.parameter for file in files if file.version]
    if pinned:
        notes.append(f"The spec pins {' and '.join(pinned)}.")
    copied = [_body(file, rendered) for file in uploads if file.prefix not in rendered]
    if copied:
        notes.append(f"Copy {' and '.join(copied)} here first, or give another path in --body.")
    return notes


def _upload(file: ObjectFile, bucket: str, rendered: dict[str, str]) -> str:
    return (
        f"aws s3api put-object --bucket {bucket} --key {shell_word(file.key)} --body {_body(file, rendered)}"
        " --query VersionId --output text"
    )


def _body(file: ObjectFile, rendered: dict[str, str]) -> str:
    """The local file to upload: one `render` wrote, or the key's last part."""
    return shell_word(rendered.get(file.prefix) or file.key.rpartition("/")[2])


def _value(file: ObjectFile) -> str:
    return shell_word(file.version) if file.version else f'"${_variable(file)}"'


def _variable(file: ObjectFile) -> str:
    """REQUIREMENTS_VERSION, PLUGINS_VERSION, STARTUP_SCRIPT_VERSION."""
    words = "".join(f"_{char}" if char.isupper() else char for char in file.prefix).lstrip("_")
    return f"{words.upper()}_VERSION"

"""The header of template.yaml: the commands that deploy the template as rendered.

`aws cloudformation deploy` gives every template parameter that `--parameter-overrides` leaves out
its previous value (UsePreviousValue) when the stack exists, and no value when it is new; so the
command passes every parameter: the version each upload prints, or the version the spec pins.
"""

from __future__ import annotations

from airflowspec.diagnostics import shell_word
from airflowspec.spec import MwaaTarget, Spec
from airflowspec.targets.mwaa.template import ObjectFile, object_files

_RENDERED = {"Requirements": "requirements.txt"}  # the files `render` writes beside template.yaml


def deploy_lines(spec: Spec, mwaa: MwaaTarget) -> list[str]:
    """Comment lines, without their `# `; each printable (spec text is shell-quoted, `?` for a control
    character), so none can end the comment."""
    files = object_files(spec, mwaa)
    bucket = shell_word(mwaa.source_bucket_arn.rpartition(":")[2])
    deploy = "aws cloudformation deploy --template-file template.yaml --stack-name STACK"
    if not files:
        return ["Deploy from this folder:", f"  {deploy}"]
    uploads = [file for file in files if not file.version]
    lines = _introduction(bool(uploads))
    lines += [f"  {_variable(file)}=$({_upload(file, bucket)})" for file in uploads]
    lines.append(f"  {deploy} --parameter-overrides \\")
    lines += [f"    {file.parameter}={_value(file)}" + (" \\" if file is not files[-1] else "") for file in files]
    lines += _notes(files, uploads)
    lines += [
        "To pass a version already in the bucket, list the file's versions (newest first), e.g.:",
        f"  aws s3api list-object-versions --bucket {bucket} --prefix {shell_word(files[0].key)}"
        " --query 'Versions[].[Key,VersionId,LastModified]' --output text",
    ]
    return lines


def _introduction(uploads: bool) -> list[str]:
    if not uploads:
        return ["Deploy from this folder, passing every version (`deploy` keeps the last value of one left out):"]
    return [
        "Deploy from this folder: upload each file the environment installs, keep the VersionId that",
        "`aws s3api put-object` prints, and pass every version (`deploy` keeps the last value of one left out):",
    ]


def _notes(files: list[ObjectFile], uploads: list[ObjectFile]) -> list[str]:
    notes = []
    pinned = [file.parameter for file in files if file.version]
    if pinned:
        notes.append(f"The spec pins {' and '.join(pinned)}.")
    copied = [_body(file) for file in uploads if file.prefix not in _RENDERED]
    if copied:
        notes.append(f"Copy {' and '.join(copied)} here first, or give another path in --body.")
    return notes


def _upload(file: ObjectFile, bucket: str) -> str:
    return (
        f"aws s3api put-object --bucket {bucket} --key {shell_word(file.key)} --body {_body(file)}"
        " --query VersionId --output text"
    )


def _body(file: ObjectFile) -> str:
    """The local file to upload: the rendered requirements.txt, or the key's last part."""
    return shell_word(_RENDERED.get(file.prefix) or file.key.rpartition("/")[2])


def _value(file: ObjectFile) -> str:
    return shell_word(file.version) if file.version else f'"${_variable(file)}"'


def _variable(file: ObjectFile) -> str:
    """REQUIREMENTS_VERSION, PLUGINS_VERSION, STARTUP_SCRIPT_VERSION."""
    words = "".join(f"_{char}" if char.isupper() else char for char in file.prefix).lstrip("_")
    return f"{words.upper()}_VERSION"

"""Build `airflowspec/data/mwaa_environment_schema.json` from CloudFormation's resource schema.

    python -m airflowspec.data.build_mwaa_schema --from FILE

FILE is the CloudFormation registry schema of AWS::MWAA::Environment (as cfn-lint bundles it, or as
`aws cloudformation describe-type --type RESOURCE --type-name AWS::MWAA::Environment` prints in its
`Schema`). What `targets.mwaa.properties` is checked against is kept: the type name, the properties
and the definitions they use, and which properties are read-only, write-only or create-only; the
descriptions and the handlers are dropped. Written as sorted JSON, so that a rebuild from the same
schema gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from airflowspec.inputs import read_file

OUTPUT = Path(__file__).resolve().parent / "mwaa_environment_schema.json"
_KEPT = (
    "typeName",
    "properties",
    "definitions",
    "readOnlyProperties",
    "writeOnlyProperties",
    "createOnlyProperties",
)


def build(source: Path) -> str:
    schema = json.loads(read_file(source))
    if schema.get("typeName") != "AWS::MWAA::Environment":
        raise SystemExit(f"{source} is not the schema of AWS::MWAA::Environment")
    kept = {key: _without_descriptions(schema[key]) for key in _KEPT if key in schema}
    return json.dumps(kept, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _without_descriptions(value) for key, value in node.items() if key != "description"}
    if isinstance(node, list):
        return [_without_descriptions(item) for item in node]
    return node


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, required=True, help="the CloudFormation schema file")
    text = build(parser.parse_args(argv).source)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

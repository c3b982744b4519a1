"""The command's findings in its formats: text (mypy's, with column), json, github, sarif."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final

from mypy_uvicorn import constants
from mypy_uvicorn.command.mypy_messages import Message

FORMATS: Final = ("text", "json", "github", "sarif")

# A control character in a message (a newline from a literal, say) would split or forge a line
# of text output: shown escaped, as Python writes it in a string.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


def render(found: Sequence[Message], output_format: str, version: str = "unknown") -> list[str]:
    if output_format == "json":
        return [json.dumps(_record(message)) for message in found]
    if output_format == "github":
        return [_workflow_command(message) for message in found]
    if output_format == "sarif":
        return [json.dumps(sarif(found, version), indent=2)]
    return [_text(message) for message in found] + [summary(found)]


def summary(found: Sequence[Message]) -> str:
    errors = [message for message in found if message.severity == "error"]
    notes = len(found) - len(errors)
    noted = f" ({_plural(notes, 'note')})" if notes else ""
    if not errors:
        return f"Success: no uvicorn findings{noted}"
    files = len({message.file for message in errors})
    return f"Found {_plural(len(errors), 'uvicorn finding')} in {_plural(files, 'file')}{noted}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _escape(text: str) -> str:
    return _CONTROL.sub(lambda match: repr(match[0])[1:-1], text)


def _text(message: Message) -> str:
    where = f"{message.file}:{message.line}"
    if message.column is not None:
        where += f":{message.column}"
    code = f"  [{message.code}]" if message.code else ""
    return f"{_escape(where)}: {message.severity}: {_escape(message.message)}{code}"


def _record(message: Message) -> dict[str, object]:
    return {
        "file": message.file,
        "line": message.line,
        "column": message.column,
        "end_line": message.end_line,
        "end_column": message.end_column,
        "severity": message.severity,
        "code": message.code,
        "message": message.message,
    }


def _workflow_command(message: Message) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    command = "error" if message.severity == "error" else "notice"
    properties = {"file": message.file, "line": message.line, "col": message.column}
    properties |= {"endLine": message.end_line, "endColumn": message.end_column}
    properties["title"] = message.code or "mypy-uvicorn"
    listed = ",".join(f"{k}={_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{command} {listed}::{_data(message.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as GitHub code scanning reads it.
SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_RULES: Final = {code.name: code.description for code in constants.OWN}


def sarif(found: Sequence[Message], version: str) -> dict[str, object]:
    """One SARIF log: a run of mypy-uvicorn, its rules (this project's codes, and mypy's own
    codes where one of its errors on a uvicorn call is shown), a result per finding."""
    rule_ids = sorted({message.code or "mypy" for message in found} | set(_RULES))
    rules = [
        {
            "id": rule,
            "shortDescription": {
                "text": _RULES.get(rule, f"mypy's {rule} error on a uvicorn call")
            },
            "helpUri": "https://pypi.org/project/mypy-uvicorn/",
        }
        for rule in rule_ids
    ]
    index = {rule: number for number, rule in enumerate(rule_ids)}
    results = []
    for message in found:
        rule = message.code or "mypy"
        region: dict[str, int] = {"startLine": message.line}
        if message.column is not None:
            region["startColumn"] = message.column
        if message.end_line is not None and message.end_column is not None:
            # mypy's end column is the column after the end (0-based), SARIF's is 1-based and
            # exclusive too: the same number.
            region |= {"endLine": message.end_line, "endColumn": message.end_column + 1}
        results.append(
            {
                "ruleId": rule,
                "ruleIndex": index[rule],
                "level": "error" if message.severity == "error" else "note",
                "message": {"text": message.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": message.file.replace("\\", "/")},
                            "region": region,
                        }
                    }
                ],
            }
        )
    driver = {
        "name": "mypy-uvicorn",
        "version": version,
        "informationUri": "https://pypi.org/project/mypy-uvicorn/",
        "rules": rules,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }

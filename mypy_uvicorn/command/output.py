"""The command's findings in its three formats: text (mypy's, with column), json, github."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Final

from mypy_uvicorn.command.mypy_messages import Message

FORMATS: Final = ("text", "json", "github")

# A control character in a message (a newline from a literal, say) would split or forge a line
# of text output: shown escaped, as Python writes it in a string.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


def render(found: Sequence[Message], output_format: str) -> list[str]:
    if output_format == "json":
        return [json.dumps(_record(message)) for message in found]
    if output_format == "github":
        return [_workflow_command(message) for message in found]
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

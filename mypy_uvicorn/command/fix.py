"""`mypy-uvicorn --fix` and `--diff`: write the import string a finding names, where it is certain.

A finding is fixed only when its message names one string to pass and nothing in it is a "may":
`uvicorn-import-string` with `pass "main:app"` (the application argument becomes that string,
and `factory=True` is added where the message says so) and `uvicorn-import-string-invalid` with
`pass "main:app"` on a plain string literal. The call is found in Python's syntax tree at the
position mypy reports it, and only the spans of its arguments change: the rest of the file (its
comments, line endings, indentation, quotes) is kept byte for byte. Imports that become unused
stay: removing one could change what runs at import.
"""

from __future__ import annotations

import ast
import difflib
import io
import os
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from mypy_uvicorn.command import calls as uvicorn_calls
from mypy_uvicorn.command.mypy_messages import Message

# The codes whose findings may carry a certain fix.
IMPORT_STRING: Final = "uvicorn-import-string"
INVALID: Final = "uvicorn-import-string-invalid"

_PASS_STRING: Final = re.compile(r'; pass "(?P<string>[^"\\]+)"(?P<factory> with factory=True)?$')
_INVALID: Final = re.compile(
    r'^Invalid import string "(?P<old>[^"\\]*)": .*; pass "(?P<new>[^"\\]+)"$'
)
# A finding that is not certain for the call: the fix could change what the call does.
_UNCERTAIN: Final = (" may be enabled", " may be above 1", " may be an application object")
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Edit:
    start: int  # offsets in the file's text
    end: int
    text: str


@dataclass
class FilePlan:
    """The edits of one file, made from the text the check read."""

    path: str
    original: str
    edits: list[Edit]
    fixed: list[Message]

    def result(self) -> str:
        text = self.original
        for edit in sorted(self.edits, key=lambda edit: edit.start, reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text

    def diff(self, shown: str) -> str:
        """The unified diff, with git's `a/` and `b/` before a relative `shown` path (as `git
        apply` reads it) and an absolute one as it is. Lines end only where Python's reading of
        a file ends them (CR LF, CR, LF): a form feed or U+2028 stays inside its line."""
        before = _lines(self.original)
        after = _lines(self.result())
        old, new = (shown, shown) if os.path.isabs(shown) else (f"a/{shown}", f"b/{shown}")
        lines = difflib.unified_diff(before, after, old, new)
        # A last line without a line break gets the marker `patch` and `git apply` expect.
        marker = "\n\\ No newline at end of file\n"
        return "".join(line if line.endswith(("\n", "\r")) else line + marker for line in lines)


def _lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def read(path: str) -> str | None:
    """A file's text with its line endings as they are; None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def plan(path: str, text: str, findings: Sequence[Message]) -> FilePlan:
    """The edits that fix the certain findings of one file (`findings`: those of this file)."""
    result = FilePlan(path, text, [], [])
    # A UTF-8 byte order mark is kept, outside the text that is parsed and edited.
    bom = 1 if text.startswith("\ufeff") else 0
    body = text[bom:]
    try:
        tree = ast.parse(body)
    except (SyntaxError, ValueError):
        return result
    offsets = _LineOffsets(body)
    read = uvicorn_calls.read(body)
    positions = read.positions if read is not None else frozenset()
    # uvicorn's calls, as the command reads them (aliases such as `from uvicorn import run as
    # serve` included): only those are ever edited.
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (node.lineno, node.col_offset) in positions
    ]
    app_arguments = {id(app) for app in map(_application, calls) if app is not None}
    quote = _quote_of(body)
    done: set[int] = set()
    for finding in findings:
        call = _call_of(finding, calls)
        if call is None or id(call) in done:
            continue
        if finding.code == IMPORT_STRING and _set_up_before(call, tree, app_arguments):
            continue  # the string would start the application without that set-up
        edits = [
            Edit(edit.start + bom, edit.end + bom, edit.text)
            for edit in _edits(finding, call, offsets, quote)
        ]
        if edits and _parses(FilePlan(path, text, [*result.edits, *edits], []).result()[bom:]):
            done.add(id(call))
            result.edits += edits
            result.fixed.append(finding)
    return result


def _call_of(finding: Message, calls: list[ast.Call]) -> ast.Call | None:
    """The uvicorn call a finding is reported on: the one at mypy's span (a column in UTF-8
    bytes, as Python's syntax tree counts). mypy 2's native parser counts columns otherwise on a
    line with non-ASCII text before the position: then the one uvicorn call over the same
    lines, or none when there are several."""
    if finding.column is None or finding.end_line is None or finding.end_column is None:
        return None
    span = (finding.line, finding.column - 1, finding.end_line, finding.end_column)
    for call in calls:
        if (call.lineno, call.col_offset, call.end_lineno, call.end_col_offset) == span:
            return call
    same_lines = [
        call for call in calls if (call.lineno, call.end_lineno) == (finding.line, finding.end_line)
    ]
    return same_lines[0] if len(same_lines) == 1 else None


def _edits(finding: Message, call: ast.Call, offsets: _LineOffsets, quote: str) -> list[Edit]:
    app = _application(call)
    if app is None:
        return []
    if finding.code == IMPORT_STRING:
        match = _PASS_STRING.search(finding.message)
        if match is None or any(word in finding.message for word in _UNCERTAIN):
            return []
        start, end = offsets.span(app)
        edits = [Edit(start, end, _literal(match["string"], quote))]
        if match["factory"]:
            factory = _factory_edit(call, offsets)
            if factory is None:
                return []
            edits.append(factory)
        return edits
    if finding.code == INVALID:
        match = _INVALID.match(finding.message)
        if match is None or not isinstance(app, ast.Constant) or app.value != match["old"]:
            return []
        start, end = offsets.span(app)
        source = offsets.text[start:end]
        # A plain literal only: no prefix, no escapes, no implicit concatenation.
        if len(source) < 2 or source[0] not in "\"'" or source[1:-1] != match["old"]:
            return []
        return [Edit(start, end, _literal(match["new"], source[0]))]
    return []


def _set_up_before(call: ast.Call, tree: ast.Module, app_arguments: set[int]) -> bool:
    """Whether the application name is used before the call in a block that does not run when
    the module is imported (the `__main__` guard, a function, any block inside them), other than
    by one plain binding (`application = create_app()`) or as the application of another uvicorn
    call: `app.include_router(...)` under the main guard runs in this process only, and a string
    would start without it. The module's own top level runs on import: its set-up stays."""
    app = _application(call)
    if not isinstance(app, ast.Name):
        return False
    path = _enclosing_blocks(tree.body, call)
    for depth, (block, index) in enumerate(path):
        if depth == 0:
            continue  # the module's top level
        earlier = block[:index]
        uses = [
            s for s in earlier
            if any(
                isinstance(n, ast.Name) and n.id == app.id and id(n) not in app_arguments
                for n in ast.walk(s)
            )
        ]  # fmt: skip
        plain = [
            s for s in uses
            if isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name) and s.targets[0].id == app.id
            and not any(isinstance(n, ast.Name) and n.id == app.id for n in ast.walk(s.value))
        ]  # fmt: skip
        if len(uses) > len(plain) or len(plain) > 1 or (plain != [] and plain != uses[-1:]):
            return True
    return False


def _enclosing_blocks(block: list[ast.stmt], call: ast.Call) -> list[tuple[list[ast.stmt], int]]:
    """Each block from `block` down to the innermost that holds the call, with the index of the
    statement there that holds it; empty when `block` does not hold it."""
    for index, statement in enumerate(block):
        if not any(node is call for node in ast.walk(statement)):
            continue
        for inner in _inner_blocks(statement):
            found = _enclosing_blocks(inner, call)
            if found:
                return [(block, index), *found]
        return [(block, index)]
    return []


def _inner_blocks(statement: ast.stmt) -> list[list[ast.stmt]]:
    blocks: list[list[ast.stmt]] = []
    for field in ("body", "orelse", "finalbody"):
        inner = getattr(statement, field, None)
        if isinstance(inner, list) and all(isinstance(s, ast.stmt) for s in inner):
            blocks.append(inner)
    # An except handler and a match case each hold their own statements.
    parts = [*getattr(statement, "handlers", []), *getattr(statement, "cases", [])]
    return blocks + [part.body for part in parts]


def _parses(text: str) -> bool:
    """A safety net: an edit that would leave the file unparsable is not made."""
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _application(call: ast.Call) -> ast.expr | None:
    if call.args:
        first = call.args[0]
        return None if isinstance(first, ast.Starred) else first
    for keyword in call.keywords:
        if keyword.arg == "app":
            return keyword.value
    return None


def _factory_edit(call: ast.Call, offsets: _LineOffsets) -> Edit | None:
    for keyword in call.keywords:
        if keyword.arg == "factory":
            start, end = offsets.span(keyword.value)
            return Edit(start, end, "True")
        if keyword.arg is None:
            return None  # `**options` may hold factory: not certain
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    last = max(arguments, key=lambda node: (node.end_lineno or 0, node.end_col_offset or 0))
    _, end = offsets.span(last)
    text = offsets.text
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if call.lineno != last.lineno and text.startswith(",", after):
        # One argument per line: a line of its own, indented as the last argument's, after
        # that line's comment (only when nothing else follows the comma on that line).
        line_end = _LINE_BREAK.search(text, after)
        rest = text[after + 1 : line_end.start() if line_end else len(text)].strip()
        if line_end is not None and (not rest or rest.startswith("#")):
            indent = offsets.indentation(last.lineno)
            return Edit(line_end.start(), line_end.start(), f"{line_end[0]}{indent}factory=True,")
    return Edit(end, end, ", factory=True")


def _literal(value: str, quote: str) -> str:
    return f"{quote}{value}{quote}"


def _quote_of(text: str) -> str:
    """The quote the file writes its strings with: the more frequent of the two."""
    counts = {'"': 0, "'": 0}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                body = token.string.lstrip("rbuRBUfF")
                if body[:1] in counts:
                    counts[body[0]] += 1
    except (tokenize.TokenError, SyntaxError):
        pass
    return "'" if counts["'"] > counts['"'] else '"'


class _LineOffsets:
    """Offsets in the text of the positions Python's syntax tree gives (a line, and a column in
    UTF-8 bytes of that line)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return start + len(self.text[start:end].encode()[:column].decode(errors="ignore"))

    def span(self, node: ast.expr | ast.keyword) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)
        end = self.offset(node.end_lineno or node.lineno, node.end_col_offset or node.col_offset)
        return start, end

    def indentation(self, line: int) -> str:
        start = self.starts[line - 1]
        text = self.text[start:]
        return text[: len(text) - len(text.lstrip(" \t"))]


def write(file_plan: FilePlan) -> bool:
    """Write the fixed text, unless the file changed since the check read it."""
    if read(file_plan.path) != file_plan.original:
        return False
    with open(file_plan.path, "w", encoding="utf-8", newline="") as handle:
        handle.write(file_plan.result())
    return True

"""A `# type: ignore` inside a function without annotations, under both ways of running mypy.

The command checks such a body (it turns on check_untyped_defs) and needs the comment; plain mypy
does not check it, and with warn_unused_ignores reports the same comment as unused. The README
gives one form for both: these runs take its example as printed.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from harness import ROOT, mypy, mypy_uvicorn, stdout_stderr

HEADING = "### `# type: ignore` in a function without annotations"
HEADER = "import uvicorn\n\n\nasync def app(scope, receive, send):\n    pass\n\n\n"
FOOTER = '\n\nif __name__ == "__main__":\n    main()\n'
SHORT = "# type: ignore[uvicorn-import-string]"


def readme_example() -> str:
    """The first indented block under the README's heading, dedented."""
    text = (ROOT / "README.md").read_text()
    assert HEADING in text, "the README has no section on this"
    block: list[str] = []
    for line in text.split(HEADING, 1)[1].splitlines():
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line)
        elif block:
            break
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def write(project: Path, body: str) -> None:
    (project / "main.py").write_text(HEADER + body + FOOTER)
    (project / "mypy.ini").write_text(
        "[mypy]\nplugins = mypy_uvicorn\nwarn_unused_ignores = True\n"
    )


# The tests of this file run on one worker (tests/conftest.py): `caches` stays warm.
@pytest.fixture(scope="module")
def caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """mypy caches shared by the tests (one per set of options): only main.py differs."""
    return tmp_path_factory.mktemp("caches")


def plain_mypy(project: Path, caches: Path, *args: str) -> tuple[int, str]:
    cache = caches / ("plain" + "".join(args))
    result = mypy("--cache-dir", cache, *args, "main.py", cwd=project)
    return result.returncode, stdout_stderr(result)


def command(project: Path, caches: Path) -> tuple[int, str]:
    result = mypy_uvicorn("main.py", cwd=project, cache=caches / "command")
    return result.returncode, stdout_stderr(result)


def test_the_readme_gives_an_example() -> None:
    example = readme_example()
    assert example.startswith("def main():\n"), example
    assert "uvicorn.run(app, reload=True)  # type: ignore[" in example, example


@pytest.mark.parametrize("check_untyped_defs", [False, True])
def test_the_readme_form_is_clean_for_plain_mypy(
    project: Path, caches: Path, check_untyped_defs: bool
) -> None:
    write(project, readme_example())
    args = ["--check-untyped-defs"] if check_untyped_defs else []
    status, out = plain_mypy(project, caches, *args)
    assert (status, out.strip()) == (0, "Success: no issues found in 1 source file"), out


def test_the_readme_form_is_clean_for_the_command(project: Path, caches: Path) -> None:
    write(project, readme_example())
    status, out = command(project, caches)
    assert (status, out.strip()) == (0, "Success: no uvicorn findings"), out


def test_the_command_needs_a_comment(project: Path, caches: Path) -> None:
    # The control: without the comment the command reports the line, so the comment is used.
    write(project, readme_example().split("  # type:")[0] + "\n")
    status, out = command(project, caches)
    assert status == 1, out
    assert "main.py:9:5: error:" in out and "[uvicorn-import-string]" in out, out  # line:column


def test_the_short_form_is_unused_to_plain_mypy(project: Path, caches: Path) -> None:
    # Why the README adds unused-ignore: the comment the command needs, alone, fails plain mypy.
    write(project, f"def main():\n    uvicorn.run(app, reload=True)  {SHORT}\n")
    assert command(project, caches)[0] == 0
    status, out = plain_mypy(project, caches)
    assert status == 1, out
    assert 'main.py:9: error: Unused "type: ignore" comment  [unused-ignore]' in out, out

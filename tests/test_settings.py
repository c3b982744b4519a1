"""The plugin's settings: [tool.mypy_uvicorn] in pyproject.toml, [mypy.plugins.mypy_uvicorn] in
mypy.ini / setup.cfg; bad input; the mypy cache follows a change of setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import mypy as run_mypy
from mypy.version import __version__ as mypy_version

from mypy_uvicorn.plugin import Settings, SettingsError, load

PROGRAM = (
    "import uvicorn\n"
    "async def app(scope: object, receive: object, send: object) -> None: ...\n"
    "uvicorn.run(app)\n"
)
FINDING = 'main.py:3: error: "workers" is not given, so uvicorn reads WEB_CONCURRENCY'


def mypy(project: Path, *args: str) -> tuple[int, str, str]:
    (project / "main.py").write_text(PROGRAM)
    result = run_mypy(*args, "main.py", cwd=project)
    return result.returncode, result.stdout, result.stderr


def pyproject(project: Path, settings: str) -> None:
    (project / "pyproject.toml").write_text(
        f'[tool.mypy]\nplugins = ["mypy_uvicorn"]\n\n[tool.mypy_uvicorn]\n{settings}\n'
    )


def test_pyproject_setting_turns_the_check_on(project: Path) -> None:
    pyproject(project, "web_concurrency = true")
    status, out, _ = mypy(project)
    assert status == 1
    assert FINDING in out
    assert "[uvicorn-web-concurrency]" in out


def test_setup_cfg_setting_turns_the_check_on(project: Path) -> None:
    (project / "setup.cfg").write_text(
        "[mypy]\nplugins = mypy_uvicorn\n\n[mypy.plugins.mypy_uvicorn]\nweb_concurrency = yes\n"
    )
    status, out, _ = mypy(project)
    assert (status, FINDING in out) == (1, True)


def test_off_by_default(project: Path) -> None:
    pyproject(project, "")
    status, out, _ = mypy(project)
    assert (status, out.strip()) == (0, "Success: no issues found in 1 source file")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            "web_concurency = true",
            'pyproject.toml: [tool.mypy_uvicorn]: unknown key "web_concurency"'
            " (known keys: web_concurrency)",
        ),
        (
            'web_concurrency = "yes"',
            "pyproject.toml: [tool.mypy_uvicorn]:"
            " \"web_concurrency\" must be true or false, not 'yes'",
        ),
    ],
)
def test_bad_settings_give_one_line_and_status_2(
    project: Path, settings: str, expected: str
) -> None:
    pyproject(project, settings)
    status, out, err = mypy(project)
    assert status == 2
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and lines[0].endswith(expected), lines[0]


def test_a_changed_setting_invalidates_the_cache(project: Path) -> None:
    # report_config_data carries the settings: a warm cache must not hide the new check.
    cache = ["--cache-dir", str(project / "cache")]
    pyproject(project, "web_concurrency = false")
    assert mypy(project, *cache)[0] == 0
    pyproject(project, "web_concurrency = true")
    status, out, _ = mypy(project, *cache)
    assert (status, FINDING in out) == (1, True)
    pyproject(project, "web_concurrency = false")
    assert mypy(project, *cache)[0] == 0


def test_enable_error_code_needs_mypy_1_19(project: Path) -> None:
    (project / "mypy.ini").write_text(
        "[mypy]\nplugins = mypy_uvicorn\nenable_error_code = uvicorn-web-concurrency\n"
    )
    status, out, err = mypy(project)
    major, minor = (int(part) for part in mypy_version.split(".")[:2])
    if (major, minor) >= (1, 19):
        assert (status, FINDING in out) == (1, True)
    else:
        # Older mypy validates error codes before it loads plugins, warns and goes on without
        # the code: hence the plugin setting.
        assert (status, FINDING in out) == (0, False)
        assert "enable_error_code: Invalid error code(s): uvicorn-web-concurrency" in err


def test_inline_enable_error_code_reaches_only_its_module(project: Path) -> None:
    # The plugin leaves out findings whose code the module does not report (they would still
    # count as errors while mypy tries overload items); it must ask per module.
    (project / "mypy.ini").write_text("[mypy]\nplugins = mypy_uvicorn\n")
    (project / "on.py").write_text(
        '# mypy: enable-error-code="uvicorn-web-concurrency"\n' + PROGRAM
    )
    (project / "off.py").write_text(PROGRAM)
    result = run_mypy("on.py", "off.py", cwd=project)
    major, minor = (int(part) for part in mypy_version.split(".")[:2])
    if (major, minor) >= (1, 19):
        assert FINDING.replace("main.py:3", "on.py:4") in result.stdout
    assert "off.py" not in result.stdout


def test_load_reads_both_formats(tmp_path: Path) -> None:
    toml = tmp_path / "pyproject.toml"
    toml.write_text("[tool.mypy_uvicorn]\nweb_concurrency = true\n")
    ini = tmp_path / "mypy.ini"
    ini.write_text("[mypy]\n[mypy.plugins.mypy_uvicorn]\nweb_concurrency = off\n")
    assert load(str(toml)) == Settings(web_concurrency=True)
    assert load(str(ini)) == Settings(web_concurrency=False)
    assert load(None) == Settings()
    (tmp_path / "empty.toml").write_text("[tool.mypy]\n")
    assert load(str(tmp_path / "empty.toml")) == Settings()
    assert Settings(web_concurrency=True).as_config_data() == {"web_concurrency": True}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("mypy.ini", "[mypy.plugins.mypy_uvicorn]\nweb_concurrency = maybe\n", 'not "maybe"'),
        ("mypy.ini", "[mypy.plugins.mypy_uvicorn]\nreload = true\n", 'unknown key "reload"'),
        ("pyproject.toml", "[tool]\nmypy_uvicorn = 3\n", "must be a table"),
        ("pyproject.toml", "[tool.mypy_uvicorn\n", "cannot read the mypy_uvicorn settings"),
        ("setup.cfg", "no section header\n", "cannot read the mypy_uvicorn settings"),
    ],
)
def test_load_rejects_bad_input(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(SettingsError) as raised:
        load(str(path))
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)

"""The mypy releases the package admits: from the oldest supported one (the one CI runs the suite
on) to the one the suite is pinned to, and no newer minor release, whose internals the plugin has
not been tested against; the `compatible-mypy` extra pins the tested release."""

from __future__ import annotations

import re
import sys
from importlib import metadata

from harness import ROOT
from packaging.requirements import Requirement
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # mypy's own dependency there
    import tomli as tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def mypy_requirements(requirements: list[str]) -> list[Requirement]:
    return [r for r in map(Requirement, requirements) if r.name == "mypy"]


def only_pin(requirements: list[str]) -> Version:
    """The version of the one `mypy==X` of a list of requirements."""
    (mypy,) = mypy_requirements(requirements)
    (specifier,) = mypy.specifier
    assert specifier.operator == "==", mypy
    return Version(specifier.version)


DEPENDENCY = mypy_requirements(PROJECT["dependencies"])
TESTED = only_pin(PROJECT["optional-dependencies"]["test"])
# The oldest supported mypy: .ci/run runs the whole suite on it.
OLDEST = Version(re.findall(r"MYPY_UVICORN_TEST_MYPY=([\d.]+)", (ROOT / ".ci/run").read_text())[0])


def test_one_mypy_dependency_with_both_bounds() -> None:
    assert len(DEPENDENCY) == 1, DEPENDENCY
    operators = sorted(s.operator for s in DEPENDENCY[0].specifier)
    assert operators == ["<", ">="], DEPENDENCY


def test_the_bound_admits_the_tested_and_the_oldest_mypy() -> None:
    (dependency,) = DEPENDENCY
    assert dependency.specifier.contains(TESTED), (dependency, TESTED)
    assert dependency.specifier.contains(OLDEST), (dependency, OLDEST)
    assert OLDEST < TESTED


def test_the_bound_excludes_the_next_minor_and_what_is_older_than_the_oldest() -> None:
    (dependency,) = DEPENDENCY
    next_minor = Version(f"{TESTED.major}.{TESTED.minor + 1}.0")
    assert not dependency.specifier.contains(next_minor), (dependency, next_minor)
    assert not dependency.specifier.contains(next_minor, prereleases=True), dependency
    # Every patch release of the tested minor is admitted.
    assert dependency.specifier.contains(Version(f"{TESTED.major}.{TESTED.minor}.99")), dependency
    older = Version(f"{OLDEST.major}.{OLDEST.minor - 1}.99") if OLDEST.minor else None
    if older is not None:
        assert not dependency.specifier.contains(older), (dependency, older)


def test_compatible_mypy_extra_pins_the_tested_mypy() -> None:
    assert only_pin(PROJECT["optional-dependencies"]["compatible-mypy"]) == TESTED
    assert PROJECT["optional-dependencies"]["compatible-mypy"] == [f"mypy=={TESTED}"]


def test_the_installed_wheel_declares_the_same() -> None:
    declared = [Requirement(r) for r in metadata.requires("mypy-uvicorn") or []]
    plain = [r for r in declared if r.name == "mypy" and r.marker is None]
    assert [str(r.specifier) for r in plain] == [str(DEPENDENCY[0].specifier)]
    extra = {"extra": "compatible-mypy"}
    compatible = [
        r
        for r in declared
        if r.name == "mypy" and r.marker is not None and r.marker.evaluate(extra)
    ]
    assert [str(r.specifier) for r in compatible] == [f"=={TESTED}"]

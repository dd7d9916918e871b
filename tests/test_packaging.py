"""What the package claims about itself: the Python it installs on, its typing marker."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import metadata

from helpers import ROOT


def _floor(spec: str) -> tuple[int, ...]:
    match = re.search(r">=\s*([0-9.]+)", spec)
    assert match, f"no lower bound in {spec!r}"
    return tuple(int(x) for x in match.group(1).split("."))


def test_requires_python_is_what_the_dependencies_need():
    """pip refuses a dependency whose Requires-Python excludes the interpreter, so the
    project's floor must be at least scikit-learn's (the release training needs), and the
    README must say the same version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = _floor(project["requires-python"])
    sklearn_floor = _floor(metadata("scikit-learn")["Requires-Python"])
    assert floor >= sklearn_floor[:2]
    assert sys.version_info[:2] >= floor
    claimed = ".".join(map(str, floor))
    assert f"Python {claimed}+" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_on_the_claimed_floor():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python="python${floor}"' in script and '"$python" -m venv .venv' in script


def test_package_is_marked_typed():
    assert (ROOT / "classifier" / "py.typed").is_file()

"""Harness for braid's end-to-end tests: run the built binary on fixture repos.

The tests run with Debian's python3 and pytest (`python3 -m pytest tests/e2e`
from the source root; CTest does this as the `e2e` test). They find braid
through the environment:

    BRAID_BIN          the braid executable; tests that need it skip when unset
    BRAID_SOURCE_DIR   the braid source checkout (default: two levels up)

Fixtures:

    braid(repo, *args) -> Result(code, stdout, stderr)
        Runs braid with `repo` as the current directory. A Result unpacks like
        a tuple: `code, out, err = braid(repo, "list", "::")`.
    make_repo(files) -> Path
        Writes a fixture repository from {relative path: text} into a fresh
        temporary directory (texts are dedented) and returns its root.
"""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from pathlib import Path
from typing import Dict, NamedTuple, Optional

import pytest

SOURCE_DIR = Path(os.environ.get("BRAID_SOURCE_DIR") or Path(__file__).resolve().parents[2])
EXAMPLE_DIR = SOURCE_DIR / "docs" / "example"


class Result(NamedTuple):
    code: int
    stdout: str
    stderr: str


def write_repo(root: Path, files: Dict[str, str]) -> Path:
    """Writes `files` ({relative path: text}) below `root`; texts are dedented
    and a leading newline is dropped, so they can be written as indented
    triple-quoted strings."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def assert_located(stderr: str, path: str, line: int, column: Optional[int] = None) -> str:
    """Asserts that `stderr` has a message starting with `path:line:col: `
    (any column when `column` is None) and returns the rest of that line."""
    # `path:line:col: ` or, when no column is asked for, also `path:line: `.
    col = f":{column}" if column is not None else r"(?::\d+)?"
    pattern = r"(?<![\w/.-])" + re.escape(path) + f":{line}{col}: (.*)"
    match = re.search(pattern, stderr)
    assert match, f"no message located at {path}:{line}:{column or '<col>'} in:\n{stderr}"
    return match.group(1)


def fixture_repo(make_repo, tmp_path: Path, files: Dict[str, str], extra_toml: str = "") -> Path:
    """A repo (via the make_repo fixture) with src/ and tests/ source roots and its own store
    and sandbox root under `tmp_path`, so tests never share caches."""
    toml = (
        "[GLOBAL]\n"
        f'local_store_dir = "{tmp_path / "store"}"\n'
        f'local_execution_root_dir = "{tmp_path / "sandboxes"}"\n'
        "[source]\n"
        'root_patterns = ["/src", "/tests"]\n'
    ) + extra_toml
    return make_repo({"pants.toml": toml, **files})


@pytest.fixture(scope="session")
def braid_home(tmp_path_factory) -> Path:
    """A HOME shared by the braid runs of one test session, so that a user's
    ~/.pants.rc or caches cannot change what the tests see."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture
def braid(braid_home):
    binary = os.environ.get("BRAID_BIN")
    if not binary:
        pytest.skip("BRAID_BIN is not set: the braid executable is not built yet")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"BRAID_BIN={binary} is not an executable file")

    def run(repo: Path, *args: str, timeout: float = 120) -> Result:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
        env.update(HOME=str(braid_home), NO_COLOR="1", TERM="dumb")
        proc = subprocess.run(
            [binary, *args],
            cwd=repo,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def make_repo(tmp_path):
    def make(files: Dict[str, str]) -> Path:
        return write_repo(tmp_path / "repo", files)

    return make

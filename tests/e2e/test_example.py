"""The example monorepo (docs/example) stays usable without braid or Pants,
and its golden list stays in step with its files."""

import ast
import os
import re
import subprocess
import sys

from conftest import EXAMPLE_DIR, SOURCE_DIR

# The target types the example's BUILD files may use (all Pants 2.x built-ins).
KNOWN_CALLS = {
    "__defaults__",
    "dict",
    "files",
    "pex_binary",
    "platform_resources",  # braid.plugins.platform_resources (enabled in pants.toml)
    "python_artifact",
    "python_distribution",
    "python_requirements",
    "python_sources",
    "python_test_utils",
    "python_tests",
    "resources",
}


def test_example_tests_pass_on_plain_python3():
    env = dict(os.environ, PYTHONPATH="src:tests", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"\b\d+ passed\b", proc.stdout)
    assert "failed" not in proc.stdout


def build_files():
    return sorted(EXAMPLE_DIR.rglob("BUILD"))


def test_build_files_are_python_calls_to_known_target_types():
    assert len(build_files()) == 13
    for path in build_files():
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                assert isinstance(node.func, ast.Name), f"{path}:{node.lineno}"
                assert node.func.id in KNOWN_CALLS, f"{path}:{node.lineno}: {node.func.id}"
        for stmt in tree.body:
            assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call), (
                f"{path}:{stmt.lineno}: only top-level calls are allowed"
            )


def test_golden_lists_every_owned_file_once():
    golden = (EXAMPLE_DIR / "EXPECTED_LIST.txt").read_text().splitlines()
    paths = [line.split(":")[0].split("#")[0].lstrip("/") for line in golden]
    file_addresses = [p for p in paths if p and (EXAMPLE_DIR / p).is_file()]
    owned = sorted(
        str(p.relative_to(EXAMPLE_DIR))
        for top in ("src", "tests")
        for p in (EXAMPLE_DIR / top).rglob("*")
        if p.suffix in (".py", ".json") and "__pycache__" not in p.parts
    )
    owned += ["VERSION", "requirements.txt"]
    assert sorted(file_addresses) == sorted(owned)
    assert len(golden) == len(set(golden))


def test_pants_toml_example_is_valid_toml():
    import tomllib  # Python 3.11+, as on Debian 12

    config = tomllib.loads((SOURCE_DIR / "pants.toml.example").read_text())
    assert set(config) == {"GLOBAL", "source", "python", "python-infer", "test", "pytest"}


def test_braid_accepts_pants_toml_example(braid, make_repo):
    repo = make_repo(
        {
            "pants.toml": (SOURCE_DIR / "pants.toml.example").read_text(),
            "src/app/BUILD": "python_sources()\n",
            "src/app/main.py": "",
        }
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 0, err
    assert out == "src/app:app\nsrc/app/main.py\n"

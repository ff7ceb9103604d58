"""tests/bench/generate.py: deterministic, valid, and the sizes it promises."""

import importlib.util
import os
import subprocess
import sys

from conftest import SOURCE_DIR

GENERATE = SOURCE_DIR / "tests" / "bench" / "generate.py"


def generate(out, *args):
    proc = subprocess.run(
        [sys.executable, str(GENERATE), "--out", str(out), *args],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def snapshot(root):
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes(tmp_path):
    generate(tmp_path / "a", "--components", "5", "--modules", "7", "--seed", "11")
    generate(tmp_path / "b", "--components", "5", "--modules", "7", "--seed", "11")
    generate(tmp_path / "c", "--components", "5", "--modules", "7", "--seed", "12")
    a, b, c = (snapshot(tmp_path / n) for n in "abc")
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_generated_tests_pass_on_plain_python3(tmp_path):
    out = generate(tmp_path / "repo", "--components", "4", "--modules", "6", "--test-seconds", "0.01")
    assert "4 components, 24 modules + 24 tests" in out
    env = dict(os.environ, PYTHONPATH="src:tests", PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path / "repo", env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "24 passed" in proc.stdout


def test_layout(tmp_path):
    generate(tmp_path / "repo", "--components", "2", "--modules", "2", "--namespace", "acme")
    files = set(snapshot(tmp_path / "repo"))
    assert {
        "BUILD", "pants.toml", "requirements.txt", "tests/BUILD", "tests/conftest.py",
        "src/acme/core/BUILD", "src/acme/core/__init__.py", "src/acme/core/mod_000.py",
        "tests/core/BUILD", "tests/core/test_core_mod_000.py", "tests/common/test_common_mod_001.py",
    } <= files
    build = (tmp_path / "repo" / "src/acme/common/BUILD").read_text()
    assert 'python_sources(\n    name="src",\n)' in build
    assert 'python_artifact(name="acme-common", version="0.1.0")' in build


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_foundation_size_is_exact():
    # In memory: writing 11,000 files would make this the slowest test here.
    gen = load_generator()
    files = gen.render(gen.plan(gen.foundation_sizes(), 1, "bench", 0.0), "")
    assert sum(1 for f in files if f == "BUILD" or f.endswith("/BUILD")) == 1000
    assert sum(1 for f in files if f.endswith(".py")) == 10000


def test_imports_form_a_dag_with_high_fan_in_core():
    gen = load_generator()
    p = gen.plan([20] * 10, 5, "bench", 0.0)
    everything = [m for row in p.modules for m in row]
    for m in everything:
        assert all(target < (m.component, m.index) for target in m.imports)
    core_importers = sum(1 for m in everything if (0, 0) in m.imports)
    assert core_importers > len(everything) // 2


def test_refuses_to_overwrite_a_foreign_directory(tmp_path):
    (tmp_path / "mine.txt").write_text("precious")
    proc = subprocess.run(
        [sys.executable, str(GENERATE), "--out", str(tmp_path), "--force"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode != 0
    assert "refusing" in proc.stderr
    assert (tmp_path / "mine.txt").read_text() == "precious"

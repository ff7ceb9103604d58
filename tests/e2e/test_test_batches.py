"""`batch_compatibility_tag` / `[test] batch_size`: python_test targets that share a tag (and
their other metadata) run in one pytest process; everything else keeps its own process.

Each test file prints a token unique to the pytest process it ran in (pids are no use: with
namespaces every test process is pid 2 of its own pid namespace), with `-s` under
`--test-output=all`, so the tests can see which files shared a process.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import fixture_repo

RECORD_PID = """
import os
import sys

# Set by the first test module a process imports; later ones in the same process reuse it.
TOKEN = sys.__dict__.setdefault("_braid_e2e_process_token", os.urandom(8).hex())

def test_{name}():
    print("PID {name}", TOKEN)
"""


def pids(err: str) -> dict[str, str]:
    return dict(re.findall(r"PID (\w+) ([0-9a-f]+)", err))


def batch_repo(make_repo, tmp_path: Path, extra_toml: str = "") -> Path:
    files = {
        "tests/BUILD": """
            python_tests(name="db", sources=["test_a.py", "test_b.py", "test_c.py"],
                         batch_compatibility_tag="db")
            python_tests(name="env", sources=["test_d.py"], batch_compatibility_tag="db",
                         extra_env_vars=["X=1"])
            python_tests(name="alone", sources=["test_e.py"])
            python_tests(name="other", sources=["test_f.py"], batch_compatibility_tag="other")
            """,
    }
    for name in "abcdef":
        files[f"tests/test_{name}.py"] = RECORD_PID.format(name=name)
    return fixture_repo(make_repo, tmp_path, files,
                        '[pytest]\nargs = ["-s"]\n[test]\noutput = "all"\n' + extra_toml)


def test_tagged_tests_share_a_process_and_others_do_not(braid, make_repo, tmp_path):
    repo = batch_repo(make_repo, tmp_path)
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    p = pids(err)
    assert sorted(p) == list("abcdef"), err
    # a, b, c: same tag and metadata -> one process.
    assert p["a"] == p["b"] == p["c"]
    # d: same tag, different extra_env_vars -> its own; e: no tag; f: another tag.
    assert len({p["a"], p["d"], p["e"], p["f"]}) == 4
    assert "✓ tests/test_a.py:db and 2 other files succeeded in " in err
    assert "Completed: Run Pytest for batch of tests/test_a.py:db and 2 other files - succeeded." in err
    assert "✓ tests/test_d.py:env succeeded in " in err
    assert "✓ tests/test_e.py:alone succeeded in " in err
    assert "Summary: 4 succeeded in " in err

    # The batch is one cache entry: a second run replays it.
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "✓ tests/test_a.py:db and 2 other files succeeded in " in err and "(cached)" in err
    assert "Summary: 4 succeeded (4 cached) in " in err


def test_batch_size_cuts_batches_and_every_file_still_runs_once(braid, make_repo, tmp_path):
    repo = batch_repo(make_repo, tmp_path, "batch_size = 1\n")
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    p = pids(err)
    assert sorted(p) == list("abcdef"), err
    assert len(set(p.values())) == 6  # batch_size 1: every file alone
    assert "other files" not in err


def test_a_failure_fails_the_whole_batch_with_its_output(braid, make_repo, tmp_path):
    repo = batch_repo(make_repo, tmp_path)
    (repo / "tests/test_b.py").write_text("def test_b():\n    assert 1 == 2\n")
    code, out, err = braid(repo, "test", "tests:db")
    assert code == 1, err
    assert "✕ tests/test_a.py:db and 2 other files failed in " in err
    assert "Run Pytest for batch of tests/test_a.py:db and 2 other files - failed (exit code 1)" in err
    assert "tests/test_b.py::test_b FAILED" in err or "FAILED tests/test_b.py::test_b" in err
    # Never cached as a success: it fails again.
    code, out, err = braid(repo, "test", "tests:db")
    assert code == 1, err
    assert "(cached)" not in err


def test_batch_report_is_named_like_pants(braid, make_repo, tmp_path):
    repo = batch_repo(make_repo, tmp_path)
    code, out, err = braid(repo, "test", "--test-report", "tests:db", "tests:alone")
    assert code == 0, err
    reports = sorted(p.name for p in (repo / "dist/test/reports").iterdir())
    assert reports == ["batch-of-tests.test_a.py.db+2-files.xml", "tests.test_e.py.alone.xml"]
    xml = (repo / "dist/test/reports/batch-of-tests.test_a.py.db+2-files.xml").read_text()
    for name in ("test_a", "test_b", "test_c"):
        assert f'name="{name}"' in xml


def test_invalid_batch_size_is_a_located_error(braid, make_repo, tmp_path):
    repo = batch_repo(make_repo, tmp_path)
    code, out, err = braid(repo, "--test-batch-size=0", "test", "::")
    assert code != 0
    assert "invalid value for [test] batch_size (from flag --test-batch-size): must be at least 1, got 0" in err

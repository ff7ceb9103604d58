"""`--changed-since` / `--changed-dependents` on real Git repositories, and `--test-shard`.

Each test builds a small Python monorepo in a temporary directory, commits it
with git, edits it, and asserts the EXACT set of targets braid selects.

The fixture's dependency chain (all inferred from imports):

    tests/test_app.py -> src/app/main.py -> src/mid/service.py -> src/core/base.py
    tests/test_leaf.py -> src/leaf/leaf.py -> //:reqs#six (requirements.txt)
    tests/test_*.py -> tests/conftest.py (conftest inference)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import write_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FILES = {
    "pants.toml": """
        [source]
        root_patterns = ["/src", "/tests"]
        """,
    "BUILD": "python_requirements(name='reqs')\n",
    "requirements.txt": "six==1.16.0\nattrs==23.1.0\n",
    "src/core/BUILD": "python_sources()\n",
    "src/core/base.py": "VALUE = 1\n",
    "src/core/other.py": "OTHER = 2\n",
    "src/mid/BUILD": "python_sources()\n",
    "src/mid/service.py": "from core.base import VALUE\n",
    "src/app/BUILD": "python_sources()\n",
    "src/app/main.py": "from mid.service import VALUE\n",
    "src/leaf/BUILD": "python_sources()\n",
    "src/leaf/leaf.py": "import six\n\nX = 1\n",
    "tests/BUILD": "python_tests()\npython_test_utils(name='utils')\n",
    "tests/conftest.py:utils": "",
    "tests/test_app.py": "from app.main import VALUE\n\n\ndef test_app():\n    assert VALUE == 1\n",
    "tests/test_leaf.py": "from leaf.leaf import X\n\n\ndef test_leaf():\n    assert X == 1\n",
    ".gitignore": "dist/\n.pants.d/\n",
}


def git_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PANTS_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2024-01-01T00:00:00Z",
    )
    return env


class GitRepo(type(Path())):  # a Path with a `git(*args)` helper attached
    pass


@pytest.fixture
def repo(tmp_path):
    root = GitRepo(write_repo(tmp_path / "repo", FILES))
    home = tmp_path / "githome"
    home.mkdir()

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=root, env=git_env(home), capture_output=True, text=True
        )
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "dev@example.com")
    git("config", "user.name", "Dev")
    git("add", "-A")
    git("commit", "-q", "-m", "initial")
    root.git = git
    return root


def selected(braid, repo: Path, *flags: str) -> list[str]:
    code, out, err = braid(repo, *flags, "list")
    assert code == 0, err
    return sorted(out.split())  # compared as exact sets, in a stable order


def edit(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_nothing_changed_selects_nothing(braid, repo):
    assert selected(braid, repo, "--changed-since=HEAD") == []


def test_leaf_module_edit(braid, repo):
    edit(repo, "src/leaf/leaf.py", "import six\n\nX = 1  # edited\n")
    assert selected(braid, repo, "--changed-since=HEAD") == ["src/leaf/leaf.py"]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=direct") == [
        "src/leaf/leaf.py",
        "tests/test_leaf.py",
    ]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=transitive") == [
        "src/leaf/leaf.py",
        "tests/test_leaf.py",
        "tests:tests",
    ]


def test_core_module_edit_direct_vs_transitive(braid, repo):
    edit(repo, "src/core/base.py", "VALUE = 1  # edited\n")
    assert selected(braid, repo, "--changed-since=HEAD") == ["src/core/base.py"]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=direct") == [
        "src/core/base.py",
        "src/mid/service.py",
    ]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=transitive") == [
        "src/app/main.py",
        "src/app:app",
        "src/core/base.py",
        "src/mid/service.py",
        "src/mid:mid",
        "tests/test_app.py",
        "tests:tests",
    ]


def test_build_file_edit_selects_the_targets_it_defines(braid, repo):
    edit(repo, "src/core/BUILD", "python_sources(tags=['core'])\n")
    assert selected(braid, repo, "--changed-since=HEAD") == [
        "src/core/base.py",
        "src/core/other.py",
        "src/core:core",
    ]


def test_requirements_edit(braid, repo):
    edit(repo, "requirements.txt", "six==1.17.0\nattrs==23.1.0\n")
    assert selected(braid, repo, "--changed-since=HEAD") == [
        "//:reqs",
        "//:reqs#attrs",
        "//:reqs#six",
        "//requirements.txt:reqs",
    ]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=transitive") == [
        "//:reqs",
        "//:reqs#attrs",
        "//:reqs#six",
        "//requirements.txt:reqs",
        "src/leaf/leaf.py",
        "src/leaf:leaf",
        "tests/test_leaf.py",
        "tests:tests",
    ]


def test_deleted_file_is_owned_by_its_former_generator(braid, repo):
    (repo / "src/core/other.py").unlink()
    assert selected(braid, repo, "--changed-since=HEAD") == ["src/core:core"]
    # Committed deletions count the same.
    repo.git("commit", "-q", "-am", "delete other.py")
    assert selected(braid, repo, "--changed-since=HEAD~1") == ["src/core:core"]


def test_renamed_file_is_a_delete_plus_an_add(braid, repo):
    repo.git("mv", "src/core/other.py", "src/core/renamed.py")
    repo.git("commit", "-q", "-m", "rename")
    assert selected(braid, repo, "--changed-since=HEAD~1") == [
        "src/core/renamed.py",
        "src/core:core",
    ]


def test_untracked_new_file(braid, repo):
    edit(repo, "src/app/cli.py", "from app.main import VALUE\n")
    edit(repo, "dist/ignored.py", "x = 1\n")  # git-ignored: not a change
    assert selected(braid, repo, "--changed-since=HEAD") == ["src/app/cli.py"]


def test_test_file_only_edit(braid, repo):
    edit(repo, "tests/test_app.py", "from app.main import VALUE\n\n\ndef test_app():\n    pass\n")
    assert selected(braid, repo, "--changed-since=HEAD") == ["tests/test_app.py"]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=transitive") == [
        "tests/test_app.py",
    ]


def test_conftest_edit_selects_the_tests_it_configures(braid, repo):
    edit(repo, "tests/conftest.py", "import pytest\n")
    assert selected(braid, repo, "--changed-since=HEAD") == ["tests/conftest.py:utils"]
    assert selected(braid, repo, "--changed-since=HEAD", "--changed-dependents=direct") == [
        "tests/conftest.py:utils",
        "tests/test_app.py",
        "tests/test_leaf.py",
    ]


def test_feature_branch_uses_the_merge_base(braid, repo):
    repo.git("checkout", "-q", "-b", "feature")
    edit(repo, "src/leaf/leaf.py", "import six\n\nX = 1  # feature\n")
    repo.git("commit", "-q", "-am", "feature work")
    repo.git("checkout", "-q", "main")
    edit(repo, "src/core/base.py", "VALUE = 1  # main moved on\n")
    repo.git("commit", "-q", "-am", "main work")
    repo.git("checkout", "-q", "feature")
    # Only the branch's own change: main's later edit of core/base.py is not
    # "changed since main" for this branch.
    assert selected(braid, repo, "--changed-since=main") == ["src/leaf/leaf.py"]
    # --changed-diffspec names commits directly (committed changes only).
    assert selected(braid, repo, "--changed-diffspec=HEAD") == ["src/leaf/leaf.py"]


def test_tag_filters_the_changed_targets(braid, repo):
    edit(repo, "src/core/BUILD", "python_sources(overrides={'base.py': {'tags': ['hot']}})\n")
    assert selected(braid, repo, "--changed-since=HEAD", "--tag=hot") == ["src/core/base.py"]
    assert selected(braid, repo, "--changed-since=HEAD", "--tag=-hot") == [
        "src/core/other.py",
        "src/core:core",
    ]


def test_pants_toml_edit_selects_everything_with_a_warning(braid, repo):
    edit(repo, "pants.toml", '[source]\nroot_patterns = ["/src", "/tests"]\n\n[python]\n')
    code, out, err = braid(repo, "--changed-since=HEAD", "list")
    assert code == 0, err
    code_all, out_all, _ = braid(repo, "list", "::")
    assert out.split() == out_all.split()
    assert (
        "pants.toml changed: treating every target as changed, because its options can affect "
        "how any target builds" in err
    )


def test_other_goals_see_the_selection(braid, repo):
    edit(repo, "src/core/base.py", "VALUE = 1  # edited\n")
    code, out, err = braid(
        repo, "--changed-since=HEAD", "--changed-dependents=direct", "dependencies"
    )
    assert code == 0, err
    # Dependencies of core/base.py (none) and mid/service.py (core/base.py).
    assert out.split() == ["src/core/base.py"]
    code, out, err = braid(repo, "--changed-since=HEAD", "filedeps")
    assert code == 0, err
    assert out.split() == ["src/core/BUILD", "src/core/base.py"]


# ---- errors -------------------------------------------------------------------------------


def test_specs_with_changed_since_is_an_error(braid, repo):
    code, out, err = braid(repo, "--changed-since=HEAD", "list", "src::")
    assert code != 0
    assert (
        "You used `--changed-since` at the same time as using target arguments. You can only "
        "use `--changed-since` or use normal arguments." in err
    )


def test_unknown_ref_shows_gits_message(braid, repo):
    code, out, err = braid(repo, "--changed-since=no-such-branch", "list")
    assert code != 0
    assert (
        "--changed-since=no-such-branch: unknown Git ref 'no-such-branch' "
        "(git: fatal: Not a valid object name no-such-branch)" in err
    )


def test_not_a_git_repository(braid, make_repo, monkeypatch):
    plain = make_repo(FILES)
    # A ceiling so git cannot find a repository above the temporary directory.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(plain.parent))
    code, out, err = braid(plain, "--changed-since=main", "list")
    assert code != 0
    assert f"--changed-since=main: {plain.resolve()} is not inside a Git repository" in err
    assert "only available if Git is used for the repository" in err


def test_git_missing(braid, repo, tmp_path, monkeypatch):
    bin_dir = tmp_path / "nogit"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    code, out, err = braid(repo, "--changed-since=HEAD", "list")
    assert code != 0
    assert "--changed-since=HEAD: cannot run git: no `git` executable found on PATH" in err


def test_shallow_clone_without_the_merge_base(braid, repo, tmp_path):
    repo.git("checkout", "-q", "-b", "feature")
    edit(repo, "src/leaf/leaf.py", "X = 2\n")
    repo.git("commit", "-q", "-am", "feature 1")
    edit(repo, "src/leaf/leaf.py", "X = 3\n")
    repo.git("commit", "-q", "-am", "feature 2")
    repo.git("checkout", "-q", "main")
    edit(repo, "src/core/base.py", "VALUE = 5\n")
    repo.git("commit", "-q", "-am", "main moved on")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth=1", "--no-single-branch", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
        env=git_env(tmp_path / "githome"),
    )
    subprocess.run(
        ["git", "checkout", "-q", "feature"], cwd=clone, check=True, capture_output=True,
        env=git_env(tmp_path / "githome"),
    )
    code, out, err = braid(clone, "--changed-since=origin/main", "list")
    assert code != 0
    assert (
        "--changed-since=origin/main: cannot find the merge base of 'origin/main' and HEAD: the "
        "history that joins them was not fetched" in err
    )
    assert "fetch-depth: 0" in err


# ---- --test-shard -------------------------------------------------------------------------

SHARD_FILES = {
    "pants.toml": """
        [source]
        root_patterns = ["/tests"]
        """,
    "tests/BUILD": "python_tests()\n",
    **{f"tests/test_{i}.py": f"def test_{i}():\n    assert {i} == {i}\n" for i in range(7)},
}


def ran_tests(err: str) -> set[str]:
    return set(re.findall(r"[✓✕] (tests/test_\d\.py) ", err))


def test_test_shard_partitions_every_target_exactly_once(braid, make_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = make_repo(SHARD_FILES)
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    everything = ran_tests(err)
    assert len(everything) == 7
    for n in range(1, 6):
        seen: list[set[str]] = []
        bases = set()
        for k in range(n):
            code, out, err = braid(repo, "test", f"--test-shard={k}/{n}", "::")
            assert code == 0, err
            mine = ran_tests(err)
            seen.append(mine)
            match = re.search(
                rf"Shard {k}/{n}: (\d+) of 7 test targets, balanced by (.*); basis (\w+)", err
            )
            assert match, err
            assert int(match.group(1)) == len(mine)
            bases.add(match.group(3))
        assert set().union(*seen) == everything, f"N={n}"
        assert sum(len(s) for s in seen) == len(everything), f"N={n}: overlapping shards {seen}"
        assert len(bases) == 1  # every shard balanced on the same recorded durations


def test_test_shard_validation(braid, make_repo):
    repo = make_repo(SHARD_FILES)
    for bad in ["3/3", "-1/2", "x/2", "1"]:
        code, out, err = braid(repo, "test", f"--test-shard={bad}", "::")
        assert code != 0
        assert (
            f'Invalid shard specification {bad} from the [test].shard option. Use a string of the '
            f'form "k/N" where k and N are integers, and 0 <= k < N .' in err
        )

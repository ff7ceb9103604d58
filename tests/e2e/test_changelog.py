"""braid.plugins.changelog against towncrier itself (Debian's towncrier):
the same config and fragments give the same bytes."""
from __future__ import annotations

import shutil
import subprocess

import pytest

CONFIG = """
[tool.towncrier]
name = "acme"
directory = "changes"
filename = "CHANGES.md"
start_string = "<!-- towncrier release notes start -->\\n"
title_format = "## {version} ({project_date})"
issue_format = "[#{issue}](https://example.com/acme/issues/{issue})"

[[tool.towncrier.type]]
directory = "breaking"
name = "Breaking Changes"
showcontent = true

[[tool.towncrier.type]]
directory = "feature"
name = "Features"
showcontent = true

[[tool.towncrier.type]]
directory = "fix"
name = "Fixes"
showcontent = true

[[tool.towncrier.type]]
directory = "chore"
name = "Chores"
showcontent = false
"""

FILES = {
    "pants.toml": '[GLOBAL]\nbackend_packages = ["pants.backend.python", "braid.plugins.changelog"]\n',
    "pyproject.toml": CONFIG,
    "CHANGES.md": "# Changes\n\n<!-- towncrier release notes start -->\n\n## 1.0.0 (2024-01-01)\n\n- First release.\n",
    "changes/12.feature.md": "Add a thing.\n",
    "changes/3.feature.md": "Another feature\nwith two lines.\n",
    "changes/7.fix.md": "Fix it.\n",
    "changes/+tidy.fix.md": "An orphan fix.\n",
    "changes/5.breaking.md": "Break.\n",
    "changes/5.feature.1.md": "Second note on 5.\n",
    "changes/9.chore.md": "hidden\n",
    "changes/8.chore.md": "hidden\n",
}


def towncrier(repo, *args):
    if shutil.which("towncrier") is None:
        pytest.skip("towncrier is not installed (apt-get install towncrier)")
    return subprocess.run(["towncrier", "build", *args], cwd=repo, capture_output=True, text=True)


def copy(repo, tmp_path, name):
    other = tmp_path / name
    shutil.copytree(repo, other)
    return other


def test_draft_matches_towncrier_byte_for_byte(braid, make_repo, tmp_path):
    repo = make_repo(FILES)
    theirs = towncrier(copy(repo, tmp_path, "tc"), "--draft", "--version", "1.1.0",
                       "--date", "2024-05-01")
    assert theirs.returncode == 0, theirs.stderr
    code, out, err = braid(repo, "changelog", "--version=1.1.0", "--date=2024-05-01", "--draft")
    assert code == 0, err
    assert out == theirs.stdout
    # Sorted like towncrier: types in config order, then by issue (as numbers),
    # issue-less (orphan) entries last; showcontent = false lists issues only.
    assert out.startswith("## 1.1.0 (2024-05-01)\n=====================\n\nBreaking Changes\n")
    features = out[out.index("Features"):out.index("Fixes")]
    assert features.index("#3]") < features.index("#5]") < features.index("#12]")
    assert "- Another feature\n  with two lines. ([#3](" in out
    assert out.index("- Fix it.") < out.index("- An orphan fix.\n")
    # The draft consumed nothing.
    assert (repo / "changes" / "12.feature.md").exists()


def test_release_matches_towncrier_and_consumes_fragments_once(braid, make_repo, tmp_path):
    repo = make_repo(FILES)
    other = copy(repo, tmp_path, "tc")
    subprocess.run(["git", "init", "-q", "."], cwd=other, check=True)
    subprocess.run(["git", "add", "-A"], cwd=other, check=True)
    theirs = towncrier(other, "--yes", "--version", "1.1.0", "--date", "2024-05-01")
    assert theirs.returncode == 0, theirs.stderr
    code, out, err = braid(repo, "changelog", "--version=1.1.0", "--date=2024-05-01")
    assert code == 0, err
    assert out == "Wrote release 1.1.0 to CHANGES.md and removed 8 news fragment(s)\n"
    assert (repo / "CHANGES.md").read_text() == (other / "CHANGES.md").read_text()
    assert sorted(p.name for p in (repo / "changes").iterdir()) == []
    # A second run renders the same release again: refused, file unchanged.
    before = (repo / "CHANGES.md").read_text()
    code, out, err = braid(repo, "changelog", "--version=1.1.0", "--date=2024-05-01")
    assert code == 1
    assert "CHANGES.md: the release '## 1.1.0 (2024-05-01)' is already in the file" in err
    assert (repo / "CHANGES.md").read_text() == before


def test_extract_prints_exactly_one_release(braid, make_repo):
    repo = make_repo(FILES)
    assert braid(repo, "changelog", "--version=1.1.0", "--date=2024-05-01").code == 0
    code, out, err = braid(repo, "changelog", "--extract=1.0.0")
    assert (code, out) == (0, "## 1.0.0 (2024-01-01)\n\n- First release.\n"), err
    code, out, err = braid(repo, "changelog", "--extract=1.1.0")
    assert code == 0, err
    assert out.startswith("## 1.1.0 (2024-05-01)\n")
    assert "1.0.0" not in out
    assert out.endswith("- [#8](https://example.com/acme/issues/8), "
                        "[#9](https://example.com/acme/issues/9)\n")
    code, out, err = braid(repo, "changelog", "--extract=2.0")
    assert code == 1 and "no release '2.0' in the news file" in err


def test_check_rejects_unknown_types_and_changes_without_fragments(braid, make_repo):
    repo = make_repo(FILES)
    code, out, err = braid(repo, "changelog", "--check")
    assert (code, out) == (0, "8 news fragment(s) checked\n"), err
    (repo / "changes" / "4.feture.md").write_text("typo\n")
    code, out, err = braid(repo, "changelog", "--check")
    assert code == 1
    assert "changes/4.feture.md: unknown news fragment type 'feture' (did you mean 'feature'?)" in err
    (repo / "changes" / "4.feture.md").unlink()
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "."], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "init"], cwd=repo, check=True)
    (repo / "app.py").write_text("x = 1\n")
    code, out, err = braid(repo, "changelog", "--check", "--changelog-since=HEAD")
    assert code == 1
    assert "no news fragment was added since HEAD" in err
    (repo / "changes" / "13.fix.md").write_text("Fixed x.\n")
    code, out, err = braid(repo, "changelog", "--check", "--changelog-since=HEAD")
    assert code == 0, err


def test_changelog_goal_needs_the_backend(braid, make_repo):
    files = dict(FILES)
    files["pants.toml"] = '[GLOBAL]\nbackend_packages = ["pants.backend.python"]\n'
    repo = make_repo(files)
    code, out, err = braid(repo, "changelog")
    assert code == 2
    assert "unknown goal 'changelog'" in err
    assert "hint: the goal 'changelog' is provided by the backend 'braid.plugins.changelog'" in err


def test_example_repo_drafts_its_fragments(braid):
    from conftest import EXAMPLE_DIR
    code, out, err = braid(EXAMPLE_DIR, "changelog", "--version=9.9.9", "--date=2024-06-01",
                           "--draft")
    assert code == 0, err
    assert out.startswith("## 9.9.9 (2024-06-01)\n")
    assert "([#123](https://example.com/acme/issues/123))" in out
    assert "([#131](https://example.com/acme/issues/131))" in out
    assert braid(EXAMPLE_DIR, "changelog", "--check").code == 0

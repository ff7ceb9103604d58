"""The [filter] subsystem (`--filter-target-type`, `--filter-address-regex`,
`--filter-tag-regex`, `--filter-granularity`) narrows the targets the specs
select for every goal, as Pants 2.x's SpecsFilter does.

Each value is a comma-separated OR list; a '-' prefix negates the whole list;
values of one option and different options are ANDed.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import fixture_repo

FILES = {
    "BUILD": "python_requirements(name='reqs')\n",
    "requirements.txt": "six==1.16.0\nattrs==23.1.0\n",
    "src/app/BUILD": (
        "python_sources(tags=['app'])\n"
        "pex_binary(name='bin', entry_point='main.py', tags=['deploy'])\n"
    ),
    "src/app/main.py": "from lib.util import X\nimport six\n",
    "src/lib/BUILD": "python_sources()\n",
    "src/lib/util.py": "X = 1\n",
    "tests/BUILD": (
        "python_tests(name='int', sources=['test_int.py'], tags=['integration', 'slow'])\n"
        "python_tests(name='unit', sources=['test_unit.py'], tags=['unit'])\n"
    ),
    "tests/test_int.py": "from app.main import X\n\n\ndef test_x():\n    assert X == 1\n",
    "tests/test_unit.py": "def test_y():\n    assert True\n",
}

ALL = [
    "//:reqs",
    "//:reqs#attrs",
    "//:reqs#six",
    "//requirements.txt:reqs",
    "src/app/main.py",
    "src/app:app",
    "src/app:bin",
    "src/lib/util.py",
    "src/lib:lib",
    "tests/test_int.py:int",
    "tests/test_unit.py:unit",
    "tests:int",
    "tests:unit",
]


@pytest.fixture
def repo(make_repo, tmp_path):
    return fixture_repo(make_repo, tmp_path, FILES)


def listed(braid, repo, *flags: str) -> list[str]:
    code, out, err = braid(repo, *flags, "list", "::")
    assert code == 0, err
    return sorted(out.split())


def test_no_filter_lists_everything(braid, repo):
    assert listed(braid, repo) == ALL


def test_target_type(braid, repo):
    assert listed(braid, repo, "--filter-target-type=python_test") == [
        "tests/test_int.py:int",
        "tests/test_unit.py:unit",
    ]


def test_target_type_comma_list_is_or(braid, repo):
    assert listed(braid, repo, "--filter-target-type=python_tests,pex_binary") == [
        "src/app:bin",
        "tests:int",
        "tests:unit",
    ]


def test_minus_excludes_the_whole_list(braid, repo):
    excluded = {"//:reqs#attrs", "//:reqs#six", "src/app/main.py", "src/lib/util.py"}
    assert listed(braid, repo, "--filter-target-type=-python_requirement,python_source") == [
        a for a in ALL if a not in excluded
    ]


def test_options_and_repeated_values_are_anded(braid, repo):
    assert listed(
        braid, repo, "--filter-target-type=-python_requirement", "--filter-address-regex=^src/"
    ) == ["src/app/main.py", "src/app:app", "src/app:bin", "src/lib/util.py", "src/lib:lib"]
    # Two values of one option: both must hold.
    assert listed(
        braid, repo, "--filter-address-regex=^src/", "--filter-address-regex=-^src/lib"
    ) == ["src/app/main.py", "src/app:app", "src/app:bin"]


def test_address_regex_is_a_search_on_the_spec(braid, repo):
    # Unanchored (Python re.search), on the spelling `list` prints, `//` included.
    assert listed(braid, repo, "--filter-address-regex=#") == ["//:reqs#attrs", "//:reqs#six"]
    assert listed(braid, repo, "--filter-address-regex=^//") == [a for a in ALL if a[:2] == "//"]


def test_tag_regex(braid, repo):
    assert listed(braid, repo, "--filter-tag-regex=integ") == ["tests/test_int.py:int", "tests:int"]
    assert listed(braid, repo, "--filter-tag-regex=^(app|deploy)$") == [
        "src/app/main.py",
        "src/app:app",
        "src/app:bin",
    ]
    # Negated: untagged targets pass.
    untagged_or_unit = listed(braid, repo, "--filter-tag-regex=-app,deploy,slow")
    assert "//:reqs#six" in untagged_or_unit and "tests:unit" in untagged_or_unit
    assert not {"src/app:app", "src/app:bin", "tests:int"} & set(untagged_or_unit)


def test_granularity(braid, repo):
    files = listed(braid, repo, "--filter-granularity=file")
    assert files == [
        "//requirements.txt:reqs",
        "src/app/main.py",
        "src/lib/util.py",
        "tests/test_int.py:int",
        "tests/test_unit.py:unit",
    ]
    # BUILD: everything else, generated non-file targets (reqs#six) included.
    assert listed(braid, repo, "--filter-granularity=BUILD") == [a for a in ALL if a not in files]
    assert listed(braid, repo, "--filter-granularity=all") == ALL


def test_unknown_target_type_is_an_error(braid, repo):
    code, out, err = braid(repo, "--filter-target-type=pyton_test", "list", "::")
    assert code != 0
    assert out == ""
    assert "--filter-target-type: target type 'pyton_test' is not registered" in err
    assert "did you mean 'python_test'?" in err


def test_invalid_regex_is_an_error(braid, repo):
    code, _, err = braid(repo, "--filter-address-regex=src(", "list", "::")
    assert code != 0
    assert "--filter-address-regex: invalid regular expression 'src('" in err


def test_applies_to_other_goals(braid, repo):
    code, out, err = braid(
        repo,
        "--filter-target-type=-python_requirement",
        "--filter-address-regex=^src/app",
        "--filter-granularity=file",
        "dependencies",
        "::",
    )
    assert code == 0, err
    # Only the roots are filtered: the dependencies of src/app/main.py are printed whole.
    assert out.split() == ["//:reqs#six", "src/lib/util.py"]


def test_pants_toml_and_env_var(braid, repo, make_repo, tmp_path):
    toml_repo = fixture_repo(
        make_repo, tmp_path, FILES, '[filter]\ntarget_type = ["pex_binary", "-python_source"]\n'
    )
    assert listed(braid, toml_repo) == ["src/app:bin"]
    binary = os.environ["BRAID_BIN"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    env.update(HOME=str(tmp_path / "home"), PANTS_FILTER_TARGET_TYPE="['python_tests']")
    proc = subprocess.run(
        [binary, "list", "::"], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["tests:int", "tests:unit"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_filters_changed_since(braid, repo, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PANTS_"))}
    env.update(HOME=str(tmp_path), GIT_CONFIG_NOSYSTEM="1")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.email=d@example.com", "-c", "user.name=D", "add", "-A")
    git("-c", "user.email=d@example.com", "-c", "user.name=D", "commit", "-q", "-m", "init")
    (repo / "src/lib/util.py").write_text("X = 1  # edited\n")
    changed = ["--changed-since=HEAD", "--changed-dependents=transitive"]
    every = listed_changed(braid, repo, *changed)
    assert "tests/test_int.py:int" in every and "src/lib/util.py" in every
    assert listed_changed(braid, repo, *changed, "--filter-target-type=python_test") == [
        "tests/test_int.py:int"
    ]


def listed_changed(braid, repo, *flags: str) -> list[str]:
    code, out, err = braid(repo, *flags, "list")
    assert code == 0, err
    return sorted(out.split())

"""poetry_requirements and pipenv_requirements (pants.backend.python): a repo
declaring third-party projects in a Poetry pyproject.toml and a Pipfile.lock
lists the generated python_requirement targets, infers dependencies on them
from imports (with module_mapping), peeks them, and reports a broken
pyproject.toml as a located error naming the generator that read it."""

from __future__ import annotations

import json

from conftest import assert_located, fixture_repo

FILES = {
    "3rdparty/poetry/BUILD": (
        'poetry_requirements(name="poetry", module_mapping={"PyYAML": ["yaml"]})\n'
    ),
    "3rdparty/poetry/pyproject.toml": (
        "[tool.poetry]\n"
        'name = "demo"\n'
        "[tool.poetry.dependencies]\n"
        'python = "^3.8"\n'
        'PyYAML = "^6.0"\n'
        'mylib = {path = "../../src/mylib", develop = true}\n'
        "[tool.poetry.group.test.dependencies]\n"
        'pytest = {version = "~7.4", python = ">=3.8"}\n'
    ),
    "3rdparty/pipenv/BUILD": "pipenv_requirements(name=\"pipenv\")\n",
    "3rdparty/pipenv/Pipfile.lock": json.dumps(
        {
            "_meta": {"hash": {"sha256": "0"}},
            "default": {"requests": {"version": "==2.31.0", "extras": ["socks"]}},
            "develop": {"freezegun": {"version": "==1.2.2", "markers": "python_version >= '3.7'"}},
        },
        indent=2,
    ),
    "src/app/BUILD": "python_sources()\n",
    "src/app/main.py": "import yaml\nimport requests\n\nprint(yaml, requests)\n",
}


def ok(result):
    code, out, err = result
    assert code == 0, out + err
    return out


def test_generated_targets_are_listed_inferred_and_peeked(braid, make_repo, tmp_path):
    repo = fixture_repo(make_repo, tmp_path, FILES)
    assert ok(braid(repo, "list", "3rdparty::")) == (
        "3rdparty/pipenv:pipenv\n"
        "3rdparty/pipenv#freezegun\n"
        "3rdparty/pipenv#requests\n"
        "3rdparty/pipenv/Pipfile.lock\n"
        "3rdparty/poetry:poetry\n"
        "3rdparty/poetry#PyYAML\n"
        "3rdparty/poetry#pytest\n"
        "3rdparty/poetry/pyproject.toml\n"
    )
    # `yaml` comes from Poetry's PyYAML through module_mapping, `requests` from Pipfile.lock.
    assert ok(braid(repo, "dependencies", "src/app/main.py")) == (
        "3rdparty/pipenv#requests\n3rdparty/poetry#PyYAML\n"
    )
    peek = json.loads(ok(braid(repo, "peek", "3rdparty/poetry#pytest", "3rdparty/pipenv#requests")))
    by_address = {t["address"]: t for t in peek}
    assert by_address["3rdparty/poetry#pytest"]["requirements"] == [
        "pytest >=7.4,<7.5.0 ;(python_version >= '3.8')"
    ]
    assert by_address["3rdparty/poetry#pytest"]["dependencies"] == [
        "3rdparty/poetry/pyproject.toml"
    ]
    assert by_address["3rdparty/pipenv#requests"]["requirements"] == ["requests[socks]==2.31.0"]
    # An edit to the lock file reaches the requirements through the helper target.
    assert "3rdparty/pipenv#requests" in ok(
        braid(repo, "dependents", "3rdparty/pipenv/Pipfile.lock")
    ).splitlines()


def test_broken_pyproject_is_a_located_error(braid, make_repo, tmp_path):
    files = dict(FILES)
    files["3rdparty/poetry/pyproject.toml"] = (
        "[tool.poetry.dependencies]\n" 'PyYAML = "^6.0"\n' 'broken = "~r62b"\n'
    )
    repo = fixture_repo(make_repo, tmp_path, files)
    code, out, err = braid(repo, "list", "::")
    assert code != 0
    message = assert_located(err, "3rdparty/poetry/pyproject.toml", 3)
    assert message.startswith('failed to parse requirement broken = "~r62b"'), err
    assert "(read by poetry_requirements 3rdparty/poetry:poetry at 3rdparty/poetry/BUILD:1" in err

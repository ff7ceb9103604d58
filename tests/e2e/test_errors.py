"""Bad input gives a located error and the documented exit code.

Exit codes: 1 for errors in BUILD files and the target graph, 2 for errors in
the command line and in pants.toml. Every message starts with `path:line:col: `
(path relative to the build root). The tests pin the location and key words;
the exact wording is settled with the implementation.
"""

import pytest

from conftest import assert_located

PANTS_TOML = """
    [GLOBAL]
    pants_version = "2.21.0"
    backend_packages = ["pants.backend.python"]

    [source]
    root_patterns = ["/src"]
"""


def repo_with_build(make_repo, build: str):
    return make_repo({"pants.toml": PANTS_TOML, "src/app/main.py": "print('hi')\n", "src/app/BUILD": build})


# exact message settled by lead
def test_build_syntax_error(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        # Line 2 has one closing parenthesis too many.
        python_sources(name="lib"))
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 2, 27)
    assert "')'" in message


# exact message settled by lead
def test_unknown_target_type(braid, make_repo):
    repo = repo_with_build(make_repo, 'pyhton_sources(name="lib")\n')
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 1, 1)
    assert "pyhton_sources" in message
    assert "python_sources" in err  # did you mean 'python_sources'?


# exact message settled by lead
def test_unknown_field_suggests_the_closest(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        python_sources(
            name="lib",
            sorces=["*.py"],
        )
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 3, 5)
    assert "sorces" in message
    assert "python_sources" in message
    assert "'sources'" in err  # did you mean 'sources'?


# exact message settled by lead
def test_wrong_field_type(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        python_sources(
            name="lib",
            sources="*.py",
        )
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 3)
    assert "sources" in message


# exact message settled by lead
def test_duplicate_target_name(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        python_sources(name="lib")
        python_sources(name="lib", sources=["main.py"])
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 2)
    assert "lib" in message


# exact message settled by lead
def test_dependency_on_missing_address(braid, make_repo):
    # Like Pants, `list` does not resolve dependencies; `dependencies` does.
    repo = repo_with_build(
        make_repo,
        """
        python_sources(
            name="lib",
            dependencies=["src/missing:lib"],
        )
        """,
    )
    code, out, err = braid(repo, "dependencies", "src/app:lib")
    assert code == 1
    message = assert_located(err, "src/app/BUILD", 3)
    assert "src/missing:lib" in message


# exact message settled by lead
def test_source_glob_escaping_the_repo(braid, tmp_path, make_repo):
    # The file exists, just outside the build root: the glob must be refused,
    # not silently matched or ignored.
    (tmp_path / "x.py").write_text("print('outside')\n")
    repo = make_repo(
        {
            "pants.toml": PANTS_TOML,
            "BUILD": """
                python_sources(
                    name="lib",
                    sources=["../x.py"],
                )
                """,
        }
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 1
    message = assert_located(err, "BUILD", 3)
    assert "../x.py" in message


@pytest.mark.parametrize(
    "toml, line, words",
    [
        pytest.param(
            """
            [GLOBAL]
            pants_version = 2.21.0
            backend_packages = ["pants.backend.python"]
            """,
            2,
            [],
            id="toml-syntax-error",
        ),
        pytest.param(
            """
            [GLOBAL]
            pants_version = "2.21.0"
            backend_packages = ["pants.backend.python"]
            pants_ignore_use_gitignore = "sometimes"
            """,
            4,
            ["pants_ignore_use_gitignore"],
            id="option-of-wrong-type",
        ),
        pytest.param(
            """
            [GLOBAL]
            pants_version = "2.21.0"
            backend_packages = ["pants.backend.python"]

            [python]
            interpreter_constraint = ["CPython>=3.9"]
            """,
            6,
            ["interpreter_constraint", "interpreter_constraints"],  # did you mean
            id="unknown-option",
        ),
    ],
)
# exact message settled by lead
def test_bad_pants_toml_exits_2(braid, make_repo, toml, line, words):
    repo = make_repo({"pants.toml": toml, "BUILD": 'python_sources(name="lib")\n', "x.py": ""})
    code, out, err = braid(repo, "list", "::")
    assert code == 2
    assert_located(err, "pants.toml", line)
    for word in words:
        assert word in err
    assert out == ""

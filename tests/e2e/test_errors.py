"""Bad input gives a located error, the exact message, and the documented exit code.

Exit codes: 1 for errors in BUILD files and the target graph, 2 for errors in
the command line and in pants.toml. Every message starts with `path:line[:col]: `
(path relative to the build root), then shows the source line with a caret
under the column, then an optional `hint:` line. Nothing is printed to stdout.
"""

import textwrap

import pytest

PANTS_TOML = """
    [GLOBAL]
    pants_version = "2.21.0"
    backend_packages = ["pants.backend.python"]

    [source]
    root_patterns = ["/src"]
"""


def repo_with_build(make_repo, build: str):
    return make_repo({"pants.toml": PANTS_TOML, "src/app/main.py": "print('hi')\n", "src/app/BUILD": build})


def expect(text: str) -> str:
    """The expected stderr: dedented, without the leading newline."""
    return textwrap.dedent(text).lstrip("\n")


def test_build_syntax_error(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        # Line 2 has one closing parenthesis too many.
        python_sources(name="lib"))
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:2:27: unmatched ')'
            python_sources(name="lib"))
                                      ^
        """
    )


def test_unknown_target_type(braid, make_repo):
    repo = repo_with_build(make_repo, 'pyhton_sources(name="lib")\n')
    code, out, err = braid(repo, "list", "::")
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:1:1: name 'pyhton_sources' is not defined
            pyhton_sources(name="lib")
            ^
          hint: did you mean 'python_sources'?
        """
    )


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
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:3:5: unknown field 'sorces' in python_sources target src/app:lib
                sorces=["*.py"],
                ^
          hint: did you mean 'sources'?
        """
    )


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
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:3:5: field 'sources' of python_sources target src/app:lib must be a list of file globs, got str '*.py' (wrap it in a list: ['*.py'])
                sources="*.py",
                ^
        """
    )


def test_duplicate_target_name(braid, make_repo):
    repo = repo_with_build(
        make_repo,
        """
        python_sources(name="lib")
        python_sources(name="lib", sources=["main.py"])
        """,
    )
    code, out, err = braid(repo, "list", "::")
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:2:1: a target already exists at 'src/app:lib' (python_sources declared at src/app/BUILD:1:1); the python_sources target cannot use the same name
            python_sources(name="lib", sources=["main.py"])
            ^
          hint: give one of them a different `name=`
        """
    )


def test_dependency_on_missing_address(braid, make_repo):
    # Like Pants, `list` does not resolve dependencies; `dependencies` and `peek` do.
    repo = repo_with_build(
        make_repo,
        """
        python_sources(
            name="lib",
            dependencies=["src/missing:lib", ":nope"],
        )
        """,
    )
    code, out, err = braid(repo, "dependencies", "src/app:lib")
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:3:5: the address 'src/missing:lib' from the dependencies of src/app:lib does not exist
                dependencies=["src/missing:lib", ":nope"],
                ^
          hint: there is no directory 'src/missing' in the workspace
        """
    )
    # A missing name in an existing directory suggests the targets there.
    (repo / "src/missing").mkdir()
    code, out, err = braid(repo, "peek", "src/app:lib")
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] src/app/BUILD:3:5: the address 'src/missing:lib' from the dependencies of src/app:lib does not exist
                dependencies=["src/missing:lib", ":nope"],
                ^
          hint: there is no BUILD target in 'src/missing'
        """
    )


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
    assert (code, out) == (1, "")
    assert err == expect(
        """
        [ERROR] BUILD:3:5: invalid `sources` of //:lib: glob '../x.py' escapes the build root
                sources=["../x.py"],
                ^
        """
    )


@pytest.mark.parametrize(
    "toml, expected",
    [
        pytest.param(
            """
            [GLOBAL]
            pants_version = 2.21.0
            backend_packages = ["pants.backend.python"]
            """,
            """
            [ERROR] pants.toml:2:21: Error while parsing floating-point: expected decimal digit or exponent, saw '.'
                pants_version = 2.21.0
                                    ^
            """,
            id="toml-syntax-error",
        ),
        pytest.param(
            """
            [GLOBAL]
            pants_version = "2.21.0"
            backend_packages = ["pants.backend.python"]
            pants_ignore_use_gitignore = "sometimes"
            """,
            """
            [ERROR] pants.toml:4: option 'pants_ignore_use_gitignore' in [GLOBAL] expects a boolean, got string "sometimes"
                pants_ignore_use_gitignore = "sometimes"
            """,
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
            """
            [ERROR] pants.toml:6: unknown option 'interpreter_constraint' in [python]
                interpreter_constraint = ["CPython>=3.9"]
              hint: did you mean 'interpreter_constraints'?
            """,
            id="unknown-option",
        ),
        pytest.param(
            """
            [GLOBAL]
            pants_version = "2.21.0"

            [pythn-infer]
            imports = true
            """,
            """
            [ERROR] pants.toml:4: unknown section [pythn-infer]
                [pythn-infer]
              hint: did you mean 'python-infer'?
            """,
            id="unknown-section",
        ),
    ],
)
def test_bad_pants_toml_exits_2(braid, make_repo, toml, expected):
    repo = make_repo({"pants.toml": toml, "BUILD": 'python_sources(name="lib")\n', "x.py": ""})
    code, out, err = braid(repo, "list", "::")
    assert (code, out) == (2, "")
    assert err == expect(expected)


def test_unimplemented_pants_section_warns_once_and_runs(braid, make_repo):
    repo = make_repo(
        {
            "pants.toml": """
                [GLOBAL]
                pants_version = "2.21.0"

                [black]
                args = ["-l", "100"]
                interpreter_constraints = ["CPython>=3.9"]
                """,
            "BUILD": 'python_sources(name="lib")\n',
            "x.py": "",
        }
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 0
    assert out == "//:lib\n//x.py:lib\n"
    assert err == "[WARN] pants.toml:4: [black] is a Pants subsystem braid does not implement yet; its options are ignored\n"


def test_many_unimplemented_pants_settings_are_summarised_in_one_line(braid, make_repo):
    repo = make_repo(
        {
            "pants.toml": """
                [GLOBAL]
                pants_version = "2.21.0"
                pantsd = false
                remote_cache_read = false
                backend_packages = ["pants.backend.python", "pants.backend.python.lint.black"]

                [black]
                args = ["-l", "100"]

                [mypy]
                args = ["--strict"]

                [test]
                timeout_default = 60
                """,
            "BUILD": 'python_sources(name="lib", skip_black=True)\n',
            "x.py": "",
        }
    )
    code, out, err = braid(repo, "list", "::")
    assert code == 0
    assert out == "//:lib\n//x.py:lib\n"
    # Four Pants settings braid ignores: one line names them all, in file order.
    assert err == (
        "[WARN] braid ignores 4 Pants options and subsystems it does not implement yet: "
        "[GLOBAL].pantsd, [GLOBAL].remote_cache_read, [black], [mypy] "
        "(run with -ldebug to see where each is set)\n"
    )
    code, _, err = braid(repo, "-ldebug", "list", "::")
    assert code == 0
    assert "[WARN] pants.toml:3: [GLOBAL].pantsd is a Pants option braid does not implement yet; it is ignored\n" in err
    assert "[WARN] pants.toml:10: [mypy] is a Pants subsystem braid does not implement yet; its options are ignored\n" in err


def test_first_bad_test_target_is_reported_whatever_the_threads(braid, make_repo):
    # 80 test files (enough for the actions to be built on several threads); two of them
    # have a malformed extra_env_vars entry. The error is the first of them in address
    # order, as a serial loop would report, every time.
    files = {"pants.toml": PANTS_TOML.replace('["/src"]', '["/src", "/tests"]')}
    build = []
    for i in range(80):
        files[f"tests/test_m{i:02d}.py"] = "def test_ok():\n    pass\n"
        env = ', extra_env_vars=["1BAD"]' if i in (17, 63) else ""
        build.append(f'python_test(name="t{i:02d}", source="test_m{i:02d}.py"{env})')
    files["tests/BUILD"] = "\n".join(build) + "\n"
    repo = make_repo(files)
    for threads in ("1", "2", "4"):
        code, out, err = braid(repo, f"--rule-threads-core={threads}", "test", "::")
        assert code != 0, err
        assert "tests:t17" in err and "tests:t63" not in err, (threads, err)
        assert "invalid environment variable entry '1BAD'" in err, err

"""The project-introspection goals on the example monorepo and small fixtures."""

import json

from conftest import EXAMPLE_DIR


def ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def test_specs_select_like_pants(braid):
    # A bare directory: targets living there, not the generators.
    assert ok(braid(EXAMPLE_DIR, "list", "src/acme/common")) == (
        "src/acme/common:dist\n"
        "src/acme/common/__init__.py:src\n"
        "src/acme/common/config.py:src\n"
        "src/acme/common/identifiers.py:src\n"
    )
    # `dir:` includes generators; a file names its owner; `-spec` removes.
    assert ok(braid(EXAMPLE_DIR, "list", "src/acme/common/data:")) == (
        "src/acme/common/data/defaults.json:../data\n"
    )
    assert ok(braid(EXAMPLE_DIR, "list", "src/**/config.py", "tests/common/test_config.py")) == (
        "src/acme/common/config.py:src\ntests/common/test_config.py\n"
    )
    out = ok(braid(EXAMPLE_DIR, "list", "src::", "-src/acme/agent::", "-src/acme/cli::")).splitlines()
    assert not [a for a in out if a.startswith(("src/acme/agent:", "src/acme/agent/", "src/acme/cli:", "src/acme/cli/"))]
    assert "src/acme/client:dist" in out
    # --tag: positive tags select, negative ones remove.
    assert ok(braid(EXAMPLE_DIR, "list", "--tag=wheel", "::")) == "".join(
        f"src/acme/{c}:dist\n" for c in ["agent", "cli", "client", "common", "manager"]
    )
    assert "src/acme/cli:dist" not in ok(braid(EXAMPLE_DIR, "list", "--tag=-wheel", "src/acme/cli:"))


def test_unmatched_spec_is_an_error_with_a_suggestion(braid):
    code, out, err = braid(EXAMPLE_DIR, "list", "src/acme/comon::")
    assert (code, out) == (1, "")
    assert err.endswith(
        "[ERROR] unmatched spec 'src/acme/comon::' from the command line: the directory "
        "'src/acme/comon' does not exist\n  hint: did you mean 'src/acme/common::'?\n"
    )
    code, out, err = braid(EXAMPLE_DIR, "list", "src/acme/cli:nope")
    assert (code, out) == (1, "")
    assert "no target at address 'src/acme/cli:nope'" in err


def test_peek_shows_every_field_with_defaults(braid):
    data = json.loads(ok(braid(EXAMPLE_DIR, "peek", "src/acme/cli:dist", "src/acme/common/config.py:src")))
    assert [d["address"] for d in data] == ["src/acme/cli:dist", "src/acme/common/config.py:src"]
    dist = data[0]
    assert list(dist)[:2] == ["address", "target_type"]
    assert list(dist)[2:] == sorted(list(dist)[2:])
    assert dist["target_type"] == "python_distribution"
    assert dist["provides"]["name"] == "acme-cli"
    assert dist["entry_points"] == {"console_scripts": {"acme": "acme.cli.main:main"}}
    assert dist["dependencies_raw"] == [":src"]
    assert dist["dependencies"] == ["src/acme/cli/__init__.py:src", "src/acme/cli/main.py:src"]
    # Defaults are applied to fields the BUILD file does not set.
    assert dist["wheel"] is True and dist["sdist"] is True and dist["tags"] == ["wheel"]
    src = data[1]
    assert src["target_type"] == "python_source"
    assert src["source_raw"] == "config.py"
    assert src["sources"] == ["src/acme/common/config.py"]
    assert len(src["sources_fingerprint"]) == 64
    assert src["interpreter_constraints"] is None
    # --peek-exclude-defaults leaves defaulted fields out.
    slim = json.loads(ok(braid(EXAMPLE_DIR, "peek", "--exclude-defaults", "src/acme/cli:dist")))[0]
    assert "wheel" not in slim and slim["provides"]["name"] == "acme-cli"


def test_filedeps_roots_and_count_loc(braid):
    files = ok(braid(EXAMPLE_DIR, "filedeps", "src/acme/common:src")).splitlines()
    assert files == [
        "src/acme/common/BUILD",
        "src/acme/common/__init__.py",
        "src/acme/common/config.py",
        "src/acme/common/identifiers.py",
    ]
    # --globs: the include globs as written (defaults included), never the `!` excludes.
    assert ok(braid(EXAMPLE_DIR, "filedeps", "--globs", "src/acme/common:src")).splitlines() == [
        "src/acme/common/*.py",
        "src/acme/common/*.pyi",
        "src/acme/common/BUILD",
    ]
    assert ok(braid(EXAMPLE_DIR, "roots")) == "src\ntests\n"
    table = ok(braid(EXAMPLE_DIR, "count-loc", "src/acme/common:src"))
    rows = [line.split() for line in table.splitlines() if line.startswith(("Python", "Total"))]
    assert rows[0][:2] == ["Python", "3"] and rows[1][:2] == ["Total", "3"]


def test_dependencies_explicit_transitive_and_json(braid):
    assert ok(braid(EXAMPLE_DIR, "dependencies", "src/acme/cli:dist")) == (
        "src/acme/cli/__init__.py:src\nsrc/acme/cli/main.py:src\n"
    )
    # Transitively, inferred dependencies join in (imports, weak imports of
    # third-party projects, non-empty __init__.py files); --closed adds the
    # input itself, and text output is sorted as strings, as Pants'
    # `sorted(address_strings)` ("cli/main.py:src" before "cli:dist").
    closed = ok(braid(EXAMPLE_DIR, "dependencies", "--closed", "--transitive", "src/acme/cli:dist"))
    assert closed == (
        "//:reqs#colorama\n"
        "//:reqs#pyyaml\n"
        "//:reqs#requests\n"
        "//requirements.txt:reqs\n"
        "src/acme/cli/__init__.py:src\n"
        "src/acme/cli/main.py:src\n"
        "src/acme/cli:dist\n"
        "src/acme/client/__init__.py:src\n"
        "src/acme/client/session.py:src\n"
        "src/acme/common/__init__.py:src\n"
        "src/acme/common/config.py:src\n"
        "src/acme/common/data/defaults.json:../data\n"
        "src/acme/common/identifiers.py:src\n"
        "src/acme/manager/__init__.py:src\n"
        "src/acme/manager/default_policy.json:policies\n"
        "src/acme/manager/registry.py:src\n"
        "src/acme/manager/scheduler.py:src\n"
    )
    as_json = json.loads(ok(braid(EXAMPLE_DIR, "dependencies", "--format=json", "src/acme/cli:dist")))
    assert as_json == {"src/acme/cli:dist": ["src/acme/cli/__init__.py:src", "src/acme/cli/main.py:src"]}


def test_prelude_macros_defaults_and_parametrize(braid, make_repo):
    repo = make_repo(
        {
            "pants.toml": """
                [GLOBAL]
                build_file_prelude_globs = ["build-support/*.py"]
                """,
            "build-support/macros.py": """
                def lib(name, **kwargs):
                    python_sources(name=name, tags=["macro"] + kwargs.pop("tags", []), **kwargs)
                """,
            "BUILD": """
                __defaults__({python_sources: dict(description="from defaults")}, all=dict(tags=["all"]))
                """,
            "app/BUILD": """
                lib("lib", tags=["x"])
                python_tests(name="tests", interpreter_constraints=parametrize(py39=["==3.9.*"], py311=["==3.11.*"]))
                """,
            "app/a.py": "",
            "app/test_a.py": "",
        }
    )
    assert ok(braid(repo, "list", "::")) == (
        "app:lib\n"
        "app:tests@interpreter_constraints=py311\n"
        "app:tests@interpreter_constraints=py39\n"
        "app/a.py:lib\n"
        "app/test_a.py:tests@interpreter_constraints=py311\n"
        "app/test_a.py:tests@interpreter_constraints=py39\n"
    )
    lib = json.loads(ok(braid(repo, "peek", "app:lib")))[0]
    assert lib["tags"] == ["macro", "x"]
    assert lib["description"] == "from defaults"


def test_dependencies_sort_specs_as_strings_dependents_by_address(braid, make_repo):
    # The layout of pantsbuild/example-python's helloworld/greet: a resource
    # target next to file targets. Pants' `dependencies` sorts spec strings
    # ('/' < ':'), `dependents` sorts Address (target-name-only addresses of a
    # directory before its file addresses); both write JSON with indent=4 and
    # every list sorted as strings, --closed inputs included in place.
    repo = make_repo(
        {
            "pants.toml": """
                [source]
                root_patterns = ["/"]
                """,
            "app/BUILD": """
                python_sources(name="lib", dependencies=[":data"])
                resource(name="data", source="data.json")
                """,
            "app/data.json": "{}\n",
            "app/greet.py": "from app.words import WORDS\n",
            "app/words.py": "WORDS = []\n",
        }
    )
    assert ok(braid(repo, "dependencies", "--transitive", "app/greet.py")) == (
        "app/words.py:lib\napp:data\n"
    )
    assert ok(braid(repo, "dependencies", "--closed", "app/greet.py")) == (
        "app/greet.py:lib\napp/words.py:lib\napp:data\n"
    )
    as_json = ok(braid(repo, "dependencies", "--closed", "--format=json", "app/greet.py"))
    assert as_json == (
        '{\n    "app/greet.py:lib": [\n        "app/greet.py:lib",\n'
        '        "app/words.py:lib",\n        "app:data"\n    ]\n}\n'
    )
    assert ok(braid(repo, "dependents", "--closed", "app/words.py")) == (
        "app:lib\napp/greet.py:lib\napp/words.py:lib\n"
    )
    assert json.loads(ok(braid(repo, "dependents", "--closed", "--format=json", "app/words.py"))) == {
        "app/words.py:lib": ["app/greet.py:lib", "app/words.py:lib", "app:lib"]
    }

"""The plugin API end to end: backends enabled by backend_packages, the
built-in platform_resources plugin, and an external plugin written in Python
(tests/plugins/exclude_tagged_deps.py) speaking plugins/api/plugin_protocol.proto."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

PROTO_DIR = SOURCE_DIR / "plugins" / "api"
EXAMPLE_PLUGIN = SOURCE_DIR / "tests" / "plugins" / "exclude_tagged_deps.py"

PYTHON_REPO = {
    "pants.toml": """
        [GLOBAL]
        backend_packages = ["pants.backend.python"]

        [source]
        root_patterns = ["/src"]

        [braid-plugins]
        external = { exclude_tagged = { command = ["/usr/bin/python3", "tools/exclude_tagged_deps.py"], hooks = ["infer_dependencies"], target_types = ["python_source"], inputs = ["tools/exclude_tagged_deps.py", "tools/plugin_protocol_pb2.py"], options = { tag = "no-inferred-deps" } } }
        """,
    "src/app/BUILD": """
        python_sources(overrides={"tagged.py": {"tags": ["no-inferred-deps"], "dependencies": ["src/lib/b.py"]}})
        """,
    "src/app/plain.py": "import lib.a\nimport lib.b\n",
    "src/app/tagged.py": "import lib.a\nimport lib.b\n",
    "src/lib/BUILD": "python_sources()\n",
    "src/lib/a.py": "",
    "src/lib/b.py": "",
}


def with_plugin(repo):
    """Copies the example plugin into the repo and generates its _pb2 module."""
    tools = repo / "tools"
    tools.mkdir(exist_ok=True)
    shutil.copy(EXAMPLE_PLUGIN, tools / "exclude_tagged_deps.py")
    protoc = shutil.which("protoc")
    if protoc is None:
        pytest.skip("protoc (protobuf-compiler) is not installed")
    subprocess.run([protoc, f"--python_out={tools}", f"-I{PROTO_DIR}",
                    str(PROTO_DIR / "plugin_protocol.proto")], check=True)
    return repo


def test_external_plugin_excludes_inferred_deps_of_tagged_targets(braid, make_repo):
    repo = with_plugin(make_repo(PYTHON_REPO))
    code, out, err = braid(repo, "dependencies", "src/app/plain.py", "src/app/tagged.py")
    assert code == 0, err
    # plain.py keeps both imports; tagged.py loses the inferred lib.a but
    # keeps lib/b.py, which its BUILD entry names explicitly.
    assert out == "src/lib/a.py\nsrc/lib/b.py\n"
    code, out, err = braid(repo, "dependencies", "src/app/tagged.py")
    assert code == 0, err
    assert out == "src/lib/b.py\n"
    code, out, err = braid(repo, "dependencies", "src/app/plain.py")
    assert (code, out) == (0, "src/lib/a.py\nsrc/lib/b.py\n"), err


def test_external_plugin_answers_are_cached_and_follow_their_inputs(braid, make_repo):
    repo = with_plugin(make_repo(PYTHON_REPO))
    assert braid(repo, "dependencies", "src/app/tagged.py").stdout == "src/lib/b.py\n"
    # Changing the plugin's options changes the request: new answer.
    toml = (repo / "pants.toml").read_text()
    (repo / "pants.toml").write_text(toml.replace('tag = "no-inferred-deps"', 'tag = "other"'))
    assert braid(repo, "dependencies", "src/app/tagged.py").stdout == "src/lib/a.py\nsrc/lib/b.py\n"
    # Changing the plugin's code (a declared input) changes the cache key too.
    (repo / "pants.toml").write_text(toml)
    script = repo / "tools" / "exclude_tagged_deps.py"
    script.write_text(script.read_text().replace("out.exclude.append(dep.address)", "pass"))
    assert braid(repo, "dependencies", "src/app/tagged.py").stdout == "src/lib/a.py\nsrc/lib/b.py\n"


def test_external_plugin_failure_names_the_plugin(braid, make_repo):
    repo = with_plugin(make_repo(PYTHON_REPO))
    (repo / "tools" / "exclude_tagged_deps.py").write_text("import sys\nsys.exit('no way')\n")
    code, out, err = braid(repo, "dependencies", "src/app/tagged.py")
    assert code == 1
    assert ("[ERROR] external plugin 'exclude_tagged' (/usr/bin/python3 "
            "tools/exclude_tagged_deps.py): exited with code 1:\nno way\n") in err


def test_bad_external_plugin_declaration_is_located(braid, make_repo):
    files = dict(PYTHON_REPO)
    files["pants.toml"] = PYTHON_REPO["pants.toml"].replace('"infer_dependencies"', '"infer"')
    repo = make_repo(files)
    code, out, err = braid(repo, "dependencies", "src/app/tagged.py")
    assert code == 1
    assert "pants.toml:8: [braid-plugins].external.exclude_tagged: unknown hook 'infer'" in err


PLATFORM_REPO = {
    "pants.toml": """
        [GLOBAL]
        backend_packages = ["pants.backend.python", "braid.plugins.platform_resources"]

        [source]
        root_patterns = ["/src"]
        """,
    "src/res/BUILD": """
        resource(name="linux", source="linux_x86_64.txt")
        resource(name="mac", source="macos_arm64.txt")
        platform_resources(name="native", dependency_map={"linux_x86_64": ":linux", "macos_arm64": ":mac"})
        """,
    "src/res/linux_x86_64.txt": "linux\n",
    "src/res/macos_arm64.txt": "mac\n",
    "src/app/BUILD": 'python_tests(dependencies=["src/res:native"])\n',
    "src/app/test_res.py": """
        import pathlib

        def test_reads_the_platform_resource():
            here = pathlib.Path(__file__).resolve().parent.parent / "res"
            present = sorted(p.name for p in here.glob("*.txt"))
            assert present == ["linux_x86_64.txt"]
        """,
}


def test_platform_resources_infers_the_chosen_platforms_dependency(braid, make_repo):
    repo = make_repo(PLATFORM_REPO)
    flag = "--platform-specific-resources-target"
    code, out, err = braid(repo, "dependencies", f"{flag}=linux_x86_64", "src/res:native")
    assert (code, out) == (0, "src/res:linux\n"), err
    code, out, err = braid(repo, "dependencies", f"{flag}=macos_arm64", "src/res:native")
    assert (code, out) == (0, "src/res:mac\n"), err
    code, out, err = braid(repo, "dependencies", f"{flag}=linux_arm64", "src/res:native")
    assert code == 1
    assert "dependency_map has no entry for the platform 'linux_arm64'" in err
    code, out, err = braid(repo, "dependencies", f"{flag}=windows", "src/res:native")
    assert code == 2
    assert "windows" in err


def test_platform_resource_enters_the_test_sandbox(braid, make_repo):
    repo = make_repo(PLATFORM_REPO)
    code, out, err = braid(repo, "test", "--platform-specific-resources-target=linux_x86_64",
                           "src/app:")
    assert code == 0, out + err


def test_plugin_goals_and_types_exist_only_when_enabled(braid, make_repo):
    files = dict(PLATFORM_REPO)
    files["pants.toml"] = '[GLOBAL]\nbackend_packages = ["pants.backend.python"]\n'
    repo = make_repo(files)
    code, out, err = braid(repo, "list", "src/res:")
    assert code == 1
    assert "src/res/BUILD:3:1: name 'platform_resources' is not defined" in err
    assert ("hint: the target type 'platform_resources' is provided by the backend "
            "'braid.plugins.platform_resources': add \"braid.plugins.platform_resources\" to "
            "backend_packages in the [GLOBAL] section of pants.toml") in err
    code, out, err = braid(repo, "list", "--platform-specific-resources-target=linux_x86_64", "::")
    assert code == 2


def test_unknown_braid_backend_is_an_error_with_a_hint(braid, make_repo):
    repo = make_repo({"pants.toml": '[GLOBAL]\nbackend_packages = ["braid.plugins.platfrom_resources"]\n'})
    code, out, err = braid(repo, "list", "::")
    assert code == 2
    assert err == ("[ERROR] pants.toml:2: unknown backend 'braid.plugins.platfrom_resources' in "
                   "[GLOBAL].backend_packages\n  hint: did you mean "
                   "'braid.plugins.platform_resources'?\n")


def test_other_pants_backends_are_accepted_and_foreign_plugins_warned(braid, make_repo):
    repo = make_repo({
        "pants.toml": """
            [GLOBAL]
            backend_packages = ["pants.backend.python", "pants.backend.experimental.python.lint.ruff", "internal_plugins.releases"]
            """,
        "BUILD": "",
    })
    code, out, err = braid(repo, "list", "::")
    assert code == 0, err
    assert err == ("[WARN] the backend 'internal_plugins.releases' is not one braid knows (braid "
                   "cannot load Pants' Python plugins); it is ignored\n")


def test_help_backends_lists_builtin_plugins_and_marks_enabled_ones(braid, make_repo):
    repo = make_repo(PLATFORM_REPO)
    code, out, err = braid(repo, "help", "backends")
    assert code == 0, err
    assert "  braid.plugins.changelog\n" in out
    assert "  braid.plugins.platform_resources (enabled)\n" in out
    assert "  braid.plugins.setupgen\n" in out

"""Dependency inference end to end: the example monorepo, the fixture repos
under tests/e2e/fixtures/, and small repos written by the tests."""

import json
import os
from pathlib import Path

from conftest import EXAMPLE_DIR, assert_located

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def test_transitive_dependencies_of_a_test_are_exactly_what_its_imports_need(braid):
    # tests/common/test_config.py imports pytest and acme.common.config;
    # config.py imports yaml (weakly: inside try/except ImportError), its
    # package __init__.py has content, tests/conftest.py applies to every test,
    # the BUILD file adds //:version, and src/acme/common:src adds :data.
    out = ok(braid(EXAMPLE_DIR, "dependencies", "--transitive", "tests/common/test_config.py"))
    assert out == (
        "//:reqs#pytest\n"
        "//:reqs#pyyaml\n"
        "//VERSION:version\n"
        "//requirements.txt:reqs\n"
        "src/acme/common/__init__.py:src\n"
        "src/acme/common/config.py:src\n"
        "src/acme/common/data/defaults.json:../data\n"
        "tests/conftest.py:test_utils\n"
    )
    # A second run answers from the scan cache with the same bytes.
    assert ok(braid(EXAMPLE_DIR, "dependencies", "--transitive", "tests/common/test_config.py")) == out


def test_direct_dependencies_json_and_peek_include_inferred(braid):
    as_json = json.loads(ok(braid(EXAMPLE_DIR, "dependencies", "--format=json", "tests/cli/test_main.py")))
    assert as_json == {"tests/cli/test_main.py": ["src/acme/cli/main.py:src", "tests/conftest.py:test_utils"]}
    peek = json.loads(ok(braid(EXAMPLE_DIR, "peek", "src/acme/cli:acme-cli")))[0]
    # pex_binary entry_point="acme.cli.main:main" is inferred.
    assert peek["dependencies"] == ["src/acme/cli/main.py:src"]


def test_explain_names_the_rule_and_the_importing_line(braid):
    out = ok(braid(EXAMPLE_DIR, "dependencies", "--explain", "tests/common/test_config.py", "src/acme/cli:acme-cli"))
    assert out == (
        "src/acme/cli:acme-cli\n"
        "  src/acme/cli/main.py:src  <- entry point 'acme.cli.main' src/acme/cli/BUILD:7:5\n"
        "tests/common/test_config.py\n"
        "  //:reqs#pytest  <- import 'pytest' tests/common/test_config.py:1\n"
        "  //VERSION:version  <- explicit tests/common/BUILD:1:1\n"
        "  src/acme/common/config.py:src  <- import 'acme.common.config' tests/common/test_config.py:3\n"
        "  tests/conftest.py:test_utils  <- conftest 'tests/conftest.py' tests/common/test_config.py\n"
    )
    weak = ok(braid(EXAMPLE_DIR, "dependencies", "--explain", "src/acme/common/config.py"))
    assert "  //:reqs#pyyaml  <- weak import 'yaml' src/acme/common/config.py:10\n" in weak
    assert "  src/acme/common/__init__.py:src  <- init file 'src/acme/common/__init__.py' src/acme/common/config.py\n" in weak
    as_json = json.loads(ok(braid(EXAMPLE_DIR, "dependencies", "--explain", "--format=json", "tests/cli/test_main.py")))
    assert as_json["tests/cli/test_main.py"][0] == {
        "address": "src/acme/cli/main.py:src",
        "rule": "import",
        "module": "acme.cli.main.main",
        "origin": "tests/cli/test_main.py:3",
    }


def test_dependents_and_paths(braid):
    assert ok(braid(EXAMPLE_DIR, "dependents", "src/acme/manager/registry.py")) == (
        "src/acme/cli/main.py:src\n"
        "src/acme/manager:dist\n"
        "src/acme/manager:src\n"
        "src/acme/manager/scheduler.py:src\n"
        "tests/manager/test_registry.py\n"
        "tests/manager/test_scheduler.py\n"
    )
    transitive = ok(braid(EXAMPLE_DIR, "dependents", "--transitive", "src/acme/manager/registry.py")).splitlines()
    assert "tests/cli/test_main.py" in transitive and "src/acme/cli:acme-cli" in transitive
    assert "src/acme/manager/registry.py:src" not in transitive
    paths = json.loads(ok(braid(EXAMPLE_DIR, "paths", "--from=tests/cli/test_main.py", "--to=src/acme/manager/registry.py")))
    assert paths == [
        ["tests/cli/test_main.py", "src/acme/cli/main.py:src", "src/acme/manager/registry.py:src"],
        ["tests/cli/test_main.py", "src/acme/cli/main.py:src", "src/acme/manager/scheduler.py:src",
         "src/acme/manager/registry.py:src"],
    ]
    assert json.loads(ok(braid(EXAMPLE_DIR, "paths", "--from=src/acme/common/config.py", "--to=tests/cli/test_main.py"))) == []


def test_filedeps_transitive_follows_inferred_dependencies(braid):
    assert ok(braid(EXAMPLE_DIR, "filedeps", "--transitive", "tests/common/test_config.py")) == (
        "BUILD\nVERSION\nrequirements.txt\n"
        "src/acme/common/BUILD\nsrc/acme/common/__init__.py\nsrc/acme/common/config.py\n"
        "src/acme/common/data/defaults.json\n"
        "tests/BUILD\ntests/common/BUILD\ntests/common/test_config.py\ntests/conftest.py\n"
    )


def test_ambiguous_import_warns_once_naming_owners_and_fixes(braid):
    code, out, err = braid(FIXTURES / "infer_ambiguous", "dependencies", "src/app/main.py", "src/app/fixed.py")
    assert code == 0, err
    # main.py's import is ambiguous: nothing inferred. fixed.py excluded one owner.
    assert out == "src/util/strings.py\n"
    assert err == (
        "[WARN] src/app/main.py:1: the import 'util.strings.shout' in src/app/main.py is ambiguous: "
        "2 targets own it (src/util/strings.py, vendor/util/strings.py), so no dependency was inferred\n"
        "  hint: either add the one you want to the `dependencies` field of src/app/main.py "
        "(e.g. \"src/util/strings.py\"), or exclude the others with `!` (e.g. \"!vendor/util/strings.py\") "
        "so that one owner is left\n"
    )
    # by_source_root picks the owner in the importer's source root.
    out = ok(braid(FIXTURES / "infer_ambiguous", "--python-infer-ambiguity-resolution=by_source_root",
                   "dependencies", "src/app/main.py"))
    assert out == "src/util/strings.py\n"


def test_unowned_import_is_a_located_error(braid):
    code, out, err = braid(FIXTURES / "infer_unowned", "dependencies", "src/app/client.py")
    assert (code, out) == (1, "")
    assert assert_located(err, "src/app/client.py", 3) == "cannot infer an owner for the import 'requests'"
    assert "    import requests\n" in err
    assert "add `# pants: no-infer-dep` to the import line" in err
    # Other behaviours: a warning, or nothing at all; stdlib `json` is never reported.
    code, out, err = braid(FIXTURES / "infer_unowned", "--python-infer-unowned-dependency-behavior=warning",
                           "dependencies", "src/app/client.py")
    assert (code, out) == (0, "")
    assert err.startswith("[WARN] src/app/client.py:3: cannot infer an owner for the import 'requests' (in src/app/client.py)\n")
    assert err.count("[WARN]") == 1
    code, out, err = braid(FIXTURES / "infer_unowned", "--python-infer-ignored-unowned-imports=['requests']",
                           "dependencies", "src/app/client.py")
    assert (code, out, err) == (0, "", "")


def test_exclusions_pragmas_and_third_party_mapping(braid, make_repo):
    repo = make_repo(
        {
            "pants.toml": "[source]\nroot_patterns = ['/src']\n",
            "BUILD": "python_requirements(name='reqs', module_mapping={'my-dist': ['mine']})\n",
            "requirements.txt": "Pillow\nmy-dist\ntypes-requests\nrequests\n",
            "src/app/BUILD": """
                python_sources(dependencies=['!//:reqs#requests'])
                pex_binary(name='bin', entry_point='app.main:run', dependencies=['!!src/app/util.py'])
                """,
            "src/app/main.py": """
                import PIL.Image
                import mine.sub
                import requests
                from app import util
                # pants: infer-dep(//:reqs#Pillow)
                def run():
                    pass
                """,
            "src/app/util.py": "",
        }
    )
    out = ok(braid(repo, "dependencies", "--explain", "src/app/main.py"))
    assert out == (
        "src/app/main.py\n"
        "  //:reqs#Pillow  <- import 'PIL.Image' src/app/main.py:1\n"
        "  //:reqs#my-dist  <- import 'mine.sub' src/app/main.py:2\n"
        "  //:reqs#types-requests  <- import 'requests' src/app/main.py:3\n"
        "  src/app/util.py  <- import 'app.util' src/app/main.py:4\n"
    )
    # `!!` on the pex_binary drops util.py from its whole closure.
    closure = ok(braid(repo, "dependencies", "--transitive", "src/app:bin")).splitlines()
    assert "src/app/main.py" in closure and "src/app/util.py" not in closure


def test_python_imports_of_generated_protobuf_modules(braid, make_repo):
    # pants.backend.codegen.protobuf.python: `acme.svc_pb2(_grpc)` is the protobuf_source of
    # protos/acme/svc.proto (its own source root stripped), which needs the protobuf and grpcio
    # runtime requirements; without a protobuf requirement that is an error naming the target.
    files = {
        "pants.toml": """
            [GLOBAL]
            backend_packages = ["pants.backend.python", "pants.backend.codegen.protobuf.python"]
            [source]
            root_patterns = ["/src", "/protos"]
            """,
        "BUILD": "python_requirements(name='reqs')\n",
        "requirements.txt": "protobuf>=4\ngrpcio\n",
        "protos/acme/BUILD": "protobuf_sources(grpc=True)\n",
        "protos/acme/svc.proto": "syntax = \"proto3\";\npackage acme;\n",
        "src/app/BUILD": "python_sources()\n",
        "src/app/main.py": "from acme.svc_pb2_grpc import SvcStub\n",
    }
    repo = make_repo(files)
    out = ok(braid(repo, "dependencies", "--explain", "src/app/main.py", "protos/acme/svc.proto"))
    assert out == (
        "protos/acme/svc.proto\n"
        "  //:reqs#grpcio  <- codegen runtime 'grpc' protos/acme/BUILD:1:1\n"
        "  //:reqs#protobuf  <- codegen runtime 'google.protobuf' protos/acme/BUILD:1:1\n"
        "src/app/main.py\n"
        "  protos/acme/svc.proto  <- import 'acme.svc_pb2_grpc.SvcStub' src/app/main.py:1\n"
    ), out
    repo = make_repo({**files, "requirements.txt": "grpcio\n"})
    code, _, err = braid(repo, "dependencies", "::")
    assert code == 1
    assert ("no `python_requirement` target was found with the module `google.protobuf`, so the "
            "Python code generated from the target protos/acme/svc.proto will not work properly"
            ) in err, err


def test_corrupt_scan_cache_is_a_miss(braid, braid_home, make_repo):
    repo = make_repo(
        {
            "pants.toml": "",
            "app/BUILD": "python_sources()\n",
            "app/a.py": "from app import b\n",
            "app/b.py": "",
        }
    )
    assert ok(braid(repo, "dependencies", "app/a.py")) == "app/b.py\n"
    caches = list((braid_home / ".cache" / "braid" / "v1" / "infer").glob("python-imports-*"))
    assert caches
    for c in caches:
        c.write_bytes(b"BRAIDPYS" + os.urandom(64))
    assert ok(braid(repo, "dependencies", "app/a.py")) == "app/b.py\n"
    # An edit is seen on the next run.
    (repo / "app" / "a.py").write_text("import os\n")
    assert ok(braid(repo, "dependencies", "app/a.py")) == ""

"""Plugins wired into `braid package` and `braid test` (docs/plugins.md,
docs/package.md): braid.plugins.setupgen's metadata in wheels,
braid.plugins.platform_resources' wheel tags, and files of the "generate"
extension point (from an external plugin) in test sandboxes and wheels."""
from __future__ import annotations

import shutil
import subprocess
import tarfile
import zipfile

import pytest

from conftest import SOURCE_DIR

PROTO_DIR = SOURCE_DIR / "plugins" / "api"

SETUPGEN_TOML = """
    [GLOBAL]
    backend_packages = ["pants.backend.python", "braid.plugins.setupgen"]
    [source]
    root_patterns = ["/src"]
    [python]
    interpreter_constraints = ["CPython>=3.9"]
    """

LIB = {
    "pants.toml": SETUPGEN_TOML,
    "VERSION": "1.0\n",
    "src/lib/__init__.py": "",
    "src/lib/BUILD": """
        python_sources(name="src")
        python_distribution(name="dist", dependencies=[":src"],
                            provides=python_artifact(name="lib", license="MIT"))
        """,
    # A second distribution requiring the first: its pin is VERSION's too.
    "src/app/__init__.py": "import lib\n",
    "src/app/BUILD": """
        python_sources(name="src")
        python_distribution(name="dist", dependencies=[":src"],
                            provides=python_artifact(name="app"))
        """,
}


def metadata(wheel, stem: str) -> str:
    with zipfile.ZipFile(wheel) as z:
        return z.read(f"{stem}.dist-info/METADATA").decode()


@pytest.mark.parametrize(
    "version, status",
    [
        ("1.0.dev1", "2 - Pre-Alpha"),
        ("1.0a1", "3 - Alpha"),
        ("1.0b2", "4 - Beta"),
        ("1.0rc1", "4 - Beta"),
        ("1.0", "5 - Production/Stable"),
    ],
)
def test_wheels_carry_the_version_files_version_and_status(braid, make_repo, version, status):
    repo = make_repo({**LIB, "VERSION": f"  {version}\n"})
    code, _, err = braid(repo, "package", "::")
    assert code == 0, err
    assert f"[INFO] Wrote dist/lib-{version}-py3-none-any.whl" in err
    assert f"[INFO] Wrote dist/lib-{version}.tar.gz" in err
    assert metadata(repo / f"dist/lib-{version}-py3-none-any.whl", f"lib-{version}") == (
        "Metadata-Version: 2.1\n"
        "Name: lib\n"
        f"Version: {version}\n"
        "License: MIT\n"
        f"Classifier: Development Status :: {status}\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: License :: OSI Approved :: MIT License\n"
        "Requires-Python: >=3.9\n"
    )
    app = metadata(repo / f"dist/app-{version}-py3-none-any.whl", f"app-{version}")
    assert f"Requires-Dist: lib=={version}\n" in app


@pytest.mark.parametrize(
    "readme, content_type",
    [("README.md", "text/markdown"), ("README.rst", "text/x-rst"), ("README", "text/plain")],
)
def test_the_readme_is_the_description_with_its_content_type(braid, make_repo, readme,
                                                             content_type):
    text = "lib\n===\n\nThe *lib* library.\n"
    repo = make_repo({**LIB, f"src/lib/{readme}": text})
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 0, err
    meta = metadata(repo / "dist/lib-1.0-py3-none-any.whl", "lib-1.0")
    assert f"\nDescription-Content-Type: {content_type}\n" in meta
    assert meta.endswith("\n\n" + text)
    # The sdist's PKG-INFO is the same text.
    with tarfile.open(repo / "dist/lib-1.0.tar.gz") as t:
        assert t.extractfile("lib-1.0/PKG-INFO").read().decode() == meta


def test_requires_python_and_language_classifiers_from_interpreter_constraints(braid, make_repo):
    files = dict(LIB)
    files["src/lib/BUILD"] = """
        python_sources(name="src")
        python_distribution(name="dist", dependencies=[":src"],
                            interpreter_constraints=["CPython==3.13.7"],
                            provides=python_artifact(name="lib"))
        """
    repo = make_repo(files)
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 0, err
    meta = metadata(repo / "dist/lib-1.0-py3-none-any.whl", "lib-1.0")
    assert meta == (
        "Metadata-Version: 2.1\n"
        "Name: lib\n"
        "Version: 1.0\n"
        "Classifier: Development Status :: 5 - Production/Stable\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Programming Language :: Python :: 3.13\n"
        "Requires-Python: >=3.13,<3.14\n"
    )


def test_a_value_the_plugin_owns_set_in_build_is_an_error(braid, make_repo):
    files = dict(LIB)
    files["src/lib/BUILD"] = """
        python_sources(name="src")
        python_distribution(name="dist", dependencies=[":src"],
                            provides=python_artifact(name="lib", version="2.0"))
        """
    repo = make_repo(files)
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 1
    assert err == (
        "[ERROR] src/lib/BUILD:2: src/lib:dist: python_artifact sets 'version', which "
        "braid.plugins.setupgen owns (it comes from the VERSION file ([setupgen].version_file))\n"
        "  hint: remove 'version' from the BUILD file\n")
    assert not (repo / "dist").exists()


def test_no_version_anywhere_is_a_located_error(braid, make_repo):
    # setupgen enabled but no VERSION file.
    files = {k: v for k, v in LIB.items() if k != "VERSION"}
    repo = make_repo(files)
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 1
    assert ("src/lib/BUILD:2: src/lib:dist: no version file: neither src/lib/VERSION nor "
            "VERSION exists") in err
    # No plugin: python_artifact must give the version.
    (repo / "pants.toml").write_text('[source]\nroot_patterns = ["/src"]\n')
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 1
    assert 'src/lib/BUILD:3:' in err
    assert 'python_artifact(name="lib") needs a `version`' in err
    assert '"braid.plugins.setupgen" in [GLOBAL].backend_packages' in err


PLATFORM_REPO = {
    "pants.toml": """
        [GLOBAL]
        backend_packages = ["pants.backend.python", "braid.plugins.platform_resources"]
        [source]
        root_patterns = ["/src"]
        """,
    "src/res/__init__.py": "",
    "src/res/BUILD": """
        python_sources(name="src", dependencies=[":native"])
        resource(name="linux", source="linux_x86_64.txt")
        resource(name="mac", source="macos_arm64.txt")
        platform_resources(name="native",
                           dependency_map={"linux_x86_64": ":linux", "macos_arm64": ":mac"})
        python_distribution(name="dist", dependencies=[":src"],
                            provides=python_artifact(name="res", version="1.0"))
        """,
    "src/res/linux_x86_64.txt": "linux\n",
    "src/res/macos_arm64.txt": "mac\n",
    "src/pure/__init__.py": "",
    "src/pure/BUILD": """
        python_sources(name="src")
        python_distribution(name="dist", dependencies=[":src"],
                            provides=python_artifact(name="pure", version="1.0"))
        """,
}


@pytest.mark.parametrize(
    "platform, tag, resource",
    [
        ("linux_x86_64", "manylinux2014_x86_64", "res/linux_x86_64.txt"),
        ("macos_arm64", "macosx_11_0_arm64", "res/macos_arm64.txt"),
    ],
)
def test_each_platform_gets_its_resources_and_wheel_tag(braid, make_repo, platform, tag,
                                                        resource):
    from pip._vendor.packaging.utils import parse_wheel_filename  # Debian's pip

    repo = make_repo(PLATFORM_REPO)
    code, _, err = braid(repo, f"--platform-specific-resources-target={platform}",
                         f"--pants-distdir=dist-{platform}", "package", "::")
    assert code == 0, err
    wheel = f"res-1.0-py3-none-{tag}.whl"
    assert sorted(p.name for p in (repo / f"dist-{platform}").iterdir()) == [
        "pure-1.0-py3-none-any.whl", "pure-1.0.tar.gz", wheel, "res-1.0.tar.gz"]
    with zipfile.ZipFile(repo / f"dist-{platform}" / wheel) as z:
        assert [n for n in z.namelist() if not n.startswith("res-1.0.dist-info")] == [
            "res/__init__.py", resource]
        assert z.read(resource).decode() == ("linux\n" if "linux" in platform else "mac\n")
        # WHEEL's Tag and the file name agree; pure Python, so purelib (as
        # `bdist_wheel --plat-name` writes).
        assert z.read("res-1.0.dist-info/WHEEL").decode().endswith(
            f"Root-Is-Purelib: true\nTag: py3-none-{tag}\n\n")
    _, _, _, tags = parse_wheel_filename(wheel)
    assert [str(t) for t in tags] == [f"py3-none-{tag}"]


GENERATE_PLUGIN = '''
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plugin_protocol_pb2 as pb

request = pb.PluginRequest()
request.ParseFromString(sys.stdin.buffer.read())
response = pb.PluginResponse()
if request.WhichOneof("hook") == "generate":
    out = response.generate
    out.SetInParent()
    target = request.generate.target
    for src in target.sources:
        f = out.files.add()
        f.path = os.path.dirname(src.path) + "/_build_info.py"
        f.content = b'BUILT_BY = "' + request.options_json["who"].strip('"').encode() + b'"\\n'
else:
    response.error = "unsupported hook"
sys.stdout.buffer.write(response.SerializeToString())
'''


def test_generated_files_enter_test_sandboxes_and_wheels(braid, make_repo):
    protoc = shutil.which("protoc")
    if protoc is None:
        pytest.skip("protoc (protobuf-compiler) is not installed")
    repo = make_repo({
        "pants.toml": """
            [source]
            root_patterns = ["/src", "/tests"]
            [braid-plugins]
            external = { info = { command = ["/usr/bin/python3", "tools/gen.py"], hooks = ["generate"], target_types = ["python_source"], inputs = ["tools/gen.py", "tools/plugin_protocol_pb2.py"], options = { who = "braid" } } }
            """,
        "tools/gen.py": GENERATE_PLUGIN,
        "src/lib/__init__.py": "",
        "src/lib/core.py": "VALUE = 1\n",
        "src/lib/BUILD": """
            python_sources(name="src")
            python_distribution(name="dist", dependencies=[":src"],
                                provides=python_artifact(name="lib", version="1.0"))
            """,
        "tests/BUILD": "python_tests()\n",
        # importlib: the generated module is not a file on disk, so no import
        # of it is inferred; the closure (via lib.core) brings it.
        "tests/test_info.py": """
            import importlib
            import lib.core

            def test_generated_module_is_importable():
                assert importlib.import_module("lib._build_info").BUILT_BY == "braid"
            """,
    })
    subprocess.run([protoc, f"--python_out={repo / 'tools'}", f"-I{PROTO_DIR}",
                    str(PROTO_DIR / "plugin_protocol.proto")], check=True)
    code, out, err = braid(repo, "test", "tests:")
    assert code == 0, out + err
    assert not (repo / "src/lib/_build_info.py").exists()  # never written to the workspace
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 0, err
    with zipfile.ZipFile(repo / "dist/lib-1.0-py3-none-any.whl") as z:
        assert z.read("lib/_build_info.py") == b'BUILT_BY = "braid"\n'
        assert "lib-1.0.dist-info/RECORD" in z.namelist()

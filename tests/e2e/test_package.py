"""`braid package`: native wheels, sdists and PEX files (docs/package.md).

The example repository is packaged once per module (it takes milliseconds);
the slower checks (venvs, pip, setuptools) share that output.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_DIR

PYTHON = "/usr/bin/python3"
COMPONENTS = ["agent", "cli", "client", "common", "manager"]
# The example's acme-agent holds a platform_resources target
# (braid.plugins.platform_resources): its wheel is tagged for the platform it
# is packaged for, chosen here as this machine so that pip installs it.
HOST_PLATFORM, HOST_TAG = {
    "aarch64": ("linux_arm64", "manylinux2014_aarch64"),
}.get(platform.machine(), ("linux_x86_64", "manylinux2014_x86_64"))


def wheel_name(component: str) -> str:
    tag = HOST_TAG if component == "agent" else "any"
    return f"acme_{component}-1.4.0-py3-none-{tag}.whl"


WHEELS = [wheel_name(c) for c in COMPONENTS]
SDISTS = [f"acme_{c}-1.4.0.tar.gz" for c in COMPONENTS]
PEX = "src.acme.cli/acme-cli.pex"


PLATFORM_FLAG = f"--platform-specific-resources-target={HOST_PLATFORM}"


def _sums(dist: Path) -> dict:
    return {
        str(p.relative_to(dist)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(dist.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    """docs/example copied and packaged with `braid package ::`."""
    binary = os.environ.get("BRAID_BIN")
    if not binary:
        pytest.skip("BRAID_BIN is not set")
    repo = tmp_path_factory.mktemp("pkg") / "example"
    shutil.copytree(EXAMPLE_DIR, repo, ignore=shutil.ignore_patterns("dist", ".pants.d"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    env.update(HOME=str(tmp_path_factory.mktemp("home")), NO_COLOR="1", TERM="dumb")
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run([binary, "package", PLATFORM_FLAG, "::"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return repo, proc, env


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv without system site-packages."""
    path = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([PYTHON, "-m", "venv", str(path)], check=True, timeout=120)
    return path


def test_writes_every_distribution_and_the_pex(packaged):
    repo, proc, _ = packaged
    wrote = [line for line in proc.stderr.splitlines() if "Wrote " in line]
    expected = []
    for c in COMPONENTS:
        if c == "cli":
            expected.append(f"[INFO] Wrote dist/{PEX}")
        expected += [f"[INFO] Wrote dist/{wheel_name(c)}",
                     f"[INFO] Wrote dist/acme_{c}-1.4.0.tar.gz"]
    assert wrote == expected
    assert sorted(_sums(repo / "dist")) == sorted(WHEELS + SDISTS + [PEX])


def test_wheel_layout_metadata_and_record(packaged):
    repo, _, _ = packaged
    with zipfile.ZipFile(repo / "dist" / "acme_cli-1.4.0-py3-none-any.whl") as z:
        assert z.testzip() is None  # every CRC checks
        assert z.namelist() == [
            "acme/cli/__init__.py",
            "acme/cli/main.py",
            "acme_cli-1.4.0.dist-info/METADATA",
            "acme_cli-1.4.0.dist-info/WHEEL",
            "acme_cli-1.4.0.dist-info/entry_points.txt",
            "acme_cli-1.4.0.dist-info/top_level.txt",
            "acme_cli-1.4.0.dist-info/RECORD",
        ]
        # Version (VERSION), Author* ([setupgen]), the classifiers,
        # Requires-Python and the description (src/acme/cli/README.md) come
        # from braid.plugins.setupgen; the rest from python_artifact and the
        # dependency closure.
        assert z.read("acme_cli-1.4.0.dist-info/METADATA").decode() == (
            "Metadata-Version: 2.1\n"
            "Name: acme-cli\n"
            "Version: 1.4.0\n"
            "Summary: The `acme` command line\n"
            "Author: Acme Engineering\n"
            "Author-email: eng@acme.example\n"
            "License: MIT\n"
            "Classifier: Development Status :: 5 - Production/Stable\n"
            "Classifier: Programming Language :: Python :: 3\n"
            "Classifier: License :: OSI Approved :: MIT License\n"
            "Requires-Python: >=3.9\n"
            "Description-Content-Type: text/markdown\n"
            "Requires-Dist: acme-client==1.4.0\n"
            "Requires-Dist: acme-common==1.4.0\n"
            "Requires-Dist: acme-manager==1.4.0\n"
            "Requires-Dist: colorama>=0.4.6\n"
            "\n"
            "# acme-cli\n"
            "\n"
            "The `acme` command line: `acme version`, `acme schedule` and `acme heartbeat`.\n"
        )
        assert z.read("acme_cli-1.4.0.dist-info/entry_points.txt").decode() == (
            "[console_scripts]\nacme = acme.cli.main:main\n")
        record = z.read("acme_cli-1.4.0.dist-info/RECORD").decode().splitlines()
        assert record[-1] == "acme_cli-1.4.0.dist-info/RECORD,,"
        for line in record[:-1]:
            path, digest, size = line.split(",")
            data = z.read(path)
            want = hashlib.sha256(data).digest()
            import base64
            assert digest == "sha256=" + base64.urlsafe_b64encode(want).rstrip(b"=").decode()
            assert int(size) == len(data)
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
    # Package data (resources) travel with the owning distribution only.
    with zipfile.ZipFile(repo / "dist" / "acme_common-1.4.0-py3-none-any.whl") as z:
        assert "acme/common/data/defaults.json" in z.namelist()
        assert "Requires-Dist: pyyaml<7,>=6.0\n" in z.read(
            "acme_common-1.4.0.dist-info/METADATA").decode()


def test_sdist_layout(packaged):
    repo, _, _ = packaged
    with tarfile.open(repo / "dist" / "acme_common-1.4.0.tar.gz") as t:
        assert t.getnames() == [
            "acme_common-1.4.0/PKG-INFO",
            "acme_common-1.4.0/acme/common/__init__.py",
            "acme_common-1.4.0/acme/common/config.py",
            "acme_common-1.4.0/acme/common/data/defaults.json",
            "acme_common-1.4.0/acme/common/identifiers.py",
            "acme_common-1.4.0/pyproject.toml",
            "acme_common-1.4.0/setup.py",
        ]
        for m in t.getmembers():
            assert (m.mtime, m.mode, m.uid, m.gid) == (315532800, 0o644, 0, 0)
        with zipfile.ZipFile(repo / "dist" / "acme_common-1.4.0-py3-none-any.whl") as z:
            assert t.extractfile("acme_common-1.4.0/PKG-INFO").read() == z.read(
                "acme_common-1.4.0.dist-info/METADATA")


def test_packaging_twice_gives_identical_bytes(packaged, tmp_path):
    repo, _, env = packaged
    first = _sums(repo / "dist")
    again = tmp_path / "again"
    shutil.copytree(repo, again, ignore=shutil.ignore_patterns("dist"))
    proc = subprocess.run([os.environ["BRAID_BIN"], "package", PLATFORM_FLAG, "::"], cwd=again,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert _sums(again / "dist") == first
    # SOURCE_DATE_EPOCH changes the timestamps, hence the bytes.
    env2 = dict(env, SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run([os.environ["BRAID_BIN"], "package", "src/acme/common:dist"],
                          cwd=again, env=env2, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(again / "dist" / "acme_common-1.4.0-py3-none-any.whl") as z:
        assert z.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_wheels_install_offline_and_run(packaged, venv):
    repo, _, _ = packaged
    dist = repo / "dist"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index",
           "--no-deps", "--find-links", str(dist)]
    proc = subprocess.run(pip + [str(dist / w) for w in WHEELS], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = subprocess.run([str(venv / "bin" / "acme"), "version"], capture_output=True,
                         text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "1.4.0\n"), out.stderr
    probe = (
        "import importlib.metadata as m, json, acme.common.config as c\n"
        "from acme.agent.platform_info import native_info\n"
        "d = m.distribution('acme-cli')\n"
        "print(json.dumps([d.version, d.requires,"
        " [(e.group, e.name, e.value) for e in d.entry_points],"
        " m.version('acme-common'), c.__name__, native_info()['platform']]))\n"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        "1.4.0",
        ["acme-client==1.4.0", "acme-common==1.4.0", "acme-manager==1.4.0", "colorama>=0.4.6"],
        [["console_scripts", "acme", "acme.cli.main:main"]],
        "1.4.0",
        "acme.common.config",
        HOST_PLATFORM,  # the one platform resource the agent wheel holds
    ]


def test_top_level_wheels_install_with_first_party_dependencies_from_find_links(packaged, tmp_path):
    """pip resolves the example's own wheels from dist/ (no --no-deps) and the third-party ones
    from Debian's site-packages (a venv with --system-site-packages; no index)."""
    repo, _, _ = packaged
    dist = repo / "dist"
    venv = tmp_path / "resolved"
    subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", str(venv)], check=True,
                   timeout=120)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index", "--find-links",
         str(dist), "acme-cli", "acme-agent"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Everything the two depend on came from dist/, at the single-sourced version.
    probe = (
        "import importlib.metadata as m, json\n"
        "import acme.cli.main, acme.agent.platform_info, acme.client, acme.manager, acme.common\n"
        "print(json.dumps({n: m.version(n) for n in ['acme-cli', 'acme-agent', 'acme-client',"
        " 'acme-manager', 'acme-common']}))\n"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {n: "1.4.0" for n in
                                      ["acme-cli", "acme-agent", "acme-client", "acme-manager",
                                       "acme-common"]}
    out = subprocess.run([str(venv / "bin" / "acme"), "version"], capture_output=True, text=True,
                         timeout=60)
    assert (out.returncode, out.stdout) == (0, "1.4.0\n"), out.stderr


def test_sdist_installs_offline_with_setuptools(packaged, tmp_path):
    repo, _, _ = packaged
    venv = tmp_path / "sv"
    subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", str(venv)], check=True,
                   timeout=120)
    proc = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", "--no-deps",
         "--no-build-isolation", str(repo / "dist" / "acme_common-1.4.0.tar.gz")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    probe = ("import importlib.resources as r, importlib.metadata as m\n"
             "print(m.version('acme-common'), r.files('acme.common').joinpath("
             "'data/defaults.json').is_file())")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout == "1.4.0 True\n", out.stderr


def test_matches_setuptools_wheel_built_from_the_sdist(packaged, tmp_path):
    """Cross-check with the reference tool: the wheel `python -m build` makes from
    braid's sdist has the same files and the same metadata fields (requirements
    compared in packaging's normal form: wheel 0.38 writes `name (>=1)`)."""
    repo, _, _ = packaged
    from pip._vendor.packaging.requirements import Requirement  # Debian's pip

    with tarfile.open(repo / "dist" / "acme_cli-1.4.0.tar.gz") as t:
        t.extractall(tmp_path)
    proc = subprocess.run(
        [PYTHON, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "out"),
         str(tmp_path / "acme_cli-1.4.0")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    def fields(z: zipfile.ZipFile):
        headers = {}
        for line in z.read("acme_cli-1.4.0.dist-info/METADATA").decode().splitlines():
            if not line:
                break
            key, _, value = line.partition(": ")
            if key == "Requires-Dist":
                value = str(Requirement(value))
            headers.setdefault(key, []).append(value)
        return {k: sorted(v) for k, v in headers.items()}

    ours = zipfile.ZipFile(repo / "dist" / "acme_cli-1.4.0-py3-none-any.whl")
    theirs = zipfile.ZipFile(tmp_path / "out" / "acme_cli-1.4.0-py3-none-any.whl")
    assert ours.namelist() == theirs.namelist()
    assert fields(ours) == fields(theirs)
    for name in ["acme/cli/main.py", "acme_cli-1.4.0.dist-info/top_level.txt"]:
        assert ours.read(name) == theirs.read(name)
    assert ours.read("acme_cli-1.4.0.dist-info/entry_points.txt").strip() == theirs.read(
        "acme_cli-1.4.0.dist-info/entry_points.txt").strip()


def test_pex_runs(packaged):
    repo, _, _ = packaged
    pex = repo / "dist" / PEX
    assert os.access(pex, os.X_OK)
    assert pex.read_bytes().startswith(b"#!/usr/bin/env python3\n")
    out = subprocess.run([PYTHON, str(pex), "version"], capture_output=True, text=True,
                         timeout=60)
    assert (out.returncode, out.stdout) == (0, "1.4.0\n"), out.stderr
    with zipfile.ZipFile(pex) as z:
        info = json.loads(z.read("PEX-INFO"))
        assert info["entry_point"] == "acme.cli.main:main"
        assert info["requirements"] == ["colorama>=0.4.6", "pyyaml>=6.0,<7", "requests>=2.28"]


# ---------------------------------------------------------------- fixtures


LIB = {
    "pants.toml": "[GLOBAL]\npants_version = \"2.21.0\"\n[source]\nroot_patterns = [\"/src\"]\n",
    "src/lib/__init__.py": "",
    "src/lib/core.py": "def main():\n    print('hi')\n",
    "src/lib/py.typed": "",
}


def test_output_path_distdir_and_wheel_sdist_fields(braid, make_repo):
    repo = make_repo({**LIB, "src/lib/BUILD": """
        python_sources(name="src")
        python_distribution(
            name="dist",
            dependencies=[":src"],
            provides=python_artifact(name="Lib.Core", version="2.0-rc.1"),
            output_path="wheels",
            sdist=False,
            interpreter_constraints=["CPython>=3.10,<4"],
            long_description_path="src/lib/README.md",
        )
    """, "src/lib/README.md": "# Lib\n\nText.\n"})
    code, _, err = braid(repo, "--pants-distdir=out", "package", "src/lib:dist")
    assert code == 0, err
    assert "[INFO] Wrote out/wheels/lib_core-2.0rc1-py3-none-any.whl" in err
    assert sorted(p.name for p in (repo / "out").rglob("*") if p.is_file()) == [
        "lib_core-2.0rc1-py3-none-any.whl"]
    with zipfile.ZipFile(repo / "out/wheels/lib_core-2.0rc1-py3-none-any.whl") as z:
        assert "lib/py.typed" in z.namelist()
        meta = z.read("lib_core-2.0rc1.dist-info/METADATA").decode()
        assert meta == ("Metadata-Version: 2.1\nName: Lib.Core\nVersion: 2.0rc1\n"
                        "Requires-Python: >=3.10,<4\nDescription-Content-Type: text/markdown\n"
                        "\n# Lib\n\nText.\n")


@pytest.mark.parametrize(
    "build, message",
    [
        (
            """
            python_sources(name="src")
            python_distribution(name="a", dependencies=[":src"],
                                provides=python_artifact(name="a", version="1"))
            python_distribution(name="b", dependencies=[":src"],
                                provides=python_artifact(name="b", version="1"))
            """,
            "src/lib/__init__.py is claimed by two python_distribution targets: src/lib:a "
            "and src/lib:b",
        ),
        (
            """
            python_sources(name="src")
            python_distribution(name="a", dependencies=[":src"],
                                provides=python_artifact(name="a", version="1.0-foo"))
            """,
            "invalid version '1.0-foo' (not PEP 440)",
        ),
        (
            """
            python_sources(name="src")
            python_distribution(name="a", dependencies=[":src"],
                                provides=python_artifact(name="a", version="1", licence="MIT"))
            """,
            "unknown python_artifact keyword 'licence'",
        ),
        (
            """
            python_distribution(name="a", provides=python_artifact(name="a", version="1"))
            """,
            "python_distribution src/lib:a has no sources to package",
        ),
        (
            """
            python_sources(name="src")
            python_distribution(name="a", dependencies=[":src"])
            """,
            "python_distribution target src/lib:a is missing the required field 'provides'",
        ),
    ],
    ids=["two-owners", "bad-version", "unknown-keyword", "no-sources", "no-provides"],
)
def test_errors(braid, make_repo, build, message):
    repo = make_repo({**LIB, "src/lib/BUILD": build})
    code, _, err = braid(repo, "package", "::")
    assert code == 1
    assert message in err
    assert "src/lib/BUILD:" in err
    assert not (repo / "dist").exists() or not any((repo / "dist").rglob("*.whl"))


def test_no_owner_is_an_error(braid, make_repo):
    repo = make_repo({
        **LIB,
        "src/lib/BUILD": "python_sources(name='src')\n",
        "src/app/__init__.py": "",
        "src/app/main.py": "import lib.core\n",
        "src/app/BUILD": """
            python_sources(name="src")
            python_distribution(name="d", dependencies=[":src"],
                                provides=python_artifact(name="app", version="1"))
        """,
    })
    code, _, err = braid(repo, "package", "src/app:d")
    assert code == 1
    assert "No python_distribution target found to own src/lib/__init__.py" in err or \
        "No python_distribution target found to own src/lib/core.py" in err


def test_generate_setup_false_runs_the_projects_backend(braid, make_repo):
    repo = make_repo({
        # The interpreter must provide `build` and setuptools (Debian's does).
        "pants.toml": "[GLOBAL]\npants_version = \"2.21.0\"\n"
                      "[python-bootstrap]\nsearch_path = [\"/usr/bin\"]\nnames = [\"python3\"]\n",
        "own/BUILD": """
            python_distribution(name="d", generate_setup=False,
                                provides=python_artifact(name="own", version="0.3"))
        """,
        "own/pyproject.toml": """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"
        """,
        "own/setup.py": "from setuptools import setup\n"
                        "setup(name='own', version='0.3', py_modules=['own_mod'])\n",
        "own/own_mod.py": "X = 1\n",
    })
    code, _, err = braid(repo, "package", "own:d", timeout=300)
    assert code == 0, err
    assert "[INFO] Wrote dist/own-0.3-py3-none-any.whl" in err
    assert "[INFO] Wrote dist/own-0.3.tar.gz" in err
    with zipfile.ZipFile(repo / "dist/own-0.3-py3-none-any.whl") as z:
        assert "own_mod.py" in z.namelist()
    # The backend names the distribution, so `python_artifact()` may be empty, as in
    # DavidVujic/python-polylith-example-pants.
    (repo / "own/BUILD").write_text(
        "python_distribution(name='d', generate_setup=False, provides=python_artifact(),\n"
        "                    sdist=False)\n")
    shutil.rmtree(repo / "dist")
    code, _, err = braid(repo, "package", "own:d", timeout=300)
    assert code == 0, err
    assert "[INFO] Wrote dist/own-0.3-py3-none-any.whl" in err


def test_pex_with_a_file_entry_point(braid, make_repo):
    repo = make_repo({
        **LIB,
        "src/tool/BUILD": """
            python_sources(name="src")
            pex_binary(name="bin", entry_point="app.py", dependencies=[":src"])
            pex_binary(name="fn", entry_point="app.py:run", dependencies=[":src"],
                       output_path="tools/fn.pex")
        """,
        "src/tool/app.py": "import sys\n\ndef run():\n    print('run', sys.argv[1:])\n"
                           "    return 3\n\nif __name__ == '__main__':\n    print('main')\n",
    })
    code, _, err = braid(repo, "package", "src/tool:bin", "src/tool:fn")
    assert code == 0, err
    assert "[INFO] Wrote dist/src.tool/bin.pex" in err
    assert "[INFO] Wrote dist/tools/fn.pex" in err
    out = subprocess.run([PYTHON, str(repo / "dist/src.tool/bin.pex")], capture_output=True,
                         text=True, timeout=60)
    assert (out.returncode, out.stdout) == (0, "main\n"), out.stderr
    out = subprocess.run([PYTHON, str(repo / "dist/tools/fn.pex"), "x"], capture_output=True,
                         text=True, timeout=60)
    assert (out.returncode, out.stdout) == (3, "run ['x']\n"), out.stderr
    assert "does not bundle third-party" not in err  # no requirements in the closure


def test_pex_warns_once_that_third_party_requirements_are_not_bundled(braid, make_repo):
    repo = make_repo({
        **LIB,
        "BUILD": "python_requirements(name='reqs')\n",
        "requirements.txt": "six==1.16.0\nattrs>=23\n",
        "src/tool/BUILD": """
            python_sources(name="src")
            pex_binary(name="bin", entry_point="app.py", dependencies=[":src", "//:reqs#attrs"])
            pex_binary(name="bin2", entry_point="app.py", dependencies=[":src"],
                       output_path="tools/bin2.pex")
            pex_binary(name="bare", entry_point="app.py", dependencies=[":src"],
                       include_requirements=False, output_path="tools/bare.pex")
        """,
        "src/tool/app.py": "import six\n\nprint('main')\n",
    })
    code, _, err = braid(repo, "package", "src/tool:bin", "src/tool:bin2", "src/tool:bare")
    assert code == 0, err
    lines = [line for line in err.splitlines() if "does not bundle third-party" in line]
    # One line per pex naming its requirements (closure order); none for include_requirements=False.
    assert lines == [
        "[WARN] pex_binary src/tool:bin: braid's pex does not bundle third-party packages; they "
        "are listed in PEX-INFO and must be importable by the interpreter that runs it: "
        "attrs>=23, six==1.16.0",
        "[WARN] pex_binary src/tool:bin2: braid's pex does not bundle third-party packages; they "
        "are listed in PEX-INFO and must be importable by the interpreter that runs it: "
        "six==1.16.0",
    ], err
    with zipfile.ZipFile(repo / "dist/src.tool/bin.pex") as z:
        assert json.loads(z.read("PEX-INFO"))["requirements"] == ["attrs>=23", "six==1.16.0"]


def test_pex_output_path_template(braid, make_repo):
    # Pants' string.Template placeholders ($name and ${name}, $$ for a dollar), then normpath;
    # parameters join the target name with '.' -> '_'.
    repo = make_repo({
        **LIB,
        "src/tool/BUILD": """
            python_sources(name="src")
            pex_binary(name="a", entry_point="app.py", dependencies=[":src"],
                       output_path="bin/./$spec_path_normalized-${target_name_normalized}$$1${file_suffix}")
            pex_binary(name="p", entry_point="app.py", dependencies=[":src"],
                       shebang=parametrize(old="/usr/bin/python3.9", new="/usr/bin/env python3"))
            pex_binary(name="bad", entry_point="app.py", dependencies=[":src"],
                       output_path="${target_name}.pex")
        """,
        "src/tool/app.py": "print('main')\n",
    })
    code, _, err = braid(repo, "package", "src/tool:a", "src/tool:p@shebang=old",
                         "src/tool:p@shebang=new")
    assert code == 0, err
    assert "[INFO] Wrote dist/bin/src.tool-a$1.pex" in err
    assert "[INFO] Wrote dist/src.tool/p@shebang=new.pex" in err
    assert "[INFO] Wrote dist/src.tool/p@shebang=old.pex" in err
    code, _, err = braid(repo, "package", "src/tool:bad")
    assert code == 1
    assert ("invalid output_path '${target_name}.pex' of pex_binary src/tool:bad: unknown "
            "placeholder 'target_name'") in err


def test_pex_binaries_generates_one_pex_binary_per_entry_point(braid, make_repo):
    repo = make_repo({
        **LIB,
        "src/tool/BUILD": """
            python_sources(name="src")
            pex_binaries(
                name="bins",
                entry_points=["app.py", "app.py:run"],
                tags=["cli"],
                shebang="/usr/bin/env python3",
                overrides={"app.py:run": {"tags": ["fn"], "execution_mode": "venv"}},
            )
        """,
        "src/bad/BUILD": 'pex_binaries(name="bad", entry_points=["app.py"], '
                         'overrides={"nope.py": {"tags": []}})\n',
        "src/tool/app.py": "def run():\n    print('run')\n\nif __name__ == '__main__':\n"
                           "    print('main')\n",
    })
    (repo / "src/bad/BUILD").rename(repo / "src/bad/disabled.txt")  # a BUILD error stops every goal
    code, out, err = braid(repo, "list", "src/tool::")
    assert code == 0, err
    assert [a for a in out.splitlines() if ":bins" in a] == [
        "src/tool:bins", "src/tool:bins#app.py", "src/tool:bins#app.py-run"]
    code, out, err = braid(repo, "peek", "src/tool:bins#app.py", "src/tool:bins#app.py-run")
    assert code == 0, err
    first, second = json.loads(out)
    assert (first["target_type"], first["entry_point"], first["tags"], first["shebang"],
            first["execution_mode"]) == ("pex_binary", "app.py", ["cli"], "/usr/bin/env python3",
                                         "zipapp")
    assert (second["entry_point"], second["tags"], second["execution_mode"]) == (
        "app.py:run", ["fn"], "venv")
    # The entry point's module is inferred as a dependency of each generated binary.
    code, out, err = braid(repo, "dependencies", "src/tool:bins#app.py")
    assert code == 0, err
    assert "src/tool/app.py:src" in out.splitlines()
    code, _, err = braid(repo, "package", "src/tool:bins")
    assert code == 0, err
    assert "[INFO] Wrote dist/src.tool/app_py.pex" in err
    assert "[INFO] Wrote dist/src.tool/app_py-run.pex" in err
    (repo / "src/bad/disabled.txt").rename(repo / "src/bad/BUILD")
    code, _, err = braid(repo, "list", "src/bad:bad")
    assert code != 0
    assert "unused key in the `overrides` field of pex_binaries src/bad:bad: ['nope.py']" in err


def test_setup_py_is_the_older_name_of_python_artifact(braid, make_repo):
    # pantsbuild/example-python's translator/BUILD: `provides=setup_py(...)`, which Pants
    # still registers as an alias of python_artifact.
    repo = make_repo({**LIB, "src/lib/BUILD": """
        python_sources(name="src")
        python_distribution(
            name="dist",
            dependencies=[":src"],
            wheel=True,
            sdist=False,
            provides=setup_py(name="helloworld.translator", version="0.0.1"),
        )
    """})
    code, _, err = braid(repo, "package", "src/lib:dist")
    assert code == 0, err
    assert "[INFO] Wrote dist/helloworld_translator-0.0.1-py3-none-any.whl" in err
    code, out, err = braid(repo, "help", "setup_py")
    assert code == 0, err
    assert "Older name of `python_artifact`" in out

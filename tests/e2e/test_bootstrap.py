"""The launcher and test scripts in bootstrap/ (without building braid)."""

import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR

BOOTSTRAP = SOURCE_DIR / "bootstrap"


def bash(script, cwd=None, env=None):
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("name", ["braid", "test", "common.sh"])
def test_scripts_parse(name):
    proc = subprocess.run(["bash", "-n", str(BOOTSTRAP / name)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_ci_runs_bootstrap_test():
    assert 'bootstrap/test"' in (SOURCE_DIR / ".ci" / "run").read_text()


def test_missing_packages_are_reported_in_order():
    proc = bash(
        f"source {BOOTSTRAP}/common.sh; "
        "BRAID_DEBIAN_PACKAGES=(bash no-such-package-a coreutils no-such-package-b); "
        "braid_missing_packages"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "no-such-package-a\nno-such-package-b\n"


def test_non_root_gets_the_apt_line_and_exit_2():
    proc = bash(
        f"source {BOOTSTRAP}/common.sh; "
        "BRAID_DEBIAN_PACKAGES=(bash no-such-package-a); "
        "id() { echo 1000; }; "  # pretend not to be root
        "braid_ensure_packages; echo unreachable"
    )
    assert proc.returncode == 2
    assert "  sudo apt-get install -y no-such-package-a\n" in proc.stderr
    assert "unreachable" not in proc.stdout


def test_copied_launcher_without_braid_home_asks_for_it(tmp_path):
    shutil.copy(BOOTSTRAP / "braid", tmp_path / "braid")
    env = {"PATH": "/usr/bin:/bin"}
    proc = subprocess.run(
        ["bash", str(tmp_path / "braid"), "list", "::"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "set BRAID_HOME" in proc.stderr


def test_copied_launcher_rejects_a_bad_braid_home(tmp_path):
    shutil.copy(BOOTSTRAP / "braid", tmp_path / "braid")
    env = {"PATH": "/usr/bin:/bin", "BRAID_HOME": str(tmp_path)}
    proc = subprocess.run(
        ["bash", str(tmp_path / "braid"), "list", "::"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert f"BRAID_HOME={tmp_path} is not a braid source checkout" in proc.stderr

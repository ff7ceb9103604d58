"""`braid test` sandboxes: undeclared inputs do not exist, and with Linux namespaces a test can
neither write outside its sandbox nor reach the network, while parallel tests share nothing
(fixed ports) and get distinct execution slots.

Every test uses its own store and sandbox root (pants.toml), so no cache is shared.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import fixture_repo

NO_NAMESPACES = "Linux namespaces are unavailable"


def skip_without_namespaces(err: str) -> None:
    if NO_NAMESPACES in err:
        pytest.skip("braid reports that Linux namespaces are unavailable on this machine")


def test_undeclared_first_party_module_is_missing_from_the_sandbox(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "src/lib/BUILD": "python_sources()\n",
            "src/lib/__init__.py": "",
            "src/lib/core.py": "VALUE = 42\n",
            "src/lib/other.py": "OTHER = 7\n",
            "tests/BUILD": "python_tests()\n",
            # Declared (inferred) dependency only: passes.
            "tests/test_declared.py": """
                from lib.core import VALUE

                def test_value():
                    assert VALUE == 42
                """,
            # lib.other exists in the repo, but the dependency is hidden from inference.
            "tests/test_hidden.py": """
                from lib.core import VALUE
                from lib.other import OTHER  # pants: no-infer-dep

                def test_other():
                    assert VALUE + OTHER == 49
                """,
        },
    )
    code, out, err = braid(repo, "test", "::")
    assert code == 1, err
    assert "✓ tests/test_declared.py succeeded in " in err
    assert "✕ tests/test_hidden.py failed in " in err
    assert "ModuleNotFoundError: No module named 'lib.other'" in err
    assert "Summary: 1 succeeded, 1 failed in " in err


def test_writes_outside_the_sandbox_fail(braid, make_repo, tmp_path):
    outside = [tmp_path / "repo" / "escaped.txt", Path("/usr/braid-escaped.txt"), tmp_path / "escaped.txt"]
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_escape.py": f"""
                import errno, os, pathlib
                import pytest

                @pytest.mark.parametrize("path", {[str(p) for p in outside]!r} + [str(pathlib.Path.home() / "braid-escaped.txt")])
                def test_write_outside(path):
                    pathlib.Path(path).write_text("escaped")
                """,
            "tests/test_inside.py": """
                import os, pathlib, tempfile

                def test_write_inside():
                    pathlib.Path("made-here.txt").write_text("ok")
                    with tempfile.NamedTemporaryFile(dir=os.environ["TMPDIR"]) as f:
                        f.write(b"ok")
                    assert tempfile.gettempdir() == os.environ["TMPDIR"]
                """,
        },
    )
    code, out, err = braid(repo, "test", "::")
    skip_without_namespaces(err)
    assert code == 1, err
    assert "✓ tests/test_inside.py succeeded in " in err
    assert "✕ tests/test_escape.py failed in " in err
    assert "4 failed" in err  # every outside path refused
    assert "Read-only file system" in err
    for p in outside:
        assert not p.exists(), p
    assert not (repo / "made-here.txt").exists()


def test_network_is_loopback_only(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_outside.py": """
                import socket

                def test_connect_outside():
                    socket.create_connection(("1.1.1.1", 80), timeout=2).close()
                """,
            "tests/test_loopback.py": """
                import socket

                def test_loopback_works():
                    server = socket.socket()
                    server.bind(("127.0.0.1", 0))
                    server.listen(1)
                    client = socket.create_connection(server.getsockname(), timeout=2)
                    conn, _ = server.accept()
                    client.sendall(b"ping")
                    assert conn.recv(4) == b"ping"
                """,
        },
    )
    code, out, err = braid(repo, "test", "::")
    skip_without_namespaces(err)
    assert code == 1, err
    assert "✓ tests/test_loopback.py succeeded in " in err
    assert "✕ tests/test_outside.py failed in " in err
    assert re.search(r"OSError: \[Errno \d+\] (Network is unreachable|No route to host)", err), err


PORT_TEST = """
    import socket, time

    def test_hold_the_fixed_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 47123))  # the same fixed port in both tests
        s.listen(1)
        start = time.time()
        time.sleep(1.5)  # hold it while the other test holds it too
        print(f"HELD {{start:.3f}} {{time.time():.3f}} {name}")
        s.close()
    """


def test_parallel_tests_can_bind_the_same_fixed_port(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_port_a.py": PORT_TEST.format(name="a"),
            "tests/test_port_b.py": PORT_TEST.format(name="b"),
        },
    )
    code, out, err = braid(
        repo, "test", "::", "--process-execution-local-parallelism=2", "--test-output=all", "--", "-s"
    )
    skip_without_namespaces(err)
    assert code == 0, err
    assert "Summary: 2 succeeded in " in err
    held = {m[2]: (float(m[0]), float(m[1])) for m in re.findall(r"HELD (\S+) (\S+) (\w)", err)}
    assert set(held) == {"a", "b"}, err
    (a0, a1), (b0, b1) = held["a"], held["b"]
    assert a0 < b1 and b0 < a1, f"the two tests did not hold the port at the same time: {held}"


SLOT_TEST = """
    import os, time

    def test_slot():
        time.sleep(1)  # overlap with the other test
        print("SLOT=" + os.environ["TEST_SLOT"])
    """


def test_execution_slot_var_gives_concurrent_tests_distinct_values(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_slot_a.py": SLOT_TEST,
            "tests/test_slot_b.py": SLOT_TEST,
        },
        '[pytest]\nexecution_slot_var = "TEST_SLOT"\n',
    )
    code, out, err = braid(
        repo, "test", "::", "--process-execution-local-parallelism=2", "--test-output=all", "--", "-s"
    )
    assert code == 0, err
    assert sorted(re.findall(r"SLOT=(\d+)\b", err)) == ["1", "2"], err


def test_pytest_config_above_the_sandbox_root_is_not_read(braid, make_repo, tmp_path):
    # local_execution_root_dir's parent holds a pytest.ini that would break every run if pytest
    # found it while searching upwards for its configuration (the shared-/tmp pitfall).
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --no-such-braid-flag\n")
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {"tests/BUILD": "python_tests()\n", "tests/test_ok.py": "def test_ok():\n    pass\n"},
    )
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "Summary: 1 succeeded in " in err


@pytest.mark.parametrize("fork_server", ["true", "false"])
def test_sandboxes_on_dev_shm_keep_their_private_dev_shm(braid, make_repo, tmp_path, fork_server):
    """A local_execution_root_dir below /dev/shm (a tmpfs) must stay visible inside the private
    /dev/shm tmpfs each sandbox gets, which itself stays writable and unshared."""
    if not Path("/dev/shm").is_dir() or not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm")
    root = Path(tempfile.mkdtemp(prefix="braid-e2e-", dir="/dev/shm"))
    try:
        repo = fixture_repo(
            make_repo,
            tmp_path,
            {
                "tests/BUILD": "python_tests()\n",
                "tests/test_shm.py": """
                    import multiprocessing
                    import os

                    def test_cwd_is_writable_and_dev_shm_is_private():
                        with open("out.txt", "w") as f:
                            f.write("x")
                        os.listdir("/dev/shm")  # the sandbox root's parent is hidden...
                        lock = multiprocessing.Lock()  # ...but /dev/shm itself is writable
                        with lock:
                            pass
                    """,
            },
            f'[pytest]\nfork_server = {fork_server}\n',
        )
        code, out, err = braid(repo, f"--local-execution-root-dir={root}", "test", "::")
        skip_without_namespaces(err)
        assert code == 0, err
        assert "✓ tests/test_shm.py succeeded in " in err
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_pytest_args_are_shell_words_as_in_pants(braid, make_repo, tmp_path):
    # [pytest] args is a Pants `shell_str` list: each element is split as shlex.split does.
    files = {
        "tests/BUILD": "python_tests()\n",
        "tests/test_k.py": "def test_keep():\n    pass\n\ndef test_drop():\n    assert False\n",
    }
    repo = fixture_repo(make_repo, tmp_path, files,
                        '[pytest]\nargs = ["-k \'keep and not drop\'", "-q"]\n')
    code, _, err = braid(repo, "test", "::")
    assert code == 0, err
    repo = fixture_repo(make_repo, tmp_path / "bad", files, '[pytest]\nargs = ["-k \'open"]\n')
    code, _, err = braid(repo, "test", "::")
    assert code != 0
    assert "invalid value for [pytest] args (from pants.toml" in err
    assert "No closing quotation in: -k 'open" in err

"""`braid test` under faults: timeouts, retries, kill -9, SIGINT, a damaged store; and
incremental reruns after an edit.

Every test uses its own store and sandbox root (pants.toml), so no cache is shared and the
sandbox root tells which processes belong to the test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import fixture_repo

# `sleep 987.<pid>`: a grandchild that must die with its test. Unique per pytest process, so
# tests running in parallel (pytest -n) never count each other's sleepers.
SLEEP_MARKER = f"987.{os.getpid()}"


def sleeping_test(seconds: float) -> str:
    return f"""
        import subprocess, time

        def test_sleeps():
            subprocess.Popen(["sleep", "{SLEEP_MARKER}"])
            time.sleep({seconds})
        """


def braid_env(braid_home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    env.update(HOME=str(braid_home), NO_COLOR="1", TERM="dumb")
    return env


def survivors(sandboxes: Path) -> list:
    """`ps` lines of processes that belong to this test's sandboxes: their command line names
    the sandbox root or the sleep marker, or their working directory is below the root."""
    ps = subprocess.run(["ps", "-eo", "pid,ppid,pgid,args"], capture_output=True, text=True).stdout
    found = []
    for line in ps.splitlines()[1:]:
        pid = line.split()[0]
        cwd = ""
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            pass
        if str(sandboxes) in line or SLEEP_MARKER in line or cwd.startswith(str(sandboxes)):
            found.append(line)
    return found


def wait_for_no_survivors(sandboxes: Path, seconds: float = 5) -> list:
    deadline = time.time() + seconds
    while True:
        left = survivors(sandboxes)
        if not left or time.time() > deadline:
            return left
        time.sleep(0.1)


def wait_for_running_tests(sandboxes: Path, count: int, seconds: float = 20) -> None:
    """Waits until `count` tests have started their sleeping grandchild."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if sum(SLEEP_MARKER in line for line in survivors(sandboxes)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{count} tests did not start within {seconds}s")


def action_cache_entries(tmp_path: Path) -> list:
    return [p for p in (tmp_path / "store" / "v1" / "ac").rglob("*") if p.is_file()]


@pytest.fixture
def braid_bin():
    binary = os.environ.get("BRAID_BIN")
    if not binary:
        pytest.skip("BRAID_BIN is not set: the braid executable is not built yet")
    return binary


def test_timeout_kills_the_test_and_says_so(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": 'python_tests(overrides={"test_slow.py": {"timeout": 1}})\n',
            "tests/test_slow.py": sleeping_test(30),
            "tests/test_fast.py": "def test_fast():\n    pass\n",
        },
    )
    start = time.time()
    code, out, err = braid(repo, "test", "::")
    elapsed = time.time() - start
    assert code == 1, err
    assert elapsed < 15, f"the 30 s test was not killed after its 1 s timeout ({elapsed:.1f}s)"
    assert re.search(r"^✕ tests/test_slow\.py timed out in [\d.]+s\.$", err, re.M), err
    assert "Completed: Run Pytest for tests/test_slow.py - failed (timed out)." in err
    assert "✓ tests/test_fast.py succeeded in " in err
    assert "Summary: 1 succeeded, 1 failed in " in err
    assert wait_for_no_survivors(tmp_path / "sandboxes") == []


def test_editing_a_module_reruns_exactly_the_tests_whose_closure_holds_it(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "src/lib/BUILD": "python_sources()\n",
            "src/lib/__init__.py": "",
            "src/lib/a.py": "A = 1\n",
            "src/lib/b.py": "B = 2\n",
            "src/lib/c.py": "from lib.a import A\n\nC = A + 2\n",
            "tests/BUILD": "python_tests()\n",
            "tests/test_a.py": "from lib.a import A\n\ndef test_a():\n    assert A >= 1\n",
            "tests/test_b.py": "from lib.b import B\n\ndef test_b():\n    assert B == 2\n",
            "tests/test_c.py": "from lib.c import C\n\ndef test_c():\n    assert C >= 3\n",
        },
    )
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "Summary: 3 succeeded in " in err
    (repo / "src/lib/a.py").write_text("A = 5\n")  # in the closure of test_a and test_c
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert re.search(r"^✓ tests/test_a\.py succeeded in [\d.]+s\.$", err, re.M), err
    assert re.search(r"^✓ tests/test_b\.py succeeded in [\d.]+s \(cached\)\.$", err, re.M), err
    assert re.search(r"^✓ tests/test_c\.py succeeded in [\d.]+s\.$", err, re.M), err
    assert "Summary: 3 succeeded (1 cached) in " in err


def test_all_attempts_failing_is_a_failure_with_the_count_and_rerun_next_time(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_bad.py": "def test_bad():\n    print('ATTEMPT OUTPUT')\n    assert 1 == 2\n",
        },
        "[test]\nattempts_default = 3\n",
    )
    for _ in range(2):
        code, out, err = braid(repo, "test", "::", "--stats")
        assert code == 1, err
        assert "✕ tests/test_bad.py failed after 3 attempts in " in err
        assert "Completed: Run Pytest for tests/test_bad.py - failed (exit code 1) after 3 attempts." in err
        assert "assert 1 == 2" in err
        assert "local_execution_requests: 3" in err
        assert "(cached)" not in err
    assert action_cache_entries(tmp_path) == []


def test_pass_after_a_failed_attempt_is_reported_as_flaky_and_cached(braid, make_repo, tmp_path):
    # A sandbox keeps no state for the next attempt (each one is fresh, and with namespaces
    # nothing outside it is writable), so the flaky test keys on its execution slot instead:
    # with parallelism 2 the holder (first in node order) takes slot 1 and the flaky test slot 2,
    # where it fails; its retries get slot 2 while the holder runs and slot 1 once it is done,
    # where it passes. Deterministic: the first attempt always has slot 2.
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_a_holder.py": "import time\n\ndef test_hold_slot_1():\n    time.sleep(1)\n",
            "tests/test_b_flaky.py": "import os\n\ndef test_needs_slot_1():\n    assert os.environ['SLOT'] == '1'\n",
        },
        '[test]\nattempts_default = 50\n[pytest]\nexecution_slot_var = "SLOT"\n',
    )
    code, out, err = braid(repo, "test", "::", "--process-execution-local-parallelism=2")
    assert code == 0, err
    m = re.search(r"^\+ tests/test_b_flaky\.py succeeded after (\d+) attempts in [\d.]+s \(flaky\)\.$", err, re.M)
    assert m and int(m.group(1)) >= 2, err
    assert "✓ tests/test_a_holder.py succeeded in " in err
    assert "Summary: 2 succeeded (1 flaky) in " in err
    # A pass is a pass: cached, never rerun.
    code, out, err = braid(repo, "test", "::", "--process-execution-local-parallelism=2")
    assert code == 0, err
    assert "Summary: 2 succeeded (2 cached) in " in err


def test_kill_9_mid_run_leaves_no_partial_entry_and_no_processes(braid, braid_bin, braid_home, make_repo, tmp_path):
    sandboxes = tmp_path / "sandboxes"
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_one.py": sleeping_test(2),
            "tests/test_two.py": sleeping_test(2),
        },
    )
    proc = subprocess.Popen(
        [braid_bin, "test", "::", "--process-execution-local-parallelism=2"],
        cwd=repo, env=braid_env(braid_home), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        wait_for_running_tests(sandboxes, 2)
    finally:
        proc.kill()  # SIGKILL: braid gets no chance to clean up
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # Nothing finished, so nothing may be in the action cache; blobs and temp files may stay.
    assert action_cache_entries(tmp_path) == []
    # The tests died with braid (their sandbox process has PR_SET_PDEATHSIG).
    assert wait_for_no_survivors(sandboxes) == [], "tests outlived braid"

    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "Summary: 2 succeeded in " in err  # ran again, nothing served from the cache
    code, out, err = braid(repo, "test", "::")
    assert "Summary: 2 succeeded (2 cached) in " in err


def test_flipped_byte_in_a_stored_blob_reruns_the_action(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_ok.py": "def test_ok():\n    pass\n",
        },
    )
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    # The JUnit report of the run is a CAS blob; damage one byte of it.
    blobs = [
        p
        for p in (tmp_path / "store" / "v1" / "cas").rglob("*")
        if p.is_file() and b"<testsuite" in p.read_bytes()
    ]
    assert len(blobs) == 1, blobs
    data = bytearray(blobs[0].read_bytes())
    data[len(data) // 2] ^= 0x01
    blobs[0].chmod(0o644)
    blobs[0].write_bytes(bytes(data))

    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert re.search(r"^✓ tests/test_ok\.py succeeded in [\d.]+s\.$", err, re.M), err  # not cached
    # The damaged copy was detected and removed (the rerun's report has new timestamps, so it
    # is a new blob).
    assert not blobs[0].exists() or blobs[0].read_bytes() != bytes(data)
    code, out, err = braid(repo, "test", "::")
    assert "Summary: 1 succeeded (1 cached) in " in err  # the rerun repaired the entry


def test_sigint_kills_every_child_exits_130_and_says_what_was_interrupted(braid, braid_bin, braid_home, make_repo, tmp_path):
    sandboxes = tmp_path / "sandboxes"
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {
            "tests/BUILD": "python_tests()\n",
            "tests/test_one.py": sleeping_test(30),
            "tests/test_two.py": sleeping_test(30),
            "tests/test_three.py": sleeping_test(30),
        },
    )
    proc = subprocess.Popen(
        [braid_bin, "test", "::", "--process-execution-local-parallelism=2"],
        cwd=repo, env=braid_env(braid_home), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for_running_tests(sandboxes, 2)
        start = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert time.time() - start < 10
    assert proc.returncode == 130, err
    assert (
        "Interrupted; killed 2 running processes:\n"
        "  Run Pytest for tests/test_one.py\n"
        "  Run Pytest for tests/test_three.py\n"
    ) in err, err
    assert wait_for_no_survivors(sandboxes) == [], "processes outlived the interrupted run"
    assert action_cache_entries(tmp_path) == []
    assert list(sandboxes.iterdir()) == []  # interrupted sandboxes are removed too


def test_gc_goal_prunes_the_store_on_demand(braid, make_repo, tmp_path):
    repo = fixture_repo(
        make_repo,
        tmp_path,
        {"tests/BUILD": "python_tests()\n", "tests/test_ok.py": "def test_ok():\n    pass\n"},
    )
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    store_root = tmp_path / "store" / "v1"
    code, out, err = braid(repo, "gc")  # the default target: local_store_max_size (16 GB)
    assert code == 0, err
    assert re.fullmatch(
        rf"The local store {re.escape(str(store_root))} holds \d+ bytes, within the target of "
        r"16000000000 bytes: nothing to remove \(0 stale temporary files removed\)\.\n",
        out,
    ), out
    code, out, err = braid(repo, "gc", "--gc-target-size=0")
    assert code == 0, err
    m = re.fullmatch(
        rf"Pruned the local store {re.escape(str(store_root))} to 0 bytes: removed (\d+) entries "
        r"\((\d+) bytes\) and 0 stale temporary files; (\d+) -> 0 bytes\.\n",
        out,
    )
    # At least the action-cache entry and the JUnit report's blob (small stdout and stderr
    # live inside the entry).
    assert m and int(m.group(1)) >= 2 and m.group(2) == m.group(3), out
    assert action_cache_entries(tmp_path) == []
    code, out, err = braid(repo, "test", "::")  # nothing cached any more: it runs again
    assert code == 0, err
    assert "Summary: 1 succeeded in " in err
    code, out, err = braid(repo, "gc", "--gc-target-size=-1")
    assert code != 0 and "[gc] target_size" in err and "got -1" in err, err

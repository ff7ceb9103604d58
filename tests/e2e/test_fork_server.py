"""The pytest fork server ([pytest] fork_server) changes speed, never results.

The same fixture repo runs with `--pytest-fork-server=true` (children prepared ahead, the
default), with `--pytest-fork-server-prepare=false`, and with `--pytest-fork-server=false`;
outcomes, captured
output (modulo timings and sandbox paths) and JUnit reports (modulo timings and host names)
must be identical, including tests that leak state, threads and processes, call os._exit,
time out, segfault, bind a fixed port in parallel, and read the execution slot.
"""

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

FILES = {
    "pants.toml": """
        [GLOBAL]
        process_execution_local_parallelism = 2

        [source]
        root_patterns = ["/src", "/tests"]

        [test]
        extra_env_vars = ["HOST_IPC"]

        [pytest]
        execution_slot_var = "TEST_SLOT"
        # Show the captured output of passing tests too.
        args = ["-rA"]

        [python-infer]
        ignored_unowned_imports = ["pytest"]
        """,
    "src/lib/BUILD": "python_sources()\n",
    "src/lib/__init__.py": "",
    "src/lib/state.py": "COUNTER = []\n",
    "tests/BUILD": "python_tests()\n",
    # Each state test first checks that nothing leaked into it, then leaks: whichever runs
    # second (in a child of the same server) would see the other's leaks.
    "tests/test_state_a.py": """
        import builtins, json, os, sys
        import pytest
        from lib import state

        def test_no_leaks_then_leak():
            assert not hasattr(builtins, "LEAKED")
            assert not hasattr(pytest, "LEAKED")
            assert "LEAKED" not in os.environ
            assert sys.modules["json"] is json and not hasattr(json, "LEAKED")
            assert state.COUNTER == []
            assert "lib.state" in sys.modules
            builtins.LEAKED = pytest.LEAKED = json.LEAKED = os.environ["LEAKED"] = "a"
            sys.modules["json"] = None
            state.COUNTER.append("a")
        """,
    "tests/test_state_b.py": """
        import builtins, json, os, sys
        import pytest
        from lib import state

        def test_no_leaks_then_leak():
            assert not hasattr(builtins, "LEAKED")
            assert not hasattr(pytest, "LEAKED")
            assert "LEAKED" not in os.environ
            assert sys.modules["json"] is json and not hasattr(json, "LEAKED")
            assert state.COUNTER == []
            builtins.LEAKED = pytest.LEAKED = json.LEAKED = os.environ["LEAKED"] = "b"
            sys.modules["json"] = None
            state.COUNTER.append("b")
        """,
    "tests/test_env.py": """
        import os, sys

        def test_environment_and_path():
            print("cwd-is-sandbox", os.getcwd() == os.environ["TMPDIR"].rsplit("/", 1)[0]
                  or os.environ["TMPDIR"].startswith(os.getcwd()))
            print("pythonpath", os.environ["PYTHONPATH"])
            print("path0-is-cwd", sys.path[0] == os.getcwd())
            print("argv0", os.path.basename(sys.argv[0]))
            print("stdin", os.read(0, 100))
            print("env", sorted(k for k in os.environ if k not in ("TEST_SLOT", "HOST_IPC")),
                  os.environ.get("LC_CTYPE"))
            print("own-ipc", os.readlink("/proc/self/ns/ipc") != os.environ["HOST_IPC"])
        """,
    "tests/test_leaks.py": """
        import subprocess, threading, time

        def test_leaks_a_thread_and_a_process():
            threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
            threading.Thread(target=time.sleep, args=(0.2,)).start()  # joined at exit
            subprocess.Popen(["sleep", "3131"])
            print("leaked")
        """,
    "tests/test_exit.py": """
        import os

        def test_exits_hard():
            print("before exit", flush=True)
            os._exit(3)
        """,
    "tests/test_segv.py": """
        import ctypes

        def test_segfaults():
            ctypes.string_at(0)
        """,
    "tests/test_fail.py": """
        def test_fails():
            print("some output")
            assert 1 + 1 == 3
        """,
    "tests/slow/BUILD": "python_tests(timeout=1)\n",
    "tests/slow/test_timeout.py": """
        import time

        def test_sleeps_past_its_timeout():
            print("started", flush=True)
            time.sleep(60)
        """,
    # The server prebuilds pytest's argument parser and indexes the built-in plugins'
    # fixtures: a conftest that adds options and fixtures, and one that changes a built-in
    # plugin module before the session starts, must see exactly what a fresh pytest sees.
    "tests/fx/BUILD": "python_tests()\npython_test_utils(name=\"utils\")\n",
    "tests/fx/conftest.py": """
        import _pytest.tmpdir
        import pytest

        # Changes a built-in plugin module's namespace: the server's index of its fixtures
        # no longer applies, pytest's own walk must run.
        _pytest.tmpdir.BRAID_EXTRA = 1

        def pytest_addoption(parser):
            parser.addoption("--greeting", default="hello")
            parser.addini("farewell", "a test ini value", default="bye")

        @pytest.fixture(autouse=True)
        def greeting(request):
            return request.config.getoption("--greeting")

        # A plugin instance: pytest's fixture walk reads all its attributes (the server skips
        # only reads that cannot run code or find a fixture). Reading `noisy` runs code; an
        # attribute holds a fixture method of another object, which pytest binds to the
        # plugin instance it walked.
        class Bound:
            @pytest.fixture
            def bound_fixture(self):
                return type(self).__name__

        class Plugin:
            reads = []
            label = "plugin"

            def __init__(self):
                self.bound_fixture = Bound().bound_fixture
                self.number = 1

            @property
            def noisy(self):
                Plugin.reads.append("noisy")

            def method(self):
                pass

        def pytest_configure(config):
            config.pluginmanager.register(Plugin(), "braid-test-plugin")
        """,
    "tests/fx/test_fixtures.py": """
        def test_fixtures_and_options(request, greeting, tmp_path, bound_fixture):
            fm = request.session._fixturemanager
            for name in sorted(fm._arg2fixturedefs):
                print("fixture", name, [(d.baseid, d.func.__module__, d.func.__qualname__,
                                         d.scope, d.params,
                                         type(getattr(d.func, "__self__", None)).__name__)
                                        for d in fm._arg2fixturedefs[name]])
            plugin = request.config.pluginmanager.get_plugin("braid-test-plugin")
            print("plugin", bound_fixture, plugin.reads)
            print("autouse", sorted(fm._nodeid_autousenames.items()))
            print("option", greeting, request.config.getini("farewell"), tmp_path.is_dir())
            print("usage", request.config._parser.optparser.format_usage().split()[:2])
        """,
    "tests/net/BUILD": "python_tests()\n",
    "tests/net/test_port_a.py": """
        import os, socket, time

        def test_binds_fixed_port():
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
            s.bind(("127.0.0.1", 47321))
            s.listen()
            print("slot", os.environ["TEST_SLOT"])
            time.sleep(1.5)
        """,
    "tests/net/test_port_b.py": """
        import os, socket, time

        def test_binds_fixed_port():
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
            s.bind(("127.0.0.1", 47321))
            s.listen()
            print("slot", os.environ["TEST_SLOT"])
            time.sleep(1.5)
        """,
}

MODES = {
    "true": ["--pytest-fork-server=true"],
    "unprepared": ["--pytest-fork-server=true", "--pytest-fork-server-prepare=false"],
    "false": ["--pytest-fork-server=false"],
}

TESTS = sorted(
    p[: -len(".py")] + ".py"
    for p in FILES
    if p.endswith(".py") and Path(p).name.startswith("test_")
)


def normalize(text):
    text = re.sub(r"/[^\s'\"]*braid-sandbox-[A-Za-z0-9]+", "<sandbox>", text)
    text = re.sub(r"\b\d+(\.\d+)?s\b", "<t>s", text)
    text = re.sub(r"slot [12]", "slot <n>", text)
    # Thread ids / addresses in fault handler dumps.
    text = re.sub(r"0x[0-9a-f]+", "0x<addr>", text)
    # The one known difference: a fatal-error stack dump (segfault) also lists the frames of
    # the fork server below runpy's (`File "<string>", line N in serve`).
    text = re.sub(r'(?m)^\s*File "<string>", line \d+ in \S+\n?', "", text)
    return text


def blocks(stderr):
    """{test file: its normalized 'Completed: ...' block} from --test-output=all."""
    out = {}
    for block in re.split(r"\n(?=Completed: |[✓✕] )", "\n" + stderr):
        m = re.match(r"Completed: Run Pytest for (\S+) - (.*)", block)
        if m:
            out[m.group(1)] = normalize(block.strip()).strip()
    return out


def verdicts(stderr):
    return sorted(normalize(line) for line in stderr.splitlines() if line[:2] in ("✓ ", "✕ "))


def junit(repo):
    reports = {}
    for path in sorted((repo / "dist/test/reports").glob("*.xml")):
        root = ET.parse(path).getroot()
        for el in root.iter():
            for attr in ("time", "timestamp", "hostname"):
                el.attrib.pop(attr, None)
            if el.text:
                el.text = normalize(el.text)
            for k, v in el.attrib.items():
                el.attrib[k] = normalize(v)
        reports[path.name] = ET.tostring(root, encoding="unicode")
    return reports


def sleeps_left():
    """The leaked `sleep 3131` processes still alive 3 s after braid exited (killing is
    asynchronous)."""
    import time
    deadline = time.monotonic() + 3
    while True:
        found = _sleeps()
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _sleeps():
    found = []
    for pid in os.listdir("/proc"):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if cmd == b"sleep\x003131\x00" and state != "Z":
            found.append(pid)
    return found


@pytest.fixture(scope="module")
def runs(tmp_path_factory, braid_home):
    binary = os.environ.get("BRAID_BIN")
    if not binary:
        pytest.skip("BRAID_BIN is not set: the braid executable is not built yet")
    import subprocess
    from conftest import write_repo

    results = {}
    for mode in MODES:
        root = tmp_path_factory.mktemp(f"fork-{mode}")
        repo = write_repo(root / "repo", FILES)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
        env.update(HOME=str(braid_home), NO_COLOR="1", TERM="dumb",
                   XDG_CACHE_HOME=str(root / "cache"), HOST_IPC=os.readlink("/proc/self/ns/ipc"),
                   BRAID_FORK_SERVER_TIMINGS=str(root / "timings"))
        args = [binary, *MODES[mode], "test", "::", "--test-output=all", "--test-report"]
        proc = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True,
                              timeout=120)
        leftovers = sleeps_left()
        again = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True,
                               timeout=120)
        results[mode] = (proc, repo, leftovers, again)
    return results


def test_the_fork_server_ran_every_test_file(runs):
    # Each forked child reports "<file> <ms from fork to its first test>", plus "<ms from its
    # release>" when it was prepared ahead; plain processes never do.
    for mode in ("true", "unprepared"):
        timings = runs[mode][1].parent / "timings"
        lines = [l.split() for l in timings.read_text().splitlines() if not l.startswith(" ")]
        assert sorted(set(l[0] for l in lines)) == TESTS  # the rerun adds the failed ones again
        assert all(float(l[1]) > 0 for l in lines)
        released = [l for l in lines if len(l) == 3]
        if mode == "unprepared" or "Linux namespaces are unavailable" in runs[mode][0].stderr:
            assert released == [], mode
        else:
            # The first file of each slot starts fresh, and so does a file prepared for a
            # busy slot that a free one takes at the end (it was told the other's
            # TEST_SLOT); the others waited, prepared, for their slot.
            assert len(released) >= len(lines) // 3, lines
    assert not (runs["false"][1].parent / "timings").exists()


def test_only_clean_passes_of_prepared_children_hand_their_slot_over_early(runs):
    # G writes "ended <file>" when it tells braid, on the gate, that P exited 0 with nothing
    # left in its namespace: never for a failure, a crash, or a file that leaks a process.
    on = runs["true"][0]
    if "Linux namespaces are unavailable" in on.stderr:
        pytest.skip("no prepared children without namespaces")
    timings = runs["true"][1].parent / "timings"
    lines = timings.read_text().splitlines()
    ended = [l.split()[1] for l in lines if l.startswith("  ended ")]
    released = {l.split()[0] for l in lines if not l.startswith(" ") and len(l.split()) == 3}
    assert ended, lines  # the passing files released after their turn
    assert set(ended) <= released
    b = blocks(on.stderr)
    passed = {f for f in TESTS if f in b and " - succeeded." in b[f].splitlines()[0]}
    assert "tests/test_leaks.py" in passed and "tests/test_fail.py" not in passed
    assert set(ended) <= passed - {"tests/test_leaks.py"}, ended
    unprepared = runs["unprepared"][1].parent / "timings"
    assert not [l for l in unprepared.read_text().splitlines() if l.startswith("  ended ")]


@pytest.mark.parametrize("mode", ["true", "unprepared"])
def test_outcomes_and_outputs_are_identical(runs, mode):
    on, _, _, _ = runs[mode]
    off, _, _, _ = runs["false"]
    assert on.returncode == off.returncode == 1, on.stderr
    assert verdicts(on.stderr) == verdicts(off.stderr)
    b_on, b_off = blocks(on.stderr), blocks(off.stderr)
    assert sorted(b_on) == TESTS
    for test in TESTS:
        assert b_on[test] == b_off[test], test


def test_expected_verdicts(runs):
    on, _, _, _ = runs["true"]
    b = blocks(on.stderr)
    for ok in ("tests/test_state_a.py", "tests/test_state_b.py", "tests/test_env.py",
               "tests/test_leaks.py", "tests/fx/test_fixtures.py"):
        assert " - succeeded." in b[ok].splitlines()[0], b[ok]
    assert "failed (exit code 3)" in b["tests/test_exit.py"].splitlines()[0]
    assert "leaked" in b["tests/test_leaks.py"]
    assert "Fatal Python error: Segmentation fault" in b["tests/test_segv.py"]
    assert "assert (1 + 1) == 3" in b["tests/test_fail.py"]
    assert "failed (timed out)" in b["tests/slow/test_timeout.py"].splitlines()[0]
    assert re.search(r"✕ tests/slow/test_timeout.py .*timed out", on.stderr), on.stderr
    fx = b["tests/fx/test_fixtures.py"]
    assert "option hello bye True" in fx, fx
    assert re.search(r"^fixture greeting \[\('tests/fx', 'conftest', 'greeting'", fx, re.M), fx
    assert re.search(r"^fixture tmp_path \[\('', '_pytest.tmpdir', 'tmp_path'", fx, re.M), fx
    assert "plugin Plugin ['noisy']" in fx, fx
    env = b["tests/test_env.py"]
    assert "cwd-is-sandbox True" in env and "pythonpath tests" in env
    if "Linux namespaces are unavailable" not in on.stderr:
        assert "own-ipc True" in env  # System V / POSIX IPC objects stay private
    assert "argv0 __main__.py" in env and "stdin b''" in env
    # Exactly the declared environment (plus the C-locale coercion every interpreter does).
    assert ("env ['LC_CTYPE', 'PATH', 'PYTEST_CURRENT_TEST', 'PYTHONDONTWRITEBYTECODE', "
            "'PYTHONPATH', 'TEMP', 'TMP', 'TMPDIR'] C.UTF-8") in env


@pytest.mark.parametrize("mode", ["true", "unprepared"])
def test_junit_reports_are_identical(runs, mode):
    _, repo_on, _, _ = runs[mode]
    _, repo_off, _, _ = runs["false"]
    on, off = junit(repo_on), junit(repo_off)
    # Killed by timeout, os._exit and SIGSEGV: those three wrote none.
    assert len(on) == len(TESTS) - 3
    assert on == off


def test_leaked_processes_die_with_their_test(runs):
    for mode in MODES:
        assert runs[mode][2] == [], mode


def test_parallel_tests_get_their_own_port_and_slot(runs):
    for mode in MODES:
        proc = runs[mode][0]
        if "Linux namespaces are unavailable" in proc.stderr:
            pytest.skip("no namespaces: parallel tests share the host's ports")
        b = blocks(proc.stderr)
        for t in ("tests/net/test_port_a.py", "tests/net/test_port_b.py"):
            assert " - succeeded." in b[t].splitlines()[0], b[t]
        slots = sorted(re.findall(r"^slot (\d)$", proc.stderr, re.M))
        assert slots == ["1", "2"], proc.stderr


def test_second_run_replays_successes_from_the_cache(runs):
    again = runs["true"][3]
    assert again.returncode == 1
    assert re.search(r"✓ tests/test_env.py succeeded in \S+ \(cached\)", again.stderr), again.stderr
    assert re.search(r"✕ tests/test_fail.py failed", again.stderr)
    assert "(cached)" not in [l for l in again.stderr.splitlines() if "test_fail" in l][0]


def test_preloaded_modules_are_imported_by_the_server_not_the_children(braid, make_repo, tmp_path):
    from conftest import fixture_repo
    repo = fixture_repo(make_repo, tmp_path, {
        "tests/BUILD": "python_tests()\n",
        # The server imported `wave` before forking: the child finds it in sys.modules at
        # start-up; `colorsys`, not preloaded, is imported by the test itself.
        "tests/test_preloaded.py": """
            import sys

            def test_preloaded():
                assert "wave" in sys.modules
                assert "colorsys" not in sys.modules
                import colorsys
        """,
    }, '[pytest]\npreload_modules = ["wave"]\n[python-infer]\nunowned_dependency_behavior = "ignore"\n')
    code, _, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "✓ tests/test_preloaded.py succeeded" in err


def test_a_preload_module_that_cannot_be_imported_is_a_clear_error(braid, make_repo, tmp_path):
    from conftest import fixture_repo
    repo = fixture_repo(make_repo, tmp_path, {
        "tests/BUILD": "python_tests()\n",
        "tests/test_a.py": "def test_a():\n    pass\n",
    }, '[pytest]\npreload_modules = ["no_such_module_braid"]\n')
    code, _, err = braid(repo, "test", "::")
    assert code == 1, err
    assert "✕ tests/test_a.py failed" in err
    assert ("braid fork server: cannot preload 'no_such_module_braid' ([pytest] preload_modules): "
            "ModuleNotFoundError: No module named 'no_such_module_braid'") in err, err
    assert "Traceback" not in err


LEARN_TEST = """
    import colorsys, re
    from lib import twin_a, twin_b, warns

    KEY = (str, r"braid-learned-(\\d+)", 0)
    CACHED = any(KEY in getattr(re, name, {}) for name in ("_cache", "_cache2"))
    LEARNED = re.compile(r"braid-learned-(\\d+)")
    NESTED = re.compile("[[a]")  # FutureWarning: Possible nested set, at every compile
    # Unmarshalled afresh at each call, unless served from the server's code cache.
    LOADER = colorsys.__spec__.loader
    SHARED = LOADER.get_code("colorsys") is LOADER.get_code("colorsys")

    def test_patterns():
        print("cached-at-import", CACHED)
        print("code-shared", SHARED)
        assert LEARNED.match("braid-learned-7").group(1) == "7"
        assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
        # The same bytes in two files: each module's code names its own file.
        assert twin_a.where().endswith("/src/lib/twin_a.py"), twin_a.where()
        assert twin_b.where().endswith("/src/lib/twin_b.py"), twin_b.where()
        warns.fail_here()
"""

TWIN = """
    def where():
        def inner():
            return inner.__code__.co_filename
        return inner()
"""

LEARN_FILES = {
    "src/lib/BUILD": "python_sources()\n",
    "src/lib/__init__.py": "",
    "src/lib/twin_a.py": TWIN,
    "src/lib/twin_b.py": TWIN,
    # Compiling this warns (an invalid escape): every test file must show the warning.
    "src/lib/warns.py": """
        PATTERN = "\\d+"

        def fail_here():
            assert PATTERN == "x", "from lib/warns.py"
    """,
    "src/lib/broken.py": "def oops(:\n",
    "tests/BUILD": "python_tests()\n",
    "tests/test_a.py": LEARN_TEST,
    "tests/test_b.py": LEARN_TEST,
    "tests/test_c.py": LEARN_TEST,
    # A syntax error in a module a test imports: the same report from a server's child.
    "tests/test_d.py": "from lib import broken\n\ndef test_d():\n    pass\n",
}


def test_what_children_compiled_is_ready_for_the_next_with_identical_results(
        tmp_path_factory, braid_home):
    # One slot, nothing prepared: the files run one after another in address order, each
    # forked after the previous one ended (and reported what it compiled and loaded).
    binary = os.environ.get("BRAID_BIN")
    if not binary:
        pytest.skip("BRAID_BIN is not set: the braid executable is not built yet")
    import subprocess
    from conftest import write_repo

    toml = ('[source]\nroot_patterns = ["/src", "/tests"]\n[pytest]\nargs = ["-rA"]\n'
            '[python-infer]\nunowned_dependency_behavior = "ignore"\n')
    runs = {}
    for server in ("true", "false"):
        root = tmp_path_factory.mktemp(f"learn-{server}")
        repo = write_repo(root / "repo", {"pants.toml": toml, **LEARN_FILES})
        env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
        env.update(HOME=str(braid_home), NO_COLOR="1", TERM="dumb",
                   XDG_CACHE_HOME=str(root / "cache"),
                   BRAID_FORK_SERVER_TIMINGS=str(root / "timings"))
        proc = subprocess.run(
            [binary, f"--pytest-fork-server={server}", "--pytest-fork-server-prepare=false",
             "--process-execution-local-parallelism=1", "test", "::", "--test-output=all"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=120)
        runs[server] = (proc, root / "timings")
    on, off = runs["true"][0], runs["false"][0]
    assert on.returncode == off.returncode == 1, on.stderr
    b_on, b_off = blocks(on.stderr), blocks(off.stderr)

    def printed(b, what):
        return [re.search(rf"^{what} (\w+)$", b[f"tests/test_{x}.py"], re.M).group(1)
                for x in "abc"]

    # Only the server makes a pattern compiled by one test file already compiled in the next,
    # and the code of a module it imported already read.
    assert printed(b_on, "cached-at-import") == printed(b_on, "code-shared") == [
        "False", "True", "True"], on.stderr
    assert printed(b_off, "cached-at-import") == printed(b_off, "code-shared") == ["False"] * 3
    # The server compiled the test files' own modules for the later ones: the twins' one
    # source (lib/warns.py warns when compiled, so never; the empty lib/__init__.py is not
    # in the sandboxes, content_only init files).
    learned = [l.split() for l in runs["true"][1].read_text().splitlines() if "learned" in l]
    assert learned and learned[0][-2:] == ["src", "1"], learned
    for x in "abc":
        block = b_on[f"tests/test_{x}.py"]
        # A compile that warns is never cached: every file shows its warning.
        assert "FutureWarning: Possible nested set at position 1" in block, block
        assert "DeprecationWarning: invalid escape sequence" in block, block
        assert "src/lib/warns.py:4: AssertionError" in block, block
        # Everything else as without the server (the printed cache states aside).
        strip = lambda t: re.sub(r"(?m)^(cached-at-import|code-shared) \w+$", "", t)
        assert strip(block) == strip(b_off[f"tests/test_{x}.py"])
    assert "SyntaxError" in b_on["tests/test_d.py"]
    assert b_on["tests/test_d.py"] == b_off["tests/test_d.py"]

"""`braid run`: one python_source or pex_binary, interactively (docs/run.md)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

# A program that imports first-party code from another source root (src/ -> lib/) and reports
# what it saw as one JSON line.
FILES = {
    "lib/greet/BUILD": "python_sources()\npython_requirement(name='req', requirements=['six'])\n",
    "lib/greet/__init__.py": "",
    "lib/greet/words.py": "HELLO = 'hello'\n",
    "src/app/BUILD": """
        python_sources(overrides={"where.py": {"run_goal_use_sandbox": False}})
        pex_binary(name="bin", entry_point="main.py")
    """,
    "src/app/__init__.py": "",
    "src/app/main.py": """
        import json, os, sys
        from greet.words import HELLO
        print(json.dumps({"hello": HELLO, "argv": sys.argv[1:], "cwd": os.getcwd(),
                          "file": __file__, "name": __name__}))
        sys.exit(int(sys.argv[1]) if sys.argv[1:2] and sys.argv[1].isdigit() else 0)
    """,
    "src/app/where.py": "import greet.words\nprint(__file__)\nprint(greet.words.__file__)\n",
}


def make(make_repo, tmp_path: Path, extra_toml: str = "", **files: str) -> Path:
    toml = (
        "[GLOBAL]\n"
        f'local_store_dir = "{tmp_path / "store"}"\n'
        f'local_execution_root_dir = "{tmp_path / "sandboxes"}"\n'
        "[source]\n"
        'root_patterns = ["/src", "/lib"]\n'
    ) + extra_toml
    return make_repo({"pants.toml": toml, **FILES, **files})


def test_runs_a_file_as_a_module_with_its_closure_args_and_the_build_root_as_cwd(
        braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, out, err = braid(repo, "run", "src/app/main.py", "--", "--flag", "two words")
    assert code == 0, err
    seen = json.loads(out)
    assert seen["hello"] == "hello"  # imported from the lib/ source root
    assert seen["argv"] == ["--flag", "two words"]
    assert seen["name"] == "__main__"
    assert os.path.realpath(seen["cwd"]) == os.path.realpath(repo)
    # Sandboxed by default: the file ran from a temporary copy, removed afterwards.
    sandboxes = os.path.realpath(tmp_path / "sandboxes")
    assert os.path.realpath(seen["file"]).startswith(sandboxes + "/braid-run-")
    assert seen["file"].endswith("/src/app/main.py")
    assert not Path(seen["file"]).exists()
    # [GLOBAL] keep_sandboxes keeps it, and says where.
    code, out, err = braid(repo, "--keep-sandboxes=always", "run", "src/app/main.py")
    assert code == 0, err
    kept = json.loads(out)["file"]
    assert Path(kept).read_text() == (repo / "src/app/main.py").read_text()
    assert f"Preserving local process execution dir {kept[:-len('/src/app/main.py')]}" in err


def test_address_and_run_args_option(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    # Each [run] args value is split as a shell would (Pants' shell_str), then come those after --.
    code, out, err = braid(repo, "run", "--run-args=a 'b c'", "src/app/main.py:app", "--", "d")
    assert code == 0, err
    assert json.loads(out)["argv"] == ["a", "b c", "d"]
    code, _, err = braid(repo, "run", "--run-args=['x \"y']", "src/app/main.py")
    assert code != 0
    assert "invalid value for [run] args" in err and "No closing quotation" in err


def test_exit_code_is_the_programs(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, out, err = braid(repo, "run", "src/app/main.py", "--", "7")
    assert code == 7, err
    assert json.loads(out)["hello"] == "hello"


def test_killed_by_a_signal_is_128_plus_it(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path, **{
        "src/app/die.py": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"})
    code, _, err = braid(repo, "run", "src/app/die.py")
    assert code == 128 + signal.SIGKILL, err


def test_run_goal_use_sandbox_false_runs_from_the_repo(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, out, err = braid(repo, "run", "src/app/where.py")
    assert code == 0, err
    file, lib = out.splitlines()
    assert os.path.realpath(file) == os.path.realpath(repo / "src/app/where.py")
    assert os.path.realpath(lib) == os.path.realpath(repo / "lib/greet/words.py")


def test_default_run_goal_use_sandbox_option(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path, "[python]\ndefault_run_goal_use_sandbox = false\n")
    code, out, err = braid(repo, "run", "src/app/main.py")
    assert code == 0, err
    assert os.path.realpath(json.loads(out)["file"]) == os.path.realpath(repo / "src/app/main.py")


def test_runs_a_pex_binary(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path, **{"src/app/BUILD": """
        python_sources()
        pex_binary(name="bin", entry_point="main.py", dependencies=[":app"])
    """})
    code, out, err = braid(repo, "run", "src/app:bin", "--", "x")
    assert code == 0, err
    seen = json.loads(out)
    assert seen["argv"] == ["x"]
    assert seen["hello"] == "hello"
    assert os.path.realpath(seen["cwd"]) == os.path.realpath(repo)
    assert ".pex" in seen["file"]  # ran from the built pex, not the repo
    assert not (repo / "dist").exists()  # built into a temporary directory


def test_no_runnable_target_is_a_user_error(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, _, err = braid(repo, "run", "lib/greet:req")
    assert code != 0
    assert "No applicable files or targets matched" in err
    assert "pex_binary, python_source, python_test" in err
    code, _, err = braid(repo, "run")
    assert code != 0
    assert "No applicable files or targets matched" in err


def test_several_runnable_targets_is_a_user_error_listing_them(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, out, err = braid(repo, "run", "src/app::")
    assert code != 0
    assert out == ""
    assert "exactly one target" in err
    for address in ["src/app:bin", "src/app/main.py", "src/app/where.py"]:
        assert f"  * {address} (src/app/BUILD:" in err


def test_sigterm_to_braid_reaches_the_program_and_braid_returns_its_code(
        braid, braid_home, make_repo, tmp_path):
    repo = make(make_repo, tmp_path, **{"src/app/wait.py": """
        import signal, sys, time
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(42))
        print("ready", flush=True)
        time.sleep(60)
    """})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANTS_")}
    env.update(HOME=str(braid_home), NO_COLOR="1", TERM="dumb")
    proc = subprocess.Popen([os.environ["BRAID_BIN"], "run", "src/app/wait.py"], cwd=repo,
                            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "ready\n"
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 42
    finally:
        proc.kill()
        proc.wait()


def test_help_run(braid, make_repo, tmp_path):
    repo = make(make_repo, tmp_path)
    code, out, err = braid(repo, "help", "run")
    assert code == 0, err
    assert "run_goal_use_sandbox" in out
    assert "--run-args" in out

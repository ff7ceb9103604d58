"""The layering checker itself catches each kind of violation (run by pytest)."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check_layering.py")


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def run(root):
    return subprocess.run([sys.executable, CHECK, str(root)], capture_output=True, text=True)


def test_clean_tree_passes(tmp_path):
    write(tmp_path, "core/a/x.h", '#include "core/b/y.h"\n#include "absl/status/status.h"\n')
    write(tmp_path, "rules/p/z.cc", '#include "core/a/x.h"\n#include "rules/q/w.h"\n')
    write(tmp_path, "plugins/api/api.h", '#include "core/a/x.h"\n')
    write(tmp_path, "plugins/foo/foo.cc", '#include "plugins/api/api.h"\n#include "plugins/foo/foo.h"\n')
    r = run(tmp_path)
    assert r.returncode == 0, r.stdout
    assert "layering ok" in r.stdout


def test_core_including_rules_fails(tmp_path):
    write(tmp_path, "core/a/x.cc", '\n#include "rules/python/t.h"\n')
    r = run(tmp_path)
    assert r.returncode == 1
    assert 'core/a/x.cc:2: includes "rules/python/t.h" across layers' in r.stdout


def test_core_including_plugins_and_rules_including_plugins_fail(tmp_path):
    write(tmp_path, "core/a/x.cc", '#include "plugins/api/api.h"\n')
    write(tmp_path, "rules/a/y.cc", '#include "plugins/foo/foo.h"\n')
    r = run(tmp_path)
    assert r.returncode == 1
    assert "core/a/x.cc:1" in r.stdout and "rules/a/y.cc:1" in r.stdout


def test_plugin_including_core_or_rules_directly_fails(tmp_path):
    write(tmp_path, "plugins/foo/foo.cc", '#include "core/graph/target.h"\n#include "rules/python/x.h"\n')
    r = run(tmp_path)
    assert r.returncode == 1
    assert "plugins/foo/foo.cc:1" in r.stdout and "plugins/foo/foo.cc:2" in r.stdout


def test_the_real_tree_is_layered():
    root = os.path.dirname(os.path.dirname(HERE))
    r = run(root)
    assert r.returncode == 0, r.stdout


def test_plugin_including_another_plugin_or_api_internals_of_core_fails(tmp_path):
    # Plugins talk to each other only through plugins/api/ (e.g. the
    # distribution-metadata hook), never by including each other's files.
    write(tmp_path, "plugins/setupgen/setupgen.cc",
          '#include "plugins/api/plugin.h"\n#include "plugins/changelog/towncrier.h"\n'
          '#include "core/app/app.h"\n')
    r = run(tmp_path)
    assert r.returncode == 1
    assert 'plugins/setupgen/setupgen.cc:2: includes "plugins/changelog/towncrier.h" across layers' in r.stdout
    assert 'plugins/setupgen/setupgen.cc:3: includes "core/app/app.h" across layers' in r.stdout
    assert "plugins/setupgen/setupgen.cc:1" not in r.stdout

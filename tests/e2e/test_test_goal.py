"""`braid test` on the example and on a fixture: passes, caches, and never caches failures."""

from conftest import EXAMPLE_DIR


def test_example_passes_then_is_fully_cached(braid, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, err = braid(EXAMPLE_DIR, "test", "::")
    assert code == 0, err
    assert "Summary: 10 succeeded in " in err
    assert "✓ tests/common/test_config.py succeeded in " in err
    code, out, err = braid(EXAMPLE_DIR, "test", "::")
    assert code == 0, err
    assert "Summary: 10 succeeded (10 cached)" in err


def test_failure_fails_the_run_and_is_never_cached(braid, make_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = make_repo(
        {
            "pants.toml": """
                [source]
                root_patterns = ["/src", "/tests"]
                """,
            "src/lib/BUILD": "python_sources()\n",
            "src/lib/__init__.py": "",
            "src/lib/core.py": "VALUE = 41\n",
            "tests/BUILD": "python_tests()\n",
            "tests/test_core.py": "from lib.core import VALUE\n\ndef test_value():\n    assert VALUE == 42\n",
        }
    )
    for _ in range(2):
        code, out, err = braid(repo, "test", "::")
        assert code == 1
        assert "✕ tests/test_core.py failed in " in err
        assert "assert 41 == 42" in err
        assert "(cached)" not in err
    # Fixing the imported module reruns the test (its closure changed) and it passes.
    (repo / "src/lib/core.py").write_text("VALUE = 42\n")
    code, out, err = braid(repo, "test", "::")
    assert code == 0, err
    assert "✓ tests/test_core.py succeeded in " in err and "(cached)" not in err


def test_a_test_needing_generated_protobuf_code_is_told_braid_does_not_run_protoc(
        braid, make_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = make_repo(
        {
            "pants.toml": """
                [GLOBAL]
                backend_packages = ["pants.backend.python", "pants.backend.codegen.protobuf.python"]
                [source]
                root_patterns = ["/protos", "/tests"]
                [python-protobuf]
                infer_runtime_dependency = false
                [python-infer]
                ignored_unowned_imports = ["pytest"]
                """,
            "protos/acme/BUILD": "protobuf_sources()\n",
            "protos/acme/msg.proto": 'syntax = "proto3";\npackage acme;\nmessage M {}\n',
            "tests/BUILD": "python_tests()\n",
            "tests/test_a.py": "from acme import msg_pb2\n\ndef test_a():\n    assert msg_pb2\n",
            "tests/test_b.py": "from acme import msg_pb2\n\ndef test_b():\n    assert msg_pb2\n",
        }
    )
    code, _, err = braid(repo, "test", "::")
    assert code == 1
    warning = ("protos/acme/msg.proto (needed by tests/test_a.py): braid does not generate "
               "Python code from Protobuf sources (Pants runs protoc here), so a test that "
               "imports the generated modules fails with ImportError unless they are checked in")
    assert warning in err, err
    assert err.count("braid does not generate Python code") == 1, err  # once per target
    assert "ImportError" in err

"""Command-line basics: version, unknown goals and flags."""

import re

from conftest import EXAMPLE_DIR


def test_version_prints_a_version_and_exits_0(braid):
    code, out, err = braid(EXAMPLE_DIR, "--version")
    assert code == 0, err
    assert re.search(r"\b\d+\.\d+\.\d+\b", out), out


def test_unknown_goal_exits_2_with_suggestion(braid):
    code, out, err = braid(EXAMPLE_DIR, "lisst", "::")
    assert (code, out) == (2, "")
    assert err == "[ERROR] unknown goal 'lisst'\n  hint: did you mean 'list'?\n"


def test_unknown_flag_exits_2(braid):
    code, out, err = braid(EXAMPLE_DIR, "--no-such-flag", "list", "::")
    assert (code, out) == (2, "")
    assert err == "[ERROR] unknown flag --no-such-flag\n"


def test_bad_flag_value_exits_2(braid):
    code, out, err = braid(EXAMPLE_DIR, "--level=loud", "list", "::")
    assert (code, out) == (2, "")
    assert err.endswith(
        "[ERROR] invalid value for --level: expected one of trace, debug, info, warn, error; got 'loud'\n"
    )


def test_no_goal_is_a_usage_error(braid):
    code, out, err = braid(EXAMPLE_DIR)
    assert (code, out) == (2, "")
    assert "no goals given" in err


def test_several_goals_run_in_order(braid):
    code, out, err = braid(EXAMPLE_DIR, "list", "roots", "src/acme/common:data")
    assert code == 0, err
    assert out == "src/acme/common:data\nsrc\ntests\n"


def test_log_level_debug_adds_diagnostics_and_error_hides_warnings(braid):
    code, out, err = braid(EXAMPLE_DIR, "-ldebug", "list", "src/acme/common:data")
    assert code == 0
    assert out == "src/acme/common:data\n"
    assert "[DEBUG] build root: " in err
    assert re.search(r"\[DEBUG\] evaluated 13 BUILD files into 63 targets in ", err)
    code, out, err = braid(EXAMPLE_DIR, "--level=error", "list", "src/acme/common:data")
    assert (code, out, err) == (0, "src/acme/common:data\n", "")


def test_help_topics(braid):
    code, out, _ = braid(EXAMPLE_DIR, "help")
    assert code == 0 and "braid help goals" in out
    code, out, _ = braid(EXAMPLE_DIR, "help", "goals")
    assert code == 0
    assert re.search(r"^  list +Lists all targets matching the file or target arguments\.$", out, re.M)
    code, out, _ = braid(EXAMPLE_DIR, "help", "list")  # a goal
    assert code == 0 and "--[no-]list-documented" in out and "Config section: [list]" in out
    code, out, _ = braid(EXAMPLE_DIR, "help", "python_sources")  # a target type
    assert code == 0 and out.startswith("`python_sources` target\n")
    assert "\nsources\n    type: Iterable[str] | None\n" in out
    code, out, _ = braid(EXAMPLE_DIR, "help", "python-infer")  # a subsystem
    assert code == 0 and "--[no-]python-infer-string-imports" in out
    code, out, _ = braid(EXAMPLE_DIR, "help", "string_imports_min_dots")  # an option
    assert code == 0
    assert out.startswith("[python-infer]\n--python-infer-string-imports-min-dots=<int>\n")
    code, out, err = braid(EXAMPLE_DIR, "help", "pyhton_sources")
    assert (code, out) == (2, "")
    assert "did you mean 'python_sources'?" in err

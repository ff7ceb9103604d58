"""Command-line basics: version, unknown goals and flags."""

import re

from conftest import EXAMPLE_DIR


def test_version_prints_a_version_and_exits_0(braid):
    code, out, err = braid(EXAMPLE_DIR, "--version")
    assert code == 0, err
    assert re.search(r"\b\d+\.\d+\.\d+\b", out), out


# exact message settled by lead
def test_unknown_goal_exits_2_with_suggestion(braid):
    code, out, err = braid(EXAMPLE_DIR, "lisst", "::")
    assert code == 2
    assert "lisst" in err
    assert "list" in err.replace("lisst", "")  # did you mean 'list'?
    assert out == ""


# exact message settled by lead
def test_unknown_flag_exits_2(braid):
    code, out, err = braid(EXAMPLE_DIR, "--no-such-flag", "list", "::")
    assert code == 2
    assert "--no-such-flag" in err
    assert out == ""

"""`braid list` on the example monorepo must print what `pants list` prints."""

from conftest import EXAMPLE_DIR


def test_list_everything_matches_pants_golden(braid):
    code, out, err = braid(EXAMPLE_DIR, "list", "::")
    assert code == 0, err
    assert out == (EXAMPLE_DIR / "EXPECTED_LIST.txt").read_text()


def test_list_is_deterministic(braid):
    first = braid(EXAMPLE_DIR, "list", "::")
    second = braid(EXAMPLE_DIR, "list", "::")
    assert first.code == second.code == 0
    assert first.stdout == second.stdout

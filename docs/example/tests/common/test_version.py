from pathlib import Path

import acme.common


def test_package_version_matches_version_file():
    # Tests run from the repository root (pytest and Pants alike), where the
    # `//:version` files target puts VERSION.
    assert Path("VERSION").read_text().strip() == acme.common.__version__

"""Fixtures shared by the tests of every component."""

import pytest

from acme.common import config


@pytest.fixture
def defaults():
    """The packaged default configuration."""
    return config.load_defaults()


@pytest.fixture
def endpoint():
    """A manager endpoint that is never contacted: tests only build requests."""
    return "http://manager.test:8081"

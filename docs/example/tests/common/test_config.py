import pytest

from acme.common import config


def test_packaged_defaults_are_loaded(defaults):
    assert defaults["manager"]["heartbeat_seconds"] == 15
    assert defaults["agent"] == {"slots": 4, "labels": []}


def test_merge_is_deep_and_does_not_mutate():
    base = {"a": {"x": 1, "y": 2}, "b": 1}
    merged = config.merge(base, {"a": {"y": 3}, "c": 4})
    assert merged == {"a": {"x": 1, "y": 3}, "b": 1, "c": 4}
    assert base == {"a": {"x": 1, "y": 2}, "b": 1}


def test_load_applies_overrides():
    assert config.load({"agent": {"slots": 8}})["agent"] == {"slots": 8, "labels": []}


def test_parse_rejects_non_mapping():
    with pytest.raises(ValueError, match="must be a mapping"):
        config.parse("[1, 2]")


def test_parse_rejects_unknown_format():
    with pytest.raises(ValueError, match="unknown configuration format"):
        config.parse("{}", fmt="ini")

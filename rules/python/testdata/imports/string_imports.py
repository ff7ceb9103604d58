# scan-options: string_imports min_dots=2 ignore=ignored.*
import importlib
from importlib import import_module

INSTALLED_APPS = [
    "django.contrib.auth",
    'myapp.models.User',
    "two.dots.only",
    "one.dot",
    "ignored.by.glob",
    "has space.a.b",
    "back\\slash.a.b",
    "1leading.digit.x",
    "trailing.dot.",
    r"raw.string.ok",
    b"bytes.string.ok",
    "concat.enated" ".string",
    f"fstring.without.fields",
    f"fstring.{with_field}.x",
    "非ascii.模块.名",
]
importlib.import_module("no_dots_needed")
import_module("also.needs.no_dots")
importlib.import_module(name)
other.importlib.import_module("not_importlib")
"dropped.by.pragma"  # pants: no-infer-dep
import real.module.name
"real.module.name"
"""docstring.looking.path"""

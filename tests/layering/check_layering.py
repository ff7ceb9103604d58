#!/usr/bin/env python3
"""Fails when an #include crosses braid's layers the wrong way.

Layers go one way: core <- rules <- plugins.
  - core/ may include only core/ (and system/library headers);
  - rules/ may include core/ and rules/, never plugins/;
  - plugins/ outside plugins/api/ may include only plugins/api/ among project headers;
    plugins/api/ may include core/ (it is the public face of the engine).
Usage: check_layering.py SOURCE_ROOT   (prints every violation, exits 1 if any)
"""
import os
import re
import sys

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)
LAYERS = ("core/", "rules/", "plugins/")


def allowed(src: str, header: str) -> bool:
    if not header.startswith(LAYERS):
        return True  # a library header such as "absl/..." or "gtest/gtest.h"
    if src.startswith("core/"):
        return header.startswith("core/")
    if src.startswith("rules/"):
        return header.startswith(("core/", "rules/"))
    if src.startswith("plugins/api/"):
        return header.startswith(("core/", "plugins/api/"))
    if src.startswith("plugins/"):
        return header.startswith("plugins/api/") or (
            # a plugin's own files
            header.startswith(src.split("/")[0] + "/" + src.split("/")[1] + "/"))
    return True


def violations(root: str):
    for top in LAYERS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cc", ".cpp", ".hpp")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for m in INCLUDE.finditer(text):
                    if not allowed(rel, m.group(1)):
                        line = text.count("\n", 0, m.start()) + 1
                        yield f"{rel}:{line}: includes \"{m.group(1)}\" across layers"


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.getcwd()
    bad = list(violations(root))
    for v in bad:
        print(v)
    if bad:
        print(f"{len(bad)} layering violation(s): core <- rules <- plugins (plugins use plugins/api only)")
        return 1
    print("layering ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

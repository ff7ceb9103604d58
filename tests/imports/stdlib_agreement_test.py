#!/usr/bin/python3
"""braid's import scanner must agree with CPython's `ast` on the whole standard library.

Walks every .py file under the stdlib of the interpreter running this script (CI runs Debian's
/usr/bin/python3), plus the golden inputs in rules/python/testdata/imports/, and requires the
same set of [key, line, weak, kind] records from `braid_scan_imports` and from
ast_reference.py for every file that `ast` parses, in two modes: plain imports, and with
string imports on (min dots 2).

Exclusions (each one is printed):
  * files `ast` cannot parse (deliberately broken test inputs, Python 2 sources): there is no
    reference to compare with; the scanner still runs on them and must not crash;
  * site-packages / dist-packages directories below the stdlib: third-party code, not stdlib.

Usage: stdlib_agreement_test.py --scanner PATH/braid_scan_imports [--stdlib DIR]
"""

import argparse
import ast
import json
import os
import subprocess
import sys
import sysconfig
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ast_reference  # noqa: E402

MODES = {"plain": [], "string_imports": ["--string-imports", "--min-dots=2"]}
MIN_STDLIB_FILES = 400  # guards against silently comparing nothing


def list_files(stdlib):
    files, skipped_dirs = [], []
    for root, dirs, names in os.walk(stdlib):
        for d in sorted(dirs):
            if d in ("site-packages", "dist-packages"):
                skipped_dirs.append(os.path.join(root, d))
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "dist-packages"))
        files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
    return files, skipped_dirs


def run_scanner(scanner, files, flags):
    proc = subprocess.run([scanner, *flags], input="\n".join(files) + "\n", text=True,
                          capture_output=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {scanner} exited {proc.returncode}: {proc.stderr[-2000:]}")
    out = {}
    for line in proc.stdout.splitlines():
        obj = json.loads(line)
        out[obj["file"]] = sorted(obj["imports"])
    missing = set(files) - set(out)
    if missing:
        sys.exit(f"FAIL: scanner printed nothing for {len(missing)} files, e.g. {min(missing)}")
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scanner", required=True)
    parser.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"])
    args = parser.parse_args()

    start = time.monotonic()
    stdlib_files, skipped_dirs = list_files(args.stdlib)
    here = os.path.dirname(os.path.abspath(__file__))
    golden_dir = os.path.normpath(os.path.join(here, "..", "..", "rules", "python", "testdata",
                                               "imports"))
    golden_files = sorted(
        os.path.join(golden_dir, n) for n in os.listdir(golden_dir) if n.endswith(".py"))
    files = stdlib_files + golden_files

    reference = {mode: {} for mode in MODES}
    unparsable = []
    for path in files:
        with open(path, "rb") as f:
            content = f.read()
        try:
            tree = ast.parse(content)
        except (SyntaxError, ValueError) as e:
            unparsable.append((path, f"{type(e).__name__}: {e}"))
            continue
        # One reference pass: without string imports the result is exactly this minus the
        # string candidates (they are weak and rank after real imports, so never win a key
        # that also has a real import).
        with_strings = ast_reference.scan(content, string_imports=True, min_dots=2, tree=tree)
        reference["string_imports"][path] = with_strings
        reference["plain"][path] = [r for r in with_strings if r[3] != "string_import"]

    failures = 0
    for mode, flags in MODES.items():
        scanned = run_scanner(args.scanner, files, flags)
        for path, expected in reference[mode].items():
            actual = scanned[path]
            if actual != expected:
                failures += 1
                exp, act = {tuple(r) for r in expected}, {tuple(r) for r in actual}
                print(f"MISMATCH [{mode}] {path}")
                for r in sorted(exp - act):
                    print(f"   only ast:     {list(r)}")
                for r in sorted(act - exp):
                    print(f"   only scanner: {list(r)}")

    compared_stdlib = sum(1 for p in stdlib_files if p in reference["plain"])
    compared_golden = sum(1 for p in golden_files if p in reference["plain"])
    for d in skipped_dirs:
        print(f"excluded (third-party directory): {d}")
    for path, why in unparsable:
        print(f"excluded (ast cannot parse, no reference): {path}: {why}")
    print(f"stdlib: {args.stdlib}")
    print(f"compared {compared_stdlib} stdlib files + {compared_golden} golden inputs "
          f"in {len(MODES)} modes; {len(unparsable)} excluded as unparsable; "
          f"{failures} mismatches; {time.monotonic() - start:.1f}s")
    assert compared_stdlib >= MIN_STDLIB_FILES, f"only {compared_stdlib} stdlib files compared"
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

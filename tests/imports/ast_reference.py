#!/usr/bin/python3
"""Reference import extraction with CPython's `ast`, for checking braid's import scanner.

Implements exactly the conventions documented in rules/python/import_scanner.h, so that for
every file `ast` can parse, braid's token-based scanner and this script must agree:

  * one record per key ("." * level + module): [key, line, weak, kind];
  * `import a.b` -> "a.b" at the alias line; `from m import x` -> "m.x" at x's line;
    `from m import *` -> "m" at the line of `*`; `from ..p import x` -> "..p.x";
    `from __future__ import ...` is never reported;
  * `__import__(<literal>)` with exactly one positional argument and no keywords -> kind
    "dunder_import" at the literal's line; the literal is a str, bytes or an f-string without
    replacement fields; adjacent literals are concatenated;
  * with string imports on, any such literal whose source text has no backslash and whose
    value is a dotted path of identifiers with >= min_dots dots -> "string_import" (weak);
    the first argument of importlib.import_module(...) / import_module(...) needs no dots;
  * weak: inside the body of a try whose handlers name ImportError/ModuleNotFoundError
    (Name, or Tuple/List/Set element), or of `with suppress(...)`/`contextlib.suppress(...)`
    naming one of them, at any depth;
  * merge: strong beats weak, then a real import beats a string candidate, then the earliest
    line; the winner's kind is kept;
  * pragmas (`# pants: no-infer-dep` / `# braid: ...`): a comment on the line where the
    imported name (with alias) ends, or on the last line of the logical line that holds the
    occurrence, drops it; for __import__ any line from `__import__` to `)`; for strings the
    literal's lines.

Usage: ast_reference.py [--string-imports] [--min-dots=N] FILE...
Prints one JSON object per file: {"file", "imports"} or {"file", "error"} if ast fails.
"""

import ast
import io
import json
import re
import sys
import tokenize

IMPORT_ERRORS = ("ImportError", "ModuleNotFoundError")
PRAGMA_RE = re.compile(r"(?:pants|braid):\s*no-infer-dep")


def _dots_if_dotted_identifiers(value):
    parts = value.split(".")
    if not all(p.isidentifier() for p in parts):
        return -1
    return len(parts) - 1


def _literal_value(node):
    """The value of a str/bytes constant or a placeholder-free f-string, else None."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            try:
                return node.value.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None
    if isinstance(node, ast.JoinedStr):
        if all(isinstance(v, ast.Constant) for v in node.values):
            return "".join(v.value for v in node.values)
    return None


def _names_import_error(expr):
    if isinstance(expr, ast.Name):
        return expr.id in IMPORT_ERRORS
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return any(isinstance(e, ast.Name) and e.id in IMPORT_ERRORS for e in expr.elts)
    return False


def _is_suppress_import_error(expr):
    if not isinstance(expr, ast.Call):
        return False
    f = expr.func
    is_suppress = (isinstance(f, ast.Name) and f.id == "suppress") or (
        isinstance(f, ast.Attribute)
        and f.attr == "suppress"
        and isinstance(f.value, ast.Name)
        and f.value.id == "contextlib"
    )
    return is_suppress and any(
        isinstance(a, ast.Name) and a.id in IMPORT_ERRORS for a in expr.args
    )


class _Visitor(ast.NodeVisitor):
    def __init__(self, source_text, string_imports, min_dots):
        self.source_text = source_text
        self._lines = None
        self.string_imports = string_imports
        self.min_dots = min_dots
        self.weak_depth = 0
        # [key, line, weak, kind, pragma_lo, pragma_hi]
        self.occurrences = []

    def add(self, key, line, kind, lo, hi):
        weak = kind == "string_import" or self.weak_depth > 0
        self.occurrences.append([key, line, weak, kind, lo, hi])

    def _source_has_backslash(self, node):
        # Same test as ast.get_source_segment(...) but without re-splitting the file per call.
        if self._lines is None:
            self._lines = self.source_text.splitlines(keepends=True)
        first, last = node.lineno - 1, node.end_lineno - 1
        if last >= len(self._lines):
            return True
        if first == last:
            seg = self._lines[first].encode()[node.col_offset:node.end_col_offset]
        else:
            seg = b"".join([self._lines[first].encode()[node.col_offset:]]
                           + [l.encode() for l in self._lines[first + 1:last]]
                           + [self._lines[last].encode()[:node.end_col_offset]])
        return b"\\" in seg

    def add_string_candidate(self, node, value, min_dots):
        if not self.string_imports or value is None:
            return
        if any(c in value for c in "{}"):
            return
        dots = _dots_if_dotted_identifiers(value)
        if dots < 0 or dots < min_dots or self._source_has_backslash(node):
            return
        self.add(value, node.lineno, "string_import", node.lineno, node.end_lineno)

    # Imports ---------------------------------------------------------------------------
    def visit_Import(self, node):
        for alias in node.names:
            self.add(alias.name, alias.lineno, "import", alias.end_lineno, alias.end_lineno)

    def visit_ImportFrom(self, node):
        module = node.module or ""
        if node.level == 0 and module == "__future__":
            return
        prefix = "." * node.level
        for alias in node.names:
            if alias.name == "*":
                key = prefix + module
            else:
                key = prefix + (module + "." + alias.name if module else alias.name)
            self.add(key, alias.lineno, "from_import", alias.end_lineno, alias.end_lineno)

    def visit_Call(self, node):
        f = node.func
        if isinstance(f, ast.Name) and f.id == "__import__" and len(node.args) == 1 \
                and not node.keywords:
            arg = node.args[0]
            value = _literal_value(arg)
            if value is not None:
                if value and not any(c in value for c in "{}") \
                        and not self._source_has_backslash(arg):
                    self.add(value, arg.lineno, "dunder_import", node.lineno, node.end_lineno)
                return
        is_import_module = (isinstance(f, ast.Name) and f.id == "import_module") or (
            isinstance(f, ast.Attribute)
            and f.attr == "import_module"
            and isinstance(f.value, ast.Name)
            and f.value.id == "importlib"
        )
        if is_import_module and node.args:
            self.add_string_candidate(node.args[0], _literal_value(node.args[0]), 0)
        self.generic_visit(node)

    # Strings ---------------------------------------------------------------------------
    def visit_Constant(self, node):
        if isinstance(node.value, (str, bytes)):
            self.add_string_candidate(node, _literal_value(node), self.min_dots)

    def visit_JoinedStr(self, node):
        # Never descend: the scanner treats an f-string as one opaque token.
        self.add_string_candidate(node, _literal_value(node), self.min_dots)

    # Weakening blocks ------------------------------------------------------------------
    def _visit_try(self, node):
        weak = any(h.type is not None and _names_import_error(h.type) for h in node.handlers)
        self.weak_depth += weak
        for stmt in node.body:
            self.visit(stmt)
        self.weak_depth -= weak
        for part in (node.handlers, node.orelse, node.finalbody):
            for n in part:
                self.visit(n)

    visit_Try = _visit_try
    visit_TryStar = _visit_try

    def _visit_with(self, node):
        weak = any(_is_suppress_import_error(item.context_expr) for item in node.items)
        self.weak_depth += weak
        self.generic_visit(node)
        self.weak_depth -= weak

    visit_With = _visit_with
    visit_AsyncWith = _visit_with


def _pragma_filter(content, occurrences):
    """Drops occurrences covered by a no-infer-dep pragma (see the module docstring)."""
    if b"no-infer-dep" not in content:
        return occurrences
    pragma_lines = set()
    logical_end = {}  # line -> last line of its logical line
    start = None
    for tok in tokenize.tokenize(io.BytesIO(content).readline):
        if tok.type == tokenize.COMMENT and PRAGMA_RE.search(tok.string):
            pragma_lines.add(tok.start[0])
        elif tok.type in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING, tokenize.INDENT,
                          tokenize.DEDENT, tokenize.ENDMARKER):
            continue
        elif tok.type == tokenize.NEWLINE:
            if start is not None:
                for line in range(start, tok.start[0] + 1):
                    logical_end[line] = tok.start[0]
            start = None
        elif start is None:
            start = tok.start[0]
    kept = []
    for occ in occurrences:
        _key, line, _weak, _kind, lo, hi = occ
        if any(lo <= p <= hi for p in pragma_lines) or logical_end.get(line) in pragma_lines:
            continue
        kept.append(occ)
    return kept


def scan(content, string_imports=False, min_dots=2, tree=None):
    """Returns sorted [key, line, weak, kind] records for `content` (bytes).

    Raises SyntaxError/ValueError if `ast` cannot parse it.
    """
    if tree is None:
        tree = ast.parse(content)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(content).readline)
    text = content.decode(encoding, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    visitor = _Visitor(text, string_imports, min_dots)
    visitor.visit(tree)
    occurrences = _pragma_filter(content, visitor.occurrences)
    best = {}
    for key, line, weak, kind, _lo, _hi in occurrences:
        rank = (weak, kind == "string_import", line)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, [key, line, weak, kind])
    return sorted(v[1] for v in best.values())


def main(argv):
    string_imports = False
    min_dots = 2
    files = []
    for arg in argv[1:]:
        if arg == "--string-imports":
            string_imports = True
        elif arg.startswith("--min-dots="):
            min_dots = int(arg.split("=", 1)[1])
        else:
            files.append(arg)
    for path in files:
        with open(path, "rb") as f:
            content = f.read()
        try:
            result = {"file": path, "imports": scan(content, string_imports, min_dots)}
        except (SyntaxError, ValueError) as e:
            result = {"file": path, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

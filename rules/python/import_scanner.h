// Extracts the imports of one Python source file, for dependency inference.
//
// Usage:
//   ImportScanOptions opts;                       // from [python-infer]
//   ImportScan scan = ScanImports(file_bytes, opts);
//   for (const ImportRecord& r : scan.imports) {
//     std::optional<std::string> abs = ResolveRelativeImport(r, "src/pkg/mod.py");
//     ...  // the owner mapper tries *abs, then its parent module
//   }
//
// What a record means (the convention Pants' parsers use, which tests/imports/ast_reference.py
// reproduces with Python's `ast` module):
//
//   source                          kind           level  module     line
//   import a.b as c                 kImport        0      "a.b"      line where `a` starts
//   import a, b                     kImport        0      "a", "b"   each name's own line
//   from m import x, y as z         kFromImport    0      "m.x","m.y" line of `x` / `y`
//   from m import *                 kFromImport    0      "m"        line of `*`
//   from . import x                 kFromImport    1      "x"        line of `x`
//   from ..p.q import x             kFromImport    2      "p.q.x"    line of `x`
//   from .. import *                kFromImport    2      ""         line of `*`
//   __import__("a.b")               kDunderImport  0      "a.b"      line of the string
//   importlib.import_module("a")    kStringImport  0      "a"        line of the string
//   "a.b.c" (any string literal)    kStringImport  0      "a.b.c"    line of the string
//
// So for a from-import `module` is the imported name appended to the source module: the name
// may be a submodule or just an attribute, and the owner mapper tries `m.x` first, then `m`
// (for relative imports: the resolved package + module, then its parent). `from __future__`
// is never reported. Key() is Pants' spelling of the same thing ("..p.q.x").
//
// Weak imports: an occurrence inside the body of a `try` (or `try`/`except*`) with a handler
// that names ImportError or ModuleNotFoundError (as a plain name, or an element of a
// tuple/list/set; any handler of that try), or inside `with suppress(ImportError)` /
// `with contextlib.suppress(..., ImportError, ...)`, nested at any depth (functions defined in
// such a body count). A bare `except:` does not weaken (Pants does not either). String-import
// candidates are always weak.
//
// One record per (level, module): a strong occurrence beats weak ones; then a real import
// beats a string candidate; then the earliest line wins, and the winner's kind is kept.
//
// Pragmas: a comment `# pants: no-infer-dep` (or `# braid: no-infer-dep`) drops an occurrence
// when it is on the line where the imported name (with its `as` alias) ends, or on the last
// line of the logical line holding the statement (e.g. after the `)` of a parenthesised
// from-import; `import a, b  # pants: no-infer-dep` drops both). For `__import__(...)` any
// line from `__import__` to its `)` counts; for string literals, the literal's lines.
// `# pants: infer-dep(addr)` adds `addr` (reported in ImportScan::infer_deps, not resolved).
//
// String candidates are collected only with options.string_imports: a string literal (adjacent
// literals concatenated) whose text, taken verbatim from the source, is a dotted path of
// identifiers with at least string_imports_min_dots dots and matches no string_import_ignore
// glob. The argument of importlib.import_module("...") (or a bare import_module("...")) needs
// no minimum of dots. A literal with an escape sequence, whitespace or braces is never one.
//
// Syntax errors are reported in ImportScan::diagnostics and never stop the scan: the scanner
// works statement by statement on the token stream, so a broken statement loses only itself.
#ifndef BRAID_RULES_PYTHON_IMPORT_SCANNER_H_
#define BRAID_RULES_PYTHON_IMPORT_SCANNER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::python {

enum class ImportKind : uint8_t {
  kImport,         // import a.b
  kFromImport,     // from m import x
  kDunderImport,   // __import__("x") with one literal argument
  kStringImport,   // a string literal that looks like a module path (a weak candidate)
};

/// "import", "from_import", "dunder_import" or "string_import".
absl::string_view ImportKindName(ImportKind kind);

/// One imported module of a file. See the table at the top of this header.
struct ImportRecord {
  /// Dotted name, without the leading dots of a relative import (may be empty for
  /// `from . import *`). Raw source bytes (UTF-8 for any file CPython accepts without a
  /// coding cookie).
  std::string module;
  int line = 0;  // 1-based
  bool weak = false;
  ImportKind kind = ImportKind::kImport;
  int level = 0;  // number of leading dots; 0 for absolute imports

  /// Pants' key: `level` dots followed by `module`, e.g. "..p.q.x".
  std::string Key() const;

  friend bool operator==(const ImportRecord&, const ImportRecord&) = default;
};

/// `# pants: infer-dep(addr)`: an explicit dependency requested from a comment.
struct InferDepPragma {
  std::string address;  // as written, trimmed
  int line = 0;
  friend bool operator==(const InferDepPragma&, const InferDepPragma&) = default;
};

/// A syntax problem. Reported, never fatal.
struct ScanDiagnostic {
  int line = 0;
  std::string message;
  friend bool operator==(const ScanDiagnostic&, const ScanDiagnostic&) = default;
};

/// The [python-infer] options the scanner needs.
struct ImportScanOptions {
  bool string_imports = false;
  int string_imports_min_dots = 2;
  /// fnmatch(3) globs; a candidate string matching any of them is not reported.
  std::vector<std::string> string_import_ignore;
};

/// Everything found in one file. Deterministic for given bytes and options.
struct ImportScan {
  /// Sorted by (level, module); one record per (level, module).
  std::vector<ImportRecord> imports;
  /// In source order.
  std::vector<InferDepPragma> infer_deps;
  /// Sorted by line (stable).
  std::vector<ScanDiagnostic> diagnostics;
};

/// Scans `source` (the raw bytes of a .py file). Never fails; never crashes or loops on any
/// input; linear in the input size.
ImportScan ScanImports(absl::string_view source, const ImportScanOptions& options = {});

/// The absolute module for `record` imported from `file_path` (a path relative to its source
/// root, e.g. "pkg/sub/mod.py"), following Pants: `from .x import y` in pkg/sub/mod.py is
/// "pkg.sub.x.y". Absolute records return their module unchanged. Returns nullopt when the
/// import climbs above the source root (level greater than the directory depth); callers then
/// report Key() as unresolvable, as Pants does.
std::optional<std::string> ResolveRelativeImport(const ImportRecord& record,
                                                 absl::string_view file_path);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_IMPORT_SCANNER_H_

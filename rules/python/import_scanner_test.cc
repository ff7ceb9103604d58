#include "rules/python/import_scanner.h"

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

// "line kind key[ weak]" per record.
std::vector<std::string> Imports(absl::string_view src, const ImportScanOptions& opts = {}) {
  std::vector<std::string> out;
  for (const ImportRecord& r : ScanImports(src, opts).imports) {
    out.push_back(absl::StrCat(r.line, " ", ImportKindName(r.kind), " ", r.Key(),
                               r.weak ? " weak" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(ImportScanner, ImportStatementRecordsEachDottedName) {
  EXPECT_EQ(Imports("import a.b as c, d\n"), (V{"1 import a.b", "1 import d"}));
}

TEST(ImportScanner, FromImportAppendsTheImportedNameAtItsLine) {
  EXPECT_EQ(Imports("from m import (\n  x,\n  y as z,\n)\n"),
            (V{"2 from_import m.x", "3 from_import m.y"}));
}

TEST(ImportScanner, StarImportRecordsTheModuleAtTheStarLine) {
  EXPECT_EQ(Imports("from m import \\\n  *\n"), (V{"2 from_import m"}));
}

TEST(ImportScanner, RelativeImportsKeepTheirLevelSeparately) {
  ImportScan scan = ScanImports("from ...a.b import c\nfrom . import *\n");
  ASSERT_EQ(scan.imports.size(), 2u);
  EXPECT_EQ(scan.imports[0].level, 1);
  EXPECT_EQ(scan.imports[0].module, "");
  EXPECT_EQ(scan.imports[1].level, 3);
  EXPECT_EQ(scan.imports[1].module, "a.b.c");
  EXPECT_EQ(scan.imports[1].Key(), "...a.b.c");
}

TEST(ImportScanner, FutureImportsAreNeverReported) {
  EXPECT_EQ(Imports("from __future__ import annotations\n"), V{});
}

TEST(ImportScanner, FromImportInsideTryIsWeak) {
  EXPECT_EQ(Imports("try:\n  from a import b\nexcept ImportError:\n  from c import d\n"),
            (V{"2 from_import a.b weak", "4 from_import c.d"}));
}

TEST(ImportScanner, LaterHandlerNamingModuleNotFoundErrorWeakens) {
  EXPECT_EQ(Imports("try:\n  import a\nexcept KeyError:\n  pass\n"
                    "except (OSError, ModuleNotFoundError):\n  pass\n"),
            (V{"2 import a weak"}));
}

TEST(ImportScanner, BareExceptDoesNotWeaken) {
  EXPECT_EQ(Imports("try:\n  import a\nexcept:\n  pass\n"), (V{"2 import a"}));
}

TEST(ImportScanner, SuppressBlockIsWeakOnlyInsideItsBody) {
  EXPECT_EQ(Imports("with contextlib.suppress(ImportError):\n  import a\nimport b\n"),
            (V{"2 import a weak", "3 import b"}));
}

TEST(ImportScanner, StrongOccurrenceWinsOverAnEarlierWeakOne) {
  EXPECT_EQ(Imports("try:\n  import a\nexcept ImportError:\n  pass\nimport a\n"),
            (V{"5 import a"}));
}

TEST(ImportScanner, DunderImportWithLiteral) {
  EXPECT_EQ(Imports("m = __import__(\n  'a.b')\n__import__(x)\n"), (V{"2 dunder_import a.b"}));
}

TEST(ImportScanner, PragmaOnTheImportedNameLineDropsOnlyThatName) {
  EXPECT_EQ(Imports("from m import (a,  # pants: no-infer-dep\n  b)\n"), (V{"2 from_import m.b"}));
}

TEST(ImportScanner, InferDepPragmaIsReported) {
  ImportScan scan = ScanImports("import os  # pants: infer-dep(src/x:y)\n");
  ASSERT_EQ(scan.infer_deps.size(), 1u);
  EXPECT_EQ(scan.infer_deps[0], (InferDepPragma{"src/x:y", 1}));
}

TEST(ImportScanner, StringCandidatesOnlyWhenEnabled) {
  const char* src = "X = 'a.b.c'\nY = 'a.b'\nimportlib.import_module('z')\n";
  EXPECT_EQ(Imports(src), V{});
  ImportScanOptions opts;
  opts.string_imports = true;
  EXPECT_EQ(Imports(src, opts), (V{"1 string_import a.b.c weak", "3 string_import z weak"}));
  opts.string_imports_min_dots = 1;
  opts.string_import_ignore = {"a.b.*"};
  EXPECT_EQ(Imports(src, opts), (V{"2 string_import a.b weak", "3 string_import z weak"}));
}

TEST(ImportScanner, SyntaxErrorsAreReportedAndTheRestIsScanned) {
  ImportScan scan = ScanImports("import a\nimport b.\nfoo(\nimport c\n");
  std::vector<std::string> keys;
  for (const auto& r : scan.imports) keys.push_back(r.Key());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(scan.diagnostics,
            (std::vector<ScanDiagnostic>{{2, "invalid syntax in import statement"},
                                         {3, "'(' was never closed"}}));
}

TEST(ImportScanner, ResolveRelativeImportFollowsPants) {
  auto resolve = [](int level, std::string module, absl::string_view path) {
    ImportRecord r;
    r.level = level;
    r.module = std::move(module);
    return ResolveRelativeImport(r, path).value_or("<beyond>");
  };
  EXPECT_EQ(resolve(1, "b", "foo/bar/baz.py"), "foo.bar.b");
  EXPECT_EQ(resolve(1, "", "foo/bar/baz.py"), "foo.bar");
  EXPECT_EQ(resolve(2, "a.b", "foo/bar/baz.py"), "foo.a.b");
  EXPECT_EQ(resolve(2, "", "foo/bar/baz.py"), "foo");
  EXPECT_EQ(resolve(3, "b.c", "bingo/bango/bongo/himom.py"), "bingo.b.c");
  EXPECT_EQ(resolve(4, "b.c", "bingo/bango/bongo/himom.py"), "<beyond>");
  EXPECT_EQ(resolve(0, "x.y", "a/b.py"), "x.y");
}

TEST(ImportScanner, PathologicalNestingStaysFast) {
  // Deep brackets in handler/with headers and endless unclosed brackets must stay linear.
  std::string except_header = "try:\n  import a\nexcept " + std::string(50000, '(') +
                              "ImportError" + std::string(50000, ')') + ":\n  pass\n";
  std::string with_header = "with " + std::string(50000, '(') + "suppress(ImportError)" +
                            std::string(50000, ')') + ":\n  import b\n";
  std::string recover;
  for (int i = 0; i < 50000; ++i) recover += "(import x ";
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Imports(except_header), (V{"2 import a weak"}));
  EXPECT_EQ(Imports(with_header), (V{"2 import b weak"}));
  EXPECT_EQ(Imports(recover), (V{"1 import x"}));
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(s, 5.0);
}

}  // namespace
}  // namespace braid::python

// Golden tests: every rules/python/testdata/imports/NAME.py is scanned and the result must
// equal NAME.golden byte for byte. Run with BRAID_UPDATE_GOLDEN=1 to rewrite the goldens, then
// review the diff.
//
// An input may start with a line "# scan-options: string_imports min_dots=N ignore=GLOB"
// to set ImportScanOptions. Relative imports are also shown resolved as if the file were
// pkg/sub/mod.py.
//
// The same inputs are compared with CPython's `ast` by tests/imports/stdlib_agreement_test.py
// (those that `ast` parses).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "rules/python/import_scanner.h"

namespace braid::python {
namespace {

namespace fs = std::filesystem;

constexpr absl::string_view kResolveAs = "pkg/sub/mod.py";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

ImportScanOptions OptionsFor(absl::string_view source) {
  ImportScanOptions opts;
  absl::string_view first = source.substr(0, source.find('\n'));
  if (!absl::ConsumePrefix(&first, "# scan-options:")) return opts;
  for (absl::string_view word : absl::StrSplit(first, ' ', absl::SkipEmpty())) {
    if (word == "string_imports") opts.string_imports = true;
    if (absl::ConsumePrefix(&word, "min_dots=")) {
      EXPECT_TRUE(absl::SimpleAtoi(word, &opts.string_imports_min_dots));
    }
    if (absl::ConsumePrefix(&word, "ignore=")) opts.string_import_ignore.emplace_back(word);
  }
  return opts;
}

// Non-printable and non-ASCII bytes are shown as \xNN so goldens stay readable ASCII.
std::string Printable(absl::string_view s) {
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

std::string Render(const ImportScan& scan, const ImportScanOptions& opts) {
  std::string out = "imports:\n";
  if (opts.string_imports) {
    absl::StrAppend(&out, "  (string_imports, min_dots=", opts.string_imports_min_dots, ")\n");
  }
  for (const ImportRecord& r : scan.imports) {
    absl::StrAppend(&out, "  ", r.line, " ", ImportKindName(r.kind), " ", Printable(r.Key()),
                    r.weak ? " weak" : "");
    if (r.level > 0) {
      std::optional<std::string> abs = ResolveRelativeImport(r, kResolveAs);
      absl::StrAppend(&out, "  -> ", abs ? Printable(*abs) : "(beyond the source root)");
    }
    out += "\n";
  }
  out += "infer_deps:\n";
  for (const InferDepPragma& d : scan.infer_deps) {
    absl::StrAppend(&out, "  ", d.line, " ", Printable(d.address), "\n");
  }
  out += "diagnostics:\n";
  for (const ScanDiagnostic& d : scan.diagnostics) {
    absl::StrAppend(&out, "  ", d.line, " ", Printable(d.message), "\n");
  }
  return out;
}

fs::path TestdataDir() {
  const char* root = std::getenv("BRAID_SOURCE_DIR");
  return fs::path(root ? root : ".") / "rules/python/testdata/imports";
}

TEST(ImportGolden, EveryInputMatchesItsGolden) {
  fs::path dir = TestdataDir();
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " (set BRAID_SOURCE_DIR)";
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".py") inputs.push_back(e.path());
  }
  std::sort(inputs.begin(), inputs.end());
  ASSERT_GE(inputs.size(), 10u);
  bool update = std::getenv("BRAID_UPDATE_GOLDEN") != nullptr &&
                std::string(std::getenv("BRAID_UPDATE_GOLDEN")) == "1";
  for (const fs::path& input : inputs) {
    SCOPED_TRACE(input.filename().string());
    std::string source = ReadFile(input);
    ImportScanOptions opts = OptionsFor(source);
    std::string actual = Render(ScanImports(source, opts), opts);
    fs::path golden = input;
    golden.replace_extension(".golden");
    if (update) {
      std::ofstream(golden, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " missing; run with BRAID_UPDATE_GOLDEN=1";
    EXPECT_EQ(ReadFile(golden), actual)
        << "golden mismatch for " << input << "; if intended, rerun with BRAID_UPDATE_GOLDEN=1";
  }
}

}  // namespace
}  // namespace braid::python

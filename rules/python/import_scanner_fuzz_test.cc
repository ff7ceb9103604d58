// Randomized mutation fuzzing of the tokenizer and import scanner (a gtest, so it runs in CI
// with the rest of the suite). Seeds are the golden inputs plus a few snippets; each round
// applies random byte flips, deletions, duplications and insertions of Python-significant
// fragments (quotes, brackets, backslash-newlines, keywords, CR/LF, BOM, invalid UTF-8) and
// checks that the scan terminates quickly and its output keeps its invariants.
//
// Bounded in time: BRAID_FUZZ_SECONDS (default 3). Deterministic per seed: BRAID_FUZZ_SEED
// (default 1); a failure prints the seed and the input as an escaped string to reproduce.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "rules/python/import_scanner.h"
#include "rules/python/tokenizer.h"

namespace braid::python {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Seeds() {
  std::vector<std::string> seeds = {
      "import a.b as c, d\nfrom .m import (x,\n y as z)\n",
      "try:\n    import w\nexcept ImportError:\n    pass\n",
      "with suppress(ImportError):\n    __import__('q')\n",
      "s = f'{x!r:>{w}}' + rb'''\\x''' + \"a.b.c\"\n",
      "def f():\n\tif x:\n\t\tfrom . import *  # pants: no-infer-dep\n",
  };
  const char* root = std::getenv("BRAID_SOURCE_DIR");
  fs::path dir = fs::path(root ? root : ".") / "rules/python/testdata/imports";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".py") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    seeds.push_back(buf.str());
  }
  return seeds;
}

const std::vector<std::string> kFragments = {
    "'", "\"", "'''", "\"\"\"", "f'{", "}", "{", "(", ")", "[", "]", "\\\n", "\\", "\n", "\r",
    "\r\n", "\t", " ", "#", "# pants: no-infer-dep", "# pants: infer-dep(", "import ", "from ",
    " import ", "try:", "except ImportError:", "with suppress(ImportError):", ".", "...", ",",
    ";", ":", "as ", "*", "__import__(", "\xEF\xBB\xBF", "\xFF", "\xC3", "\0", "f\"{\"", "rb",
    "\n    ", "\n\t", "\f", "lambda: ", "yield from ", "except* ", "async with "};

std::string Mutate(std::string s, std::mt19937& rng) {
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 5) {
      case 0:  // flip a byte
        if (!s.empty()) s[rng() % s.size()] = static_cast<char>(rng());
        break;
      case 1: {  // delete a range
        if (s.empty()) break;
        size_t len = 1 + rng() % 16;
        s.erase(std::min(pos, s.size() - 1), len);
        break;
      }
      case 2: {  // duplicate a range
        if (s.empty() || s.size() > 200000) break;
        size_t b = rng() % s.size();
        size_t len = 1 + rng() % 64;
        s.insert(pos, s.substr(b, len));
        break;
      }
      default:  // insert a fragment
        s.insert(pos, kFragments[rng() % kFragments.size()]);
        break;
    }
  }
  return s;
}

int CountLines(absl::string_view s) {
  int n = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < s.size() && s[i + 1] == '\n'))) ++n;
  }
  return n;
}

void CheckInvariants(const std::string& input) {
  // Tokenizer: offsets move forward, lines never decrease, and it terminates.
  Tokenizer tok(input);
  uint32_t last_end = 0;
  int last_line = 1;
  size_t count = 0;
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    ASSERT_LE(t.begin, t.end);
    ASSERT_LE(t.end, input.size());
    if (t.kind != TokenKind::kNewline) {
      ASSERT_GE(t.begin, last_end);  // tokens never overlap
    }
    ASSERT_GE(t.line, last_line);
    ASSERT_LE(t.line, t.end_line);
    last_end = std::max(last_end, t.end);
    last_line = t.line;
    ASSERT_LE(++count, 2 * input.size() + 8) << "tokenizer does not advance";
  }
  // Scanner: sorted, one per key, lines inside the file, weak string candidates.
  ImportScanOptions opts;
  opts.string_imports = true;
  opts.string_imports_min_dots = 1;
  ImportScan scan = ScanImports(input, opts);
  int lines = CountLines(input);
  for (size_t i = 0; i < scan.imports.size(); ++i) {
    const ImportRecord& r = scan.imports[i];
    ASSERT_GE(r.line, 1);
    ASSERT_LE(r.line, lines);
    ASSERT_GE(r.level, 0);
    if (r.kind == ImportKind::kStringImport) {
      ASSERT_TRUE(r.weak);
    }
    if (i > 0) {
      const ImportRecord& p = scan.imports[i - 1];
      ASSERT_TRUE(p.level < r.level || (p.level == r.level && p.module < r.module))
          << "not sorted/unique";
    }
  }
  for (const ScanDiagnostic& d : scan.diagnostics) ASSERT_GE(d.line, 1);
}

TEST(ImportScannerFuzz, RandomMutationsNeverCrashOrHang) {
  double budget = 3.0;
  if (const char* s = std::getenv("BRAID_FUZZ_SECONDS")) budget = std::atof(s);
  unsigned seed = 1;
  if (const char* s = std::getenv("BRAID_FUZZ_SEED")) seed = static_cast<unsigned>(std::atol(s));
  std::mt19937 rng(seed);
  std::vector<std::string> corpus = Seeds();
  ASSERT_GE(corpus.size(), 5u);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  long runs = 0;
  while (elapsed() < budget) {
    std::string input;
    if (rng() % 16 == 0) {  // pure random bytes
      input.resize(rng() % 512);
      for (char& c : input) c = static_cast<char>(rng());
    } else {
      input = Mutate(corpus[rng() % corpus.size()], rng);
    }
    auto t0 = std::chrono::steady_clock::now();
    CheckInvariants(input);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (HasFatalFailure() || took > 1.0) {
      ADD_FAILURE() << "seed " << seed << " run " << runs << " took " << took << "s on input \""
                    << absl::CHexEscape(input) << "\"";
      return;
    }
    // Keep some mutants so mutations compound.
    if (rng() % 8 == 0 && input.size() < 100000) corpus.push_back(std::move(input));
    ++runs;
  }
  std::printf("fuzz: %ld inputs in %.1fs (seed %u)\n", runs, elapsed(), seed);
  EXPECT_GT(runs, 100);
}

}  // namespace
}  // namespace braid::python

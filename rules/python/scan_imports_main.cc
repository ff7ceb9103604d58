// braid_scan_imports: runs the import scanner over files and prints one JSON object per line:
//
//   {"file": "<path>", "imports": [["<key>", <line>, <weak>, "<kind>"], ...],
//    "infer_deps": [["<addr>", <line>], ...], "diagnostics": [[<line>, "<message>"], ...]}
//
// <key> is ImportRecord::Key() ("..pkg.mod"). Strings are JSON-escaped; a byte that is not
// part of valid UTF-8 is written as \u00XX (so output is always valid JSON).
// Used by tests/imports/stdlib_agreement_test.py; handy for debugging inference by hand.
//
// Usage: braid_scan_imports [--string-imports] [--min-dots=N] FILE...
//        (with no FILE, reads newline-separated paths from stdin)
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rules/python/import_scanner.h"

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Len(const std::string& s, size_t i) {
  unsigned char c = s[i];
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (c >= 0xF5 || n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string Json(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += absl::StrCat("\\u00", absl::Hex(c, absl::kZeroPad2));
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (size_t n = Utf8Len(s, i); n > 0) {
      out.append(s, i, n);
      i += n - 1;
    } else {
      out += absl::StrCat("\\u00", absl::Hex(c, absl::kZeroPad2));
    }
  }
  out += '"';
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  braid::python::ImportScanOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--string-imports") {
      options.string_imports = true;
    } else if (absl::StartsWith(a, "--min-dots=")) {
      if (!absl::SimpleAtoi(a.substr(11), &options.string_imports_min_dots)) {
        std::cerr << "braid_scan_imports: bad --min-dots value: " << a << "\n";
        return 2;
      }
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty()) files.push_back(line);
    }
  }
  std::string out;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "braid_scan_imports: cannot read " << path << "\n";
      return 1;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string content = buf.str();
    braid::python::ImportScan scan = braid::python::ScanImports(content, options);
    out = absl::StrCat("{\"file\": ", Json(path), ", \"imports\": [");
    for (size_t k = 0; k < scan.imports.size(); ++k) {
      const auto& r = scan.imports[k];
      absl::StrAppend(&out, k ? ", " : "", "[", Json(r.Key()), ", ", r.line, ", ",
                      r.weak ? "true" : "false", ", \"", braid::python::ImportKindName(r.kind),
                      "\"]");
    }
    absl::StrAppend(&out, "], \"infer_deps\": [");
    for (size_t k = 0; k < scan.infer_deps.size(); ++k) {
      absl::StrAppend(&out, k ? ", " : "", "[", Json(scan.infer_deps[k].address), ", ",
                      scan.infer_deps[k].line, "]");
    }
    absl::StrAppend(&out, "], \"diagnostics\": [");
    for (size_t k = 0; k < scan.diagnostics.size(); ++k) {
      absl::StrAppend(&out, k ? ", " : "", "[", scan.diagnostics[k].line, ", ",
                      Json(scan.diagnostics[k].message), "]");
    }
    absl::StrAppend(&out, "]}\n");
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}

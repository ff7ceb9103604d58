// braid_import_scanner_bench: throughput of the tokenizer and of the import scanner, in MB/s.
//
// Usage: braid_import_scanner_bench [DIR] [REPEAT]
//   DIR defaults to /usr/lib/python3.11 (every *.py below it is loaded into memory first, so
//   only scanning is timed); REPEAT (default 5) passes over all files; the best pass counts.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rules/python/import_scanner.h"
#include "rules/python/tokenizer.h"

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/usr/lib/python3.11";
  int repeat = argc > 2 ? std::atoi(argv[2]) : 5;
  if (repeat < 1) repeat = 1;
  std::vector<std::string> files;
  size_t bytes = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(
           dir, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".py") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    files.push_back(buf.str());
    bytes += files.back().size();
  }
  if (files.empty()) {
    std::fprintf(stderr, "no .py files under %s\n", dir.c_str());
    return 1;
  }
  using Clock = std::chrono::steady_clock;
  auto best = [&](auto&& body) {
    double best_s = 1e30;
    for (int r = 0; r < repeat; ++r) {
      auto t0 = Clock::now();
      body();
      best_s = std::min(best_s, std::chrono::duration<double>(Clock::now() - t0).count());
    }
    return best_s;
  };
  size_t sink = 0;
  double tok_s = best([&] {
    for (const std::string& f : files) {
      braid::python::Tokenizer tok(f);
      while (tok.Next().kind != braid::python::TokenKind::kEnd) ++sink;
    }
  });
  braid::python::ImportScanOptions plain;
  double scan_s = best([&] {
    for (const std::string& f : files) sink += braid::python::ScanImports(f, plain).imports.size();
  });
  braid::python::ImportScanOptions strings;
  strings.string_imports = true;
  double str_s = best([&] {
    for (const std::string& f : files) sink += braid::python::ScanImports(f, strings).imports.size();
  });
  double mb = bytes / 1e6;
  std::printf("%zu files, %.1f MB from %s (best of %d)\n", files.size(), mb, dir.c_str(), repeat);
  std::printf("tokenizer:                     %8.1f MB/s\n", mb / tok_s);
  std::printf("import scanner:                %8.1f MB/s\n", mb / scan_s);
  std::printf("import scanner+string imports: %8.1f MB/s\n", mb / str_s);
  std::printf("(checksum %zu)\n", sink);
  return 0;
}

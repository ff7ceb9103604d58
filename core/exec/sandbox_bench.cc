// Sandbox set-up time for a 500-file closure: Create + Materialize (+ Remove, reported apart).
// Target: <= 5 ms with hardlinks. Run: build-*/core/exec/sandbox_bench [root_dir]
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/exec/sandbox.h"

using braid::exec::LocalFile;
using braid::exec::MaterializeStats;
using braid::exec::Sandbox;
using braid::exec::SandboxEntry;

namespace {

constexpr int kFiles = 500;
constexpr int kIterations = 50;

// 500 files in 50 directories, 1-2 levels deep, like a Python closure.
std::vector<SandboxEntry> MakeClosure(const std::string& store, bool read_only) {
  std::vector<SandboxEntry> entries;
  for (int i = 0; i < kFiles; ++i) {
    std::string src = absl::StrCat(store, "/f", i, read_only ? "_ro" : "_rw");
    std::ofstream(src) << "# module " << i << "\n" << std::string(2000, 'x') << "\n";
    chmod(src.c_str(), read_only ? 0444 : 0644);
    std::string rel = absl::StrCat("src/pkg", i / 50, "/sub", (i / 10) % 5, "/mod", i, ".py");
    entries.push_back({rel, LocalFile{src}, false});
  }
  return entries;
}

void Bench(const char* name, const std::string& root, const std::vector<SandboxEntry>& entries) {
  std::vector<double> setup_ms, remove_ms;
  MaterializeStats stats;
  for (int it = 0; it < kIterations; ++it) {
    stats = MaterializeStats();
    absl::Time t0 = absl::Now();
    absl::StatusOr<Sandbox> sb = Sandbox::Create(root, "bench-");
    if (!sb.ok() || !sb->Materialize(entries, nullptr, &stats).ok()) {
      std::fprintf(stderr, "materialize failed\n");
      return;
    }
    absl::Time t1 = absl::Now();
    (void)sb->Remove();
    absl::Time t2 = absl::Now();
    setup_ms.push_back(absl::ToDoubleMilliseconds(t1 - t0));
    remove_ms.push_back(absl::ToDoubleMilliseconds(t2 - t1));
  }
  std::sort(setup_ms.begin(), setup_ms.end());
  std::sort(remove_ms.begin(), remove_ms.end());
  std::printf("%-9s %d files (%d hardlinked, %d copied, %d dirs): set-up median %.2f ms, "
              "p90 %.2f ms; remove median %.2f ms\n",
              name, kFiles, stats.hardlinked, stats.copied, stats.directories,
              setup_ms[setup_ms.size() / 2], setup_ms[setup_ms.size() * 9 / 10],
              remove_ms[remove_ms.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 ? argv[1] : braid::exec::DefaultLocalExecutionRootDir();
  std::string store = absl::StrCat(root, "/braid-bench-store-XXXXXX");
  if (mkdtemp(store.data()) == nullptr) return 1;
  Bench("hardlink", root, MakeClosure(store, /*read_only=*/true));
  Bench("copy", root, MakeClosure(store, /*read_only=*/false));
  (void)braid::exec::RemoveTree(store);
  return 0;
}

// Sandbox set-up time for a 500-file closure: Create + Materialize (+ Remove, reported apart).
// Target: <= 5 ms. Run: build-*/core/exec/sandbox_bench [root_dir [iterations]]
//
// Cases, interleaved per iteration so each sees the same filesystem history (on ext4 without a
// journal, creating inodes slows down with the number of recently deleted ones):
//   link     StoredFile entries through a FileSource that hard-links (what the store does with
//            its read-only blobs when it may)
//   copy-p1  LocalFile repository files (owned by us, so always copied), one thread
//   copy-p2  the same on 2 threads
//   bytes    FileBytes entries (contents already in memory), one thread: the floor for a copy
// Wall time is what a process start waits for; CPU time (user + sys of the whole process) is
// steadier on a busy machine.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/exec/sandbox.h"

using braid::exec::FileBytes;
using braid::exec::FileSource;
using braid::exec::LocalFile;
using braid::exec::MaterializeStats;
using braid::exec::Sandbox;
using braid::exec::SandboxEntry;
using braid::exec::StoredFile;

namespace {

constexpr int kFiles = 500;

// Hard-links `<dir>/<hash>` like the store's MaterializeFile.
class LinkingSource : public FileSource {
 public:
  explicit LinkingSource(std::string dir) : dir_(std::move(dir)) {}
  absl::Status MaterializeFile(const StoredFile& file, const std::string& dest,
                               bool executable) override {
    if (link(absl::StrCat(dir_, "/", file.hash).c_str(), dest.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("link ", dest));
    }
    return absl::OkStatus();
  }

 private:
  std::string dir_;
};

// The sandbox path of file i: 500 files in 50 directories, 1-2 levels deep, like a Python
// closure.
std::string RelPath(int i) {
  return absl::StrCat("src/pkg", i / 50, "/sub", (i / 10) % 5, "/mod", i, ".py");
}

std::vector<SandboxEntry> MakeClosure(const std::string& store, bool stored) {
  std::vector<SandboxEntry> entries;
  for (int i = 0; i < kFiles; ++i) {
    std::string name = absl::StrCat("f", i, stored ? "_blob" : "_repo");
    std::string src = absl::StrCat(store, "/", name);
    std::ofstream(src) << "# module " << i << "\n" << std::string(2000, 'x') << "\n";
    chmod(src.c_str(), stored ? 0444 : 0644);
    if (stored) {
      entries.push_back({RelPath(i), StoredFile{name, 2012}, false});
    } else {
      entries.push_back({RelPath(i), LocalFile{src}, false});
    }
  }
  return entries;
}

double CpuMs() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

struct Case {
  const char* name;
  const std::vector<SandboxEntry>* entries;
  FileSource* source;
  int parallelism;
  std::vector<double> setup_ms, cpu_ms, remove_ms;
  MaterializeStats stats;
};

bool RunOnce(const std::string& root, Case& c) {
  c.stats = MaterializeStats();
  double cpu0 = CpuMs();
  absl::Time t0 = absl::Now();
  absl::StatusOr<Sandbox> sb = Sandbox::Create(root, "bench-");
  if (!sb.ok()) return false;
  absl::Status s = sb->Materialize(*c.entries, c.source, &c.stats, c.parallelism);
  if (!s.ok()) {
    std::fprintf(stderr, "materialize failed: %s\n", std::string(s.message()).c_str());
    return false;
  }
  absl::Time t1 = absl::Now();
  double cpu1 = CpuMs();
  (void)sb->Remove();
  absl::Time t2 = absl::Now();
  c.setup_ms.push_back(absl::ToDoubleMilliseconds(t1 - t0));
  c.cpu_ms.push_back(cpu1 - cpu0);
  c.remove_ms.push_back(absl::ToDoubleMilliseconds(t2 - t1));
  return true;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double P90(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() * 9 / 10];
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = argc > 1 ? argv[1] : braid::exec::DefaultLocalExecutionRootDir();
  int iterations = argc > 2 ? std::max(1, atoi(argv[2])) : 50;
  std::string store = absl::StrCat(root, "/braid-bench-store-XXXXXX");
  if (mkdtemp(store.data()) == nullptr) return 1;
  std::vector<SandboxEntry> stored = MakeClosure(store, /*stored=*/true);
  std::vector<SandboxEntry> repo = MakeClosure(store, /*stored=*/false);
  std::vector<SandboxEntry> bytes;
  for (int i = 0; i < kFiles; ++i) {
    bytes.push_back({RelPath(i),
                     FileBytes{absl::StrCat("# module ", i, "\n", std::string(2000, 'x'), "\n")},
                     false});
  }
  LinkingSource linker(store);
  std::vector<Case> cases = {
      {"link", &stored, &linker, 1, {}, {}, {}, {}},
      {"copy-p1", &repo, nullptr, 1, {}, {}, {}, {}},
      {"copy-p2", &repo, nullptr, 2, {}, {}, {}, {}},
      {"bytes", &bytes, nullptr, 1, {}, {}, {}, {}},
  };
  for (int it = 0; it < iterations; ++it) {
    for (Case& c : cases) {
      if (!RunOnce(root, c)) return 1;
    }
  }
  for (const Case& c : cases) {
    std::printf("%-8s %d files (%d hardlinked, %d copied, %d written, %d via source, %d dirs), %d iterations: "
                "set-up median %.2f ms, p90 %.2f ms, CPU median %.2f ms; remove median %.2f ms\n",
                c.name, kFiles, c.stats.hardlinked, c.stats.copied, c.stats.written, c.stats.from_source,
                c.stats.directories, iterations, Median(c.setup_ms), P90(c.setup_ms),
                Median(c.cpu_ms), Median(c.remove_ms));
  }
  (void)braid::exec::RemoveTree(store);
  return 0;
}

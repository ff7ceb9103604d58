// Helpers shared by core/exec tests.
#ifndef BRAID_CORE_EXEC_TEST_UTIL_H_
#define BRAID_CORE_EXEC_TEST_UTIL_H_

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "core/exec/sandbox.h"

namespace braid::exec::testing {

/// A fresh directory under /tmp, removed at scope exit.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = "/tmp/braid-exec-test-XXXXXX";
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() { (void)RemoveTree(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return absl::StrCat(path_, "/", rel); }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

inline bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

/// True when `pid` exists and is not a zombie.
inline bool IsAlive(pid_t pid) {
  std::string stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (stat.empty()) return false;
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

/// Waits up to 3 s for `pid` to be gone (orphans are reaped asynchronously by init).
inline bool EventuallyDead(pid_t pid) {
  absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (IsAlive(pid)) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

/// Live (non-zombie) processes whose cwd is `dir` or below it.
inline int ProcessesIn(const std::string& dir) {
  int count = 0;
  DIR* proc = opendir("/proc");
  while (dirent* e = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(e->d_name, &pid)) continue;
    char buf[4096];
    ssize_t n = readlink(absl::StrCat("/proc/", pid, "/cwd").c_str(), buf, sizeof(buf) - 1);
    if (n <= 0) continue;
    std::string cwd(buf, static_cast<size_t>(n));
    if ((cwd == dir || absl::StartsWith(cwd, dir + "/")) && IsAlive(pid)) ++count;
  }
  closedir(proc);
  return count;
}

}  // namespace braid::exec::testing

#endif  // BRAID_CORE_EXEC_TEST_UTIL_H_

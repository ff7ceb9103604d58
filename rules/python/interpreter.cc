#include "rules/python/interpreter.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>
#include <sstream>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/json.h"
#include "core/base/sha256.h"
#include "core/exec/run_sync.h"

namespace braid::python {

namespace {

// Version components of a clause; `wildcard` when it ended in ".*".
struct ClauseVersion {
  std::vector<int> parts;
  bool wildcard = false;
};

absl::StatusOr<ClauseVersion> ParseClauseVersion(absl::string_view v) {
  ClauseVersion out;
  if (absl::ConsumeSuffix(&v, ".*")) out.wildcard = true;
  for (absl::string_view p : absl::StrSplit(v, '.')) {
    int n = 0;
    if (!absl::SimpleAtoi(p, &n) || n < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid version '", v, "'"));
    }
    out.parts.push_back(n);
  }
  if (out.parts.empty() || out.parts.size() > 3) {
    return absl::InvalidArgumentError(absl::StrCat("invalid version '", v, "'"));
  }
  return out;
}

// Compares the interpreter's version with `parts` padded with zeros.
int Compare(const InterpreterInfo& info, const std::vector<int>& parts) {
  int mine[3] = {info.major, info.minor, info.micro};
  for (int i = 0; i < 3; ++i) {
    int theirs = i < static_cast<int>(parts.size()) ? parts[i] : 0;
    if (mine[i] != theirs) return mine[i] < theirs ? -1 : 1;
  }
  return 0;
}

bool PrefixMatches(const InterpreterInfo& info, const std::vector<int>& parts) {
  int mine[3] = {info.major, info.minor, info.micro};
  for (size_t i = 0; i < parts.size() && i < 3; ++i) {
    if (mine[i] != parts[i]) return false;
  }
  return true;
}

bool ClauseHolds(const InterpreterInfo& info, const VersionClause& clause) {
  absl::StatusOr<ClauseVersion> v = ParseClauseVersion(clause.version);
  if (!v.ok()) return false;
  int c = Compare(info, v->parts);
  if (clause.op == "==") return v->wildcard ? PrefixMatches(info, v->parts) : c == 0;
  if (clause.op == "!=") return v->wildcard ? !PrefixMatches(info, v->parts) : c != 0;
  if (clause.op == "<") return c < 0;
  if (clause.op == "<=") return c <= 0;
  if (clause.op == ">") return c > 0;
  if (clause.op == ">=") return c >= 0;
  if (clause.op == "~=") {
    if (c < 0 || v->parts.size() < 2) return c >= 0;
    std::vector<int> prefix(v->parts.begin(), v->parts.end() - 1);
    return PrefixMatches(info, prefix);
  }
  return false;
}

// What the probe prints: implementation, version, an empty line (was the packages digest,
// now computed by braid: PackagesDigest), sys.path dirs, "pytest" when pytest is importable.
// It imports nothing costly: listing every installed distribution through importlib.metadata
// made each probe 3-5x a bare interpreter start, and a cold `test` probes every interpreter on
// the search path. Runs on Python 2 too (no importlib.util there), so an old interpreter on
// the search path is reported by its version and rejected by the constraints, not as a probe
// failure. The implementation is printed as platform.python_implementation() names it, but
// from sys.implementation: importing `platform` doubled the probe's cost (~15 ms each).
constexpr char kProbeScript[] = R"PY(
import os, sys
_names = {"cpython": "CPython", "pypy": "PyPy", "ironpython": "IronPython", "jython": "Jython"}
_impl = getattr(sys, "implementation", None)
if _impl is not None and _impl.name in _names:
    print(_names[_impl.name])
else:
    import platform
    print(platform.python_implementation())
print("%d.%d.%d" % sys.version_info[:3])
print("")
print("\0".join(p for p in sys.path if p and os.path.isdir(p)))
try:
    from importlib.util import find_spec
    has_pytest = find_spec("pytest") is not None
except ImportError:
    import imp
    try:
        imp.find_module("pytest")
        has_pytest = True
    except ImportError:
        has_pytest = False
print("pytest" if has_pytest else "")
)PY";

// The probe cache's format version; bumped when the probe script changes what it reports
// (version 2: the probe runs on Python 2, whose failures version 1 remembered; version 3:
// PackagesDigest).
constexpr int kProbeCacheVersion = 3;

// The installed distributions of an interpreter, as one digest: SHA-256 of the sorted names
// of the distribution metadata entries (`*.dist-info`, `*.egg-info`, `*.egg-link`, `*.pth`;
// their names carry project and version) in its sys.path directories. An install, removal or
// upgrade changes it, as pip and apt rename those entries. Reads directories only.
std::string PackagesDigest(const std::vector<std::string>& site_dirs) {
  std::vector<std::string> names;
  for (const std::string& dir : site_dirs) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) continue;
    while (struct dirent* de = ::readdir(d)) {
      absl::string_view n = de->d_name;
      if (absl::EndsWith(n, ".dist-info") || absl::EndsWith(n, ".egg-info") ||
          absl::EndsWith(n, ".egg-link") || absl::EndsWith(n, ".pth")) {
        names.push_back(absl::StrCat(dir, "/", n));
      }
    }
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  return Sha256Hex(absl::StrJoin(names, "\n"));
}

// "size:mtime_ns" of a path, or "" if missing.
std::string StatKey(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return absl::StrCat(st.st_size, ":", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
}

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

// The probe cache: path -> {key, info}. Format (JSON, documented here):
//   {"version": 2, "interpreters": {"/usr/bin/python3": {"exe": "size:mtime",
//    "sites": {"/usr/lib/python3/dist-packages": "size:mtime", ...},
//    "implementation": "CPython", "version": "3.11.2", "packages": "<sha256>"}}}
// An executable whose probe exited with an error (e.g. a Python 2 on the pyenv path) is
// remembered as {"exe": "size:mtime", "error": "<message>"}: it is rejected with that message,
// without a process start, until the executable changes.
class ProbeCache {
 public:
  explicit ProbeCache(std::string file) : file_(std::move(file)) {
    if (file_.empty()) return;
    std::ifstream in(file_);
    if (!in) return;
    std::stringstream ss;
    ss << in.rdbuf();
    absl::StatusOr<json::Value> v = json::Parse(ss.str(), file_);
    // Corrupt, or written for another probe script: start empty.
    const json::Value* version = v.ok() ? v->Find("version") : nullptr;
    if (v.ok() && v->Find("interpreters") != nullptr && version != nullptr &&
        version->kind() == json::Value::Kind::kInt && version->as_int() == kProbeCacheVersion) {
      root_ = *v;
    }
  }

  std::optional<InterpreterInfo> Get(const std::string& path) const {
    const json::Value* all = root_.Find("interpreters");
    const json::Value* e = all == nullptr ? nullptr : all->Find(path);
    if (e == nullptr || e->kind() != json::Value::Kind::kObject) return std::nullopt;
    const json::Value* exe = e->Find("exe");
    if (exe == nullptr || exe->kind() != json::Value::Kind::kString ||
        exe->as_string() != StatKey(path)) {
      return std::nullopt;
    }
    InterpreterInfo info;
    info.path = path;
    const json::Value* sites = e->Find("sites");
    if (sites == nullptr || sites->kind() != json::Value::Kind::kObject) return std::nullopt;
    for (const auto& [dir, key] : sites->members()) {
      if (key.kind() != json::Value::Kind::kString || key.as_string() != StatKey(dir)) {
        return std::nullopt;
      }
      info.site_dirs.push_back(dir);
    }
    const json::Value* impl = e->Find("implementation");
    const json::Value* version = e->Find("version");
    const json::Value* packages = e->Find("packages");
    if (impl == nullptr || version == nullptr || packages == nullptr) return std::nullopt;
    info.implementation = impl->as_string();
    info.packages_digest = packages->as_string();
    const json::Value* pytest = e->Find("pytest");
    if (pytest == nullptr || pytest->kind() != json::Value::Kind::kBool) return std::nullopt;
    info.has_pytest = pytest->as_bool();
    std::vector<std::string> parts = absl::StrSplit(version->as_string(), '.');
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &info.major) ||
        !absl::SimpleAtoi(parts[1], &info.minor) || !absl::SimpleAtoi(parts[2], &info.micro)) {
      return std::nullopt;
    }
    return info;
  }

  /// The remembered probe failure of `path`, if its executable is unchanged.
  std::optional<std::string> GetFailure(const std::string& path) const {
    const json::Value* all = root_.Find("interpreters");
    const json::Value* e = all == nullptr ? nullptr : all->Find(path);
    if (e == nullptr || e->kind() != json::Value::Kind::kObject) return std::nullopt;
    const json::Value* exe = e->Find("exe");
    const json::Value* error = e->Find("error");
    if (exe == nullptr || exe->kind() != json::Value::Kind::kString || error == nullptr ||
        error->kind() != json::Value::Kind::kString || exe->as_string() != StatKey(path)) {
      return std::nullopt;
    }
    return error->as_string();
  }

  void PutFailure(const std::string& path, const std::string& message) {
    json::Value e = json::Value::MakeObject();
    e.Set("exe", json::Value(StatKey(path)));
    e.Set("error", json::Value(message));
    Entries()->Set(path, std::move(e));
    dirty_ = true;
  }

  void Put(const InterpreterInfo& info) {
    json::Value e = json::Value::MakeObject();
    e.Set("exe", json::Value(StatKey(info.path)));
    json::Value sites = json::Value::MakeObject();
    for (const std::string& d : info.site_dirs) sites.Set(d, json::Value(StatKey(d)));
    e.Set("sites", std::move(sites));
    e.Set("implementation", json::Value(info.implementation));
    e.Set("version", json::Value(info.Version()));
    e.Set("packages", json::Value(info.packages_digest));
    e.Set("pytest", json::Value(info.has_pytest));
    Entries()->Set(info.path, std::move(e));
    dirty_ = true;
  }

  void Save() {
    if (!dirty_ || file_.empty()) return;
    std::string tmp = absl::StrCat(file_, ".tmp.", ::getpid());
    {
      std::ofstream out(tmp, std::ios::trunc);
      if (!out) return;  // the cache is an optimisation; failing to save is not an error
      out << json::Write(root_) << "\n";
    }
    if (std::rename(tmp.c_str(), file_.c_str()) != 0) std::remove(tmp.c_str());
  }

 private:
  json::Value* Entries() {
    if (root_.kind() != json::Value::Kind::kObject) {
      root_ = json::Value::MakeObject();
      root_.Set("version", json::Value(kProbeCacheVersion));
      root_.Set("interpreters", json::Value::MakeObject());
    }
    return const_cast<json::Value*>(root_.Find("interpreters"));
  }

  std::string file_;
  json::Value root_;
  bool dirty_ = false;
};

}  // namespace

std::string InterpreterInfo::Version() const { return absl::StrCat(major, ".", minor, ".", micro); }

absl::StatusOr<InterpreterConstraint> ParseInterpreterConstraint(absl::string_view text) {
  InterpreterConstraint c;
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  size_t i = 0;
  while (i < rest.size() && (absl::ascii_isalnum(rest[i]) || rest[i] == '_')) ++i;
  c.implementation = std::string(rest.substr(0, i));
  rest.remove_prefix(i);
  if (!c.implementation.empty() && absl::ascii_isdigit(c.implementation[0])) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid interpreter constraint '", text, "': expected e.g. 'CPython>=3.9,<4'"));
  }
  for (absl::string_view clause : absl::StrSplit(rest, ',', absl::SkipWhitespace())) {
    clause = absl::StripAsciiWhitespace(clause);
    size_t op_len = 0;
    for (const char* op : {"==", "!=", "<=", ">=", "~=", "<", ">"}) {
      if (absl::StartsWith(clause, op)) {
        op_len = std::string(op).size();
        break;
      }
    }
    if (op_len == 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid interpreter constraint '", text,
                                                     "': expected an operator in '", clause,
                                                     "'"));
    }
    VersionClause vc{std::string(clause.substr(0, op_len)),
                     std::string(absl::StripAsciiWhitespace(clause.substr(op_len)))};
    absl::StatusOr<ClauseVersion> v = ParseClauseVersion(vc.version);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid interpreter constraint '", text, "': ", v.status().message()));
    }
    c.clauses.push_back(std::move(vc));
  }
  return c;
}

bool Satisfies(const InterpreterInfo& info, const InterpreterConstraint& c) {
  if (!c.implementation.empty() && !absl::EqualsIgnoreCase(c.implementation, info.implementation)) {
    return false;
  }
  return std::all_of(c.clauses.begin(), c.clauses.end(),
                     [&](const VersionClause& v) { return ClauseHolds(info, v); });
}

bool SatisfiesAny(const InterpreterInfo& info,
                  const std::vector<InterpreterConstraint>& constraints) {
  if (constraints.empty()) return true;
  return std::any_of(constraints.begin(), constraints.end(),
                     [&](const InterpreterConstraint& c) { return Satisfies(info, c); });
}

std::vector<std::string> ExpandSearchPath(const std::vector<std::string>& search_path,
                                          const std::map<std::string, std::string>& env) {
  auto get = [&](const char* k) {
    auto it = env.find(k);
    return it == env.end() ? std::string() : it->second;
  };
  std::string pyenv_root = get("PYENV_ROOT");
  if (pyenv_root.empty() && !get("HOME").empty()) pyenv_root = get("HOME") + "/.pyenv";
  while (pyenv_root.size() > 1 && pyenv_root.back() == '/') pyenv_root.pop_back();
  // pyenv's shims (`<root>/shims`, and `<root>/plugins/*/shims`) are shell scripts that
  // exec an interpreter of `<root>/versions` or the "system" one further down PATH. With
  // <PYENV> searched too, each shim can only duplicate a candidate found without it, and
  // probing one costs a chain of shell processes (~0.1 s): they are left out.
  const bool pyenv_searched =
      !pyenv_root.empty() &&
      std::find(search_path.begin(), search_path.end(), "<PYENV>") != search_path.end();
  auto is_pyenv_shims = [&](absl::string_view dir) {
    while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
    if (!absl::ConsumePrefix(&dir, pyenv_root) || !absl::ConsumeSuffix(&dir, "/shims")) {
      return false;
    }
    if (dir.empty()) return true;  // <root>/shims
    // <root>/plugins/<one directory>/shims
    return absl::ConsumePrefix(&dir, "/plugins/") && !dir.empty() &&
           dir.find('/') == absl::string_view::npos;
  };
  std::vector<std::string> out;
  for (const std::string& entry : search_path) {
    if (entry == "<PATH>") {
      for (absl::string_view d : absl::StrSplit(get("PATH"), ':', absl::SkipEmpty())) {
        if (pyenv_searched && is_pyenv_shims(d)) continue;
        out.emplace_back(d);
      }
    } else if (entry == "<PYENV>") {
      const std::string& root = pyenv_root;
      if (root.empty()) continue;
      std::string versions = root + "/versions";
      std::vector<std::string> names;
      if (DIR* d = ::opendir(versions.c_str())) {
        while (struct dirent* de = ::readdir(d)) {
          if (de->d_name[0] != '.') names.emplace_back(de->d_name);
        }
        ::closedir(d);
      }
      std::sort(names.begin(), names.end());
      for (const std::string& n : names) out.push_back(absl::StrCat(versions, "/", n, "/bin"));
    } else if (absl::StartsWith(entry, "~/")) {
      out.push_back(get("HOME") + entry.substr(1));
    } else {
      out.push_back(entry);
    }
  }
  return out;
}

namespace {

// What the probe printed, as an InterpreterInfo.
absl::StatusOr<InterpreterInfo> ParseProbe(const std::string& path, const exec::SyncResult* r) {
  if (r->exit_code != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the interpreter ", path, " failed to report its version: ",
                     r->stderr_bytes));
  }
  std::vector<std::string> lines = absl::StrSplit(r->stdout_bytes, '\n');
  InterpreterInfo info;
  info.path = path;
  std::vector<std::string> version;
  if (lines.size() >= 5) version = absl::StrSplit(lines[1], '.');
  if (version.size() != 3 || !absl::SimpleAtoi(version[0], &info.major) ||
      !absl::SimpleAtoi(version[1], &info.minor) || !absl::SimpleAtoi(version[2], &info.micro)) {
    return absl::FailedPreconditionError(
        absl::StrCat("unexpected output from interpreter probe of ", path, ": ",
                     r->stdout_bytes));
  }
  info.implementation = lines[0];
  info.has_pytest = lines[4] == "pytest";
  for (absl::string_view d : absl::StrSplit(lines[3], '\0', absl::SkipEmpty())) {
    info.site_dirs.emplace_back(d);
  }
  std::sort(info.site_dirs.begin(), info.site_dirs.end());
  info.site_dirs.erase(std::unique(info.site_dirs.begin(), info.site_dirs.end()),
                       info.site_dirs.end());
  info.packages_digest = PackagesDigest(info.site_dirs);
  return info;
}

// ProbeInterpreter's answer, and whether a failure is the interpreter's own (it ran, then
// exited with an error or printed something unexpected: the same executable fails the same
// way) rather than the machine's (no process, killed by a signal or the timeout).
struct Probe {
  absl::StatusOr<InterpreterInfo> info;
  bool lasting_failure = false;
};

Probe RunProbe(const std::string& path) {
  absl::StatusOr<exec::SyncResult> r =
      exec::RunSync({path, "-c", kProbeScript},
                    {{"PATH", "/usr/bin:/bin"}}, absl::Seconds(60));
  if (!r.ok()) return {r.status(), false};
  Probe probe{ParseProbe(path, &*r), false};
  probe.lasting_failure = !probe.info.ok() && r->exit_code >= 0;
  return probe;
}

}  // namespace

absl::StatusOr<InterpreterInfo> ProbeInterpreter(const std::string& path) {
  return RunProbe(path).info;
}

absl::StatusOr<InterpreterInfo> SelectInterpreter(const InterpreterRequest& request) {
  std::vector<InterpreterConstraint> constraints;
  for (const std::string& c : request.constraints) {
    absl::StatusOr<InterpreterConstraint> parsed = ParseInterpreterConstraint(c);
    if (!parsed.ok()) return parsed.status();
    constraints.push_back(*std::move(parsed));
  }
  ProbeCache cache(request.cache_file);
  // Every candidate, once per binary, in search order.
  std::vector<std::string> candidates;
  std::vector<std::string> seen;  // real paths, to probe each binary once
  for (const std::string& dir : ExpandSearchPath(request.search_path, request.env)) {
    for (const std::string& name : request.names) {
      std::string candidate = absl::StrCat(dir, "/", name);
      if (!IsExecutableFile(candidate)) continue;
      std::string real = RealPath(candidate);
      if (std::find(seen.begin(), seen.end(), real) != seen.end()) continue;
      seen.push_back(real);
      candidates.push_back(std::move(candidate));
    }
  }
  // Probe the ones the cache does not know all at once: each probe is a
  // process start (0.1-0.6 s for an interpreter with many packages), and
  // they only wait on their own child.
  std::vector<std::optional<InterpreterInfo>> cached(candidates.size());
  std::vector<std::optional<std::string>> failed(candidates.size());  // remembered failures
  std::vector<std::optional<Probe>> probed(candidates.size());
  {
    std::vector<std::thread> probes;
    for (size_t i = 0; i < candidates.size(); ++i) {
      cached[i] = cache.Get(candidates[i]);
      if (cached[i]) continue;
      failed[i] = cache.GetFailure(candidates[i]);
      if (failed[i]) continue;
      probes.emplace_back([&, i] { probed[i] = RunProbe(candidates[i]); });
    }
    for (std::thread& t : probes) t.join();
  }
  std::vector<InterpreterInfo> found;
  std::vector<std::string> rejected;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& candidate = candidates[i];
    std::optional<InterpreterInfo> info = std::move(cached[i]);
    if (!info && failed[i]) {
      rejected.push_back(absl::StrCat(candidate, " (", *failed[i], ")"));
      continue;
    }
    if (!info) {
      const absl::StatusOr<InterpreterInfo>& probe = probed[i]->info;
      if (!probe.ok()) {
        const std::string message(probe.status().message());
        if (probed[i]->lasting_failure) cache.PutFailure(candidate, message);
        rejected.push_back(absl::StrCat(candidate, " (", message, ")"));
        continue;
      }
      cache.Put(*probe);
      info = *probe;
    }
    if (request.require_pytest && !info->has_pytest) {
      rejected.push_back(absl::StrCat(candidate, " (", info->implementation, " ",
                                      info->Version(), ", no pytest installed)"));
    } else if (SatisfiesAny(*info, constraints)) {
      found.push_back(*info);
    } else {
      rejected.push_back(absl::StrCat(candidate, " (", info->implementation, " ",
                                      info->Version(), ")"));
    }
  }
  cache.Save();
  if (found.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no Python interpreter on [python-bootstrap].search_path satisfies the interpreter "
        "constraints ", absl::StrJoin(request.constraints, " or "),
        rejected.empty() ? "; no interpreter was found at all"
                         : absl::StrCat("; found:\n    ", absl::StrJoin(rejected, "\n    "))));
  }
  // The oldest matching version wins (pex's default), ties by search order.
  std::stable_sort(found.begin(), found.end(), [](const InterpreterInfo& a, const InterpreterInfo& b) {
    return std::make_tuple(a.major, a.minor, a.micro) < std::make_tuple(b.major, b.minor, b.micro);
  });
  return found.front();
}

}  // namespace braid::python

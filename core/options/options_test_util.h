// Test helpers: a registry with a few goal/subsystem scopes and an in-memory
// build root, shared by the options tests.
#ifndef BRAID_CORE_OPTIONS_OPTIONS_TEST_UTIL_H_
#define BRAID_CORE_OPTIONS_OPTIONS_TEST_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "core/options/global_options.h"
#include "core/options/option_registry.h"
#include "core/options/options.h"

namespace braid::options::options_testing {

/// GLOBAL options plus: goals `test` (force, debug, timeout_default, extra_env_vars,
/// output enum, timeout_ratio float) and `lint`; subsystems `python`
/// (interpreter_constraints, resolves dict), `python-infer` (imports), `source`
/// (root_patterns).
inline void RegisterTestScopes(OptionRegistry& r) {
  auto ok = [](absl::Status s) {
    if (!s.ok()) ADD_FAILURE() << s;
  };
  ok(RegisterGlobalOptions(r));
  ok(r.AddScope({"test", ScopeKind::kGoal, "Run tests."}));
  ok(r.AddScope({"lint", ScopeKind::kGoal, "Run linters."}));
  ok(r.AddScope({"python", ScopeKind::kSubsystem, "Options for Pants's Python backend."}));
  ok(r.AddScope({"python-infer", ScopeKind::kSubsystem, "Options controlling dependency inference."}));
  ok(r.AddScope({"source", ScopeKind::kSubsystem, "Configuration for roots of source trees."}));
  ok(r.AddBool("test", "force", false, "Force the tests to run, even if they could be satisfied from cache."));
  ok(r.AddBool("test", "debug", false, "Run tests sequentially in an interactive process."));
  ok(r.AddInt("test", "timeout_default", std::nullopt, "The default timeout (in seconds) for a test target."));
  ok(r.AddFloat("test", "timeout_ratio", 1.0, "A ratio."));
  ok(r.AddStringList("test", "extra_env_vars", {}, "Additional environment variables."));
  ok(r.AddEnum("test", "output", {"all", "failed", "none"}, "failed", "Show stdout/stderr for these tests."));
  ok(r.AddBool("lint", "skip_formatters", false, "If true, skip running all formatters."));
  ok(r.AddStringList("python", "interpreter_constraints", {"CPython>=3.7,<4"}, "The Python interpreters your codebase is compatible with."));
  ok(r.AddDict("python", "resolves", {{"python-default", OptionValue::String("3rdparty/python/default.lock")}}, "A mapping of logical names to lockfile paths."));
  ok(r.AddBool("python-infer", "imports", true, "Infer a target's imported dependencies."));
  ok(r.AddStringList("source", "root_patterns", {"/", "src", "src/python"}, "A list of source root suffixes."));
}

/// An in-memory build root at /repo with HOME=/home/u.
struct Fixture {
  OptionRegistry registry;
  std::map<std::string, std::string> files;  // absolute path -> contents
  std::map<std::string, std::string> env;

  Fixture() { RegisterTestScopes(registry); }

  void Write(const std::string& relpath, const std::string& text) {
    files[relpath[0] == '/' ? relpath : "/repo/" + relpath] = text;
  }

  absl::StatusOr<Options> Parse(std::vector<std::string> args, bool bootstrap = false) {
    OptionsInput in;
    in.args = std::move(args);
    in.env = env;
    in.buildroot = "/repo";
    in.homedir = "/home/u";
    in.read_file = [this](const std::string& p) -> absl::StatusOr<std::string> {
      auto it = files.find(p);
      if (it == files.end()) return absl::NotFoundError(p);
      return it->second;
    };
    in.path_exists = [this](absl::string_view p) {
      std::string prefix = "/repo/" + std::string(p);
      for (const auto& [k, v] : files) {
        if (k == prefix || k.rfind(prefix + "/", 0) == 0) return true;
      }
      return false;
    };
    in.bootstrap_only = bootstrap;
    return ParseOptions(registry, in);
  }
};

}  // namespace braid::options::options_testing

#endif  // BRAID_CORE_OPTIONS_OPTIONS_TEST_UTIL_H_

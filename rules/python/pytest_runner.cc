#include "rules/python/pytest_runner.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/error.h"
#include "core/fs/path.h"
#include "rules/python/fork_server.h"

namespace braid::python {

absl::StatusOr<std::map<std::string, std::string>> ResolveExtraEnvVars(
    const std::vector<std::string>& entries, const std::map<std::string, std::string>& braid_env) {
  std::map<std::string, std::string> out;
  for (const std::string& entry : entries) {
    size_t eq = entry.find('=');
    std::string name = entry.substr(0, eq);
    bool valid = !name.empty() && !absl::ascii_isdigit(name[0]) &&
                 std::all_of(name.begin(), name.end(),
                             [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
    if (!valid) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid environment variable entry '", entry,
                       "': expected NAME=value or NAME"));
    }
    if (eq != std::string::npos) {
      out[name] = entry.substr(eq + 1);
    } else if (auto it = braid_env.find(name); it != braid_env.end()) {
      out[name] = it->second;
    } else {
      out.erase(name);
    }
  }
  return out;
}

std::optional<int64_t> EffectiveTimeout(std::optional<int64_t> field,
                                        const PytestSettings& settings) {
  if (!settings.timeouts) return std::nullopt;
  std::optional<int64_t> t = field ? field : settings.timeout_default;
  if (t && settings.timeout_maximum && *t > *settings.timeout_maximum) {
    t = settings.timeout_maximum;
  }
  if (t && *t <= 0) return std::nullopt;
  return t;
}

bool ExecutableBits::Of(const std::string& abs_path) {
  {
    absl::MutexLock lock(&mu_);
    if (auto it = memo_.find(abs_path); it != memo_.end()) return it->second;
  }
  const bool executable = ::access(abs_path.c_str(), X_OK) == 0;  // outside the lock
  absl::MutexLock lock(&mu_);
  return memo_.try_emplace(abs_path, executable).first->second;
}

absl::StatusOr<engine::ActionRequest> BuildPytestAction(const PytestInputs& inputs,
                                                        const PytestSettings& settings) {
  if (inputs.tests.empty()) return absl::InvalidArgumentError("a pytest action needs a test");
  const graph::Target& test = *inputs.tests.front();
  for (const graph::Target* t : inputs.tests) {
    if (t->sources.empty()) {
      return UserError(t->location, absl::StrCat("the test target ", t->address.Spec(),
                                                 " has no source file"));
    }
  }
  engine::ActionRequest r;
  std::vector<std::string>& argv = r.spec.argv;
  argv = {settings.interpreter.path, "-m", "pytest", "--color=no", "-p", "no:cacheprovider",
          absl::StrCat("--junitxml=", kJunitReportPath), "-o",
          absl::StrCat("junit_family=", settings.junit_family)};
  argv.insert(argv.end(), settings.pytest_args.begin(), settings.pytest_args.end());
  argv.insert(argv.end(), settings.passthrough.begin(), settings.passthrough.end());
  for (const graph::Target* t : inputs.tests) argv.push_back(t->sources.front());

  std::map<std::string, std::string>& env = r.spec.env;
  std::string interp_dir(fs::Dirname(settings.interpreter.path));
  env["PATH"] = absl::StrCat(interp_dir, ":/usr/bin:/bin");
  env["PYTHONPATH"] = absl::StrJoin(inputs.source_roots, ":");
  env["PYTHONDONTWRITEBYTECODE"] = "1";
  for (const auto& [k, v] : settings.env) env[k] = v;
  absl::StatusOr<std::map<std::string, std::string>> own =
      ResolveExtraEnvVars(test.StringListField("extra_env_vars"), settings.braid_env);
  if (!own.ok()) {
    return UserError(test.FieldLocation("extra_env_vars"),
                     absl::StrCat("in ", test.address.Spec(), ": ", own.status().message()));
  }
  for (const auto& [k, v] : *own) env[k] = v;

  // A batch gets the sum of its members' timeouts (Pants), none if no member has one.
  std::optional<int64_t> total_timeout;
  for (const graph::Target* t : inputs.tests) {
    std::optional<int64_t> field_timeout;
    if (const build_file::Value& f = t->Field("timeout"); f.kind() == build_file::Value::Kind::kInt) {
      field_timeout = f.int_value();
    }
    if (std::optional<int64_t> timeout = EffectiveTimeout(field_timeout, settings)) {
      total_timeout = total_timeout.value_or(0) + *timeout;
    }
  }
  if (total_timeout) r.spec.timeout = absl::Seconds(*total_timeout);
  r.spec.description =
      inputs.tests.size() == 1
          ? absl::StrCat("Run Pytest for ", test.address.Spec())
          : absl::StrCat("Run Pytest for batch of ", test.address.Spec(), " and ",
                         inputs.tests.size() - 1, " other files");
  r.execution_slot_var = settings.execution_slot_var;

  for (const std::string& f : inputs.files) {
    std::string abs = absl::StrCat(settings.buildroot, "/", f);
    // Keep the executable bit (scripts a test runs); it is part of the input digest.
    bool executable = settings.executable_bits != nullptr ? settings.executable_bits->Of(abs)
                                                          : ::access(abs.c_str(), X_OK) == 0;
    r.inputs.push_back(exec::SandboxEntry{f, exec::LocalFile{abs}, executable});
  }
  r.output_files = {kJunitReportPath};
  r.key.interpreter = {settings.interpreter.path, settings.interpreter.Version(),
                       settings.interpreter.packages_digest};
  r.key.rule_version = kPytestRuleVersion;
  // Where the process runs, not what it computes: outside the cache key (ProcessSpec).
  AddPytestForkServer(settings, r);
  return r;
}

void AddPytestForkServer(const PytestSettings& settings, engine::ActionRequest& request) {
  if (!settings.fork_server) return;
  if (settings.fork_servers != nullptr) {
    request.spec.fork_server =
        settings.fork_servers->Get(settings.interpreter, settings.preload_modules,
                                   request.spec.env, settings.fork_server_timings);
    return;
  }
  request.spec.fork_server = std::make_shared<const exec::ForkServerSpec>(
      PytestForkServer(settings.interpreter, settings.preload_modules, request.spec.env,
                       settings.fork_server_timings));
}

}  // namespace braid::python

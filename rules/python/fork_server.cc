#include "rules/python/fork_server.h"

#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/app/app.h"
#include "core/fs/path.h"
#include "rules/python/pytest_zygote_script.h"

namespace braid::python {
namespace {

// What the interpreter (or pytest's plugin manager, prebuilt by the server) reads at start-up.
bool IsStartupVariable(absl::string_view name) {
  if (name == "PYTHONPATH") return false;  // per test: the child sets sys.path itself
  return name == "PATH" || name == "LANG" || absl::StartsWith(name, "LC_") ||
         absl::StartsWith(name, "PYTHON") || name == "PYTEST_DEBUG" ||
         name == "PYTEST_DISABLE_PLUGIN_AUTOLOAD";
}

}  // namespace

absl::string_view PytestZygoteScript() { return kPytestZygoteScript; }

namespace {

// The spec without its argv: the environment and the key, which are cheap.
exec::ForkServerSpec EnvAndKey(const InterpreterInfo& interpreter,
                               const std::vector<std::string>& preload_modules,
                               const std::map<std::string, std::string>& action_env,
                               absl::string_view timings_file) {
  exec::ForkServerSpec fs;
  fs.prepare = true;  // the zygote understands PREPARE
  for (const auto& [k, v] : action_env) {
    if (IsStartupVariable(k)) fs.env[k] = v;
  }
  if (!timings_file.empty()) {
    fs.env["BRAID_FORK_SERVER_TIMINGS"] = std::string(timings_file);
    // The server appends to it: its directory must stay writable in the server's namespaces
    // (sandboxes may live in a private tmpfs elsewhere). A missing directory is left out: the
    // server then reports that it cannot open the file, as before.
    std::string dir(fs::Dirname(timings_file));
    struct stat st;
    if (!dir.empty() && ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      fs.writable_paths.push_back(dir);
    }
  }
  fs.key = absl::StrCat("pytest-zygote\nbraid ", app::BraidVersion(), "\n", interpreter.path, "\n",
                        interpreter.Version(), "\n", interpreter.packages_digest);
  for (const std::string& m : preload_modules) absl::StrAppend(&fs.key, "\npreload ", m);
  for (const auto& [k, v] : fs.env) absl::StrAppend(&fs.key, "\nenv ", k, "=", v);
  return fs;
}

void SetArgv(const InterpreterInfo& interpreter, const std::vector<std::string>& preload_modules,
             exec::ForkServerSpec& fs) {
  fs.argv = {interpreter.path, "-c", std::string(PytestZygoteScript()), "braid-pytest-zygote"};
  for (const std::string& m : preload_modules) {
    fs.argv.push_back("--preload");
    fs.argv.push_back(m);
  }
}

}  // namespace

exec::ForkServerSpec PytestForkServer(const InterpreterInfo& interpreter,
                                      const std::vector<std::string>& preload_modules,
                                      const std::map<std::string, std::string>& action_env,
                                      absl::string_view timings_file) {
  exec::ForkServerSpec fs = EnvAndKey(interpreter, preload_modules, action_env, timings_file);
  SetArgv(interpreter, preload_modules, fs);
  return fs;
}

std::shared_ptr<const exec::ForkServerSpec> PytestForkServers::Get(
    const InterpreterInfo& interpreter, const std::vector<std::string>& preload_modules,
    const std::map<std::string, std::string>& action_env, absl::string_view timings_file) {
  exec::ForkServerSpec fs = EnvAndKey(interpreter, preload_modules, action_env, timings_file);
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<const exec::ForkServerSpec>& slot = by_key_[fs.key];
  if (slot == nullptr) {
    SetArgv(interpreter, preload_modules, fs);
    slot = std::make_shared<const exec::ForkServerSpec>(std::move(fs));
  }
  return slot;
}

}  // namespace braid::python

#include "plugins/api/internal/external.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/exec/sandbox.h"
#include "core/options/options.h"
#include "core/store/digest.h"

namespace braid::plugin::internal {

using options::OptionValue;

bool ExternalPlugin::Handles(const std::string& hook, const std::string& target_type) const {
  if (!hooks.count(hook)) return false;
  if (target_types.empty() || target_type.empty()) return true;
  for (const std::string& t : target_types) {
    if (t == target_type) return true;
  }
  return false;
}

namespace {

absl::Status Bad(const std::string& where, const std::string& plugin, absl::string_view what) {
  return UserError(Location{where, 0, 0, ""},
                   absl::StrCat("[braid-plugins].external",
                                plugin.empty() ? "" : absl::StrCat(".", plugin), ": ", what),
                   "see docs/plugins.md, \"Declaring an external plugin\"");
}

absl::StatusOr<std::vector<std::string>> Strings(const OptionValue& v, const std::string& where,
                                                 const std::string& plugin,
                                                 absl::string_view key) {
  if (v.kind() != OptionValue::Kind::kList) {
    return Bad(where, plugin, absl::StrCat("'", key, "' must be a list of strings"));
  }
  std::vector<std::string> out;
  for (const OptionValue& item : v.list()) {
    if (item.kind() != OptionValue::Kind::kString) {
      return Bad(where, plugin, absl::StrCat("'", key, "' must be a list of strings"));
    }
    out.push_back(item.string());
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<ExternalPlugin>> ParseExternalPlugins(const OptionValue& value,
                                                                 const std::string& where) {
  std::vector<ExternalPlugin> out;
  if (value.is_none()) return out;
  if (value.kind() != OptionValue::Kind::kDict) return Bad(where, "", "must be a table");
  static const std::set<std::string> kHooks = {kHookInferDependencies, kHookGenerate,
                                               kHookDistributionMetadata, kHookPlatform};
  static const std::set<std::string> kKeys = {"command", "hooks",   "target_types",
                                              "inputs",  "options", "timeout_seconds"};
  for (const auto& [name, spec] : value.dict()) {
    if (spec.kind() != OptionValue::Kind::kDict) {
      return Bad(where, name, "must be a table with 'command' and 'hooks'");
    }
    ExternalPlugin p;
    p.name = name;
    for (const auto& [key, v] : spec.dict()) {
      if (!kKeys.count(key)) {
        return Bad(where, name, absl::StrCat("unknown key '", key, "'"));
      }
      if (key == "command" || key == "hooks" || key == "target_types" || key == "inputs") {
        absl::StatusOr<std::vector<std::string>> list = Strings(v, where, name, key);
        if (!list.ok()) return list.status();
        if (key == "command") p.command = *list;
        if (key == "target_types") p.target_types = *list;
        if (key == "inputs") p.inputs = *list;
        if (key == "hooks") {
          for (const std::string& h : *list) {
            if (!kHooks.count(h)) {
              return Bad(where, name,
                         absl::StrCat("unknown hook '", h, "' (hooks are: ",
                                      absl::StrJoin(kHooks, ", "), ")"));
            }
            p.hooks.insert(h);
          }
        }
      } else if (key == "options") {
        if (v.kind() != OptionValue::Kind::kDict) {
          return Bad(where, name, "'options' must be a table");
        }
        for (const auto& [k, ov] : v.dict()) p.options_json[k] = ov.ToJson();
      } else if (key == "timeout_seconds") {
        if (v.kind() != OptionValue::Kind::kInt || v.integer() <= 0) {
          return Bad(where, name, "'timeout_seconds' must be a positive integer");
        }
        p.timeout_seconds = static_cast<int>(v.integer());
      }
    }
    if (p.command.empty()) return Bad(where, name, "'command' is required and must not be empty");
    if (p.hooks.empty()) return Bad(where, name, "'hooks' is required and must not be empty");
    for (const std::string& in : p.inputs) {
      absl::Status s = exec::ValidateRelativePath(in, "an input");
      if (!s.ok()) return Bad(where, name, s.message());
    }
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

struct PipeResult {
  int exit_code = 0;  // -N: killed by signal N
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Finds argv0 in `path_env` unless it holds a '/'.
std::string ResolveProgram(const std::string& argv0, const std::string& path_env,
                           const std::string& cwd) {
  if (argv0.find('/') != std::string::npos) {
    return argv0[0] == '/' ? argv0 : absl::StrCat(cwd, "/", argv0);
  }
  for (absl::string_view dir : absl::StrSplit(path_env, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", argv0);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return argv0;
}

// Runs argv in `cwd` with exactly `env`, feeding `input` on stdin and
// collecting stdout and stderr (poll: neither pipe can fill up and block).
absl::StatusOr<PipeResult> RunWithStdin(const std::vector<std::string>& argv,
                                        const std::vector<std::string>& env,
                                        const std::string& cwd, const std::string& input,
                                        absl::Duration timeout) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
      ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", std::strerror(errno)));
  }
  std::vector<char*> cargv, cenv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (const std::string& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
  cenv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::setpgid(0, 0);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(cargv[0], cargv.data(), cenv.data());
    const char msg[] = "braid: cannot execute the plugin command\n";
    ssize_t ignored = ::write(2, msg, sizeof(msg) - 1);
    (void)ignored;
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::signal(SIGPIPE, SIG_IGN);  // a plugin that exits without reading stdin
  PipeResult r;
  size_t written = 0;
  int in_fd = in_pipe[1];
  if (input.empty()) {
    ::close(in_fd);
    in_fd = -1;
  } else {
    ::fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  int fds_open = 2;
  int out_fd = out_pipe[0], err_fd = err_pipe[0];
  absl::Time deadline = absl::Now() + timeout;
  char buf[65536];
  while (fds_open > 0 || in_fd >= 0) {
    std::vector<pollfd> pfds;
    if (in_fd >= 0) pfds.push_back({in_fd, POLLOUT, 0});
    if (out_fd >= 0) pfds.push_back({out_fd, POLLIN, 0});
    if (err_fd >= 0) pfds.push_back({err_fd, POLLIN, 0});
    if (pfds.empty()) break;
    int64_t ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (ms <= 0) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    int n = ::poll(pfds.data(), pfds.size(), static_cast<int>(std::min<int64_t>(ms, 1000)));
    if (n < 0 && errno != EINTR) break;
    for (const pollfd& p : pfds) {
      if (p.revents == 0) continue;
      if (p.fd == in_fd) {
        ssize_t w = ::write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN) written = input.size();  // reader gone
        if (written >= input.size()) {
          ::close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      ssize_t got = ::read(p.fd, buf, sizeof(buf));
      if (got > 0) {
        (p.fd == out_fd ? r.out : r.err).append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EAGAIN) {
        ::close(p.fd);
        if (p.fd == out_fd) out_fd = -1;
        if (p.fd == err_fd) err_fd = -1;
        --fds_open;
      }
    }
  }
  for (int fd : {in_fd, out_fd, err_fd}) {
    if (fd >= 0) ::close(fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return r;
}

absl::Status PluginError(const ExternalPlugin& plugin, absl::string_view what) {
  return absl::FailedPreconditionError(
      absl::StrCat("external plugin '", plugin.name, "' (", absl::StrJoin(plugin.command, " "),
                   "): ", what));
}

}  // namespace

absl::StatusOr<pb::PluginResponse> CallExternalPlugin(const ExternalPlugin& plugin,
                                                      pb::PluginRequest request,
                                                      const ExternalCallEnv& env,
                                                      std::vector<std::string>* warnings) {
  request.set_protocol_version(kProtocolVersion);
  request.set_plugin(plugin.name);
  for (const auto& [k, v] : plugin.options_json) (*request.mutable_options_json())[k] = v;
  request.set_buildroot(env.buildroot);
  std::string request_bytes;
  {
    google::protobuf::io::StringOutputStream stream(&request_bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }

  // Declared inputs: their contents are part of the cache key.
  std::vector<exec::SandboxEntry> entries;
  std::string key = absl::StrCat("braid-plugin-call v", kProtocolVersion, "\n",
                                 absl::StrJoin(plugin.command, "\x1f"), "\n",
                                 plugin.timeout_seconds, "\n");
  for (const std::string& in : plugin.inputs) {
    std::string abs = absl::StrCat(env.buildroot, "/", in);
    absl::StatusOr<std::string> content = options::ReadFileFromDisk(abs);
    if (!content.ok()) {
      return PluginError(plugin, absl::StrCat("cannot read its input '", in,
                                              "': ", content.status().message()));
    }
    absl::StrAppend(&key, in, " ", store::DigestOf(*content).hash, "\n");
    bool executable = ::access(abs.c_str(), X_OK) == 0;
    entries.push_back({in, exec::FileBytes{*std::move(content)}, executable});
  }
  absl::StrAppend(&key, store::DigestOf(request_bytes).hash);
  store::Digest action = store::DigestOf(key);

  std::string response_bytes;
  bool cached = false;
  if (env.store != nullptr) {
    if (std::optional<reapi::ActionResult> hit = env.store->action_cache().Get(action)) {
      absl::StatusOr<store::Digest> d = store::FromProto(hit->stdout_digest());
      std::optional<std::string> bytes;
      if (d.ok()) bytes = env.store->cas().Get(*d);
      if (bytes) {
        response_bytes = *std::move(bytes);
        cached = true;
      }
    }
  }
  if (!cached) {
    absl::StatusOr<exec::Sandbox> sandbox =
        exec::Sandbox::Create(env.sandbox_root, "braid-plugin-");
    if (!sandbox.ok()) return sandbox.status();
    absl::Status m = sandbox->Materialize(entries);
    if (!m.ok()) return PluginError(plugin, m.message());
    std::vector<std::string> argv = plugin.command;
    argv[0] = ResolveProgram(argv[0], env.path_env, sandbox->path());
    std::vector<std::string> proc_env = {
        absl::StrCat("PATH=", env.path_env), absl::StrCat("HOME=", sandbox->tmp_dir()),
        absl::StrCat("TMPDIR=", sandbox->tmp_dir()), "LANG=C.UTF-8",
        "PYTHONDONTWRITEBYTECODE=1"};
    absl::Time start = absl::Now();
    absl::StatusOr<PipeResult> r = RunWithStdin(argv, proc_env, sandbox->path(), request_bytes,
                                                absl::Seconds(plugin.timeout_seconds));
    if (!r.ok()) return r.status();
    BRAID_LOG(kDebug) << "external plugin " << plugin.name << " ran in "
                      << absl::ToInt64Milliseconds(absl::Now() - start) << " ms";
    if (!r->err.empty()) {
      BRAID_LOG(kDebug) << "plugin " << plugin.name << " stderr:\n" << r->err;
    }
    if (r->timed_out) {
      return PluginError(plugin, absl::StrCat("timed out after ", plugin.timeout_seconds, "s"));
    }
    if (r->exit_code != 0) {
      return PluginError(plugin, absl::StrCat("exited with code ", r->exit_code,
                                              r->err.empty() ? "" : ":\n", r->err));
    }
    response_bytes = std::move(r->out);
  }
  pb::PluginResponse response;
  if (!response.ParseFromString(response_bytes)) {
    return PluginError(plugin, "its answer on stdout is not a braid.plugin.v1.PluginResponse");
  }
  if (!response.error().empty()) return PluginError(plugin, response.error());
  for (const pb::Diagnostic& d : response.diagnostics()) {
    std::string place = d.path().empty() ? ""
                        : d.line() > 0   ? absl::StrCat(d.path(), ":", d.line(), ": ")
                                         : absl::StrCat(d.path(), ": ");
    std::string text = absl::StrCat(place, d.message(), " (plugin ", plugin.name, ")");
    if (d.severity() == pb::Diagnostic::ERROR) return absl::InvalidArgumentError(text);
    if (d.severity() == pb::Diagnostic::WARNING && warnings != nullptr) {
      warnings->push_back(text);
    }
  }
  if (!cached && env.store != nullptr) {
    // Only successful answers are cached (a failure reruns next time).
    absl::StatusOr<store::Digest> d = env.store->cas().Put(response_bytes);
    if (d.ok()) {
      reapi::ActionResult result;
      *result.mutable_stdout_digest() = store::ToProto(*d);
      absl::Status s = env.store->action_cache().Put(action, result, {});
      if (!s.ok()) {
        BRAID_LOG(kDebug) << "plugin answer not cached: " << s.message();
      }
    }
  }
  return response;
}

}  // namespace braid::plugin::internal

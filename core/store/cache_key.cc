#include "core/store/cache_key.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace braid::store {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Sorts by name (code point order) and rejects duplicate or malformed names.
absl::StatusOr<Pairs> SortedUnique(Pairs pairs, absl::string_view what, bool is_env) {
  std::sort(pairs.begin(), pairs.end());
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string& name = pairs[i].first;
    if (name.empty() || (is_env && absl::StrContains(name, '='))) {
      return absl::InvalidArgumentError(absl::StrCat("invalid ", what, " name '", name, "'"));
    }
    if (i > 0 && pairs[i - 1].first == name) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate ", what, " '", name, "'"));
    }
  }
  return pairs;
}

absl::Status CheckRelativePath(const std::string& path, absl::string_view what,
                               bool allow_empty) {
  if (path.empty() && allow_empty) return absl::OkStatus();
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == "." || part == "..") {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid ", what, " '", path,
          "': must be relative, with no empty, '.' or '..' segments"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ActionKey> ComputeActionKey(const ActionKeyInput& in) {
  if (in.argv.empty()) return absl::InvalidArgumentError("an action needs a non-empty argv");
  if (!in.input_root.IsValid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid input root digest '", in.input_root.ToString(), "'"));
  }
  absl::StatusOr<Pairs> env = SortedUnique(in.env, "environment variable", true);
  if (!env.ok()) return env.status();

  Pairs props = in.platform;
  if (!in.interpreter.path.empty()) {
    props.emplace_back(kInterpreterPathProperty, in.interpreter.path);
  }
  if (!in.interpreter.version.empty()) {
    props.emplace_back(kInterpreterVersionProperty, in.interpreter.version);
  }
  if (!in.interpreter.packages_digest.empty()) {
    props.emplace_back(kInterpreterPackagesProperty, in.interpreter.packages_digest);
  }
  absl::StatusOr<Pairs> platform = SortedUnique(std::move(props), "platform property", false);
  if (!platform.ok()) return platform.status();

  std::set<std::string> outputs(in.output_paths.begin(), in.output_paths.end());
  for (const std::string& out : outputs) {
    absl::Status s = CheckRelativePath(out, "output path", false);
    if (!s.ok()) return s;
  }
  absl::Status s = CheckRelativePath(in.working_directory, "working directory", true);
  if (!s.ok()) return s;

  ActionKey key;
  reapi::Platform reapi_platform;
  for (const auto& [name, value] : *platform) {
    reapi::Platform::Property* p = reapi_platform.add_properties();
    p->set_name(name);
    p->set_value(value);
  }
  reapi::Command& cmd = key.command;
  for (const std::string& arg : in.argv) cmd.add_arguments(arg);
  for (const auto& [name, value] : *env) {
    reapi::Command::EnvironmentVariable* v = cmd.add_environment_variables();
    v->set_name(name);
    v->set_value(value);
  }
  for (const std::string& out : outputs) cmd.add_output_paths(out);  // std::set: sorted
  cmd.set_working_directory(in.working_directory);
  if (!reapi_platform.properties().empty()) *cmd.mutable_platform() = reapi_platform;
  key.command_digest = DigestOfMessage(cmd);

  reapi::Action& action = key.action;
  *action.mutable_command_digest() = ToProto(key.command_digest);
  *action.mutable_input_root_digest() = ToProto(in.input_root);
  if (in.timeout_seconds) action.mutable_timeout()->set_seconds(*in.timeout_seconds);
  action.set_do_not_cache(in.do_not_cache);
  action.set_salt(absl::StrCat(kActionKeySchema, "\n", in.rule_version));
  if (!reapi_platform.properties().empty()) *action.mutable_platform() = reapi_platform;
  key.action_digest = DigestOfMessage(action);
  return key;
}

}  // namespace braid::store

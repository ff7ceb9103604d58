// Action keys: everything that can change an action's result, digested.
//
// Usage:
//   ActionKeyInput in;
//   in.argv = {"/usr/bin/python3.11", "-m", "pytest", "src/app/test_app.py"};
//   in.env = {{"PYTHONHASHSEED", "0"}, {"LANG", "C.UTF-8"}};   // declared env only
//   in.output_paths = {".coverage"};
//   in.input_root = root_digest;                               // merkle.h
//   in.interpreter = {"/usr/bin/python3.11", "3.11.4", packages_digest};
//   in.rule_version = "pytest-3";
//   absl::StatusOr<ActionKey> key = ComputeActionKey(in);
//   ... ac.Get(key->action_digest) ...
//
// The key is the digest of a REAPI Action message, which names the digest of
// its Command (argv, sorted env, sorted output paths, working directory,
// platform) and of the input root (every input byte, by path and executable
// bit). The interpreter identity (path, version, digest of its installed
// packages) and any extra platform properties go in the Platform, sorted by
// name, on both the Command and the Action as REAPI v2.2 asks. braid's rule
// version goes in Action.salt, together with kActionKeySchema so that a change
// to how braid builds keys invalidates old entries. The timeout is part of the
// key, as REAPI requires: a cached pass under a longer timeout must not hide
// a too-short one.
//
// Canonicalisation: env, output paths and platform properties are sorted, so
// the order a rule listed them in (or a hash map's iteration order) never
// changes the key; argv order always does.
#ifndef BRAID_CORE_STORE_CACHE_KEY_H_
#define BRAID_CORE_STORE_CACHE_KEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/store/cas.h"
#include "core/store/digest.h"
#include "core/store/reapi.pb.h"

namespace braid::store {

/// Bumped when braid changes how keys are built (not for rule changes: those
/// bump ActionKeyInput::rule_version).
inline constexpr absl::string_view kActionKeySchema = "braid-action-key-1";

/// Platform property names that carry the interpreter's identity.
inline constexpr absl::string_view kInterpreterPathProperty = "braid.interpreter.path";
inline constexpr absl::string_view kInterpreterVersionProperty = "braid.interpreter.version";
inline constexpr absl::string_view kInterpreterPackagesProperty = "braid.interpreter.packages";

/// Who runs the action's Python code. Empty fields are left out of the key
/// (an action that runs no interpreter).
struct InterpreterIdentity {
  std::string path;              // absolute path of the interpreter binary
  std::string version;           // e.g. "3.11.4"
  std::string packages_digest;   // digest of its installed packages (name==version list)
};

/// Everything that determines an action's result.
struct ActionKeyInput {
  std::vector<std::string> argv;  // non-empty; order matters
  /// The declared environment only (never the whole host env); any order;
  /// names unique, non-empty, without '='.
  std::vector<std::pair<std::string, std::string>> env;
  /// Relative to the working directory; any order; duplicates merged.
  std::vector<std::string> output_paths;
  std::string working_directory;  // relative to the input root; "" = the root
  Digest input_root = EmptyDigest();
  InterpreterIdentity interpreter;
  /// More platform properties (any order; names unique and distinct from the
  /// interpreter properties).
  std::vector<std::pair<std::string, std::string>> platform;
  /// The version of the braid rule that built this action (goes in the salt).
  std::string rule_version;
  std::optional<int64_t> timeout_seconds;
  bool do_not_cache = false;
};

/// The REAPI messages of one action and their digests.
struct ActionKey {
  reapi::Command command;
  reapi::Action action;
  Digest command_digest;
  Digest action_digest;  // the action cache key
};

/// Builds the canonical Command and Action. kInvalidArgument (a braid rule
/// bug) for empty argv, a duplicate or malformed env or platform name, an
/// absolute or '..' output path, or an invalid input root digest.
absl::StatusOr<ActionKey> ComputeActionKey(const ActionKeyInput& input);

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_CACHE_KEY_H_

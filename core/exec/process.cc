#include "core/exec/process.h"

#include <string.h>

#include "absl/strings/str_cat.h"

namespace braid::exec {

std::optional<KeepSandboxes> ParseKeepSandboxes(absl::string_view value) {
  if (value == "never") return KeepSandboxes::kNever;
  if (value == "on_failure") return KeepSandboxes::kOnFailure;
  if (value == "always") return KeepSandboxes::kAlways;
  return std::nullopt;
}

bool ShouldKeepSandbox(KeepSandboxes policy, const ProcessResult& result) {
  switch (policy) {
    case KeepSandboxes::kNever:
      return false;
    case KeepSandboxes::kOnFailure:
      return !result.ok();
    case KeepSandboxes::kAlways:
      return true;
  }
  return false;
}

std::string KeptSandboxMessage(absl::string_view dir, absl::string_view description) {
  return absl::StrCat("Preserving local process execution dir ", dir, " for ", description);
}

std::string ShellQuote(absl::string_view word) {
  if (word.empty()) return "''";
  bool safe = true;
  for (char c : word) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_@%+=:,./-", c) != nullptr;
    if (!ok || c == '\0') {
      safe = false;
      break;
    }
  }
  if (safe) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\"'\"'";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string DescribeOutcome(const ProcessResult& result) {
  std::string out;
  if (result.timed_out) {
    out = "timed out";
  } else if (result.interrupted) {
    out = "interrupted";
  } else if (result.signal != 0) {
    const char* name = sigabbrev_np(result.signal);
    out = absl::StrCat("killed by signal ", result.signal,
                       name != nullptr ? absl::StrCat(" (SIG", name, ")") : "");
  } else {
    out = absl::StrCat("exited with code ", result.exit_code);
  }
  return out;
}

}  // namespace braid::exec

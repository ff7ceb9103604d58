#include "core/exec/process_runner.h"

#include <cstdlib>

#include "absl/strings/str_join.h"

namespace braid::exec {

std::string DescribeProcess(const ProcessSpec& spec) {
  if (!spec.description.empty()) return spec.description;
  return absl::StrJoin(spec.argv, " ");
}

// Only reachable by calling Prepare on a spec CanPrepare refused: a caller's bug.
uint64_t ProcessRunner::Prepare(ProcessSpec) { std::abort(); }
void ProcessRunner::StartPrepared(uint64_t, ProcessCallback, FinishingCallback) { std::abort(); }
void ProcessRunner::CancelPrepared(uint64_t, ProcessCallback) { std::abort(); }

}  // namespace braid::exec

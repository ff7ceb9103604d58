// Running a short helper process synchronously and capturing its output, for
// probes done before the scheduler starts (e.g. asking a Python interpreter
// for its version). Not sandboxed; callers name what they run in logs.
//
//   absl::StatusOr<SyncResult> r = RunSync({"/usr/bin/python3", "-c", "print(1)"}, env);
#ifndef BRAID_CORE_EXEC_RUN_SYNC_H_
#define BRAID_CORE_EXEC_RUN_SYNC_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace braid::exec {

struct SyncResult {
  int exit_code = 0;  // -N when killed by signal N
  std::string stdout_bytes;
  std::string stderr_bytes;
};

/// Runs argv (argv[0] must be a path) with exactly `env`, waits at most
/// `timeout` (then SIGKILLs it). A failure to start is kFailedPrecondition;
/// a process that ran and failed is a SyncResult.
absl::StatusOr<SyncResult> RunSync(const std::vector<std::string>& argv,
                                   const std::map<std::string, std::string>& env,
                                   absl::Duration timeout = absl::Seconds(30));

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_RUN_SYNC_H_

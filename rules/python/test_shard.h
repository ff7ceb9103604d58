// `braid test --shard=k/N` ([test] shard, Pants syntax): splitting one job's
// test targets across N CI machines.
//
// Pants semantics kept: "k/N" with 0 <= k < N, the same error text, every
// test target in exactly one shard, deterministic. Where Pants hashes each
// address (crc32 % N, balanced by count only on average), braid balances:
//   * by the durations recorded in earlier runs when the store has them
//     (longest first, each onto the least-loaded shard; a target with no
//     record counts as the median recorded duration);
//   * by count otherwise (equal weights: shard sizes differ by at most one).
// Ties break by address, so the assignment depends only on the SET of test
// targets and the recorded durations, never on input order.
//
// All N shards must see the same durations or they may disagree about
// assignment (a target in two shards or none): restore the same store cache
// in every shard job (docs/ci.md). Each shard prints a digest of what it
// balanced on so a mismatch is visible in the CI logs.
//
// Durations file, `<store dir>/v1/test_durations.json` (written atomically at
// the end of `braid test`, merged with earlier records):
//   {"version": 1, "durations": {"src/app/test_x.py:tests": 1.25, ...}}
// seconds as floats, keys sorted. A missing or unreadable file means "no
// records": it only costs balance, never correctness.
#ifndef BRAID_RULES_PYTHON_TEST_SHARD_H_
#define BRAID_RULES_PYTHON_TEST_SHARD_H_

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/engine/graph.h"
#include "core/graph/target.h"

namespace braid::python {

/// One shard of `count`: 0 <= index < count.
struct ShardSpec {
  int index = 0;
  int count = 1;
};

/// Parses "k/N". "" means no sharding (nullopt). Anything else that is not
/// two integers with 0 <= k < N is a user error:
///   Invalid shard specification 3/3 from the [test].shard option. Use a string
///   of the form "k/N" where k and N are integers, and 0 <= k < N .
absl::StatusOr<std::optional<ShardSpec>> ParseShardSpec(absl::string_view text);

/// Recorded test durations by address spec, in seconds.
using TestDurations = std::map<std::string, double>;

/// `<store_dir>/v1/test_durations.json`.
std::string TestDurationsPath(const std::string& store_dir);
/// Reads the durations file; {} when missing or malformed.
TestDurations LoadTestDurations(const std::string& path);
/// Writes `durations` atomically (temporary file, then rename).
absl::Status SaveTestDurations(const std::string& path, const TestDurations& durations);

/// The shard of each of `addresses` (same order), for `count` shards.
std::vector<int> AssignShards(const std::vector<std::string>& addresses,
                              const TestDurations& durations, int count);

/// A short digest of the weights AssignShards balanced on (to compare shards' logs).
std::string ShardBasisDigest(const std::vector<std::string>& addresses,
                             const TestDurations& durations);

/// For the test goal: keeps the targets of shard `spec_text` ([test] shard)
/// among `tests` (sorted), balancing on the durations in `durations_path`;
/// prints one line about the shard to `err`. No sharding: `tests` unchanged.
absl::StatusOr<std::vector<const graph::Target*>> ApplyTestShard(
    const std::string& spec_text, std::vector<const graph::Target*> tests,
    const std::string& durations_path, std::ostream& err);

/// Merges the durations of the tests that ran into the file: outcomes[i] is
/// the run of runs[i], one test or a batch of them (test_batches.h), whose
/// duration is shared equally by its members; cache hits carry their original
/// duration. Failure is logged at debug level only.
void RecordTestDurations(const std::string& durations_path,
                         const std::vector<std::vector<const graph::Target*>>& runs,
                         const std::vector<engine::NodeOutcome>& outcomes);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_TEST_SHARD_H_

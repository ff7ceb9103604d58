// Which python_test targets run together in one pytest process: Pants'
// `batch_compatibility_tag` field and `[test] batch_size` option.
//
// Semantics (Pants' pytest partitioner, kept as is):
//   * A target without a tag (unset or "") runs alone: a batch of one.
//   * Targets with a tag are grouped by their compatibility metadata: the tag,
//     interpreter_constraints, extra_env_vars (as a sorted list), xdist_concurrency,
//     resolve and environment. Targets that differ in any of them never share a
//     process, so a tag can be set broadly with __defaults__ and tests whose
//     metadata differs still work.
//   * Each group is cut into batches of about `batch_size` files at STABLE
//     boundaries: members sorted by address, a batch ends after a member whose
//     address hash has at least log2(batch_size) leading zero bits, or when it
//     reaches 2 x batch_size. Adding or removing one test therefore changes
//     one or two batches (and so their cache entries), not every batch after
//     it. (Pants uses the same rule with its own hash; the boundaries differ,
//     what runs together never violates the grouping.)
//
// A batch is one action: one sandbox holding the union of its members'
// closures, one pytest process over all their files, one cache entry, one
// console line ("X and N other files"), timeout = the sum of its members'
// timeouts. Every file of a batch still runs in a sandbox that holds only
// declared dependencies -- of the batch as a whole.
#ifndef BRAID_RULES_PYTHON_TEST_BATCHES_H_
#define BRAID_RULES_PYTHON_TEST_BATCHES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/graph/target.h"

namespace braid::python {

/// Tests that run in one pytest process. Invariant: `tests` is non-empty,
/// sorted by address, and every member has the same compatibility metadata.
struct TestBatch {
  std::vector<const graph::Target*> tests;
  /// The members' batch_compatibility_tag ("" for a batch of one untagged test).
  std::string tag;
};

/// Pants' default `[test] batch_size`.
inline constexpr int64_t kDefaultTestBatchSize = 128;

/// What an unset field means, so that a target spelling out the default is
/// compatible with one that leaves it unset (Pants compares resolved values).
struct BatchDefaults {
  std::vector<std::string> interpreter_constraints;  // [python] interpreter_constraints
  std::string resolve = "python-default";            // [python] default_resolve
};

/// Splits `tests` (any order; each a python_test target) into batches as
/// described above. Deterministic: batches ordered by their first address.
/// `batch_size` < 1 is treated as 1 (the option validates it).
std::vector<TestBatch> PartitionTestBatches(const std::vector<const graph::Target*>& tests,
                                            int64_t batch_size, const BatchDefaults& defaults);

/// "ADDR" for one test, "ADDR and N other files" for a batch (Pants' wording).
std::string BatchDescription(const TestBatch& batch);

/// Each batch's expected run time in milliseconds, from the durations earlier runs recorded
/// (seconds by address spec, test_shard.h): the sum over its members, a member without a
/// record counting as the median record (1 s when there is none). The test goal launches
/// the longest first (engine::Node::launch_priority), so no long run starts last.
std::vector<int64_t> ExpectedBatchMillis(const std::vector<TestBatch>& batches,
                                         const std::map<std::string, double>& recorded);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_TEST_BATCHES_H_

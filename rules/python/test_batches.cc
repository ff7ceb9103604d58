#include "rules/python/test_batches.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/json.h"
#include "core/build_file/value_json.h"

namespace braid::python {

namespace {

// Everything that must be equal for two tagged tests to share a process.
struct CompatibilityKey {
  std::string tag;
  std::vector<std::string> interpreter_constraints;
  std::vector<std::string> extra_env_vars;  // sorted
  std::string xdist_concurrency;            // JSON of the field ("null" when unset)
  std::string resolve;
  std::string environment;                  // JSON of the field

  bool operator<(const CompatibilityKey& o) const {
    return std::tie(tag, interpreter_constraints, extra_env_vars, xdist_concurrency, resolve,
                    environment) < std::tie(o.tag, o.interpreter_constraints, o.extra_env_vars,
                                            o.xdist_concurrency, o.resolve, o.environment);
  }
};

CompatibilityKey KeyOf(const graph::Target& t, const BatchDefaults& defaults) {
  CompatibilityKey k;
  k.tag = t.StringField("batch_compatibility_tag");
  k.interpreter_constraints = t.StringListField("interpreter_constraints");
  if (t.Field("interpreter_constraints").is_none()) {
    k.interpreter_constraints = defaults.interpreter_constraints;
  }
  k.extra_env_vars = t.StringListField("extra_env_vars");
  std::sort(k.extra_env_vars.begin(), k.extra_env_vars.end());
  k.xdist_concurrency = json::Write(build_file::ValueToJson(t.Field("xdist_concurrency")),
                                    json::CompactOptions());
  k.resolve = t.StringField("resolve");
  if (k.resolve.empty()) k.resolve = defaults.resolve;
  k.environment = json::Write(build_file::ValueToJson(t.Field("environment")),
                              json::CompactOptions());
  return k;
}

// Leading zero bits of a stable 64-bit hash of `key` (the "die roll" deciding boundaries).
int HashPrefixZeroBits(const std::string& key) {
  uint64_t h = XXH3_64bits(key.data(), key.size());
  return h == 0 ? 64 : std::countl_zero(h);
}

}  // namespace

std::vector<TestBatch> PartitionTestBatches(const std::vector<const graph::Target*>& tests,
                                            int64_t batch_size, const BatchDefaults& defaults) {
  batch_size = std::max<int64_t>(1, batch_size);
  const double threshold = std::log2(static_cast<double>(batch_size));
  const size_t size_max = static_cast<size_t>(2 * batch_size);

  std::vector<TestBatch> out;
  std::map<CompatibilityKey, std::vector<const graph::Target*>> groups;
  for (const graph::Target* t : tests) {
    CompatibilityKey key = KeyOf(*t, defaults);
    if (key.tag.empty()) {
      out.push_back(TestBatch{{t}, ""});
    } else {
      groups[std::move(key)].push_back(t);
    }
  }
  for (auto& [key, members] : groups) {
    std::sort(members.begin(), members.end(),
              [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });
    TestBatch batch{{}, key.tag};
    for (const graph::Target* t : members) {
      batch.tests.push_back(t);
      if (HashPrefixZeroBits(t->address.Spec()) >= threshold || batch.tests.size() >= size_max) {
        out.push_back(std::move(batch));
        batch = TestBatch{{}, key.tag};
      }
    }
    if (!batch.tests.empty()) out.push_back(std::move(batch));
  }
  std::sort(out.begin(), out.end(), [](const TestBatch& a, const TestBatch& b) {
    return a.tests.front()->address < b.tests.front()->address;
  });
  return out;
}

std::string BatchDescription(const TestBatch& batch) {
  std::string first = batch.tests.front()->address.Spec();
  if (batch.tests.size() == 1) return first;
  return absl::StrCat(first, " and ", batch.tests.size() - 1, " other files");
}

std::vector<int64_t> ExpectedBatchMillis(const std::vector<TestBatch>& batches,
                                         const std::map<std::string, double>& recorded) {
  double fallback = 1.0;
  if (!recorded.empty()) {
    std::vector<double> values;
    values.reserve(recorded.size());
    for (const auto& [spec, seconds] : recorded) values.push_back(seconds);
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    fallback = values[values.size() / 2];
  }
  std::vector<int64_t> out;
  out.reserve(batches.size());
  for (const TestBatch& b : batches) {
    double seconds = 0;
    for (const graph::Target* t : b.tests) {
      auto it = recorded.find(t->address.Spec());
      seconds += it != recorded.end() ? it->second : fallback;
    }
    out.push_back(static_cast<int64_t>(std::llround(seconds * 1000)));
  }
  return out;
}

}  // namespace braid::python

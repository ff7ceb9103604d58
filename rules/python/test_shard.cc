#include "rules/python/test_shard.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/base/error.h"
#include "core/base/json.h"
#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/fs/path.h"
#include "core/options/options.h"

namespace braid::python {

absl::StatusOr<std::optional<ShardSpec>> ParseShardSpec(absl::string_view text) {
  if (text.empty()) return std::nullopt;
  auto invalid = [&] {
    return UserError(Location{}, absl::StrCat("Invalid shard specification ", text,
                                              " from the [test].shard option. Use a string of the "
                                              "form \"k/N\" where k and N are integers, and 0 <= k "
                                              "< N ."));
  };
  size_t slash = text.find('/');
  if (slash == absl::string_view::npos) return invalid();
  int k = 0, n = 0;
  if (!absl::SimpleAtoi(text.substr(0, slash), &k) || !absl::SimpleAtoi(text.substr(slash + 1), &n)) {
    return invalid();
  }
  if (k < 0 || k >= n) return invalid();
  return ShardSpec{k, n};
}

std::string TestDurationsPath(const std::string& store_dir) {
  return absl::StrCat(store_dir, "/v1/test_durations.json");
}

TestDurations LoadTestDurations(const std::string& path) {
  TestDurations out;
  absl::StatusOr<std::string> text = options::ReadFileFromDisk(path);
  if (!text.ok()) return out;
  absl::StatusOr<json::Value> v = json::Parse(*text, path);
  const json::Value* d = v.ok() ? v->Find("durations") : nullptr;
  if (d == nullptr || d->kind() != json::Value::Kind::kObject) {
    BRAID_LOG(kDebug) << "ignoring unreadable test durations file " << path;
    return out;
  }
  for (const auto& [address, secs] : d->members()) {
    if (secs.kind() == json::Value::Kind::kInt || secs.kind() == json::Value::Kind::kDouble) {
      if (secs.as_double() >= 0) out[address] = secs.as_double();
    }
  }
  return out;
}

absl::Status SaveTestDurations(const std::string& path, const TestDurations& durations) {
  json::Value doc = json::Value::MakeObject();
  doc.Set("version", 1);
  json::Value d = json::Value::MakeObject();
  for (const auto& [address, secs] : durations) d.Set(address, secs);  // std::map: sorted
  doc.Set("durations", std::move(d));
  std::string bytes = json::Write(doc) + "\n";
  ::mkdir(std::string(fs::Dirname(path)).c_str(), 0755);
  std::string tmp = absl::StrCat(path, ".tmp.", ::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return EnvironmentError(Location{tmp, 0, 0, ""}, "cannot write");
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return EnvironmentError(Location{path, 0, 0, ""}, "cannot write the test durations file");
  }
  return absl::OkStatus();
}

namespace {

// The weight of each address: its recorded duration, else the median of
// the recorded ones among `addresses`; all 1.0 when none is recorded.
std::vector<double> Weights(const std::vector<std::string>& addresses,
                            const TestDurations& durations) {
  std::vector<double> known;
  for (const std::string& a : addresses) {
    if (auto it = durations.find(a); it != durations.end()) known.push_back(it->second);
  }
  if (known.empty()) return std::vector<double>(addresses.size(), 1.0);
  std::sort(known.begin(), known.end());
  double median = known[known.size() / 2];
  std::vector<double> w;
  w.reserve(addresses.size());
  for (const std::string& a : addresses) {
    auto it = durations.find(a);
    w.push_back(it != durations.end() ? it->second : median);
  }
  return w;
}

}  // namespace

std::vector<int> AssignShards(const std::vector<std::string>& addresses,
                              const TestDurations& durations, int count) {
  std::vector<int> shard(addresses.size(), 0);
  if (count <= 1) return shard;
  std::vector<double> w = Weights(addresses, durations);
  std::vector<size_t> order(addresses.size());
  std::iota(order.begin(), order.end(), 0);
  // Longest first; equal weights in address order (then position, for
  // duplicate addresses, which callers do not pass).
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (w[a] != w[b]) return w[a] > w[b];
    if (addresses[a] != addresses[b]) return addresses[a] < addresses[b];
    return a < b;
  });
  std::vector<double> load(count, 0.0);
  std::vector<size_t> items(count, 0);
  for (size_t i : order) {
    int best = 0;
    for (int s = 1; s < count; ++s) {
      // Least load; on a tie the fewest targets, then the lowest index.
      if (load[s] < load[best] || (load[s] == load[best] && items[s] < items[best])) best = s;
    }
    shard[i] = best;
    load[best] += w[i];
    ++items[best];
  }
  return shard;
}

std::string ShardBasisDigest(const std::vector<std::string>& addresses,
                             const TestDurations& durations) {
  std::vector<std::string> sorted = addresses;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> w = Weights(sorted, durations);
  std::string text;
  for (size_t i = 0; i < sorted.size(); ++i) absl::StrAppend(&text, sorted[i], "=", w[i], "\n");
  return Sha256Hex(text).substr(0, 12);
}

absl::StatusOr<std::vector<const graph::Target*>> ApplyTestShard(
    const std::string& spec_text, std::vector<const graph::Target*> tests,
    const std::string& durations_path, std::ostream& err) {
  absl::StatusOr<std::optional<ShardSpec>> spec = ParseShardSpec(spec_text);
  if (!spec.ok()) return spec.status();
  if (!spec->has_value()) return tests;
  TestDurations durations = LoadTestDurations(durations_path);
  std::vector<std::string> addresses;
  size_t recorded = 0;
  for (const graph::Target* t : tests) {
    addresses.push_back(t->address.Spec());
    recorded += durations.count(addresses.back());
  }
  std::vector<int> shard = AssignShards(addresses, durations, (*spec)->count);
  std::vector<const graph::Target*> mine;
  for (size_t i = 0; i < tests.size(); ++i) {
    if (shard[i] == (*spec)->index) mine.push_back(tests[i]);
  }
  err << "Shard " << (*spec)->index << "/" << (*spec)->count << ": " << mine.size() << " of "
      << tests.size() << " test targets, balanced by "
      << (recorded > 0 ? absl::StrCat("recorded durations (", recorded, " of ", tests.size(),
                                      " known)")
                       : std::string("count"))
      << "; basis " << ShardBasisDigest(addresses, durations) << "\n";
  return mine;
}

void RecordTestDurations(const std::string& durations_path,
                         const std::vector<std::vector<const graph::Target*>>& runs,
                         const std::vector<engine::NodeOutcome>& outcomes) {
  TestDurations durations = LoadTestDurations(durations_path);
  bool any = false;
  for (size_t i = 0; i < runs.size() && i < outcomes.size(); ++i) {
    if (!outcomes[i].action || runs[i].empty()) continue;
    const double share = absl::ToDoubleSeconds(outcomes[i].action->duration) /
                         static_cast<double>(runs[i].size());
    for (const graph::Target* t : runs[i]) durations[t->address.Spec()] = share;
    any = true;
  }
  if (!any) return;
  absl::Status s = SaveTestDurations(durations_path, durations);
  if (!s.ok()) {
    BRAID_LOG(kDebug) << "could not record test durations: " << s.message();
  }
}

}  // namespace braid::python

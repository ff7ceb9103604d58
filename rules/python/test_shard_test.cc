#include "rules/python/test_shard.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

TEST(ParseShardSpec, AcceptsKOverN) {
  EXPECT_EQ(ParseShardSpec("").value(), std::nullopt);
  absl::StatusOr<std::optional<ShardSpec>> s = ParseShardSpec("2/5");
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->index, 2);
  EXPECT_EQ((*s)->count, 5);
  EXPECT_TRUE(ParseShardSpec("0/1").ok());
}

TEST(ParseShardSpec, RejectsWithPantsMessage) {
  for (const char* bad : {"3/3", "-1/3", "1", "a/3", "1/b", "1/0", "/", "1/3/4"}) {
    absl::StatusOr<std::optional<ShardSpec>> s = ParseShardSpec(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().message(),
              absl::StrCat("Invalid shard specification ", bad,
                           " from the [test].shard option. Use a string of the form \"k/N\" "
                           "where k and N are integers, and 0 <= k < N ."));
  }
}

std::vector<std::string> Addresses(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(absl::StrCat("src/t", i, "_test.py:tests"));
  return out;
}

TEST(AssignShards, EveryTargetInExactlyOneShardAndCountsBalanced) {
  for (int n = 0; n <= 23; ++n) {
    for (int count = 1; count <= 6; ++count) {
      std::vector<int> s = AssignShards(Addresses(n), {}, count);
      ASSERT_EQ(s.size(), static_cast<size_t>(n));
      std::vector<int> sizes(count, 0);
      for (int x : s) {
        ASSERT_GE(x, 0);
        ASSERT_LT(x, count);
        ++sizes[x];
      }
      EXPECT_LE(*std::max_element(sizes.begin(), sizes.end()) -
                    *std::min_element(sizes.begin(), sizes.end()),
                1)
          << n << " targets, " << count << " shards";
    }
  }
}

TEST(AssignShards, IndependentOfInputOrder) {
  std::vector<std::string> a = Addresses(9);
  TestDurations d = {{a[0], 5.0}, {a[3], 0.5}, {a[7], 2.0}};
  std::vector<int> forward = AssignShards(a, d, 3);
  std::vector<std::string> reversed(a.rbegin(), a.rend());
  std::vector<int> backward = AssignShards(reversed, d, 3);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(forward[i], backward[a.size() - 1 - i]);
}

TEST(AssignShards, BalancesByRecordedDurations) {
  // One 10 s test and nine 1 s tests on two shards: by count, 5 and 5
  // (10+4 vs 5 seconds); by duration, the long one alone-ish (10 vs 9).
  std::vector<std::string> a = Addresses(10);
  TestDurations d;
  for (const std::string& x : a) d[x] = 1.0;
  d[a[4]] = 10.0;
  std::vector<int> s = AssignShards(a, d, 2);
  double load[2] = {0, 0};
  for (size_t i = 0; i < a.size(); ++i) load[s[i]] += d[a[i]];
  EXPECT_EQ(load[s[4]], 10.0);
  EXPECT_EQ(load[1 - s[4]], 9.0);
}

TEST(AssignShards, UnrecordedTargetsWeighTheMedian) {
  std::vector<std::string> a = {"a:t", "b:t", "c:t", "d:t"};
  // Median of {1, 3, 8} is 3: d:t (unknown) weighs 3.
  TestDurations d = {{"a:t", 8.0}, {"b:t", 1.0}, {"c:t", 3.0}};
  std::vector<int> s = AssignShards(a, d, 2);
  // a (8) -> 0; c (3) -> 1; d (3) -> 1; b (1) -> 1.
  EXPECT_EQ(s, (std::vector<int>{0, 1, 1, 1}));
  EXPECT_NE(ShardBasisDigest(a, d), ShardBasisDigest(a, {}));
  EXPECT_EQ(ShardBasisDigest(a, d), ShardBasisDigest({"d:t", "c:t", "b:t", "a:t"}, d));
}

TEST(TestDurationsFile, RoundTripsAndToleratesGarbage) {
  char tmpl[] = "/tmp/braid_shard_test_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = TestDurationsPath(tmpl);
  EXPECT_EQ(path, absl::StrCat(tmpl, "/v1/test_durations.json"));
  EXPECT_TRUE(LoadTestDurations(path).empty());
  TestDurations d = {{"b:t", 0.25}, {"a:t", 2.0}};
  ASSERT_TRUE(SaveTestDurations(path, d).ok());
  EXPECT_EQ(LoadTestDurations(path), d);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "{\n  \"version\": 1,\n  \"durations\": {\n    \"a:t\": 2.0,\n    \"b:t\": 0.25\n  }\n}\n");
  std::ofstream(path) << "{not json";
  EXPECT_TRUE(LoadTestDurations(path).empty());
  ::unlink(path.c_str());
  ::rmdir(absl::StrCat(tmpl, "/v1").c_str());
  ::rmdir(tmpl);
}

}  // namespace
}  // namespace braid::python

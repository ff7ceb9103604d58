#include "rules/python/test_batches.h"

#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/graph/target_type.h"
#include "gtest/gtest.h"
#include "rules/python/target_types.h"

namespace braid::python {
namespace {

using build_file::Value;
using ::braid::Address;
using graph::Target;

Value Strings(std::vector<std::string> items) {
  std::vector<Value> v;
  for (std::string& s : items) v.push_back(Value::String(std::move(s)));
  return Value::List(std::move(v));
}

class PartitionTestBatchesTest : public ::testing::Test {
 protected:
  PartitionTestBatchesTest() { RegisterPythonTargetTypes(registry_); }

  // A python_test target for tests/<file> with `fields` set.
  const Target* Test(const std::string& file, std::vector<std::pair<std::string, Value>> fields = {}) {
    Target& t = targets_.emplace_back();
    t.address = Address("tests").WithRelativeFilePath(file);
    t.InitFields(registry_.Find("python_test"));
    for (auto& [name, value] : fields) EXPECT_TRUE(t.SetField(name, value)) << name;
    t.sources = {absl::StrCat("tests/", file)};
    return &t;
  }
  const Target* Tagged(const std::string& file, const std::string& tag,
                       std::vector<std::pair<std::string, Value>> more = {}) {
    more.push_back({"batch_compatibility_tag", Value::String(tag)});
    return Test(file, std::move(more));
  }

  static std::vector<std::vector<std::string>> Specs(const std::vector<TestBatch>& batches) {
    std::vector<std::vector<std::string>> out;
    for (const TestBatch& b : batches) {
      std::vector<std::string>& specs = out.emplace_back();
      for (const Target* t : b.tests) specs.push_back(t->address.Spec());
    }
    return out;
  }

  graph::TargetTypeRegistry registry_;
  std::deque<Target> targets_;  // stable addresses
  BatchDefaults defaults_;
};

TEST_F(PartitionTestBatchesTest, UntaggedTestsRunAloneAndTaggedOnesTogether) {
  const Target* c = Tagged("c_test.py", "db");
  const Target* a = Tagged("a_test.py", "db");
  const Target* b = Test("b_test.py");
  const Target* e = Test("e_test.py", {{"batch_compatibility_tag", Value::String("")}});
  std::vector<TestBatch> batches = PartitionTestBatches({c, b, a, e}, 128, defaults_);
  EXPECT_EQ(Specs(batches),
            (std::vector<std::vector<std::string>>{
                {"tests/a_test.py", "tests/c_test.py"}, {"tests/b_test.py"}, {"tests/e_test.py"}}));
  EXPECT_EQ(batches[0].tag, "db");
  EXPECT_EQ(batches[1].tag, "");
  EXPECT_EQ(BatchDescription(batches[0]), "tests/a_test.py and 1 other files");
  EXPECT_EQ(BatchDescription(batches[1]), "tests/b_test.py");
}

TEST_F(PartitionTestBatchesTest, DifferentTagsOrMetadataNeverShareABatch) {
  std::vector<const Target*> in = {
      Tagged("a_test.py", "x"),
      Tagged("b_test.py", "y"),
      Tagged("c_test.py", "x", {{"extra_env_vars", Strings({"A=1"})}}),
      Tagged("d_test.py", "x", {{"xdist_concurrency", Value::Int(2)}}),
      Tagged("e_test.py", "x", {{"resolve", Value::String("other")}}),
      Tagged("f_test.py", "x", {{"interpreter_constraints", Strings({"==3.9.*"})}}),
      Tagged("g_test.py", "x", {{"environment", Value::String("docker")}}),
      Tagged("h_test.py", "x"),
  };
  std::vector<TestBatch> batches = PartitionTestBatches(in, 128, defaults_);
  EXPECT_EQ(Specs(batches), (std::vector<std::vector<std::string>>{{"tests/a_test.py", "tests/h_test.py"},
                                                                   {"tests/b_test.py"},
                                                                   {"tests/c_test.py"},
                                                                   {"tests/d_test.py"},
                                                                   {"tests/e_test.py"},
                                                                   {"tests/f_test.py"},
                                                                   {"tests/g_test.py"}}));
}

TEST_F(PartitionTestBatchesTest, SpelledOutDefaultsAndEnvOrderAreCompatible) {
  defaults_.interpreter_constraints = {"CPython>=3.9"};
  std::vector<const Target*> in = {
      Tagged("a_test.py", "x", {{"extra_env_vars", Strings({"B=2", "A=1"})}}),
      Tagged("b_test.py", "x",
             {{"extra_env_vars", Strings({"A=1", "B=2"})},
              {"resolve", Value::String("python-default")},
              {"interpreter_constraints", Strings({"CPython>=3.9"})}}),
  };
  EXPECT_EQ(PartitionTestBatches(in, 128, defaults_).size(), 1u);
}

TEST_F(PartitionTestBatchesTest, BatchSizeBoundsBatchesAndEveryTestIsInExactlyOne) {
  std::vector<const Target*> in;
  for (int i = 0; i < 300; ++i) in.push_back(Tagged(absl::StrCat("t", i, "_test.py"), "x"));
  for (int64_t size : {1, 2, 4, 16, 128}) {
    std::vector<TestBatch> batches = PartitionTestBatches(in, size, defaults_);
    std::set<const Target*> seen;
    for (const TestBatch& b : batches) {
      ASSERT_FALSE(b.tests.empty());
      EXPECT_LE(b.tests.size(), static_cast<size_t>(2 * size)) << size;
      EXPECT_TRUE(std::is_sorted(b.tests.begin(), b.tests.end(),
                                 [](const Target* x, const Target* y) { return x->address < y->address; }));
      for (const Target* t : b.tests) EXPECT_TRUE(seen.insert(t).second) << t->address.Spec();
    }
    EXPECT_EQ(seen.size(), in.size()) << size;
    if (size == 1) {
      EXPECT_EQ(batches.size(), in.size());
    }
    if (size == 16) {
      // Boundaries fall where the hash says, so the batch count is about 300 / 16.
      EXPECT_GE(batches.size(), 300u / 32);
      EXPECT_LE(batches.size(), 300u / 4);
    }
  }
}

TEST_F(PartitionTestBatchesTest, BoundariesAreStableWhenATestIsAdded) {
  std::vector<const Target*> in;
  for (int i = 0; i < 200; ++i) in.push_back(Tagged(absl::StrCat("t", 1000 + i, "_test.py"), "x"));
  std::vector<TestBatch> before = PartitionTestBatches(in, 8, defaults_);
  in.push_back(Tagged("t1100a_test.py", "x"));  // sorts into the middle
  std::vector<TestBatch> after = PartitionTestBatches(in, 8, defaults_);
  auto as_set = [](const std::vector<TestBatch>& bs) {
    std::set<std::vector<std::string>> out;
    for (auto& b : Specs(bs)) out.insert(b);
    return out;
  };
  std::set<std::vector<std::string>> a = as_set(before), b = as_set(after);
  int changed = 0;
  for (const auto& batch : b) changed += a.count(batch) ? 0 : 1;
  // Only the batch the new test joined (and, if it hit the size cap, its neighbour) changes.
  EXPECT_GE(changed, 1);
  EXPECT_LE(changed, 2);
}

TEST_F(PartitionTestBatchesTest, DeterministicWhateverTheInputOrder) {
  std::vector<const Target*> in;
  for (int i = 0; i < 50; ++i) in.push_back(Tagged(absl::StrCat("t", i, "_test.py"), i % 3 ? "x" : "y"));
  std::vector<std::vector<std::string>> forward = Specs(PartitionTestBatches(in, 4, defaults_));
  std::reverse(in.begin(), in.end());
  EXPECT_EQ(Specs(PartitionTestBatches(in, 4, defaults_)), forward);
}

TEST_F(PartitionTestBatchesTest, ExpectedMillisSumRecordsWithTheMedianForUnknownTests) {
  std::vector<TestBatch> batches = PartitionTestBatches(
      {Tagged("a_test.py", "x"), Tagged("b_test.py", "x"), Test("c_test.py"), Test("d_test.py")},
      128, defaults_);
  ASSERT_EQ(batches.size(), 3u);  // a+b, c, d
  EXPECT_EQ(ExpectedBatchMillis(batches, {}), (std::vector<int64_t>{2000, 1000, 1000}));
  std::map<std::string, double> recorded = {
      {"tests/a_test.py", 0.5}, {"tests/c_test.py", 3.0}, {"tests/zz_test.py", 0.25}};
  // b and d have no record: they count as the median record, 0.5 s.
  EXPECT_EQ(ExpectedBatchMillis(batches, recorded), (std::vector<int64_t>{1000, 3000, 500}));
}

}  // namespace
}  // namespace braid::python

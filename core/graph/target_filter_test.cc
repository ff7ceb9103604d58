#include "core/graph/target_filter.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"

namespace braid::graph {
namespace {

using test_util::Strings;

class TargetFilterTest : public ::testing::Test {
 protected:
  TargetFilterTest() : types_(test_util::LibSourcesTypes()) {
    // src/a:lib (lib_sources) generating src/a/x.src:lib, tagged "unit"; and
    // src/b:tool (target) tagged "integration", "slow"; and 3rd#gen, untagged.
    Add(Address("src/a", "lib"), "lib_sources", {"unit"});
    Add(Address("src/a", "lib").WithRelativeFilePath("x.src"), "lib_source", {"unit"});
    Add(Address("src/b", "tool"), "target", {"integration", "slow"});
    Add(Address("3rd", "").WithGeneratedName("gen"), "target", {});
  }

  void Add(Address address, const char* alias, std::vector<std::string> tags) {
    Target t;
    t.address = std::move(address);
    t.InitFields(types_.Find(alias));
    if (!tags.empty()) t.SetField("tags", Strings(tags));
    targets_.push_back(std::move(t));
  }

  // The specs of the targets passing `options`, in order.
  std::vector<std::string> Pass(const TargetFilterOptions& options) {
    absl::StatusOr<TargetFilter> f = TargetFilter::Create(options, types_);
    EXPECT_TRUE(f.ok()) << f.status();
    std::vector<std::string> out;
    if (!f.ok()) return out;
    for (const Target& t : targets_) {
      if (f->Matches(t)) out.push_back(t.address.Spec());
    }
    return out;
  }

  TargetTypeRegistry types_;
  std::vector<Target> targets_;
};

using Specs = std::vector<std::string>;

TEST_F(TargetFilterTest, EmptyOptionsMatchEverything) {
  absl::StatusOr<TargetFilter> f = TargetFilter::Create({}, types_);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->empty());
  EXPECT_EQ(Pass({}).size(), targets_.size());
}

TEST_F(TargetFilterTest, TargetTypeCommaListIsOr) {
  TargetFilterOptions o;
  o.target_types = {"lib_sources,lib_source"};
  EXPECT_EQ(Pass(o), (Specs{"src/a:lib", "src/a/x.src:lib"}));
}

TEST_F(TargetFilterTest, MinusNegatesTheWholeList) {
  TargetFilterOptions o;
  o.target_types = {"-lib_sources,lib_source"};
  EXPECT_EQ(Pass(o), (Specs{"src/b:tool", "3rd#gen"}));
  o.target_types = {"+target"};
  EXPECT_EQ(Pass(o), (Specs{"src/b:tool", "3rd#gen"}));
}

TEST_F(TargetFilterTest, SeveralValuesAndOptionsAreAnded) {
  TargetFilterOptions o;
  o.target_types = {"target", "-lib_source"};
  o.address_regexes = {"^src/"};
  EXPECT_EQ(Pass(o), (Specs{"src/b:tool"}));
}

TEST_F(TargetFilterTest, AddressRegexSearchesTheSpec) {
  TargetFilterOptions o;
  o.address_regexes = {"x\\.src"};  // unanchored, like re.search
  EXPECT_EQ(Pass(o), (Specs{"src/a/x.src:lib"}));
  o.address_regexes = {"-#gen$,:tool$"};
  EXPECT_EQ(Pass(o), (Specs{"src/a:lib", "src/a/x.src:lib"}));
}

TEST_F(TargetFilterTest, TagRegexNeedsSomeMatchingTag) {
  TargetFilterOptions o;
  o.tag_regexes = {"^integ"};
  EXPECT_EQ(Pass(o), (Specs{"src/b:tool"}));
  o.tag_regexes = {"-slow|unit"};  // untagged targets pass a negated filter
  EXPECT_EQ(Pass(o), (Specs{"3rd#gen"}));
}

TEST_F(TargetFilterTest, GranularityFileAndBuild) {
  TargetFilterOptions o;
  o.granularity = TargetGranularity::kFile;
  EXPECT_EQ(Pass(o), (Specs{"src/a/x.src:lib"}));
  o.granularity = TargetGranularity::kBuild;  // generated non-file targets count as BUILD
  EXPECT_EQ(Pass(o), (Specs{"src/a:lib", "src/b:tool", "3rd#gen"}));
  EXPECT_EQ(ParseTargetGranularity("BUILD"), TargetGranularity::kBuild);
  EXPECT_EQ(ParseTargetGranularity("build"), std::nullopt);
}

TEST_F(TargetFilterTest, UnknownTargetTypeIsAUserErrorWithHint) {
  TargetFilterOptions o;
  o.target_types = {"-target,lib_sourcse"};
  absl::StatusOr<TargetFilter> f = TargetFilter::Create(o, types_);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(f.status().message(),
            "--filter-target-type: target type 'lib_sourcse' is not registered\n"
            "  hint: did you mean 'lib_source'?");
}

TEST_F(TargetFilterTest, InvalidRegexNamesTheOption) {
  TargetFilterOptions o;
  o.tag_regexes = {"(unclosed"};
  absl::StatusOr<TargetFilter> f = TargetFilter::Create(o, types_);
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(absl::StartsWith(f.status().message(),
                               "--filter-tag-regex: invalid regular expression '(unclosed'"))
      << f.status();
}

TEST_F(TargetFilterTest, ApplyKeepsOrder) {
  TargetFilterOptions o;
  o.target_types = {"target"};
  absl::StatusOr<TargetFilter> f = TargetFilter::Create(o, types_);
  ASSERT_TRUE(f.ok());
  std::vector<const Target*> in = {&targets_[3], &targets_[0], &targets_[2]};
  EXPECT_EQ(f->Apply(in), (std::vector<const Target*>{&targets_[3], &targets_[2]}));
}

}  // namespace
}  // namespace braid::graph

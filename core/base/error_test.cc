#include "core/base/error.h"

#include "gtest/gtest.h"

namespace braid {
namespace {

TEST(Error, FormatsPlaceSourceLineCaretAndHint) {
  Location loc{"src/BUILD", 3, 5, "    python_sources(sorces=[])"};
  EXPECT_EQ(FormatLocated(loc, "unknown field", "did you mean 'sources'?"),
            "src/BUILD:3:5: unknown field\n        python_sources(sorces=[])\n        ^\n"
            "  hint: did you mean 'sources'?");
}

TEST(Error, LocationWithoutColumnOrLine) {
  EXPECT_EQ((Location{"pants.toml", 7, 0, ""}).ToString(), "pants.toml:7");
  EXPECT_EQ((Location{"pants.toml", 0, 0, ""}).ToString(), "pants.toml");
}

TEST(Error, UserErrorIsInvalidArgument) {
  EXPECT_EQ(UserError({"f", 1, 1, ""}, "m").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EnvironmentError({}, "m").code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Error, LineOfHandlesCrlfAndRange) {
  EXPECT_EQ(LineOf("a\r\nbc\r\n", 2), "bc");
  EXPECT_EQ(LineOf("a\nb", 3), "");
  EXPECT_EQ(LineOf("a\nb", 0), "");
}

TEST(Error, DidYouMeanPicksClosePlausibleName) {
  std::vector<std::string> c = {"sources", "dependencies", "tags"};
  EXPECT_EQ(DidYouMean("sorces", c), "did you mean 'sources'?");
  EXPECT_EQ(DidYouMean("zzzzzzzzzz", c), "");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

}  // namespace
}  // namespace braid

#include "core/app/extensions.h"

#include "core/app/backends.h"
#include "core/app/app.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace braid::app {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(PackageMetadata, SetReplacesEveryValueInPlace) {
  PackageMetadata m;
  m.Add("Name", "a");
  m.Add("Classifier", "x");
  m.Add("Version", "1");
  m.Add("Classifier", "y");
  m.Set("Classifier", "z");
  EXPECT_THAT(m.fields, ElementsAre(Pair("Name", "a"), Pair("Classifier", "z"), Pair("Version", "1")));
  m.Set("Summary", "s");
  EXPECT_EQ(m.fields.back(), std::make_pair(std::string("Summary"), std::string("s")));
  m.Remove("Classifier");
  EXPECT_THAT(m.GetAll("Classifier"), ElementsAre());
  EXPECT_EQ(m.Get("Version"), "1");
  EXPECT_EQ(m.Get("Nope"), "");
}

TEST(AddBackendHint, NamesTheDisabledBackend) {
  Registries r;
  Backend b;
  b.name = "braid.plugins.changelog";
  b.goals = {"changelog"};
  b.target_types = {"news"};
  r.backends.Register(b);
  absl::Status goal = AddBackendHint(absl::InvalidArgumentError("unknown goal 'changelog'"), r);
  EXPECT_EQ(goal.message(),
            "unknown goal 'changelog'\n  hint: the goal 'changelog' is provided by the backend "
            "'braid.plugins.changelog': add \"braid.plugins.changelog\" to backend_packages in the "
            "[GLOBAL] section of pants.toml");
  absl::Status type = AddBackendHint(
      absl::InvalidArgumentError("BUILD:1:1: name 'news' is not defined\n    news()\n    ^"), r);
  EXPECT_NE(type.message().find("hint: the target type 'news' is provided by"), std::string::npos);
  // Enabled backends and unrelated errors get no hint.
  absl::Status other = absl::InvalidArgumentError("unknown goal 'tset'");
  EXPECT_EQ(AddBackendHint(other, r), other);
  r.backends.MarkEnabled("braid.plugins.changelog");
  absl::Status enabled = absl::InvalidArgumentError("unknown goal 'changelog'");
  EXPECT_EQ(AddBackendHint(enabled, r), enabled);
}

}  // namespace
}  // namespace braid::app

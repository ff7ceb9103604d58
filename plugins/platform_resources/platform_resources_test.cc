#include "plugins/platform_resources/platform_resources.h"

#include "gtest/gtest.h"

namespace braid::plugin::platform_resources {
namespace {

pb::InferDependenciesRequest Request(const std::string& map_json) {
  pb::InferDependenciesRequest req;
  req.mutable_target()->set_address("res:native");
  req.mutable_target()->set_type("platform_resources");
  (*req.mutable_target()->mutable_fields_json())["dependency_map"] = map_json;
  return req;
}

TEST(PlatformOf, MapsUname) {
  EXPECT_EQ(PlatformOf("Linux", "x86_64"), "linux_x86_64");
  EXPECT_EQ(PlatformOf("Linux", "aarch64"), "linux_arm64");
  EXPECT_EQ(PlatformOf("Darwin", "arm64"), "macos_arm64");
  EXPECT_EQ(PlatformOf("Darwin", "x86_64"), "macos_x86_64");
}

TEST(WheelPlatformTag, KnownPlatforms) {
  EXPECT_EQ(WheelPlatformTag("linux_arm64"), "manylinux2014_aarch64");
  EXPECT_EQ(WheelPlatformTag("macos_arm64"), "macosx_11_0_arm64");
  EXPECT_EQ(WheelPlatformTag("windows"), "");
}

TEST(InferChosenDependency, AddsTheChosenPlatformsAddress) {
  absl::StatusOr<pb::InferDependenciesResponse> r = InferChosenDependency(
      Request(R"({"linux_x86_64": ":a", "macos_arm64": ":b"})"),
      {{"platform-specific-resources.target", "\"macos_arm64\""}});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->add_size(), 1);
  EXPECT_EQ(r->add(0).address(), ":b");
  EXPECT_EQ(r->add(0).reason(), "platform resource");
  EXPECT_EQ(r->exclude_size(), 0);
}

TEST(InferChosenDependency, UnknownPlatformIsAnError) {
  absl::StatusOr<pb::InferDependenciesResponse> r =
      InferChosenDependency(Request(R"({"windows": ":a"})"),
                            {{"platform-specific-resources.target", "\"linux_x86_64\""}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "res/BUILD: res:native: unknown platform 'windows' in dependency_map\n"
            "  hint: platforms are: linux_x86_64, linux_arm64, macos_x86_64, macos_arm64");
}

TEST(InferChosenDependency, MissingPlatformIsAnError) {
  absl::StatusOr<pb::InferDependenciesResponse> r =
      InferChosenDependency(Request(R"({"linux_x86_64": ":a"})"),
                            {{"platform-specific-resources.target", "\"linux_arm64\""}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("dependency_map has no entry for the platform 'linux_arm64'"),
            std::string::npos);
}

}  // namespace
}  // namespace braid::plugin::platform_resources

#include "plugins/api/internal/external.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace braid::plugin::internal {
namespace {

using options::OptionValue;

OptionValue Decl(OptionValue::Dict spec) {
  return OptionValue::OfDict({{"p", OptionValue::OfDict(std::move(spec))}});
}

TEST(ParseExternalPlugins, ReadsEveryKey) {
  absl::StatusOr<std::vector<ExternalPlugin>> p = ParseExternalPlugins(
      Decl({{"command", OptionValue::StringList({"/usr/bin/python3", "x.py"})},
            {"hooks", OptionValue::StringList({"infer_dependencies"})},
            {"target_types", OptionValue::StringList({"python_source"})},
            {"inputs", OptionValue::StringList({"x.py"})},
            {"options", OptionValue::OfDict({{"tag", OptionValue::String("no-infer")}})},
            {"timeout_seconds", OptionValue::Int(5)}}),
      "pants.toml:3");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->size(), 1u);
  const ExternalPlugin& e = (*p)[0];
  EXPECT_EQ(e.name, "p");
  EXPECT_EQ(e.command, (std::vector<std::string>{"/usr/bin/python3", "x.py"}));
  EXPECT_EQ(e.options_json.at("tag"), "\"no-infer\"");
  EXPECT_EQ(e.timeout_seconds, 5);
  EXPECT_TRUE(e.Handles("infer_dependencies", "python_source"));
  EXPECT_FALSE(e.Handles("infer_dependencies", "resource"));
  EXPECT_FALSE(e.Handles("generate", "python_source"));
}

TEST(ParseExternalPlugins, UnknownHookIsALocatedError) {
  absl::StatusOr<std::vector<ExternalPlugin>> p =
      ParseExternalPlugins(Decl({{"command", OptionValue::StringList({"x"})},
                                 {"hooks", OptionValue::StringList({"infer"})}}),
                           "pants.toml:3");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("pants.toml:3: [braid-plugins].external.p: unknown hook "
                                      "'infer' (hooks are: distribution_metadata, generate, "
                                      "infer_dependencies, platform)"),
            std::string::npos)
      << p.status().message();
}

TEST(ParseExternalPlugins, CommandIsRequired) {
  absl::StatusOr<std::vector<ExternalPlugin>> p = ParseExternalPlugins(
      Decl({{"hooks", OptionValue::StringList({"generate"})}}), "pants.toml:3");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("'command' is required"), std::string::npos);
}

class CallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/braid-external-test-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    env_.buildroot = root_;
    env_.path_env = "/usr/bin:/bin";
    env_.sandbox_root = root_ + "/sandboxes";
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }
  void WriteScript(const std::string& name, const std::string& body) {
    std::ofstream(root_ + "/" + name) << "#!/bin/sh\n" << body;
    ::chmod((root_ + "/" + name).c_str(), 0755);
  }
  ExternalPlugin Plugin(const std::string& script) {
    ExternalPlugin p;
    p.name = "t";
    p.command = {"/bin/sh", script};
    p.inputs = {script};
    p.hooks = {"generate"};
    return p;
  }
  std::string root_;
  ExternalCallEnv env_;
};

TEST_F(CallTest, AnswerIsDecoded) {
  // PluginResponse{generate: {files: [{path: "a"}]}}: field 11 (0x5a), len 5,
  // GenerateResponse field 1 (0x0a) len 3, File field 1 (0x0a) len 1 "a".
  WriteScript("p.sh", "cat >/dev/null; printf '\\132\\005\\012\\003\\012\\001a'\n");
  absl::StatusOr<pb::PluginResponse> r = CallExternalPlugin(Plugin("p.sh"), {}, env_, nullptr);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->generate().files_size(), 1);
  EXPECT_EQ(r->generate().files(0).path(), "a");
}

TEST_F(CallTest, ErrorFieldFailsNamingThePlugin) {
  WriteScript("p.sh", "cat >/dev/null; printf '\\012\\003bad'\n");
  absl::StatusOr<pb::PluginResponse> r = CallExternalPlugin(Plugin("p.sh"), {}, env_, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "external plugin 't' (/bin/sh p.sh): bad");
}

TEST_F(CallTest, NonZeroExitIsAnErrorWithStderr) {
  WriteScript("p.sh", "echo boom >&2; exit 3\n");
  absl::StatusOr<pb::PluginResponse> r = CallExternalPlugin(Plugin("p.sh"), {}, env_, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "external plugin 't' (/bin/sh p.sh): exited with code 3:\nboom\n");
}

TEST_F(CallTest, RequestReachesThePluginOnStdin) {
  // The plugin copies its stdin to a file outside the sandbox, then answers.
  WriteScript("p.sh", "cat > \"" + root_ + "/seen\"; printf ''\n");
  pb::PluginRequest req;
  req.mutable_generate()->mutable_target()->set_address("src:x");
  ASSERT_TRUE(CallExternalPlugin(Plugin("p.sh"), req, env_, nullptr).ok());
  std::ifstream in(root_ + "/seen", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  pb::PluginRequest seen;
  ASSERT_TRUE(seen.ParseFromString(bytes));
  EXPECT_EQ(seen.protocol_version(), 1u);
  EXPECT_EQ(seen.plugin(), "t");
  EXPECT_EQ(seen.buildroot(), root_);
  EXPECT_EQ(seen.generate().target().address(), "src:x");
}

}  // namespace
}  // namespace braid::plugin::internal

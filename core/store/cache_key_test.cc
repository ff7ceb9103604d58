#include "core/store/cache_key.h"

#include <functional>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "core/store/internal/file_ops.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

ActionKeyInput Base() {
  ActionKeyInput in;
  in.argv = {"/usr/bin/python3.11", "-m", "pytest", "src/app/test_app.py"};
  in.env = {{"PYTHONHASHSEED", "0"}, {"LANG", "C.UTF-8"}, {"PATH", "/usr/bin:/bin"}};
  in.output_paths = {"report.xml", ".coverage"};
  in.working_directory = "";
  in.input_root = DigestOf("pretend root directory");
  in.interpreter = {"/usr/bin/python3.11", "3.11.4", DigestOf("pytest==7.4.0").hash};
  in.platform = {{"OSFamily", "linux"}, {"arch", "x86_64"}};
  in.rule_version = "pytest-1";
  in.timeout_seconds = 60;
  return in;
}

Digest KeyOf(const ActionKeyInput& in) {
  absl::StatusOr<ActionKey> key = ComputeActionKey(in);
  EXPECT_TRUE(key.ok()) << key.status();
  return key.ok() ? key->action_digest : Digest{};
}

struct Change {
  const char* what;
  std::function<void(ActionKeyInput&)> apply;
};

// One change per input; each must move the key, and no two may collide.
const std::vector<Change>& Changes() {
  static const auto* changes = new std::vector<Change>{
      {"argv element", [](ActionKeyInput& in) { in.argv[3] = "src/app/test_other.py"; }},
      {"argv order", [](ActionKeyInput& in) { std::swap(in.argv[1], in.argv[2]); }},
      {"argv appended", [](ActionKeyInput& in) { in.argv.push_back("-x"); }},
      {"env value", [](ActionKeyInput& in) { in.env[0].second = "1"; }},
      {"env added", [](ActionKeyInput& in) { in.env.emplace_back("CI", "true"); }},
      {"env removed", [](ActionKeyInput& in) { in.env.pop_back(); }},
      {"env empty value", [](ActionKeyInput& in) { in.env.emplace_back("EMPTY", ""); }},
      {"output path", [](ActionKeyInput& in) { in.output_paths.push_back("htmlcov"); }},
      {"working directory", [](ActionKeyInput& in) { in.working_directory = "src"; }},
      {"input root", [](ActionKeyInput& in) { in.input_root = DigestOf("another root"); }},
      {"input root size", [](ActionKeyInput& in) { in.input_root.size_bytes += 1; }},
      {"interpreter path", [](ActionKeyInput& in) { in.interpreter.path = "/opt/py/bin/python3.11"; }},
      {"interpreter version", [](ActionKeyInput& in) { in.interpreter.version = "3.11.5"; }},
      {"interpreter packages", [](ActionKeyInput& in) { in.interpreter.packages_digest = DigestOf("pytest==8.0.0").hash; }},
      {"platform value", [](ActionKeyInput& in) { in.platform[1].second = "aarch64"; }},
      {"platform added", [](ActionKeyInput& in) { in.platform.emplace_back("libc", "glibc"); }},
      {"rule version", [](ActionKeyInput& in) { in.rule_version = "pytest-2"; }},
      {"timeout", [](ActionKeyInput& in) { in.timeout_seconds = 61; }},
      {"no timeout", [](ActionKeyInput& in) { in.timeout_seconds.reset(); }},
      {"do_not_cache", [](ActionKeyInput& in) { in.do_not_cache = true; }},
  };
  return *changes;
}

TEST(CacheKey, SameInputSameKey) {
  EXPECT_EQ(KeyOf(Base()), KeyOf(Base()));
  EXPECT_TRUE(KeyOf(Base()).IsValid());
}

TEST(CacheKey, ChangingAnyOneInputChangesTheKey) {
  const Digest base = KeyOf(Base());
  std::set<Digest> seen = {base};
  for (const Change& c : Changes()) {
    ActionKeyInput in = Base();
    c.apply(in);
    Digest key = KeyOf(in);
    EXPECT_NE(key, base) << c.what;
    EXPECT_TRUE(seen.insert(key).second) << c.what << " collides with another change";
  }
}

TEST(CacheKey, ListingOrderDoesNotChangeTheKey) {
  const Digest base = KeyOf(Base());
  ActionKeyInput in = Base();
  std::reverse(in.env.begin(), in.env.end());
  std::reverse(in.output_paths.begin(), in.output_paths.end());
  std::reverse(in.platform.begin(), in.platform.end());
  EXPECT_EQ(KeyOf(in), base);
  in.output_paths.push_back("report.xml");  // duplicates are merged
  EXPECT_EQ(KeyOf(in), base);
}

TEST(CacheKey, HashMapIterationOrderDoesNotChangeTheKey) {
  // A rule that collects env in a hash map hands it over in arbitrary order.
  absl::flat_hash_map<std::string, std::string> env;
  for (int i = 0; i < 50; ++i) env["VAR_" + std::to_string(i)] = std::to_string(i * i);
  ActionKeyInput a = Base();
  a.env.assign(env.begin(), env.end());
  ActionKeyInput b = Base();
  b.env.assign(env.begin(), env.end());
  std::sort(b.env.begin(), b.env.end(), std::greater<>());
  EXPECT_EQ(KeyOf(a), KeyOf(b));
}

TEST(CacheKey, CommandIsCanonicalAndCarriesTheInterpreter) {
  absl::StatusOr<ActionKey> key = ComputeActionKey(Base());
  ASSERT_TRUE(key.ok());
  const reapi::Command& cmd = key->command;
  ASSERT_EQ(cmd.environment_variables_size(), 3);
  EXPECT_EQ(cmd.environment_variables(0).name(), "LANG");
  EXPECT_EQ(cmd.environment_variables(1).name(), "PATH");
  EXPECT_EQ(cmd.environment_variables(2).name(), "PYTHONHASHSEED");
  ASSERT_EQ(cmd.output_paths_size(), 2);
  EXPECT_EQ(cmd.output_paths(0), ".coverage");
  EXPECT_EQ(cmd.output_paths(1), "report.xml");
  std::vector<std::string> props;
  for (const auto& p : key->action.platform().properties()) props.push_back(p.name() + "=" + p.value());
  EXPECT_EQ(props, (std::vector<std::string>{
                       "OSFamily=linux", "arch=x86_64",
                       "braid.interpreter.packages=" + DigestOf("pytest==7.4.0").hash,
                       "braid.interpreter.path=/usr/bin/python3.11",
                       "braid.interpreter.version=3.11.4"}));
  EXPECT_EQ(SerializeDeterministic(cmd.platform()),
            SerializeDeterministic(key->action.platform()));
  EXPECT_EQ(key->action.salt(), "braid-action-key-1\npytest-1");
  EXPECT_EQ(key->action.timeout().seconds(), 60);
  EXPECT_EQ(key->command_digest, DigestOfMessage(cmd));
  EXPECT_EQ(*FromProto(key->action.command_digest()), key->command_digest);
  EXPECT_EQ(*FromProto(key->action.input_root_digest()), Base().input_root);
  EXPECT_EQ(key->action_digest, DigestOfMessage(key->action));
}

TEST(CacheKey, EncodingIsReapiWireFormat) {
  ActionKeyInput in;
  in.argv = {"echo", "hi"};
  absl::StatusOr<ActionKey> key = ComputeActionKey(in);
  ASSERT_TRUE(key.ok());
  // Command.arguments is field 1: tag 0x0a, length, bytes. Nothing else is set.
  EXPECT_EQ(SerializeDeterministic(key->command), std::string("\x0a\x04" "echo" "\x0a\x02" "hi"));
  // Action.command_digest is field 1, a Digest of 64 hex digits + size.
  std::string action = SerializeDeterministic(key->action);
  EXPECT_EQ(action.substr(0, 4), std::string("\x0a\x44\x0a\x40"));
  EXPECT_EQ(action.substr(4, 64), key->command_digest.hash);
}

TEST(CacheKey, MalformedInputsAreRuleBugs) {
  auto error = [](std::function<void(ActionKeyInput&)> f) {
    ActionKeyInput in = Base();
    f(in);
    absl::StatusOr<ActionKey> key = ComputeActionKey(in);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(key.status().message());
  };
  EXPECT_EQ(error([](ActionKeyInput& in) { in.argv.clear(); }), "an action needs a non-empty argv");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.env.emplace_back("LANG", "C"); }),
            "duplicate environment variable 'LANG'");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.env.emplace_back("A=B", "C"); }),
            "invalid environment variable name 'A=B'");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.platform.emplace_back("braid.interpreter.path", "/x"); }),
            "duplicate platform property 'braid.interpreter.path'");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.output_paths.push_back("/abs"); }),
            "invalid output path '/abs': must be relative, with no empty, '.' or '..' segments");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.output_paths.push_back("a/../../b"); }),
            "invalid output path 'a/../../b': must be relative, with no empty, '.' or '..' segments");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.working_directory = "../up"; }),
            "invalid working directory '../up': must be relative, with no empty, '.' or '..' segments");
  EXPECT_EQ(error([](ActionKeyInput& in) { in.input_root = Digest{"x", 0}; }),
            "invalid input root digest 'x/0'");
}

}  // namespace
}  // namespace braid::store

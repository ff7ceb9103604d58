#include "core/engine/action_io.h"

#include <unistd.h>

#include <fstream>

#include "absl/strings/match.h"

#include "core/store/store.h"
#include "core/store/store_test_util.h"
#include "gtest/gtest.h"

namespace braid::engine {
namespace {

using store::testing::TempDir;

ActionRequest Request() {
  ActionRequest r;
  r.spec.argv = {"pytest", "a_test.py"};
  r.spec.env = {{"PATH", "/usr/bin:/bin"}};
  r.inputs.push_back({"a_test.py", exec::FileBytes{"def test(): pass\n"}});
  r.key.rule_version = "pytest-1";
  return r;
}

store::Digest KeyOf(ActionRequest r) {
  absl::StatusOr<store::ActionKey> k = KeyAction(r);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.ok() ? k->action_digest : store::Digest{};
}

TEST(KeyAction, DerivesKeyFieldsFromTheRequest) {
  ActionRequest r = Request();
  r.key.argv = {"something", "else"};  // overwritten: the key is what runs
  r.output_files = {"report.xml"};
  r.spec.timeout = absl::Milliseconds(1500);
  ASSERT_TRUE(KeyAction(r).ok());
  EXPECT_EQ(r.key.argv, r.spec.argv);
  EXPECT_EQ(r.key.env, (std::vector<std::pair<std::string, std::string>>{{"PATH", "/usr/bin:/bin"}}));
  EXPECT_EQ(r.key.output_paths, std::vector<std::string>{"report.xml"});
  EXPECT_EQ(r.key.timeout_seconds, 2);
  EXPECT_NE(r.key.input_root, store::EmptyDigest());
}

TEST(KeyAction, EveryInputByteArgvEnvInterpreterAndRuleVersionChangeTheKey) {
  const store::Digest base = KeyOf(Request());
  EXPECT_EQ(KeyOf(Request()), base);

  ActionRequest byte = Request();
  byte.inputs[0].source = exec::FileBytes{"def test(): pass \n"};
  EXPECT_NE(KeyOf(byte), base);

  ActionRequest exec_bit = Request();
  exec_bit.inputs[0].executable = true;
  EXPECT_NE(KeyOf(exec_bit), base);

  ActionRequest argv = Request();
  argv.spec.argv.push_back("-q");
  EXPECT_NE(KeyOf(argv), base);

  ActionRequest env = Request();
  env.spec.env["LANG"] = "C";
  EXPECT_NE(KeyOf(env), base);

  ActionRequest interp = Request();
  interp.key.interpreter = {"/usr/bin/python3", "3.11.4", ""};
  EXPECT_NE(KeyOf(interp), base);

  ActionRequest rule = Request();
  rule.key.rule_version = "pytest-2";
  EXPECT_NE(KeyOf(rule), base);

  ActionRequest slot = Request();
  slot.execution_slot_var = "SLOT";
  EXPECT_NE(KeyOf(slot), base);

  ActionRequest empty_dir = Request();
  empty_dir.inputs.push_back({"data", exec::EmptyDirectory{}});
  EXPECT_NE(KeyOf(empty_dir), base);
}

TEST(KeyAction, TimeoutOutputsAndWorkingDirectoryChangeTheKey) {
  const store::Digest base = KeyOf(Request());
  ActionRequest timeout = Request();
  timeout.spec.timeout = absl::Seconds(30);
  EXPECT_NE(KeyOf(timeout), base);
  ActionRequest outputs = Request();
  outputs.output_files = {"report.xml"};
  EXPECT_NE(KeyOf(outputs), base);
  ActionRequest out_dir = Request();
  out_dir.output_directories = {"dist"};
  EXPECT_NE(KeyOf(out_dir), base);
  EXPECT_NE(KeyOf(outputs), KeyOf(out_dir));
  ActionRequest cwd = Request();
  cwd.spec.cwd = "src";
  EXPECT_NE(KeyOf(cwd), base);
  ActionRequest uncacheable = Request();
  uncacheable.cacheable = false;
  EXPECT_NE(KeyOf(uncacheable), base);
}

TEST(KeyAction, NothingButWhatRunsChangesTheKey) {
  const store::Digest base = KeyOf(Request());
  // What the user reads, how braid runs it and how often it may retry say nothing about
  // what a successful run produces.
  ActionRequest r = Request();
  r.spec.description = "Run Pytest for a_test.py:tests";
  r.spec.stdout_limit = 1;
  r.spec.stderr_limit = 1;
  r.spec.sandbox.isolation = exec::SandboxSpec::Isolation::kNamespaces;
  r.spec.sandbox.writable_root = "/tmp/braid-sandbox-Ab12Cd";
  r.spec.sandbox.loopback_only_network = false;
  r.attempts = 3;
  r.key.argv = {"stale"};  // engine-derived fields are overwritten from the request
  r.key.env = {{"STALE", "1"}};
  r.key.input_root = store::DigestOf("stale");
  EXPECT_EQ(KeyOf(r), base);

  // The order inputs are listed in, and where a local file lives, do not matter.
  TempDir dir;
  store::testing::WriteFile(dir / "one.py", "x = 1\n");
  store::testing::WriteFile(dir / "two.py", "x = 1\n");
  ActionRequest a = Request();
  a.inputs.push_back({"b.py", exec::FileBytes{"b"}});
  a.inputs.push_back({"c.py", exec::LocalFile{dir / "one.py"}});
  ActionRequest b = Request();
  b.inputs.insert(b.inputs.begin(), {"c.py", exec::LocalFile{dir / "two.py"}});
  b.inputs.insert(b.inputs.begin(), {"b.py", exec::FileBytes{"b"}});
  EXPECT_EQ(KeyOf(a), KeyOf(b));

  // Whole seconds: a timeout only changes the key when its rounded-up value does.
  ActionRequest t1 = Request();
  t1.spec.timeout = absl::Milliseconds(1200);
  ActionRequest t2 = Request();
  t2.spec.timeout = absl::Milliseconds(1900);
  EXPECT_EQ(KeyOf(t1), KeyOf(t2));
}

TEST(KeyAction, LocalFilesAreHashedByContent) {
  TempDir dir;
  store::testing::WriteFile(dir / "a.py", "x = 1\n");
  ActionRequest local = Request();
  local.inputs[0] = {"a_test.py", exec::LocalFile{dir / "a.py"}};
  ActionRequest bytes = Request();
  bytes.inputs[0] = {"a_test.py", exec::FileBytes{"x = 1\n"}};
  EXPECT_EQ(KeyOf(local), KeyOf(bytes));

  ActionRequest missing = Request();
  missing.inputs[0] = {"a_test.py", exec::LocalFile{dir / "gone.py"}};
  absl::StatusOr<store::ActionKey> k = KeyAction(missing);
  EXPECT_EQ(k.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(k.status().message(), "gone.py (for a_test.py)"))
      << k.status();
}

TEST(KeyAction, RejectsEscapingPaths) {
  ActionRequest r = Request();
  r.inputs[0].path = "../etc/passwd";
  EXPECT_EQ(KeyAction(r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RecordAction, StoresOutputsAndReplaysThem) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir / "store");
  ASSERT_TRUE(st.ok()) << st.status();
  absl::StatusOr<exec::Sandbox> sb = exec::Sandbox::Create(dir / "sandboxes");
  ASSERT_TRUE(sb.ok());
  store::testing::WriteFile(sb->path() + "/report.xml", "<xml/>");
  ASSERT_EQ(mkdir((sb->path() + "/cov").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((sb->path() + "/cov/sub").c_str(), 0755), 0);
  store::testing::WriteFile(sb->path() + "/cov/sub/index.html", "<html/>");

  ActionRequest r = Request();
  r.output_files = {"report.xml", "missing.txt"};
  r.output_directories = {"cov"};
  // Large enough to be blobs (smaller ones go inline: InlinesSmallStdoutAndStderr).
  const std::string big_out = std::string(5000, '.') + "1 passed\n";
  const std::string big_err = std::string(5000, 'w') + "\n";
  exec::ProcessResult p;
  p.exit_code = 0;
  p.stdout_bytes = big_out;
  p.stderr_bytes = big_err;
  p.start = absl::FromUnixSeconds(1000);
  p.wall_time = absl::Milliseconds(420);
  absl::StatusOr<ActionOutput> out = RecordAction(*sb, r, p, st->get());
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->output_files.size(), 2u);
  EXPECT_EQ(out->output_files[0].path, "cov/sub/index.html");
  EXPECT_EQ(out->output_files[1].path, "report.xml");
  EXPECT_EQ((*st)->cas().Get(out->output_files[1].digest), "<xml/>");
  EXPECT_EQ(out->action_result.output_files_size(), 1);
  EXPECT_EQ(out->action_result.output_directories_size(), 1);
  EXPECT_EQ(RecordedDuration(out->action_result), absl::Milliseconds(420));

  absl::StatusOr<ActionOutput> replay = ReplayActionResult(out->action_result, (*st)->cas());
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_TRUE(replay->cached());
  EXPECT_EQ(replay->process.stdout_bytes, big_out);
  EXPECT_EQ(replay->process.stderr_bytes, big_err);
  EXPECT_EQ(replay->duration, absl::Milliseconds(420));
  EXPECT_EQ(replay->process.start, absl::FromUnixSeconds(1000));
  EXPECT_EQ(replay->output_files, out->output_files);

  // With what ActionCache::Get read: the same replay, without reading those blobs again
  // (they are gone from the CAS here).
  ASSERT_TRUE((*st)->action_cache().Put(store::DigestOf("the action"), out->action_result).ok());
  store::ActionCache::VerifiedOutputs verified;
  ASSERT_TRUE((*st)->action_cache().Get(store::DigestOf("the action"), nullptr, &verified).has_value());
  ::unlink((*st)->cas().Path(*store::FromProto(out->action_result.stdout_digest())).c_str());
  ::unlink((*st)->cas().Path(*store::FromProto(out->action_result.stderr_digest())).c_str());
  absl::StatusOr<ActionOutput> again =
      ReplayActionResult(out->action_result, (*st)->cas(), &verified);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->process.stdout_bytes, big_out);
  EXPECT_EQ(again->process.stderr_bytes, big_err);
  EXPECT_EQ(again->output_files, out->output_files);
  EXPECT_FALSE(ReplayActionResult(out->action_result, (*st)->cas()).ok())
      << "without them, the replay reads the CAS (and the blobs are gone)";
}

TEST(RecordAction, InlinesSmallStdoutAndStderr) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir / "store");
  ASSERT_TRUE(st.ok()) << st.status();
  absl::StatusOr<exec::Sandbox> sb = exec::Sandbox::Create(dir / "sandboxes");
  ASSERT_TRUE(sb.ok());
  exec::ProcessResult p;
  p.stdout_bytes = std::string(4096, 'o');  // the largest inline size
  p.stderr_bytes = "";
  absl::StatusOr<ActionOutput> out = RecordAction(*sb, Request(), p, st->get());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->action_result.has_stdout_digest());
  EXPECT_FALSE(out->action_result.has_stderr_digest());
  EXPECT_EQ(out->action_result.stdout_raw(), p.stdout_bytes);
  EXPECT_FALSE((*st)->cas().Verify(store::DigestOf(p.stdout_bytes)));  // no blob was written
  // The entry alone replays them (ActionCache::Get has no blob to verify).
  ASSERT_TRUE((*st)->action_cache().Put(store::DigestOf("inline"), out->action_result).ok());
  std::optional<reapi::ActionResult> hit = (*st)->action_cache().Get(store::DigestOf("inline"));
  ASSERT_TRUE(hit.has_value());
  absl::StatusOr<ActionOutput> replay = ReplayActionResult(*hit, (*st)->cas());
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->process.stdout_bytes, p.stdout_bytes);
  EXPECT_EQ(replay->process.stderr_bytes, "");
  // One byte more and it is a blob.
  p.stdout_bytes.push_back('o');
  out = RecordAction(*sb, Request(), p, st->get());
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_TRUE(out->action_result.has_stdout_digest());
  EXPECT_TRUE(out->action_result.stdout_raw().empty());
  EXPECT_EQ((*st)->cas().Get(*store::FromProto(out->action_result.stdout_digest())),
            p.stdout_bytes);
}

TEST(RecordAction, WithoutAStoreOnlyDigests) {
  TempDir dir;
  absl::StatusOr<exec::Sandbox> sb = exec::Sandbox::Create(dir / "sandboxes");
  ASSERT_TRUE(sb.ok());
  store::testing::WriteFile(sb->path() + "/out.txt", "hi");
  ActionRequest r = Request();
  r.output_files = {"out.txt"};
  absl::StatusOr<ActionOutput> out = RecordAction(*sb, r, exec::ProcessResult(), nullptr);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->output_files.size(), 1u);
  EXPECT_EQ(out->output_files[0].digest, store::DigestOf("hi"));
}

}  // namespace
}  // namespace braid::engine

#include "rules/python/test_goal.h"

#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <future>
#include <memory>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/log.h"
#include "core/base/parallel.h"
#include "core/base/status_macros.h"
#include "core/engine/engine_options.h"
#include "core/engine/scheduler.h"
#include "core/exec/fork_server_runner.h"
#include "core/exec/local_process_runner.h"
#include "core/exec/namespaces.h"
#include "core/exec/trampoline.h"
#include "core/fs/path.h"
#include "core/graph/closure.h"
#include "core/graph/source_roots.h"
#include "core/options/global_options.h"
#include "core/options/shell_words.h"
#include "core/store/store.h"
#include "core/store/store_options.h"
#include "core/ui/console.h"
#include "core/ui/trace.h"
#include "rules/python/generated_files.h"
#include "rules/python/interpreter.h"
#include "rules/python/pytest_runner.h"
#include "rules/python/test_batches.h"
#include "rules/python/test_shard.h"

namespace braid::python {

namespace {

bool IsTest(const graph::Target& t) {
  if (t.alias() != "python_test") return false;
  const build_file::Value& skip = t.Field("skip_tests");
  return !(skip.kind() == build_file::Value::Kind::kBool && skip.bool_value());
}

// Writes `bytes` to root-relative `path` under the build root, creating parents.
absl::Status WriteReport(const std::string& buildroot, const std::string& path,
                         const std::string& bytes) {
  std::string dir(fs::Dirname(path));
  std::string so_far;
  for (absl::string_view part : absl::StrSplit(dir, '/', absl::SkipEmpty())) {
    so_far = so_far.empty() ? std::string(part) : absl::StrCat(so_far, "/", part);
    ::mkdir(absl::StrCat(buildroot, "/", so_far).c_str(), 0755);
  }
  std::string abs = absl::StrCat(buildroot, "/", path);
  FILE* f = std::fopen(abs.c_str(), "wb");
  if (f == nullptr) {
    return EnvironmentError(Location{path, 0, 0, ""}, "cannot write the test report");
  }
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  return absl::OkStatus();
}

absl::StatusOr<int> RunTest(app::GoalContext& ctx) {
  app::Workspace& ws = ctx.workspace;
  const options::Options& opts = ctx.options;
  BRAID_ASSIGN_OR_RETURN(engine::EngineSettings es,
                         engine::EngineSettingsFromOptions(opts, ws.env(), ws.buildroot()));
  if (es.sandbox_tmpfs) {
    // First, while braid has no threads (a threaded process cannot enter a user namespace).
    absl::StatusOr<std::string> dir = exec::EnterPrivateSandboxTmpfs(es.sandbox_root);
    if (dir.ok()) {
      es.sandbox_root = *dir;
    } else {
      BRAID_LOG(kDebug) << "sandboxes stay in " << es.sandbox_root
                        << " (no private tmpfs: " << dir.status().message() << ")";
    }
  }
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> selected, ws.SelectedTargets());
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* g, ws.Graph());
  // A generator selects what it generates.
  std::set<const graph::Target*> tests;
  for (const graph::Target* t : selected) {
    if (IsTest(*t)) tests.insert(t);
    for (uint32_t i : t->generated) {
      if (IsTest(g->targets()[i])) tests.insert(&g->targets()[i]);
    }
  }
  if (tests.empty()) {
    ws.WarnOnce("No applicable files or targets matched. The `test` goal works with these "
                "target types: python_test, python_tests");
    return 0;
  }
  // Probing for namespaces forks a child that sets one up (~7 ms): done on
  // another thread while the actions are prepared below.
  std::future<exec::SandboxCapabilities> capabilities =
      std::async(std::launch::async, exec::DetectSandboxCapabilities);
  std::vector<const graph::Target*> ordered(tests.begin(), tests.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });

  // Interpreter, store, engine settings.
  BRAID_ASSIGN_OR_RETURN(store::StoreSettings store_settings,
                         store::StoreSettingsFromOptions(opts, ws.env(), ws.buildroot()));
  BRAID_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, store::Store::Open(store_settings.dir));
  // --test-shard=k/N (rules/python/test_shard.h).
  const std::string durations_file = TestDurationsPath(store_settings.dir);
  BRAID_ASSIGN_OR_RETURN(ordered, ApplyTestShard(opts.GetString("test", "shard"), std::move(ordered),
                                                 durations_file, ctx.err));
  if (ordered.empty()) return 0;
  InterpreterRequest ir;
  ir.search_path = opts.GetStringList("python-bootstrap", "search_path");
  ir.names = opts.GetStringList("python-bootstrap", "names");
  ir.constraints = opts.GetStringList("python", "interpreter_constraints");
  ir.env = ws.env();
  ir.cache_file = absl::StrCat(store_settings.dir, "/v1/interpreters.json");
  ir.require_pytest = true;
  absl::StatusOr<InterpreterInfo> interpreter = SelectInterpreter(ir);
  if (!interpreter.ok()) return interpreter.status();

  PytestSettings ps;
  ps.interpreter = *interpreter;
  ps.buildroot = ws.buildroot();
  // A `shell_str` list as in Pants: `args = ["-k 'not slow'"]` is two arguments.
  BRAID_ASSIGN_OR_RETURN(ps.pytest_args, options::GetShellStrList(opts, "pytest", "args"));
  ps.passthrough = ctx.passthrough;
  ps.braid_env = ws.env();
  ExecutableBits executable_bits;
  ps.executable_bits = &executable_bits;
  BRAID_ASSIGN_OR_RETURN(ps.env,
                         ResolveExtraEnvVars(opts.GetStringList("test", "extra_env_vars"), ws.env()));
  ps.junit_family = opts.GetString("pytest", "junit_family");
  ps.timeouts = opts.GetBool("test", "timeouts");
  ps.timeout_default = opts.GetOptionalInt("test", "timeout_default");
  ps.timeout_maximum = opts.GetOptionalInt("test", "timeout_maximum");
  ps.execution_slot_var = opts.GetOptionalString("pytest", "execution_slot_var").value_or("");
  ps.fork_server = opts.GetBool("pytest", "fork_server");
  ps.fork_servers = std::make_shared<PytestForkServers>();
  ps.preload_modules = opts.GetStringList("pytest", "preload_modules");
  if (auto t = ws.env().find("BRAID_FORK_SERVER_TIMINGS"); t != ws.env().end()) {
    ps.fork_server_timings = t->second;
  }

  BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
  BRAID_ASSIGN_OR_RETURN(const SourceRoots* roots_ptr, ws.Roots());
  const SourceRoots& roots = *roots_ptr;
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver * deps, ws.Dependencies());
  absl::Time phase = absl::Now();
  auto log_phase = [&phase](absl::string_view what) {
    absl::Time now = absl::Now();
    BRAID_LOG(kDebug) << what << " in " << absl::ToDoubleMilliseconds(now - phase) << " ms";
    phase = now;
  };

  // Tests sharing a batch_compatibility_tag (and metadata) run together (test_batches.h).
  const int64_t batch_size = opts.GetInt("test", "batch_size");
  if (batch_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value for [test] batch_size (from ",
                     opts.SourceOf("test", "batch_size").ToString(), "): must be at least 1, got ",
                     batch_size));
  }
  BatchDefaults batch_defaults;
  batch_defaults.interpreter_constraints = ir.constraints;
  batch_defaults.resolve = opts.GetString("python", "default_resolve");
  const std::vector<TestBatch> batches = PartitionTestBatches(ordered, batch_size, batch_defaults);

  // One action per test file (or batch), holding its transitive closure. The closures come
  // from one shared walk of the graph (core/graph/closure.h); source roots are looked up
  // once per directory.
  std::vector<std::vector<const graph::Target*>> root_sets;
  root_sets.reserve(batches.size());
  for (const TestBatch& batch : batches) root_sets.push_back(batch.tests);
  BRAID_ASSIGN_OR_RETURN(std::vector<std::vector<const graph::Target*>> closures,
                         graph::TransitiveClosures(*deps, *index, root_sets));
  log_phase(absl::StrCat("computed the closures of ", batches.size(), " test runs"));
  // braid runs no code generator: say so, once per Protobuf / Thrift target a test needs,
  // instead of leaving the test's ImportError to explain it.
  absl::flat_hash_set<const graph::Target*> codegen_warned;
  for (size_t b = 0; b < batches.size(); ++b) {
    for (const graph::Target* t : closures[b]) {
      bool proto = t->alias() == "protobuf_source";
      if (!proto && t->alias() != "thrift_source") continue;
      if (!codegen_warned.insert(t).second) continue;
      ws.WarnOnce(absl::StrCat(
          t->address.Spec(), " (needed by ", batches[b].tests.front()->address.Spec(),
          "): braid does not generate Python code from ", proto ? "Protobuf" : "Thrift",
          " sources (Pants runs ", proto ? "protoc" : "the Thrift compiler",
          " here), so a test that imports the generated modules fails with ImportError "
          "unless they are checked in"));
    }
  }
  // Requests are built here (a bad target fails the goal before anything runs) and handed
  // over when the scheduler asks for them (once per node). The fork server, whose argv
  // holds a 30 kB script, is attached only then: one copy alive at a time.
  PytestSettings request_settings = ps;
  request_settings.fork_server = false;
  const int attempts =
      static_cast<int>(std::max<int64_t>(1, opts.GetInt("test", "attempts_default")));
  // Files plugins generate for each closure ("generate" extension point): asked first, one
  // batch at a time, since a plugin need not be thread-safe.
  std::vector<absl::StatusOr<std::vector<app::GeneratedFile>>> generated;
  generated.reserve(batches.size());
  for (size_t b = 0; b < batches.size(); ++b) {
    generated.push_back(GeneratedFilesOf(ws, ctx.extensions, closures[b]));
  }
  // The source root of every directory of the repository, looked up once; the workers only
  // read it (a generated file in a directory of its own is looked up where it is met).
  absl::flat_hash_map<absl::string_view, std::optional<std::string>> root_of_dir;
  root_of_dir.emplace("", roots.FindForDir(""));
  for (const std::string& dir : index->dirs()) root_of_dir.emplace(dir, roots.FindForDir(dir));
  // Then every request, on the rule threads (results by batch, so the order and the first
  // error are the serial loop's).
  std::vector<absl::StatusOr<engine::ActionRequest>> built(batches.size(),
                                                           absl::UnknownError("not built"));
  std::optional<int64_t> rule_threads = opts.GetOptionalInt("GLOBAL", "rule_threads_core");
  const int threads = rule_threads && *rule_threads > 0 ? static_cast<int>(*rule_threads)
                                                        : DefaultParallelism();
  ParallelFor(batches.size(), threads, [&](size_t b) {
    std::deque<std::optional<std::string>> other_roots;  // stable addresses
    auto root_of = [&](const std::string& file) -> const std::optional<std::string>& {
      absl::string_view dir = fs::Dirname(file);
      if (auto it = root_of_dir.find(dir); it != root_of_dir.end()) return it->second;
      return other_roots.emplace_back(roots.FindForDir(dir));
    };
    auto by_value = [](const std::string* x, const std::string* y) { return *x < *y; };
    auto same_value = [](const std::string* x, const std::string* y) { return *x == *y; };
    std::vector<const std::string*> files, root_list;
    if (!generated[b].ok()) return;  // reported below, in batch order
    const TestBatch& batch = batches[b];
    PytestInputs in;
    in.tests = batch.tests;
    for (const graph::Target* t : closures[b]) {
      if (t->is_generator()) continue;
      for (const std::string& f : t->sources) {
        files.push_back(&f);
        if (const std::optional<std::string>& r = root_of(f)) root_list.push_back(&*r);
      }
    }
    for (const graph::Target* test : batch.tests) {
      for (const std::string& f : test->sources) files.push_back(&f);
    }
    for (const app::GeneratedFile& f : *generated[b]) {
      if (const std::optional<std::string>& r = root_of(f.path)) root_list.push_back(&*r);
    }
    std::sort(files.begin(), files.end(), by_value);
    files.erase(std::unique(files.begin(), files.end(), same_value), files.end());
    std::sort(root_list.begin(), root_list.end(), by_value);
    root_list.erase(std::unique(root_list.begin(), root_list.end(), same_value),
                       root_list.end());
    in.files.reserve(files.size());
    for (const std::string* f : files) in.files.push_back(*f);
    for (const std::string* r : root_list) in.source_roots.push_back(*r);
    absl::StatusOr<engine::ActionRequest> request = BuildPytestAction(in, request_settings);
    if (request.ok()) {
      if (absl::Status s = AddGeneratedInputs(*generated[b], request->inputs); !s.ok()) {
        request = s;
      }
    }
    if (request.ok()) {
      // [test] attempts_default: the scheduler retries failed attempts (engine/action.h).
      request->attempts = attempts;
      // Hermeticity: without a config file at the sandbox root, pytest's config search walks
      // up into local_execution_root_dir's parents (a stray /tmp/pytest.ini would apply). An
      // empty pytest.ini is a valid config that ends the search (it wins even when empty).
      if (std::none_of(request->inputs.begin(), request->inputs.end(),
                       [](const exec::SandboxEntry& e) {
                         return e.path == "pytest.ini" || e.path == ".pytest.ini" ||
                                e.path == "pyproject.toml" || e.path == "tox.ini" ||
                                e.path == "setup.cfg";
                       })) {
        request->inputs.push_back({"pytest.ini", exec::FileBytes{""}, false});
      }
    }
    built[b] = std::move(request);
  });
  std::vector<engine::ActionRequest> requests;
  requests.reserve(batches.size());
  for (size_t b = 0; b < batches.size(); ++b) {
    if (!generated[b].ok()) return generated[b].status();
    if (!built[b].ok()) return built[b].status();
    requests.push_back(*std::move(built[b]));
  }
  log_phase(absl::StrCat("built ", requests.size(), " test actions"));
  // Longest expected runs first (recorded durations), so the last slot to free up is not
  // stuck with a long run started at the end; results and output order stay by address.
  const std::vector<int64_t> expected_ms =
      ExpectedBatchMillis(batches, LoadTestDurations(durations_file));
  engine::Graph eg;
  for (size_t b = 0; b < batches.size(); ++b) {
    engine::NodeId id = eg.AddAction(
        BatchDescription(batches[b]), {},
        [request = &requests[b], &ps](const engine::DepOutcomes&)
            -> absl::StatusOr<engine::ActionRequest> {
          engine::ActionRequest r = std::move(*request);
          AddPytestForkServer(ps, r);
          return r;
        });
    eg.mutable_node(id).summarize = true;
    eg.mutable_node(id).launch_priority = expected_ms[b];
  }

  engine::SchedulerOptions so = es.ToSchedulerOptions();
  so.force = opts.GetBool("test", "force");
  exec::SandboxCapabilities caps = capabilities.get();
  so.isolation = caps.namespaces ? exec::SandboxSpec::Isolation::kNamespaces
                                 : exec::SandboxSpec::Isolation::kNone;
  if (!caps.warning.empty()) ws.WarnOnce(caps.warning);

  uv_loop_t loop;
  uv_loop_init(&loop);
  exec::LocalProcessRunner::Options ro;
  ro.trampoline_exe = exec::CurrentExecutablePath().value_or("");
  int exit_code = 0;
  {
    exec::LocalProcessRunner local_runner(&loop, ro);
    // Routes actions that name a fork server (pytest, unless [pytest] fork_server = false)
    // to it; everything else runs on local_runner.
    exec::ForkServerRunner runner(&loop, &local_runner,
                                  {.trampoline_exe = ro.trampoline_exe,
                                   .pipe_grace = ro.pipe_grace,
                                   .prepare = opts.GetBool("pytest", "fork_server_prepare")});
    engine::Scheduler scheduler(&loop, &runner, st.get(), so);
    ui::ConsoleOptions co;
    co.colors = ui::UseColors(es.colors, ::isatty(2));
    co.dynamic_ui = ui::UseDynamicUi(es.dynamic_ui, ws.env(), ::isatty(1) && ::isatty(2));
    co.stats = es.stats;
    co.show_output = ui::ParseShowOutput(opts.GetString("test", "output")).value_or(ui::ShowOutput::kFailed);
    ui::Console console(&loop, ctx.err, co);
    scheduler.AddObserver(&console);
    ui::TraceRecorder trace(absl::Now());
    if (!es.trace_file.empty()) scheduler.AddObserver(&trace);
    log_phase("set up the scheduler");
    absl::StatusOr<engine::RunResult> result = scheduler.Run(eg);
    if (!result.ok()) return result.status();
    log_phase("ran the scheduler");
    console.Finish(eg, *result);
    // Automatic pruning to [GLOBAL] local_store_max_size (at most hourly; store.h).
    if (absl::StatusOr<std::optional<store::GcStats>> gc = st->MaybeGc(store_settings.max_bytes);
        !gc.ok()) {
      ws.WarnOnce(absl::StrCat("could not prune the local store: ", gc.status().message()));
    }
    if (!es.trace_file.empty()) BRAID_RETURN_IF_ERROR(trace.WriteFile(es.trace_file));
    exit_code = result->exit_code();
    // Only unsharded runs record: shards balance on one shared, stable basis.
    if (opts.GetString("test", "shard").empty()) {
      std::vector<std::vector<const graph::Target*>> runs;
      for (const TestBatch& b : batches) runs.push_back(b.tests);
      RecordTestDurations(durations_file, runs, result->outcomes);
    }
    if (opts.GetBool("test", "report")) {
      std::string dir = opts.GetString("test", "report_dir");
      std::string distdir = options::ExpandPathOption(opts.GetString("GLOBAL", "pants_distdir"),
                                                      ws.buildroot(), "");
      if (absl::StartsWith(distdir, ws.buildroot() + "/")) {
        distdir = distdir.substr(ws.buildroot().size() + 1);
      }
      if (size_t p = dir.find("{distdir}"); p != std::string::npos) dir.replace(p, 9, distdir);
      for (size_t i = 0; i < batches.size(); ++i) {
        const engine::NodeOutcome& o = result->outcomes[i];
        if (!o.action) continue;
        for (const store::FileEntry& f : o.action->output_files) {
          if (f.path != kJunitReportPath) continue;
          std::optional<std::string> bytes = st->cas().Get(f.digest);
          if (!bytes) continue;
          std::string name = batches[i].tests.front()->address.Spec();
          std::replace(name.begin(), name.end(), '/', '.');
          std::replace(name.begin(), name.end(), ':', '.');
          // A batch's one report is named like Pants names it: batch-of-FIRST+N-files.
          if (size_t n = batches[i].tests.size(); n > 1) {
            name = absl::StrCat("batch-of-", name, "+", n - 1, "-files");
          }
          BRAID_RETURN_IF_ERROR(WriteReport(ws.buildroot(), absl::StrCat(dir, "/", name, ".xml"), *bytes));
        }
      }
    }
  }
  log_phase("recorded and tore down the run");
  uv_run(&loop, UV_RUN_NOWAIT);
  uv_loop_close(&loop);
  return exit_code;
}

}  // namespace

void RegisterTestGoal(app::Registries& registries) {
  registries.goals.Register({"test", "Run tests.", RunTest, /*uses_dependencies=*/true});
}

}  // namespace braid::python

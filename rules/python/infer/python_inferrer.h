// Python dependency inference: imports, string imports, `infer-dep` pragmas,
// conftest.py and __init__.py ancestors, assets and entry points, following
// Pants 2.x (docs/inference.md is the user-facing description).
//
// What each target type gets:
//   python_source / python_test   per source file: imports (module -> owner by
//        module_owners.h; weak imports never warn), string imports (when
//        `[python-infer] string_imports`), `# pants: infer-dep(addr)` pragmas,
//        ancestor __init__.py files (`init_files`), assets (`assets`), and for
//        python_test every ancestor conftest.py (`conftests`);
//   pex_binary          its `entry_point` (`module:func` or `file.py[:func]`);
//   python_distribution every value of its `entry_points` dict.
//
// An import with more than one implementation (or more than one stub)
// provider is ambiguous: nothing is inferred and one warning names every
// owner and the two fixes, unless `!` exclusions leave one owner, one of the
// owners is already an explicit dependency, or `ambiguity_resolution =
// "by_source_root"` picks the owner in the importing file's source root.
// An import with no owner that is not weak, not in the standard library and
// not in `ignored_unowned_imports` follows `unowned_dependency_behavior`.
//
// Usage (see register.cc for the real wiring):
//   PythonInferrer inferrer(graph, index, fs, buildroot, std::move(roots), options,
//                           std::move(cache), warn);
//   absl::StatusOr<std::vector<graph::Dependency>> deps = inferrer.Infer(target);
//   inferrer.Flush();  // saves the scan cache
#ifndef BRAID_RULES_PYTHON_INFER_PYTHON_INFERRER_H_
#define BRAID_RULES_PYTHON_INFER_PYTHON_INFERRER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/target_graph.h"
#include "core/options/options.h"
#include "rules/python/import_scanner.h"
#include "rules/python/infer/module_owners.h"
#include "rules/python/infer/scan_cache.h"

namespace braid::python {

/// The `[python-infer]` (and two `[python]`) options inference reads.
struct PythonInferOptions {
  enum class InitFiles { kAlways, kContentOnly, kNever };
  enum class Unowned { kIgnore, kWarning, kError };

  bool imports = true;
  ImportScanOptions scan;  // string_imports, string_imports_min_dots, string_import_ignore
  bool assets = false;
  int assets_min_slashes = 1;
  InitFiles init_files = InitFiles::kContentOnly;
  bool conftests = true;
  bool entry_points = true;
  Unowned unowned = Unowned::kWarning;
  /// `x.y` ignores exactly x.y; `x.y.*` ignores x.y and everything below it.
  std::vector<std::string> ignored_unowned_imports;
  bool ambiguity_by_source_root = false;
  /// [python] enable_resolves / default_resolve: with resolves on, a
  /// third-party owner must be in the importing target's resolve.
  bool enable_resolves = false;
  std::string default_resolve = "python-default";
  /// pants.backend.codegen.protobuf.python is enabled: a protobuf_source
  /// provides `<root-stripped path>_pb2` (with `grpc=True` also `_pb2_grpc`
  /// under [python-protobuf] grpcio_plugin, `_grpc` under grpclib_plugin), and
  /// depends on the requirements providing `google.protobuf` (and `grpc`)
  /// under infer_runtime_dependency.
  bool protobuf = false;
  bool protobuf_grpcio = true;
  bool protobuf_grpclib = false;
  bool protobuf_runtime_dependency = true;
  /// pants.backend.codegen.thrift.apache.python is enabled: a thrift_source
  /// provides `<ns>.ttypes` and `<ns>.constants`, `<ns>` being its file's
  /// `namespace py` (else the file name without `.thrift`), and depends on the
  /// requirement providing `thrift` under [python-thrift]
  /// infer_runtime_dependency.
  bool thrift = false;
  bool thrift_runtime_dependency = true;

  static PythonInferOptions FromOptions(const options::Options& options);
  /// A fingerprint of everything a file's scan depends on besides its bytes.
  uint64_t ScanConfigKey() const;
};

/// What inference keeps of one Python file's bytes (imports, pragmas, asset
/// strings, blankness) under `options`. Pure: safe on any thread.
FileScan ScanPythonFile(absl::string_view content, const PythonInferOptions& options);

/// True for `.py` and `.pyi` paths.
bool IsPythonFile(absl::string_view path);

class PythonInferrer : public graph::DependencyInferrer {
 public:
  using WarnFn = std::function<void(std::string)>;

  /// `graph`, `index` and `fs` must outlive the inferrer; `buildroot` is the
  /// absolute path `fs` reads from (the cache stats files there). `cache`
  /// may be in memory (empty persist path).
  PythonInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                 const fs::FileSystem& fs, std::string buildroot, SourceRoots roots,
                 PythonInferOptions options, std::unique_ptr<ImportScanCache> cache, WarnFn warn);

  absl::StatusOr<std::vector<graph::Dependency>> Infer(const graph::Target& target) override;
  /// Infer reduced to the targets (no Dependency record per import).
  absl::StatusOr<std::vector<const graph::Target*>> InferTargets(
      const graph::Target& target, const graph::TargetGraph& graph) override;

  /// Builds the module owners, then stats/reads/scans every Python file of
  /// `targets` at once on `parallelism` threads (through the scan cache) and
  /// fills the per-directory tables, so that Infer for these targets only
  /// reads shared state.
  void Prepare(absl::Span<const graph::Target* const> targets, int parallelism) override;
  /// Infer is safe to call concurrently after Prepare: the shared tables are
  /// read under a reader lock (a miss takes the writer lock), the scan cache
  /// under its own lock, and warnings are held per target.
  bool SupportsConcurrentInfer() const override { return true; }
  void BeginConcurrent(absl::Span<const graph::Target* const> targets) override;
  void EndConcurrent(absl::Span<const graph::Target* const> targets, size_t count) override;

  /// Saves the scan cache (keeping only files still in the workspace).
  absl::Status Flush() override;

  const ImportScanCache& cache() const { return *cache_; }

  /// Scans computed before the inferrer existed (the prefetch that ran
  /// beside BUILD evaluation, through this inferrer's cache), by path.
  void AdoptPrefetched(absl::flat_hash_map<std::string, const FileScan*> scans) {
    if (prefetched_.empty()) {
      prefetched_ = std::move(scans);
      return;
    }
    for (auto& [path, scan] : scans) prefetched_.emplace(path, scan);
  }

 private:
  // Per-target state while inferring.
  struct TargetState;
  class RootCursor;
  // Infer (into `out`) or InferTargets (into `lean_out`): one is null.
  absl::Status InferImpl(const graph::Target& target, std::vector<graph::Dependency>* out,
                         std::vector<const graph::Target*>* lean_out);
  absl::Status InferInto(TargetState& st);
  // Reports `warning` for st's target: at once, or held until EndConcurrent.
  void Warn(TargetState& st, std::string warning);
  ImportScanCache::ScanFn ScanFunction() const;
  struct Unowned {
    std::string module;
    std::string file;
    int line = 0;
  };

  // The __init__ files (already filtered by `init_files`) and conftest.py
  // files in a directory and all its ancestors, nearest first.
  struct AncestorFiles {
    std::vector<std::string> init_files;
    std::vector<std::string> conftests;
  };
  const AncestorFiles& AncestorsOf(absl::string_view dir);  // memoized
  const AncestorFiles& AncestorsOfLocked(absl::string_view dir);  // memo_mu_ held (or no batch)
  void BuildOwners();
  // Memoized per directory; the reference stays valid for the inferrer's life.
  const std::optional<std::string>& RootOf(absl::string_view file);
  absl::Status InferFile(TargetState& st, const std::string& file);
  // Adds the owners of `module` to st.out; false when it has none.
  bool AddModuleOwners(TargetState& st, const std::string& module, const char* rule,
                       const Location& origin, const std::optional<std::string>& importer_root);
  void AddFileOwners(TargetState& st, const std::string& file, const char* rule,
                     const Location& origin);
  bool IsIgnoredUnowned(absl::string_view module) const;
  bool HasContent(const std::string& file);
  absl::StatusOr<const FileScan*> Scan(const std::string& file);  // through the cache
  absl::Status InferEntryPoint(TargetState& st, const std::string& entry_point,
                               const Location& origin, bool file_form_allowed);
  absl::Status ReportUnowned(TargetState& st, std::vector<Unowned> unowned);
  // A protobuf_source's dependency on the one requirement (in its resolve)
  // providing runtime library `module` (Pants'
  // find_python_runtime_library_or_raise_error): none or several is an error
  // naming `project` (the usual distribution, at `project_url`).
  absl::Status InferCodegenRuntime(TargetState& st, const std::string& module,
                                   absl::string_view project, absl::string_view project_url,
                                   absl::string_view disable_option);
  std::string SourceLine(const std::string& file, int line) const;

  const graph::TargetGraph& graph_;
  const fs::FileIndex& index_;
  const fs::FileSystem& fs_;
  std::string buildroot_;
  SourceRoots roots_;
  PythonInferOptions options_;
  std::unique_ptr<ImportScanCache> cache_;
  WarnFn warn_;
  bool owners_built_ = false;
  ModuleOwners owners_;
  // Guards the memo tables below (and `held_warnings_`'s shape) while a
  // concurrent batch runs; outside one only the calling thread uses them.
  absl::Mutex memo_mu_;
  // Node-based: RootOf hands out references to the values.
  absl::node_hash_map<std::string, std::optional<std::string>> root_of_dir_;
  absl::flat_hash_map<std::string, std::unique_ptr<AncestorFiles>> ancestors_;
  // Guards cache_ during a concurrent batch (files Prepare did not scan).
  absl::Mutex cache_mu_;
  // The scans Prepare fetched; read-only while a batch runs.
  absl::flat_hash_map<std::string, const FileScan*> prefetched_;
  // Between Prepare and EndConcurrent: Infer may run on several threads.
  bool concurrent_ = false;
  // Warnings held during a concurrent batch, by target (keys made in Prepare).
  absl::flat_hash_map<const graph::Target*, std::vector<std::string>> held_warnings_;
};

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_PYTHON_INFERRER_H_

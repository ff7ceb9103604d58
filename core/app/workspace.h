// The workspace a command runs in: the build root, its options, and the
// lazily built file index and target graph that goals ask for.
//
// Goals never walk the disk themselves: they ask the workspace, so the walk
// and the BUILD evaluation happen at most once per run, and only for goals
// that need them (`braid help` touches nothing).
#ifndef BRAID_CORE_APP_WORKSPACE_H_
#define BRAID_CORE_APP_WORKSPACE_H_

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/specs.h"
#include "core/graph/target_graph.h"
#include "core/graph/target_type.h"
#include "core/options/options.h"

namespace braid::app {

/// The nearest ancestor of `start_dir` (absolute) holding pants.toml, a
/// BUILDROOT or a BUILD_ROOT file, as Pants finds its build root; nullopt if none.
std::optional<std::string> FindBuildRoot(const std::string& start_dir);

class Workspace;

/// Makes one language's dependency inferrer for a workspace (registered by a
/// rule set in Registries::inferrer_factories). Called at most once per run,
/// the first time a goal asks for dependencies; an error (e.g. bad options)
/// fails that goal.
using InferrerFactory =
    std::function<absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>>(Workspace&)>;

/// Optional early start for an inferrer (registered beside its factory in
/// Registries::dependency_prefetchers): called once, just BEFORE the file
/// index is built (so before the BUILD files are evaluated), only in runs that
/// will ask for dependencies (ExpectDependencies). `index` becomes ready when
/// the walk ends: get() blocks until then and gives null if the walk failed.
/// The prefetcher may start work on another thread (e.g. load its cache while
/// the tree is walked, then stat and scan every source file while BUILD files
/// are evaluated) and leave its handle in a slot (SetSlot) for its factory to
/// take. It must not fail: problems surface later, through the factory or the
/// inferrer.
using DependencyPrefetcher =
    std::function<void(Workspace&, std::shared_future<const fs::FileIndex*> index)>;

class Workspace {
 public:
  /// `inferrer_factories` (may be null: explicit dependencies only) must
  /// outlive the workspace.
  Workspace(std::string buildroot, const options::Options& options,
            const graph::TargetTypeRegistry& types, std::map<std::string, std::string> env,
            const std::vector<InferrerFactory>* inferrer_factories = nullptr,
            const std::vector<DependencyPrefetcher>* dependency_prefetchers = nullptr);

  const std::string& buildroot() const { return buildroot_; }
  const options::Options& options() const { return options_; }
  const graph::TargetTypeRegistry& target_types() const { return types_; }
  const std::map<std::string, std::string>& env() const { return env_; }
  const fs::FileSystem& fs() const { return fs_; }

  /// Every file of the build root not ignored by pants_ignore / .gitignore.
  absl::StatusOr<const fs::FileIndex*> Index();
  /// The target graph of every BUILD file.
  absl::StatusOr<const graph::TargetGraph*> Graph();
  /// The `[source]` options (root_patterns, marker_filenames).
  static SourceRootConfig SourceRootConfigOf(const options::Options& options);
  /// The source roots of Index() under the `[source]` options, built on first
  /// use; an invalid pattern is an error located at `[source].root_patterns`.
  absl::StatusOr<const SourceRoots*> Roots();
  /// The command line's specs (plus --spec-files), parsed.
  absl::StatusOr<Specs> CommandLineSpecs();
  /// The targets the command line's specs and --tag select, sorted.
  absl::StatusOr<std::vector<const graph::Target*>> SelectedTargets();

  /// Says this run will ask for Dependencies(): the dependency prefetchers
  /// then start when the index is built (see DependencyPrefetcher). Call
  /// before Index() to gain anything; harmless later.
  void ExpectDependencies() { expect_dependencies_ = true; }

  /// Hand-over slots between a prefetcher and its factory, by name. TakeSlot
  /// returns null when nothing was left under `name`.
  void SetSlot(const std::string& name, std::shared_ptr<void> value) {
    slots_[name] = std::move(value);
  }
  std::shared_ptr<void> TakeSlot(const std::string& name) {
    auto it = slots_.find(name);
    if (it == slots_.end()) return nullptr;
    std::shared_ptr<void> out = std::move(it->second);
    slots_.erase(it);
    return out;
  }

  /// Explicit plus inferred dependencies (every registered inferrer), built
  /// on first use.
  absl::StatusOr<graph::DependencyResolver*> Dependencies();
  /// End of the run: lets inferrers persist their caches (a failure is only
  /// logged at debug level: a cache that cannot be written costs time, not
  /// correctness).
  void Finish();

  /// Warnings collected so far (printed by the app after each step).
  std::vector<std::string>& warnings() { return warnings_; }
  /// Adds `warning` unless the same text was already added in this run (so a
  /// problem met by several goals or targets is reported once).
  void WarnOnce(std::string warning);

 private:
  std::string buildroot_;
  const options::Options& options_;
  const graph::TargetTypeRegistry& types_;
  std::map<std::string, std::string> env_;
  fs::RealFileSystem fs_;
  std::optional<fs::FileIndex> index_;
  std::optional<graph::TargetGraph> graph_;
  std::optional<SourceRoots> roots_;
  const std::vector<InferrerFactory>* inferrer_factories_;
  const std::vector<DependencyPrefetcher>* dependency_prefetchers_;
  bool expect_dependencies_ = false;
  bool prefetch_started_ = false;
  std::map<std::string, std::shared_ptr<void>> slots_;
  std::unique_ptr<graph::DependencyResolver> dependencies_;
  std::vector<std::string> warnings_;
  std::set<std::string> warned_;
};

}  // namespace braid::app

#endif  // BRAID_CORE_APP_WORKSPACE_H_

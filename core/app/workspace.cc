#include "core/app/workspace.h"

#include <sys/stat.h>

#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/app/changed.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/parallel.h"
#include "absl/time/clock.h"
#include "core/base/status_macros.h"
#include "core/graph/spec_resolver.h"
#include "core/graph/target_filter.h"
#include "core/options/global_options.h"

namespace braid::app {

std::optional<std::string> FindBuildRoot(const std::string& start_dir) {
  std::string dir = start_dir;
  while (!dir.empty()) {
    for (const char* marker : {"pants.toml", "BUILDROOT", "BUILD_ROOT"}) {
      struct stat st;
      if (::stat(absl::StrCat(dir, "/", marker).c_str(), &st) == 0) return dir;
    }
    if (dir == "/") break;
    size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return std::nullopt;
}

Workspace::Workspace(std::string buildroot, const options::Options& options,
                     const graph::TargetTypeRegistry& types,
                     std::map<std::string, std::string> env,
                     const std::vector<InferrerFactory>* inferrer_factories,
                     const std::vector<DependencyPrefetcher>* dependency_prefetchers)
    : buildroot_(std::move(buildroot)),
      options_(options),
      types_(types),
      env_(std::move(env)),
      fs_(buildroot_),
      inferrer_factories_(inferrer_factories),
      dependency_prefetchers_(dependency_prefetchers) {}

void Workspace::WarnOnce(std::string warning) {
  if (warned_.insert(warning).second) warnings_.push_back(std::move(warning));
}

void Workspace::Finish() {
  if (!dependencies_) return;
  absl::Status s = dependencies_->Flush();
  if (!s.ok()) {
    BRAID_LOG(kDebug) << "could not save an inference cache: " << s.message();
  }
}

// Threads for the index walk and BUILD loading: [GLOBAL] rule_threads_core,
// or the default (an invalid value is reported by Dependencies()).
static int RuleThreads(const options::Options& options) {
  std::optional<int64_t> threads = options.GetOptionalInt("GLOBAL", "rule_threads_core");
  return threads && *threads > 0 && *threads <= 1024 ? static_cast<int>(*threads)
                                                     : DefaultParallelism();
}

absl::StatusOr<graph::DependencyResolver*> Workspace::Dependencies() {
  if (!dependencies_) {
    absl::StatusOr<const graph::TargetGraph*> g = Graph();
    if (!g.ok()) return g.status();
    std::vector<std::unique_ptr<graph::DependencyInferrer>> inferrers;
    if (inferrer_factories_ != nullptr) {
      for (const InferrerFactory& make : *inferrer_factories_) {
        absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> inferrer = make(*this);
        if (!inferrer.ok()) return inferrer.status();
        if (*inferrer) inferrers.push_back(*std::move(inferrer));
      }
    }
    dependencies_ = std::make_unique<graph::DependencyResolver>(**g, *index_, std::move(inferrers));
    std::optional<int64_t> threads = options_.GetOptionalInt("GLOBAL", "rule_threads_core");
    if (threads && (*threads < 1 || *threads > 1024)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value for [GLOBAL] rule_threads_core (from ",
          options_.SourceOf("GLOBAL", "rule_threads_core").ToString(),
          "): must be between 1 and 1024, got ", *threads));
    }
    dependencies_->set_parallelism(threads ? static_cast<int>(*threads) : DefaultParallelism());
  }
  return dependencies_.get();
}

SourceRootConfig Workspace::SourceRootConfigOf(const options::Options& options) {
  SourceRootConfig config;
  config.root_patterns = options.GetStringList("source", "root_patterns");
  config.marker_filenames = options.GetStringList("source", "marker_filenames");
  return config;
}

absl::StatusOr<const SourceRoots*> Workspace::Roots() {
  if (!roots_) {
    BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, Index());
    absl::StatusOr<SourceRoots> roots = SourceRoots::Create(SourceRootConfigOf(options_), *index);
    if (!roots.ok()) {
      return UserError(Location{"[source].root_patterns", 0, 0, ""}, roots.status().message());
    }
    roots_.emplace(*std::move(roots));
  }
  return &*roots_;
}

absl::StatusOr<const fs::FileIndex*> Workspace::Index() {
  if (!index_) {
    fs::WalkOptions walk;
    walk.pants_ignore = options_.GetStringList("GLOBAL", "pants_ignore");
    walk.use_gitignore = options_.GetBool("GLOBAL", "pants_ignore_use_gitignore");
    // Pants always ignores its work and dist directories.
    for (const char* opt : {"pants_workdir", "pants_distdir"}) {
      std::string home = env_.count("HOME") ? env_.at("HOME") : "";
      std::string p = options::ExpandPathOption(options_.GetString("GLOBAL", opt), buildroot_, home);
      if (absl::StartsWith(p, buildroot_ + "/")) p = p.substr(buildroot_.size() + 1);
      if (!p.empty() && p[0] != '/') walk.always_ignored_dirs.push_back(p);
    }
    walk.parallelism = RuleThreads(options_);
    // The prefetchers start now and overlap what needs no index (loading a
    // cache) with the walk; they wait on `ready` for the rest.
    std::promise<const fs::FileIndex*> ready;
    if (expect_dependencies_ && !prefetch_started_ && dependency_prefetchers_ != nullptr) {
      prefetch_started_ = true;
      std::shared_future<const fs::FileIndex*> future = ready.get_future().share();
      for (const DependencyPrefetcher& prefetch : *dependency_prefetchers_) prefetch(*this, future);
    }
    absl::Time start = absl::Now();
    absl::StatusOr<fs::FileIndex> idx = fs::FileIndex::Build(fs_, walk);
    if (!idx.ok()) {
      ready.set_value(nullptr);
      return idx.status();
    }
    index_ = *std::move(idx);
    ready.set_value(&*index_);
    BRAID_LOG(kDebug) << "indexed " << index_->files().size() << " files in "
                      << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
  }
  return &*index_;
}

absl::StatusOr<const graph::TargetGraph*> Workspace::Graph() {
  if (!graph_) {
    // Index() starts the dependency prefetchers (when expected), which
    // overlap the inferrers' per-file work with the BUILD evaluation below.
    absl::StatusOr<const fs::FileIndex*> index = Index();
    if (!index.ok()) return index.status();
    if (expect_dependencies_ && !prefetch_started_ && dependency_prefetchers_ != nullptr) {
      // Expected only after the index was built: start them now, index ready.
      prefetch_started_ = true;
      std::promise<const fs::FileIndex*> ready;
      ready.set_value(*index);
      std::shared_future<const fs::FileIndex*> future = ready.get_future().share();
      for (const DependencyPrefetcher& prefetch : *dependency_prefetchers_) prefetch(*this, future);
    }
    graph::GraphOptions go;
    go.build_patterns = options_.GetStringList("GLOBAL", "build_patterns");
    go.build_ignore = options_.GetStringList("GLOBAL", "build_ignore");
    go.prelude_globs = options_.GetStringList("GLOBAL", "build_file_prelude_globs");
    std::string unmatched = options_.GetString("GLOBAL", "unmatched_build_file_globs");
    go.unmatched_globs = unmatched == "error"    ? graph::UnmatchedGlobBehavior::kError
                         : unmatched == "ignore" ? graph::UnmatchedGlobBehavior::kIgnore
                                                 : graph::UnmatchedGlobBehavior::kWarn;
    go.env = env_;
    go.parallelism = RuleThreads(options_);
    absl::Time start = absl::Now();
    absl::StatusOr<graph::TargetGraph> g =
        graph::LoadTargetGraph(fs_, **index, types_, go, &warnings_);
    if (!g.ok()) return g.status();
    graph_ = *std::move(g);
    BRAID_LOG(kDebug) << "evaluated " << graph_->build_files().size() << " BUILD files into "
                      << graph_->targets().size() << " targets in "
                      << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
  }
  return &*graph_;
}

absl::StatusOr<Specs> Workspace::CommandLineSpecs() {
  std::vector<std::string> args = options_.command().specs;
  for (const std::string& file : options_.GetStringList("GLOBAL", "spec_files")) {
    std::string path = file[0] == '/' ? file : absl::StrCat(buildroot_, "/", file);
    absl::StatusOr<std::string> text = options::ReadFileFromDisk(path);
    if (!text.ok()) {
      return EnvironmentError(Location{file, 0, 0, ""},
                              absl::StrCat("cannot read --spec-files: ", text.status().message()));
    }
    for (std::string& s : ReadSpecFile(*text)) args.push_back(std::move(s));
  }
  absl::StatusOr<const fs::FileIndex*> index = Index();
  if (!index.ok()) return index.status();
  SpecParseOptions po;
  po.build_root = buildroot_;
  po.index = *index;
  return ParseSpecs(args, po);
}

namespace {

absl::StatusOr<graph::TargetFilter> ReadTargetFilter(const options::Options& options,
                                                     const graph::TargetTypeRegistry& types) {
  graph::TargetFilterOptions fo;
  fo.target_types = options.GetStringList("filter", "target_type");
  fo.address_regexes = options.GetStringList("filter", "address_regex");
  fo.tag_regexes = options.GetStringList("filter", "tag_regex");
  // The option is an enum of exactly these spellings, so parsing cannot fail.
  fo.granularity = graph::ParseTargetGranularity(options.GetString("filter", "granularity"))
                       .value_or(graph::TargetGranularity::kAll);
  return graph::TargetFilter::Create(fo, types);
}

}  // namespace

absl::StatusOr<std::vector<const graph::Target*>> Workspace::SelectedTargets() {
  // [filter] applies to whatever the specs or the change detection select,
  // as Pants' SpecsFilter. Checked first: a bad type fails before any work.
  BRAID_ASSIGN_OR_RETURN(graph::TargetFilter filter, ReadTargetFilter(options_, types_));
  // --changed-since / --changed-diffspec replace the specs (core/app/changed.h).
  if (ChangedOptions changed = ReadChangedOptions(options_); changed.provided()) {
    if (changed.dependents != ChangedDependents::kNone) ExpectDependencies();
    std::unique_ptr<vcs::Git> git = vcs::NewRealGit(buildroot_, env_);
    BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> selected,
                           SelectChangedTargets(*this, changed, *git));
    return filter.Apply(std::move(selected));
  }
  absl::StatusOr<Specs> specs = CommandLineSpecs();
  if (!specs.ok()) return specs.status();
  absl::StatusOr<const graph::TargetGraph*> g = Graph();
  if (!g.ok()) return g.status();
  graph::SpecResolveOptions ro;
  ro.tags = options_.GetStringList("GLOBAL", "tag");
  std::string unmatched = options_.GetString("GLOBAL", "unmatched_cli_globs");
  ro.unmatched = unmatched == "warn"     ? graph::UnmatchedSpecBehavior::kWarn
                 : unmatched == "ignore" ? graph::UnmatchedSpecBehavior::kIgnore
                                         : graph::UnmatchedSpecBehavior::kError;
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> selected,
                         graph::ResolveSpecs(*specs, **g, *index_, ro, &warnings_));
  return filter.Apply(std::move(selected));
}

}  // namespace braid::app

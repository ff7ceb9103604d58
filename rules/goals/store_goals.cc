#include "rules/goals/store_goals.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/store/store_options.h"

namespace braid::rules {
namespace {

absl::StatusOr<int> RunGc(app::GoalContext& ctx) {
  app::Workspace& ws = ctx.workspace;
  BRAID_ASSIGN_OR_RETURN(store::StoreSettings settings,
                         store::StoreSettingsFromOptions(ctx.options, ws.env(), ws.buildroot()));
  int64_t target = settings.max_bytes;
  if (std::optional<int64_t> t = ctx.options.GetOptionalInt("gc", "target_size")) {
    if (*t < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value for [gc] target_size (from ",
          ctx.options.SourceOf("gc", "target_size").ToString(),
          "): must be a number of bytes >= 0, got ", *t));
    }
    target = *t;
  }
  BRAID_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> st, store::Store::Open(settings.dir));
  BRAID_ASSIGN_OR_RETURN(store::GcStats stats, st->Gc(store::GcOptions{target, target}));
  ctx.out << FormatGcReport(st->root(), target, stats) << "\n";
  return 0;
}

}  // namespace

std::string FormatGcReport(const std::string& store_root, int64_t target_bytes,
                           const store::GcStats& s) {
  if (!s.ran) {
    return absl::StrCat("Another braid process is pruning the local store ", store_root,
                        "; nothing done.");
  }
  std::string temps = s.temp_files_removed == 1 ? "1 stale temporary file"
                                                : absl::StrCat(s.temp_files_removed,
                                                               " stale temporary files");
  if (s.entries_removed == 0) {
    return absl::StrCat("The local store ", store_root, " holds ", s.bytes_before,
                        " bytes, within the target of ", target_bytes,
                        " bytes: nothing to remove (", temps, " removed).");
  }
  return absl::StrCat("Pruned the local store ", store_root, " to ", target_bytes,
                      " bytes: removed ", s.entries_removed,
                      s.entries_removed == 1 ? " entry (" : " entries (",
                      s.bytes_before - s.bytes_after, " bytes) and ", temps, "; ",
                      s.bytes_before, " -> ", s.bytes_after, " bytes.");
}

absl::Status RegisterStoreGoals(app::Registries& r) {
  const char* help =
      "Prune braid's local store to a size (braid only). Deletes the least recently used "
      "blobs and action results until the store holds at most --gc-target-size bytes "
      "([GLOBAL] local_store_max_size when unset), and temporary files left by crashed "
      "writers.";
  BRAID_RETURN_IF_ERROR(r.options.AddScope({"gc", options::ScopeKind::kGoal, help}));
  BRAID_RETURN_IF_ERROR(r.options.AddInt(
      "gc", "target_size", std::nullopt,
      "Prune the store down to this many bytes (0 empties it). Default: [GLOBAL] "
      "local_store_max_size."));
  r.goals.Register({"gc", help, RunGc});
  return absl::OkStatus();
}

}  // namespace braid::rules

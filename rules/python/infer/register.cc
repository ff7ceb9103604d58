#include "rules/python/infer/register.h"

#include <xxhash.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/log.h"
#include "core/base/status_macros.h"
#include "core/store/store_options.h"
#include "rules/python/infer/python_inferrer.h"

namespace braid::python {

std::string ImportScanCachePath(const std::string& store_dir, const std::string& buildroot) {
  return absl::StrFormat("%s/v1/infer/python-imports-%016x", store_dir,
                         XXH3_64bits(buildroot.data(), buildroot.size()));
}

absl::Status RegisterPythonInference(app::Registries& registries) {
  registries.inferrer_factories.push_back(
      [](app::Workspace& ws) -> absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> {
        BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* graph, ws.Graph());
        BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
        SourceRootConfig config;
        config.root_patterns = ws.options().GetStringList("source", "root_patterns");
        config.marker_filenames = ws.options().GetStringList("source", "marker_filenames");
        absl::StatusOr<SourceRoots> roots = SourceRoots::Create(config, *index);
        if (!roots.ok()) {
          return UserError(Location{"[source].root_patterns", 0, 0, ""}, roots.status().message());
        }
        PythonInferOptions options = PythonInferOptions::FromOptions(ws.options());
        std::string cache_path;
        absl::StatusOr<store::StoreSettings> store =
            store::StoreSettingsFromOptions(ws.options(), ws.env(), ws.buildroot());
        if (store.ok()) {
          cache_path = ImportScanCachePath(store->dir, ws.buildroot());
        } else {
          BRAID_LOG(kDebug) << "import scan cache disabled: " << store.status().message();
        }
        auto cache = std::make_unique<ImportScanCache>(cache_path, options.ScanConfigKey());
        absl::Time start = absl::Now();
        cache->Load();
        BRAID_LOG(kDebug) << "loaded the import scan cache in "
                          << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
        return std::unique_ptr<graph::DependencyInferrer>(std::make_unique<PythonInferrer>(
            *graph, *index, ws.fs(), ws.buildroot(), *std::move(roots), std::move(options),
            std::move(cache), [&ws](std::string warning) { ws.WarnOnce(std::move(warning)); }));
      });
  return absl::OkStatus();
}

}  // namespace braid::python

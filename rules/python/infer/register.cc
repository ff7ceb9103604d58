#include "rules/python/infer/register.h"

#include <xxhash.h>

#include <algorithm>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/heap_tuning.h"
#include "core/base/log.h"
#include "core/base/parallel.h"
#include "core/base/status_macros.h"
#include "core/fs/path.h"
#include "core/store/store_options.h"
#include "rules/python/infer/python_inferrer.h"

namespace braid::python {
namespace {

// The workspace slot the prefetch leaves for the factory.
constexpr char kPrefetchSlot[] = "python-infer.prefetch";

// The scan cache of the workspace, not loaded yet ("" path: in memory).
std::unique_ptr<ImportScanCache> MakeCache(app::Workspace& ws, const PythonInferOptions& options) {
  std::string cache_path;
  absl::StatusOr<store::StoreSettings> store =
      store::StoreSettingsFromOptions(ws.options(), ws.env(), ws.buildroot());
  if (store.ok()) {
    cache_path = ImportScanCachePath(store->dir, ws.buildroot());
  } else {
    BRAID_LOG(kDebug) << "import scan cache disabled: " << store.status().message();
  }
  return std::make_unique<ImportScanCache>(cache_path, options.ScanConfigKey());
}

void LoadCache(ImportScanCache& cache) {
  absl::Time start = absl::Now();
  cache.Load();
  BRAID_LOG(kDebug) << "loaded the import scan cache in "
                    << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
}

// Every Python file under a source root, scanned (through the cache) on a
// thread of its own while the main thread evaluates BUILD files. The thread
// owns `cache` and `scans` until joined.
struct Prefetch {
  std::unique_ptr<ImportScanCache> cache;
  std::vector<std::string> files;
  std::vector<absl::StatusOr<const FileScan*>> scans;
  std::thread thread;
  ~Prefetch() {
    if (thread.joinable()) thread.join();
  }
};

// The Python files of `index` that have a source root, in index order. The
// root is looked up when the directory changes from the previous file's (in
// index order most neighbours share one), not per file.
std::vector<std::string> PythonFilesUnderRoots(const fs::FileIndex& index,
                                               const SourceRoots& roots) {
  std::vector<std::string> out;
  absl::string_view last_dir;
  bool last_has_root = false;
  bool first = true;
  for (const std::string& f : index.files()) {
    if (!IsPythonFile(f)) continue;
    absl::string_view dir = fs::Dirname(f);
    if (first || dir != last_dir) {
      first = false;
      last_dir = dir;
      last_has_root = roots.FindForDir(dir).has_value();
    }
    if (last_has_root) out.push_back(f);
  }
  return out;
}

void StartPrefetch(app::Workspace& ws, std::shared_future<const fs::FileIndex*> index) {
  PythonInferOptions options = PythonInferOptions::FromOptions(ws.options());
  if (!options.imports && !options.scan.string_imports && !options.assets) return;
  auto prefetch = std::make_shared<Prefetch>();
  prefetch->cache = MakeCache(ws, options);
  std::optional<int64_t> threads = ws.options().GetOptionalInt("GLOBAL", "rule_threads_core");
  // The main thread is busy with BUILD files meanwhile: leave it its core.
  int parallelism = std::max(1, (threads && *threads > 0 ? static_cast<int>(*threads)
                                                         : DefaultParallelism()) - 1);
  Prefetch* p = prefetch.get();
  // The cache loads while the tree is walked; the files are probed once the
  // index exists. The index outlives the thread: the workspace holds it, and
  // the factory (or the slot's destruction, before the index's) joins the
  // thread; a failed walk gives null and the thread ends.
  p->thread = std::thread([p, index = std::move(index), root_config = app::Workspace::SourceRootConfigOf(ws.options()),
                           root = ws.buildroot(), options, parallelism] {
    absl::Time start = absl::Now();
    AdviseThreadHeap();  // the loaded cache is ~10 MB of small blocks
    LoadCache(*p->cache);
    const fs::FileIndex* files = index.get();
    if (files == nullptr) return;
    absl::StatusOr<SourceRoots> roots = SourceRoots::Create(root_config, *files);
    if (!roots.ok()) return;  // the factory reports it
    p->files = PythonFilesUnderRoots(*files, *roots);
    p->scans = p->cache->GetMany(
        root, p->files,
        [&options](absl::string_view content) { return ScanPythonFile(content, options); },
        parallelism);
    BRAID_LOG(kDebug) << "prefetched " << p->files.size() << " Python files in "
                      << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
  });
  ws.SetSlot(kPrefetchSlot, std::move(prefetch));
}

}  // namespace

std::string ImportScanCachePath(const std::string& store_dir, const std::string& buildroot) {
  return absl::StrFormat("%s/v1/infer/python-imports-%016x", store_dir,
                         XXH3_64bits(buildroot.data(), buildroot.size()));
}

absl::Status RegisterPythonInference(app::Registries& registries) {
  registries.dependency_prefetchers.push_back(StartPrefetch);
  registries.inferrer_factories.push_back(
      [](app::Workspace& ws) -> absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> {
        BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* graph, ws.Graph());
        BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
        BRAID_ASSIGN_OR_RETURN(const SourceRoots* roots, ws.Roots());
        PythonInferOptions options = PythonInferOptions::FromOptions(ws.options());
        std::shared_ptr<Prefetch> prefetch =
            std::static_pointer_cast<Prefetch>(ws.TakeSlot(kPrefetchSlot));
        std::unique_ptr<ImportScanCache> cache;
        absl::flat_hash_map<std::string, const FileScan*> prefetched;
        if (prefetch != nullptr) {
          prefetch->thread.join();
          cache = std::move(prefetch->cache);
          prefetched.reserve(prefetch->files.size());
          for (size_t i = 0; i < prefetch->files.size(); ++i) {
            // Failures are met again (and reported) when their target is inferred.
            if (prefetch->scans[i].ok()) {
              prefetched.emplace(std::move(prefetch->files[i]), *prefetch->scans[i]);
            }
          }
        } else {
          cache = MakeCache(ws, options);
          LoadCache(*cache);
        }
        auto inferrer = std::make_unique<PythonInferrer>(
            *graph, *index, ws.fs(), ws.buildroot(), *roots, std::move(options),
            std::move(cache), [&ws](std::string warning) { ws.WarnOnce(std::move(warning)); });
        inferrer->AdoptPrefetched(std::move(prefetched));
        return std::unique_ptr<graph::DependencyInferrer>(std::move(inferrer));
      });
  return absl::OkStatus();
}

}  // namespace braid::python

// The engine-level GLOBAL options (and the `changed` subsystem), registered by
// core so that main can bootstrap before any backend is loaded.
//
// Defaults follow Pants 2.x (src/python/pants/option/global_options.py);
// paths that Pants computes from the build root or cache dir are given as
// their Pants spelling ("%(buildroot)s/.pants.d/workdir", "~/.cache/pants/lmdb_store")
// and are expanded by the caller with ExpandPathOption().
// Python-specific options are registered by rules/, never here.
#ifndef BRAID_CORE_OPTIONS_GLOBAL_OPTIONS_H_
#define BRAID_CORE_OPTIONS_GLOBAL_OPTIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/options/option_registry.h"

namespace braid::options {

/// Registers scope GLOBAL with: pants_version, backend_packages, pythonpath,
/// build_patterns, build_ignore, pants_ignore, pants_ignore_use_gitignore,
/// build_file_prelude_globs, unmatched_build_file_globs, unmatched_cli_globs,
/// level (-l), pants_workdir, pants_distdir, local_store_dir,
/// local_execution_root_dir, process_execution_local_parallelism, dynamic_ui,
/// colors, tag, spec_files, pants_config_files, pantsrc, pantsrc_files,
/// keep_sandboxes, stats_... (see global_options.cc for the full list with
/// defaults), scope `changed` with since, diffspec, dependents, and scope
/// `filter` with target_type, address_regex, tag_regex, granularity.
absl::Status RegisterGlobalOptions(OptionRegistry& registry);

/// Expands a leading "~" (homedir) and a leading "%(buildroot)s", and makes a
/// relative path absolute under `buildroot`. Used for path-valued options such
/// as pants_workdir ("%(buildroot)s/.pants.d/workdir") or local_store_dir
/// ("~/.cache/pants/lmdb_store").
std::string ExpandPathOption(absl::string_view value, absl::string_view buildroot,
                             absl::string_view homedir);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_GLOBAL_OPTIONS_H_

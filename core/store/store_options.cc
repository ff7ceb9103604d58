#include "core/store/store_options.h"

#include "absl/strings/str_cat.h"
#include "core/options/global_options.h"
#include "core/store/store.h"

namespace braid::store {

absl::Status RegisterStoreOptions(options::OptionRegistry& registry) {
  options::OptionInfo o;
  o.scope = std::string(options::kGlobalScope);
  o.name = "local_store_max_size";
  o.type = options::OptionType::kInt;
  o.default_value = options::OptionValue::Int(kDefaultLocalStoreMaxSize);
  o.help =
      "The maximum size in bytes of the local store (--local-store-dir). When it grows past "
      "this, the least recently used entries are deleted.";
  o.advanced = true;
  return registry.Add(std::move(o));
}

absl::StatusOr<StoreSettings> StoreSettingsFromOptions(
    const options::Options& opts, const std::map<std::string, std::string>& env,
    absl::string_view buildroot) {
  const std::string g(options::kGlobalScope);
  StoreSettings settings;
  settings.max_bytes = opts.GetInt(g, "local_store_max_size");
  if (settings.max_bytes <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid value for [GLOBAL] local_store_max_size (from ",
        opts.SourceOf(g, "local_store_max_size").ToString(), "): must be a positive number of "
        "bytes, got ", settings.max_bytes));
  }
  if (opts.SourceOf(g, "local_store_dir").kind == options::ValueSource::Kind::kDefault) {
    absl::StatusOr<std::string> dir = DefaultStoreDir(env);
    if (!dir.ok()) return dir.status();
    settings.dir = *dir;
  } else {
    auto home = env.find("HOME");
    settings.dir = options::ExpandPathOption(opts.GetString(g, "local_store_dir"), buildroot,
                                             home == env.end() ? "" : home->second);
  }
  return settings;
}

}  // namespace braid::store

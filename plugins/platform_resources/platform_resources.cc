#include "plugins/platform_resources/platform_resources.h"

#include <sys/utsname.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "plugins/api/builtin_plugins.h"
#include "plugins/api/json.h"

namespace braid::plugin {
namespace platform_resources {

namespace {

constexpr char kScope[] = "platform-specific-resources";
constexpr char kAlias[] = "platform_resources";

std::string HostPlatform() {
  struct utsname u;
  if (::uname(&u) != 0) return "linux_x86_64";
  return PlatformOf(u.sysname, u.machine);
}

// The target's BUILD file, for errors.
std::string BuildFileOf(const pb::Target& t) {
  if (!t.build_file().empty()) return t.build_file();
  std::string dir = t.address().substr(0, t.address().find(':'));
  return dir.empty() ? "BUILD" : absl::StrCat(dir, "/BUILD");
}

}  // namespace

const std::vector<std::string>& Platforms() {
  static const std::vector<std::string> kPlatforms = {"linux_x86_64", "linux_arm64",
                                                      "macos_x86_64", "macos_arm64"};
  return kPlatforms;
}

std::string PlatformOf(absl::string_view sysname, absl::string_view machine) {
  bool arm = machine == "aarch64" || machine == "arm64";
  if (sysname == "Darwin") return arm ? "macos_arm64" : "macos_x86_64";
  return arm ? "linux_arm64" : "linux_x86_64";
}

std::string WheelPlatformTag(absl::string_view platform) {
  if (platform == "linux_x86_64") return "manylinux2014_x86_64";
  if (platform == "linux_arm64") return "manylinux2014_aarch64";
  if (platform == "macos_x86_64") return "macosx_10_9_x86_64";
  if (platform == "macos_arm64") return "macosx_11_0_arm64";
  return "";
}

absl::StatusOr<pb::InferDependenciesResponse> InferChosenDependency(
    const pb::InferDependenciesRequest& request, const RuleOptions& options) {
  const pb::Target& t = request.target();
  std::string chosen = HostPlatform();
  auto opt = options.find(absl::StrCat(kScope, ".target"));
  if (opt != options.end()) {
    absl::StatusOr<JsonValue> v = ParseJson(opt->second);
    if (v.ok() && v->kind() == JsonValue::Kind::kString) chosen = v->as_string();
  }
  auto field = t.fields_json().find("dependency_map");
  absl::StatusOr<JsonValue> map =
      ParseJson(field == t.fields_json().end() ? "null" : field->second);
  if (!map.ok() || map->kind() != JsonValue::Kind::kObject) {
    return PluginUserError(BuildFileOf(t), t.line(),
                           absl::StrCat(t.address(), ": dependency_map must be a dict of "
                                                     "platform -> address"));
  }
  pb::InferDependenciesResponse out;
  bool found = false;
  for (const auto& [platform, address] : map->members()) {
    bool known = false;
    for (const std::string& p : Platforms()) known |= p == platform;
    if (!known) {
      return PluginUserError(BuildFileOf(t), t.line(),
                             absl::StrCat(t.address(), ": unknown platform '", platform,
                                          "' in dependency_map"),
                             absl::StrCat("platforms are: ", absl::StrJoin(Platforms(), ", ")));
    }
    if (address.kind() != JsonValue::Kind::kString) {
      return PluginUserError(BuildFileOf(t), t.line(),
                             absl::StrCat(t.address(), ": dependency_map['", platform,
                                          "'] must be an address string"));
    }
    if (platform != chosen) continue;
    found = true;
    pb::Dependency* d = out.add_add();
    d->set_address(address.as_string());
    d->set_reason("platform resource");
    d->set_detail(platform);
  }
  if (!found) {
    return PluginUserError(
        BuildFileOf(t), t.line(),
        absl::StrCat(t.address(), ": dependency_map has no entry for the platform '", chosen,
                     "'"),
        "add one, or choose another platform with --platform-specific-resources-target");
  }
  return out;
}

}  // namespace platform_resources

PluginDef PlatformResourcesPlugin() {
  using namespace platform_resources;  // NOLINT: local to this function
  return {
      "braid.plugins.platform_resources",
      "Platform-specific resources: platform_resources(dependency_map={platform: address}).",
      [](Registrar& r) -> absl::Status {
        FieldDef map;
        map.name = "dependency_map";
        map.kind = FieldKind::kDict;
        map.help = "Platform (linux_x86_64, linux_arm64, macos_x86_64, macos_arm64) -> address.";
        map.required = true;
        BRAID_PLUGIN_RETURN_IF_ERROR(r.AddTargetType(
            {kAlias,
             "One dependency per platform: the one for [platform-specific-resources].target is "
             "inferred (and enters sandboxes and packages); the others are ignored.",
             {map}}));
        OptionDef target;
        target.name = "target";
        target.kind = OptionKind::kEnum;
        target.help = "The platform whose resources are used (default: this machine's).";
        target.choices = Platforms();
        target.default_value = HostPlatform();
        BRAID_PLUGIN_RETURN_IF_ERROR(
            r.AddSubsystem({kScope, "Which platform's platform_resources to use.", {target}}));
        InferDependenciesRule infer;
        infer.name = "platform_resources";
        infer.target_types = {kAlias};
        infer.option_scopes = {kScope};
        infer.run = &InferChosenDependency;
        BRAID_PLUGIN_RETURN_IF_ERROR(r.AddInferDependenciesRule(std::move(infer)));
        PlatformRule platform;
        platform.name = "platform_resources";
        platform.target_types = {kAlias};
        platform.option_scopes = {kScope};
        platform.run = [](const pb::PlatformRequest& req,
                          const RuleOptions& options) -> absl::StatusOr<pb::PlatformResponse> {
          pb::PlatformResponse out;
          if (req.closure_size() == 0) return out;
          auto opt = options.find(absl::StrCat(kScope, ".target"));
          absl::StatusOr<JsonValue> v =
              ParseJson(opt == options.end() ? "null" : opt->second);
          out.set_platform(v.ok() && v->kind() == JsonValue::Kind::kString ? v->as_string()
                                                                          : HostPlatform());
          out.set_package_tag(WheelPlatformTag(out.platform()));
          return out;
        };
        return r.AddPlatformRule(std::move(platform));
      }};
}

}  // namespace braid::plugin

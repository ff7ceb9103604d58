#include "plugins/setupgen/setupgen.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "plugins/api/builtin_plugins.h"
#include "plugins/api/json.h"
#include "re2/re2.h"

namespace braid::plugin {
namespace setupgen {

namespace {

constexpr char kScope[] = "setupgen";
constexpr char kPlugin[] = "braid.plugins.setupgen";

struct MinorVersion {
  int major = 0;
  int minor = 0;
};

std::optional<MinorVersion> ParseMinor(absl::string_view v) {
  std::vector<std::string> parts = absl::StrSplit(v, '.');
  MinorVersion out;
  if (parts.size() < 2 || !absl::SimpleAtoi(parts[0], &out.major) ||
      !absl::SimpleAtoi(parts[1], &out.minor)) {
    return std::nullopt;
  }
  return out;
}

std::string Str(const MinorVersion& v) { return absl::StrCat(v.major, ".", v.minor); }

std::string BuildFileOf(const pb::Target& t) {
  if (!t.build_file().empty()) return t.build_file();
  std::string dir = t.address().substr(0, t.address().find(':'));
  return dir.empty() ? "BUILD" : absl::StrCat(dir, "/BUILD");
}

std::string DirOf(const pb::Target& t) { return t.address().substr(0, t.address().find(':')); }

std::optional<std::string> OptionString(const RuleOptions& options, const std::string& key) {
  auto it = options.find(key);
  if (it == options.end()) return std::nullopt;
  absl::StatusOr<JsonValue> v = ParseJson(it->second);
  if (!v.ok() || v->kind() != JsonValue::Kind::kString) return std::nullopt;
  return v->as_string();
}

}  // namespace

std::string DevelopmentStatus(absl::string_view version) {
  std::string v = absl::AsciiStrToLower(version);
  static const RE2 kDev("[.\\-_]?dev[.\\-_]?\\d*");
  static const RE2 kAlpha("\\d[.\\-_]?(a|alpha)[.\\-_]?\\d*");
  static const RE2 kBeta("\\d[.\\-_]?(b|beta|rc|c|pre|preview)[.\\-_]?\\d*");
  if (RE2::PartialMatch(v, kDev)) return "Development Status :: 2 - Pre-Alpha";
  if (RE2::PartialMatch(v, kAlpha)) return "Development Status :: 3 - Alpha";
  if (RE2::PartialMatch(v, kBeta)) return "Development Status :: 4 - Beta";
  return "Development Status :: 5 - Production/Stable";
}

absl::StatusOr<PythonRequirement> RequiresPython(const std::vector<std::string>& constraints) {
  if (constraints.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "setupgen derives Requires-Python from exactly one interpreter constraint, got ",
        constraints.size()));
  }
  absl::string_view c = constraints[0];
  // Drop the implementation name ("CPython", "PyPy").
  size_t op = c.find_first_of("=<>!~");
  if (op == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read the interpreter constraint '", c,
                                                   "'"));
  }
  std::optional<MinorVersion> lower, upper;  // upper is exclusive
  std::string lower_text;
  for (absl::string_view spec : absl::StrSplit(c.substr(op), ',')) {
    spec = absl::StripAsciiWhitespace(spec);
    static const RE2 kSpec("(==|>=|<=|<|>|~=|!=)\\s*([0-9][0-9.*]*)");
    std::string o, ver;
    if (!RE2::FullMatch(re2::StringPiece(spec.data(), spec.size()), kSpec, &o, &ver)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read the interpreter constraint '", c, "'"));
    }
    std::optional<MinorVersion> v = ParseMinor(ver);
    if (!v && o != "!=") {
      return absl::InvalidArgumentError(
          absl::StrCat("the interpreter constraint '", c, "' needs major.minor versions"));
    }
    if (o == "==") {
      lower = v;
      upper = MinorVersion{v->major, v->minor + 1};
      lower_text = Str(*v);
    } else if (o == ">=" || o == "~=") {
      lower = v;
      lower_text = std::string(absl::StripSuffix(ver, ".*"));
      if (o == "~=") upper = MinorVersion{v->major + 1, 0};
    } else if (o == ">") {
      lower = MinorVersion{v->major, v->minor + 1};
      lower_text = Str(*lower);
    } else if (o == "<") {
      upper = v;
    } else if (o == "<=") {
      upper = MinorVersion{v->major, v->minor + 1};
    }
  }
  PythonRequirement out;
  std::vector<std::string> parts;
  if (lower) parts.push_back(absl::StrCat(">=", lower_text));
  if (upper) parts.push_back(absl::StrCat("<", Str(*upper)));
  out.requires_python = absl::StrJoin(parts, ",");
  int major = lower ? lower->major : upper ? upper->major : 3;
  out.classifiers.push_back(absl::StrCat("Programming Language :: Python :: ", major));
  if (lower && upper) {
    // Every minor version in [lower, upper) of the same major.
    int end = upper->major == lower->major ? upper->minor : lower->minor + 1;
    if (upper->major > lower->major) end = -1;  // open-ended within the major
    for (int m = lower->minor; end >= 0 && m < end; ++m) {
      out.classifiers.push_back(absl::StrCat("Programming Language :: Python :: ", major, ".", m));
    }
  }
  return out;
}

std::string LicenseClassifier(absl::string_view spdx) {
  static const std::map<std::string, std::string> kLicenses = {
      {"mit", "License :: OSI Approved :: MIT License"},
      {"apache-2.0", "License :: OSI Approved :: Apache Software License"},
      {"bsd-2-clause", "License :: OSI Approved :: BSD License"},
      {"bsd-3-clause", "License :: OSI Approved :: BSD License"},
      {"gpl-2.0-only", "License :: OSI Approved :: GNU General Public License v2 (GPLv2)"},
      {"gpl-3.0-only", "License :: OSI Approved :: GNU General Public License v3 (GPLv3)"},
      {"gpl-3.0-or-later",
       "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)"},
      {"lgpl-3.0-only",
       "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)"},
      {"mpl-2.0", "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)"},
      {"isc", "License :: OSI Approved :: ISC License (ISCL)"},
      {"unlicense", "License :: OSI Approved :: The Unlicense (Unlicense)"},
      {"proprietary", "License :: Other/Proprietary License"},
  };
  auto it = kLicenses.find(absl::AsciiStrToLower(spdx));
  return it == kLicenses.end() ? "" : it->second;
}

absl::StatusOr<pb::DistributionMetadataResponse> AdjustMetadata(
    const pb::DistributionMetadataRequest& request, const RuleOptions& options) {
  const pb::Target& dist = request.distribution();
  const std::string build = BuildFileOf(dist);
  // What the BUILD file wrote in provides=python_artifact(...).
  JsonValue provides = JsonValue::MakeObject();
  if (auto it = dist.fields_json().find("provides"); it != dist.fields_json().end()) {
    absl::StatusOr<JsonValue> v = ParseJson(it->second);
    if (v.ok() && v->kind() == JsonValue::Kind::kObject) provides = *v;
  }
  static const std::vector<std::pair<std::string, std::string>> kOwned = {
      {"version", "the VERSION file ([setupgen].version_file)"},
      {"long_description", "the distribution's README"},
      {"long_description_content_type", "the README's extension"},
      {"author", "[setupgen].author"},
      {"author_email", "[setupgen].author_email"},
      {"url", "[setupgen].home_page"},
      {"python_requires", "interpreter_constraints"},
  };
  for (const auto& [key, source] : kOwned) {
    const JsonValue* v = provides.Find(key);
    if (v != nullptr && !v->is_null()) {
      return PluginUserError(
          build, dist.line(),
          absl::StrCat(dist.address(), ": python_artifact sets '", key, "', which ", kPlugin,
                       " owns (it comes from ", source, ")"),
          absl::StrCat("remove '", key, "' from the BUILD file"));
    }
  }
  if (const JsonValue* cls = provides.Find("classifiers");
      cls != nullptr && cls->kind() == JsonValue::Kind::kArray) {
    for (const JsonValue& c : cls->array()) {
      if (c.kind() != JsonValue::Kind::kString) continue;
      if (absl::StartsWith(c.as_string(), "Development Status ::") ||
          absl::StartsWith(c.as_string(), "Programming Language :: Python")) {
        return PluginUserError(
            build, dist.line(),
            absl::StrCat(dist.address(), ": the classifier '", c.as_string(), "' is set by ",
                         kPlugin, " (from the version and interpreter_constraints)"),
            "remove it from the BUILD file");
      }
    }
  }

  std::map<std::string, const pb::File*> files;
  for (const pb::File& f : request.files()) files[f.path()] = &f;
  std::string dir = DirOf(dist);
  auto in_dir = [&](absl::string_view name) {
    return dir.empty() ? std::string(name) : absl::StrCat(dir, "/", name);
  };

  pb::DistributionMetadataResponse out;
  auto set = [&](const std::string& name, const std::string& value) {
    pb::MetadataField* f = out.add_set();
    f->set_name(name);
    f->set_value(value);
  };
  auto add = [&](const std::string& name, const std::string& value) {
    pb::MetadataField* f = out.add_add();
    f->set_name(name);
    f->set_value(value);
  };

  // Version: the distribution's own VERSION, else the shared one.
  std::string version_file = OptionString(options, "setupgen.version_file").value_or("VERSION");
  const pb::File* version = nullptr;
  for (const std::string& p : {in_dir("VERSION"), version_file}) {
    if (files.count(p)) {
      version = files[p];
      break;
    }
  }
  if (version == nullptr) {
    return PluginUserError(build, dist.line(),
                           absl::StrCat(dist.address(), ": no version file: neither ",
                                        in_dir("VERSION"), " nor ", version_file, " exists"),
                           "create one holding the version, or set [setupgen].version_file");
  }
  std::string v(absl::StripAsciiWhitespace(version->content()));
  if (v.empty()) return PluginUserError(version->path(), 1, "the version file is empty");
  set("Version", v);

  // Long description.
  static const std::vector<std::pair<std::string, std::string>> kReadmes = {
      {"README.md", "text/markdown"}, {"README.rst", "text/x-rst"}, {"README", "text/plain"}};
  for (const auto& [name, type] : kReadmes) {
    auto it = files.find(in_dir(name));
    if (it == files.end()) continue;
    set("Description", it->second->content());
    set("Description-Content-Type", type);
    break;
  }

  // Python requirement.
  std::vector<std::string> constraints;
  if (auto it = dist.fields_json().find("interpreter_constraints");
      it != dist.fields_json().end()) {
    absl::StatusOr<JsonValue> ic = ParseJson(it->second);
    if (ic.ok() && ic->kind() == JsonValue::Kind::kArray) {
      for (const JsonValue& c : ic->array()) {
        if (c.kind() == JsonValue::Kind::kString) constraints.push_back(c.as_string());
      }
    }
  }
  if (constraints.empty()) {
    if (auto it = options.find("python.interpreter_constraints"); it != options.end()) {
      absl::StatusOr<JsonValue> ic = ParseJson(it->second);
      if (ic.ok() && ic->kind() == JsonValue::Kind::kArray) {
        for (const JsonValue& c : ic->array()) {
          if (c.kind() == JsonValue::Kind::kString) constraints.push_back(c.as_string());
        }
      }
    }
  }
  std::vector<std::string> classifiers = {DevelopmentStatus(v)};
  if (!constraints.empty()) {
    absl::StatusOr<PythonRequirement> py = RequiresPython(constraints);
    if (!py.ok()) {
      return PluginUserError(build, dist.line(), absl::StrCat(dist.address(), ": ", py.status().message()));
    }
    if (!py->requires_python.empty()) set("Requires-Python", py->requires_python);
    for (const std::string& c : py->classifiers) classifiers.push_back(c);
  }
  if (const JsonValue* lic = provides.Find("license");
      lic != nullptr && lic->kind() == JsonValue::Kind::kString) {
    std::string c = LicenseClassifier(lic->as_string());
    if (!c.empty()) classifiers.push_back(c);
  }
  for (const std::string& c : classifiers) add("Classifier", c);

  // Fixed people and URLs.
  for (const auto& [option, field] : std::vector<std::pair<std::string, std::string>>{
           {"author", "Author"}, {"author_email", "Author-email"}, {"home_page", "Home-page"}}) {
    std::optional<std::string> value = OptionString(options, absl::StrCat("setupgen.", option));
    if (value && !value->empty()) set(field, *value);
  }
  if (auto it = options.find("setupgen.project_urls"); it != options.end()) {
    absl::StatusOr<JsonValue> urls = ParseJson(it->second);
    if (urls.ok() && urls->kind() == JsonValue::Kind::kObject) {
      for (const auto& [label, url] : urls->members()) {
        if (url.kind() == JsonValue::Kind::kString) {
          add("Project-URL", absl::StrCat(label, ", ", url.as_string()));
        }
      }
    }
  }
  return out;
}

}  // namespace setupgen

PluginDef SetupgenPlugin() {
  return {
      "braid.plugins.setupgen",
      "Distribution metadata single-sourced from VERSION, README and interpreter constraints.",
      [](Registrar& r) -> absl::Status {
        auto str = [](const char* name, const char* help, std::optional<std::string> def) {
          OptionDef o;
          o.name = name;
          o.kind = OptionKind::kString;
          o.help = help;
          o.default_value = std::move(def);
          return o;
        };
        OptionDef urls;
        urls.name = "project_urls";
        urls.kind = OptionKind::kDict;
        urls.help = "Project-URL entries (label -> URL) added to every distribution.";
        BRAID_PLUGIN_RETURN_IF_ERROR(r.AddSubsystem(
            {setupgen::kScope,
             "Single-sourced metadata for every python_distribution (braid.plugins.setupgen).",
             {str("version_file",
                  "The VERSION file shared by distributions without their own VERSION "
                  "(relative to the build root).",
                  "VERSION"),
              str("author", "Author of every distribution.", std::nullopt),
              str("author_email", "Author-email of every distribution.", std::nullopt),
              str("home_page", "Home-page of every distribution.", std::nullopt), urls}}));
        DistributionMetadataRule rule;
        rule.name = "setupgen";
        rule.target_types = {"python_distribution"};
        rule.option_scopes = {setupgen::kScope, "python"};
        rule.files = {"VERSION", "README.md", "README.rst", "README"};
        rule.file_options = {"setupgen.version_file"};
        rule.run = &setupgen::AdjustMetadata;
        return r.AddDistributionMetadataRule(std::move(rule));
      }};
}

}  // namespace braid::plugin

#include "rules/python/package/metadata.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/status_macros.h"
#include "rules/python/package/names.h"
#include "rules/python/requirements.h"

namespace braid::python::package {

namespace {

using build_file::Value;

const std::vector<std::string>& MetadataKeywords() {
  static const std::vector<std::string> k = {
      "name", "version", "description", "long_description", "long_description_content_type",
      "url", "download_url", "author", "author_email", "maintainer", "maintainer_email",
      "license", "keywords", "classifiers", "platforms", "project_urls", "python_requires",
      "install_requires", "extras_require", "entry_points"};
  return k;
}
const std::vector<std::string>& IgnoredKeywords() {
  static const std::vector<std::string> k = {
      "zip_safe", "include_package_data", "license_files", "license_file", "setup_requires",
      "tests_require", "test_suite", "options", "obsoletes", "provides", "requires"};
  return k;
}
const std::vector<std::string>& ComputedKeywords() {
  static const std::vector<std::string> k = {
      "packages", "package_dir", "py_modules", "package_data", "namespace_packages",
      "data_files", "scripts", "ext_modules", "cmdclass"};
  return k;
}

bool Contains(const std::vector<std::string>& v, absl::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

absl::StatusOr<std::string> AsString(const Value& v, absl::string_view key, const Location& where) {
  if (!v.is_string()) {
    return UserError(where, absl::StrCat("python_artifact keyword '", key,
                                         "' must be a string, got ", v.TypeName()));
  }
  return v.string_value();
}

// A string or a sequence of strings, as a list.
absl::StatusOr<std::vector<std::string>> AsStringList(const Value& v, absl::string_view key,
                                                      const Location& where) {
  if (v.is_string()) return std::vector<std::string>{v.string_value()};
  if (!v.is_sequence()) {
    return UserError(where, absl::StrCat("python_artifact keyword '", key,
                                         "' must be a list of strings, got ", v.TypeName()));
  }
  std::vector<std::string> out;
  for (const Value& item : v.items()) {
    BRAID_ASSIGN_OR_RETURN(std::string s, AsString(item, key, where));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> Requirements(const Value& v, absl::string_view key,
                                                      const Location& where) {
  BRAID_ASSIGN_OR_RETURN(std::vector<std::string> raw, AsStringList(v, key, where));
  std::vector<std::string> out;
  for (const std::string& r : raw) {
    absl::StatusOr<std::string> n = NormalizeRequirement(r);
    if (!n.ok()) {
      return UserError(where, absl::StrCat("invalid requirement '", r, "' in python_artifact ",
                                           key, ": ", n.status().message()));
    }
    out.push_back(*n);
  }
  return out;
}

// setuptools' rfc822_escape: continuation lines indented by 8 spaces.
std::string Fold(absl::string_view value) {
  return absl::StrReplaceAll(absl::StripTrailingAsciiWhitespace(value), {{"\n", "\n        "}});
}

}  // namespace

absl::StatusOr<std::string> NormalizeRequirement(absl::string_view text) {
  BRAID_ASSIGN_OR_RETURN(Requirement r, ParseRequirement(text));
  std::string out = r.name;
  if (!r.extras.empty()) {
    std::vector<std::string> extras = r.extras;
    std::sort(extras.begin(), extras.end());
    absl::StrAppend(&out, "[", absl::StrJoin(extras, ","), "]");
  }
  if (!r.url.empty()) {
    absl::StrAppend(&out, " @ ", r.url);
    if (!r.marker.empty()) absl::StrAppend(&out, " ");
  } else {
    std::vector<std::string> specs;
    for (const VersionSpecifier& s : r.specifiers) specs.push_back(s.op + s.version);
    std::sort(specs.begin(), specs.end());
    absl::StrAppend(&out, absl::StrJoin(specs, ","));
  }
  if (!r.marker.empty()) absl::StrAppend(&out, "; ", r.marker);
  return out;
}

void AddRequirement(DistributionMetadata& m, const std::string& requirement) {
  if (!Contains(m.requires_dist, requirement)) m.requires_dist.push_back(requirement);
}

absl::Status AddEntryPoints(const Value& value, const Location& where, DistributionMetadata& m) {
  if (value.is_none()) return absl::OkStatus();
  if (value.kind() != Value::Kind::kDict) {
    return UserError(where, absl::StrCat("entry_points must be a dict of groups, got ",
                                         value.TypeName()));
  }
  for (const auto& [gk, gv] : value.dict_items()) {
    if (!gk.is_string() || gk.string_value().empty()) {
      return UserError(where, "entry point group names must be non-empty strings");
    }
    const std::string& group = gk.string_value();
    std::vector<std::pair<std::string, std::string>> items;
    if (gv.kind() == Value::Kind::kDict) {
      for (const auto& [k, v] : gv.dict_items()) {
        if (!k.is_string() || !v.is_string()) {
          return UserError(where, absl::StrCat("entry points of group '", group,
                                               "' must map names to strings"));
        }
        items.emplace_back(k.string_value(), v.string_value());
      }
    } else if (gv.is_sequence()) {
      for (const Value& line : gv.items()) {
        if (!line.is_string() || !absl::StrContains(line.string_value(), '=')) {
          return UserError(where, absl::StrCat("entry points of group '", group,
                                               "' must be strings 'name = module:attr'"));
        }
        std::pair<std::string, std::string> kv =
            absl::StrSplit(line.string_value(), absl::MaxSplits('=', 1));
        items.emplace_back(std::string(absl::StripAsciiWhitespace(kv.first)),
                           std::string(absl::StripAsciiWhitespace(kv.second)));
      }
    } else {
      return UserError(where, absl::StrCat("entry points of group '", group,
                                           "' must be a dict or a list, got ", gv.TypeName()));
    }
    for (auto& [name, target] : items) {
      if (name.empty() || target.empty() || absl::StrContains(name, '=') ||
          absl::StrContains(name, '\n') || absl::StrContains(target, '\n')) {
        return UserError(where, absl::StrCat("invalid entry point '", name, " = ", target,
                                             "' in group '", group, "'"));
      }
      auto [it, inserted] = m.entry_points[group].emplace(name, target);
      if (!inserted && it->second != target) {
        return UserError(where, absl::StrCat("entry point '", name, "' of group '", group,
                                             "' is given twice: '", it->second, "' and '",
                                             target, "'"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DistributionMetadata> MetadataFromArtifact(const build_file::HostObject& artifact,
                                                          const Location& where,
                                                          bool version_required) {
  if (!artifact.args.empty()) {
    return UserError(where, "python_artifact() takes keyword arguments only");
  }
  DistributionMetadata m;
  bool has_name = false, has_version = false;
  for (const auto& [key, v] : artifact.kwargs) {
    auto str = [&, &key = key, &v = v](std::string* field) -> absl::Status {
      BRAID_ASSIGN_OR_RETURN(*field, AsString(v, key, where));
      return absl::OkStatus();
    };
    if (key == "name") {
      BRAID_RETURN_IF_ERROR(str(&m.name));
      if (!IsValidProjectName(m.name)) {
        return UserError(where, absl::StrCat("invalid distribution name '", m.name, "'"),
                         "a name has ASCII letters, digits, '.', '_' and '-', and starts and "
                         "ends with a letter or digit (PEP 508)");
      }
      has_name = true;
    } else if (key == "version") {
      std::string raw;
      if (v.kind() == Value::Kind::kInt) {
        raw = absl::StrCat(v.int_value());
      } else {
        BRAID_RETURN_IF_ERROR(str(&raw));
      }
      absl::StatusOr<std::string> n = NormalizeVersion(raw);
      if (!n.ok()) {
        return UserError(where, n.status().message(),
                         "versions look like 1.2.3, 1.2.3rc1, 1.2.3.post1, 1.2.3.dev1 or "
                         "1!1.2+local (https://peps.python.org/pep-0440/)");
      }
      m.version = *n;
      has_version = true;
    } else if (key == "description") {
      BRAID_RETURN_IF_ERROR(str(&m.summary));
      if (absl::StrContains(m.summary, '\n')) {
        return UserError(where, "python_artifact description (Summary) must be a single line",
                         "put longer text in long_description");
      }
    } else if (key == "long_description") {
      BRAID_RETURN_IF_ERROR(str(&m.description));
    } else if (key == "long_description_content_type") {
      BRAID_RETURN_IF_ERROR(str(&m.description_content_type));
    } else if (key == "url") {
      BRAID_RETURN_IF_ERROR(str(&m.home_page));
    } else if (key == "download_url") {
      BRAID_RETURN_IF_ERROR(str(&m.download_url));
    } else if (key == "author") {
      BRAID_RETURN_IF_ERROR(str(&m.author));
    } else if (key == "author_email") {
      BRAID_RETURN_IF_ERROR(str(&m.author_email));
    } else if (key == "maintainer") {
      BRAID_RETURN_IF_ERROR(str(&m.maintainer));
    } else if (key == "maintainer_email") {
      BRAID_RETURN_IF_ERROR(str(&m.maintainer_email));
    } else if (key == "license") {
      BRAID_RETURN_IF_ERROR(str(&m.license));
    } else if (key == "keywords") {
      BRAID_ASSIGN_OR_RETURN(std::vector<std::string> kw, AsStringList(v, key, where));
      m.keywords = absl::StrJoin(kw, ",");
    } else if (key == "classifiers") {
      BRAID_ASSIGN_OR_RETURN(m.classifiers, AsStringList(v, key, where));
    } else if (key == "platforms") {
      BRAID_ASSIGN_OR_RETURN(m.platforms, AsStringList(v, key, where));
    } else if (key == "project_urls") {
      if (v.kind() != Value::Kind::kDict) {
        return UserError(where, absl::StrCat("python_artifact keyword 'project_urls' must be a "
                                             "dict of label to URL, got ", v.TypeName()));
      }
      for (const auto& [label, url] : v.dict_items()) {
        BRAID_ASSIGN_OR_RETURN(std::string l, AsString(label, key, where));
        BRAID_ASSIGN_OR_RETURN(std::string u, AsString(url, key, where));
        m.project_urls.emplace_back(std::move(l), std::move(u));
      }
    } else if (key == "python_requires") {
      BRAID_RETURN_IF_ERROR(str(&m.requires_python));
    } else if (key == "install_requires") {
      BRAID_ASSIGN_OR_RETURN(std::vector<std::string> reqs, Requirements(v, key, where));
      for (const std::string& r : reqs) AddRequirement(m, r);
    } else if (key == "extras_require") {
      if (v.kind() != Value::Kind::kDict) {
        return UserError(where, absl::StrCat("python_artifact keyword 'extras_require' must be "
                                             "a dict of extra to requirements, got ",
                                             v.TypeName()));
      }
      for (const auto& [extra, reqs] : v.dict_items()) {
        BRAID_ASSIGN_OR_RETURN(std::string e, AsString(extra, key, where));
        if (!IsValidProjectName(e)) {
          return UserError(where, absl::StrCat("invalid extra name '", e, "'"));
        }
        BRAID_ASSIGN_OR_RETURN(std::vector<std::string> rs, Requirements(reqs, key, where));
        m.extras.emplace_back(CanonicalName(e), std::move(rs));
      }
    } else if (key == "entry_points") {
      BRAID_RETURN_IF_ERROR(AddEntryPoints(v, where, m));
    } else if (Contains(IgnoredKeywords(), key)) {
      // Build options of setuptools: no effect on what braid writes.
    } else if (Contains(ComputedKeywords(), key)) {
      return UserError(where,
                       absl::StrCat("python_artifact keyword '", key,
                                    "' is computed by braid from the distribution's "
                                    "dependencies and cannot be given"),
                       "use generate_setup=False with your own setup.py or pyproject.toml for "
                       "full control");
    } else {
      std::vector<std::string> all = MetadataKeywords();
      all.insert(all.end(), IgnoredKeywords().begin(), IgnoredKeywords().end());
      return UserError(where, absl::StrCat("unknown python_artifact keyword '", key, "'"),
                       DidYouMean(key, all));
    }
  }
  if (!has_name) {
    return UserError(where, "python_artifact(...) needs a `name`",
                     "e.g. provides=python_artifact(name=\"my-dist\", version=\"1.0\")");
  }
  if (!has_version && version_required) {
    return UserError(where, absl::StrCat("python_artifact(name=\"", m.name,
                                         "\") needs a `version`"));
  }
  return m;
}

std::vector<std::pair<std::string, std::string>> MetadataFields(const DistributionMetadata& m) {
  std::vector<std::pair<std::string, std::string>> out;
  auto field = [&out](absl::string_view key, std::string value) {
    if (!value.empty()) out.emplace_back(std::string(key), std::move(value));
  };
  field("Name", m.name);
  field("Version", m.version);
  field("Summary", m.summary);
  field("Home-page", m.home_page);
  field("Download-URL", m.download_url);
  field("Author", m.author);
  field("Author-email", m.author_email);
  field("Maintainer", m.maintainer);
  field("Maintainer-email", m.maintainer_email);
  field("License", m.license);
  for (const auto& [label, url] : m.project_urls) field("Project-URL", absl::StrCat(label, ", ", url));
  field("Keywords", m.keywords);
  for (const std::string& p : m.platforms) field("Platform", p);
  for (const std::string& c : m.classifiers) field("Classifier", c);
  field("Requires-Python", m.requires_python);
  field("Description-Content-Type", m.description_content_type);
  for (const std::string& r : m.requires_dist) field("Requires-Dist", r);
  for (const auto& [extra, reqs] : m.extras) {
    field("Provides-Extra", extra);
    for (const std::string& r : reqs) {
      // Requirement texts were normalised, so a marker follows "; ".
      size_t semi = r.find("; ");
      std::string cond = absl::StrCat("extra == \"", extra, "\"");
      field("Requires-Dist", semi == std::string::npos
                                 ? absl::StrCat(r, "; ", cond)
                                 : absl::StrCat(r.substr(0, semi), "; (", r.substr(semi + 2),
                                                ") and ", cond));
    }
  }
  return out;
}

std::string RenderCoreMetadata(const DistributionMetadata& m) {
  std::string out = "Metadata-Version: 2.1\n";
  for (const auto& [key, value] : MetadataFields(m)) {
    absl::StrAppend(&out, key, ": ", Fold(value), "\n");
  }
  if (!m.description.empty()) {
    absl::StrAppend(&out, "\n", m.description);
    if (out.back() != '\n') out += "\n";
  }
  return out;
}

std::string RenderEntryPoints(const DistributionMetadata& m) {
  std::string out;
  for (const auto& [group, entries] : m.entry_points) {
    if (!out.empty()) out += "\n";
    absl::StrAppend(&out, "[", group, "]\n");
    for (const auto& [name, target] : entries) absl::StrAppend(&out, name, " = ", target, "\n");
  }
  return out;
}

std::string RequiresPythonFromConstraints(const std::vector<std::string>& constraints) {
  std::set<std::string> specs;
  for (const std::string& c : constraints) {
    absl::string_view s = absl::StripAsciiWhitespace(c);
    size_t i = 0;
    while (i < s.size() && (absl::ascii_isalpha(s[i]))) ++i;
    std::string spec = absl::StrReplaceAll(s.substr(i), {{" ", ""}});
    specs.insert(spec);
  }
  if (specs.size() != 1) return "";
  return *specs.begin();
}

}  // namespace braid::python::package

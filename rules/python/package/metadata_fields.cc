#include "rules/python/package/metadata_fields.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "rules/python/package/names.h"

namespace braid::python::package {

app::PackageMetadata ToPackageMetadata(const DistributionMetadata& m) {
  app::PackageMetadata out;
  for (auto& [key, value] : MetadataFields(m)) out.Add(key, std::move(value));
  if (!m.description.empty()) out.Add("Description", m.description);
  return out;
}

absl::StatusOr<DistributionMetadata> FromPackageMetadata(const app::PackageMetadata& fields,
                                                         const DistributionMetadata& base) {
  DistributionMetadata m;
  m.entry_points = base.entry_points;
  // Single-use fields and where they go.
  std::map<std::string, std::string*> single = {
      {"Name", &m.name},
      {"Version", &m.version},
      {"Summary", &m.summary},
      {"Home-page", &m.home_page},
      {"Download-URL", &m.download_url},
      {"Author", &m.author},
      {"Author-email", &m.author_email},
      {"Maintainer", &m.maintainer},
      {"Maintainer-email", &m.maintainer_email},
      {"License", &m.license},
      {"Keywords", &m.keywords},
      {"Requires-Python", &m.requires_python},
      {"Description-Content-Type", &m.description_content_type},
      {"Description", &m.description},
  };
  std::set<std::string> seen;
  // `req; extra == "x"` or `req; (marker) and extra == "x"`.
  static const RE2 kExtra(R"re((.*?); (?:\((.*)\) and )?extra == "([^"]+)")re");
  for (const auto& [name, value] : fields.fields) {
    if (name == "Metadata-Version") continue;  // braid writes 2.1
    if (auto it = single.find(name); it != single.end()) {
      if (!seen.insert(name).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("the metadata field '", name, "' is given twice"));
      }
      *it->second = value;
    } else if (name == "Project-URL") {
      size_t comma = value.find(',');
      if (comma == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Project-URL '", value, "' is not 'label, url'"));
      }
      m.project_urls.emplace_back(
          std::string(absl::StripAsciiWhitespace(absl::string_view(value).substr(0, comma))),
          std::string(absl::StripAsciiWhitespace(absl::string_view(value).substr(comma + 1))));
    } else if (name == "Platform") {
      m.platforms.push_back(value);
    } else if (name == "Classifier") {
      m.classifiers.push_back(value);
    } else if (name == "Provides-Extra") {
      std::string extra = CanonicalName(value);
      if (!IsValidProjectName(value)) {
        return absl::InvalidArgumentError(absl::StrCat("invalid extra name '", value, "'"));
      }
      bool known = false;
      for (const auto& [e, reqs] : m.extras) known = known || e == extra;
      if (!known) m.extras.emplace_back(extra, std::vector<std::string>{});
    } else if (name == "Requires-Dist") {
      std::string req, marker, extra;
      bool conditional = RE2::FullMatch(value, kExtra, &req, &marker, &extra);
      std::string text = conditional ? (marker.empty() ? req : absl::StrCat(req, "; ", marker))
                                     : value;
      absl::StatusOr<std::string> n = NormalizeRequirement(text);
      if (!n.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("invalid Requires-Dist '", value,
                                                       "': ", n.status().message()));
      }
      if (!conditional) {
        AddRequirement(m, *n);
        continue;
      }
      extra = CanonicalName(extra);
      auto it = m.extras.begin();
      while (it != m.extras.end() && it->first != extra) ++it;
      if (it == m.extras.end()) it = m.extras.insert(it, {extra, {}});
      it->second.push_back(*n);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("braid cannot write the metadata field '", name, "'"));
    }
  }
  if (!IsValidProjectName(m.name)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid distribution name '", m.name, "'"));
  }
  if (!m.version.empty()) {
    absl::StatusOr<std::string> v = NormalizeVersion(m.version);
    if (!v.ok()) return v.status();
    m.version = *v;
  }
  if (absl::StrContains(m.summary, '\n')) {
    return absl::InvalidArgumentError("the Summary must be a single line");
  }
  return m;
}

}  // namespace braid::python::package

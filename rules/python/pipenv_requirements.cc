// Pipfile.lock as Pants' pipenv_requirements.py reads it (see requirements.h).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/error.h"
#include "core/base/json.h"
#include "rules/python/requirements.h"

namespace braid::python {
namespace {

// JSON values carry no positions: locate an entry by the first line that
// holds its quoted name (0, the whole file, when absent).
int LineOfKey(absl::string_view contents, absl::string_view key) {
  size_t at = contents.find(absl::StrCat("\"", key, "\""));
  if (at == absl::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(contents.begin(), contents.begin() + at, '\n'));
}

}  // namespace

absl::StatusOr<std::vector<ParsedRequirement>> ParsePipfileLock(absl::string_view contents,
                                                                absl::string_view path) {
  const std::string path_str(path);
  absl::StatusOr<json::Value> doc = json::Parse(contents, path);
  if (!doc.ok()) return doc.status();
  auto error = [&](absl::string_view key, absl::string_view message, absl::string_view hint = {}) {
    int line = key.empty() ? 0 : LineOfKey(contents, key);
    return UserError(Location{path_str, line, 0, std::string(LineOf(contents, line))}, message,
                     hint);
  };
  if (doc->kind() != json::Value::Kind::kObject) {
    return error("", "a Pipfile.lock must hold a JSON object");
  }

  // {**default, **develop}: a name keeps its first position and takes the
  // later value.
  std::vector<std::string> order;
  std::map<std::string, const json::Value*> merged;
  for (const char* section : {"default", "develop"}) {
    const json::Value* entries = doc->Find(section);
    if (entries == nullptr) continue;
    if (entries->kind() != json::Value::Kind::kObject) {
      return error(section, absl::StrCat("\"", section, "\" must be a JSON object"));
    }
    for (const auto& [name, info] : entries->members()) {
      if (merged.emplace(name, &info).second) {
        order.push_back(name);
      } else {
        merged[name] = &info;
      }
    }
  }

  std::vector<ParsedRequirement> out;
  for (const std::string& name : order) {
    const json::Value& info = *merged[name];
    if (info.kind() != json::Value::Kind::kObject) {
      return error(name, absl::StrCat("the entry for '", name, "' must be a JSON object"));
    }
    auto string_member = [&](const char* key, std::string* dest) -> absl::Status {
      const json::Value* v = info.Find(key);
      if (v == nullptr || v->is_null()) return absl::OkStatus();
      if (v->kind() != json::Value::Kind::kString) {
        return error(name, absl::StrCat("\"", key, "\" of '", name, "' must be a string"));
      }
      *dest = v->as_string();
      return absl::OkStatus();
    };
    std::string text = name;
    if (const json::Value* extras = info.Find("extras");
        extras != nullptr && extras->kind() == json::Value::Kind::kArray &&
        !extras->array().empty()) {
      std::vector<std::string> names;
      for (const json::Value& e : extras->array()) {
        if (e.kind() != json::Value::Kind::kString) {
          return error(name, absl::StrCat("\"extras\" of '", name, "' must be strings"));
        }
        names.push_back(e.as_string());
      }
      absl::StrAppend(&text, "[", absl::StrJoin(names, ","), "]");
    }
    std::string version, markers;
    if (absl::Status s = string_member("version", &version); !s.ok()) return s;
    if (absl::Status s = string_member("markers", &markers); !s.ok()) return s;
    absl::StrAppend(&text, version);
    if (!markers.empty()) absl::StrAppend(&text, ";", markers);
    absl::StatusOr<Requirement> req = ParseRequirement(text);
    if (!req.ok()) {
      return error(name, absl::StrCat("invalid requirement '", text, "'"), req.status().message());
    }
    out.push_back({*std::move(req), LineOfKey(contents, name), std::nullopt});
  }
  return out;
}

}  // namespace braid::python

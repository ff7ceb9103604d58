#include "core/options/config_file.h"

#include <algorithm>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

// toml++ is built with exceptions (Debian's shared library); every throw is
// caught in this file so none escapes the module.
#include <toml++/toml.h>

namespace braid::options {
namespace {

Location At(absl::string_view path, absl::string_view text, int line, int column = 0) {
  Location loc;
  loc.file = std::string(path);
  loc.line = line;
  loc.column = column;
  loc.source_line = std::string(LineOf(text, line));
  return loc;
}

// Converts a TOML node; tables become dicts (toml++ keeps keys sorted, which
// is deterministic), datetimes become their TOML text.
OptionValue ToValue(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return OptionValue::String(std::string(node.as_string()->get()));
    case toml::node_type::integer: return OptionValue::Int(node.as_integer()->get());
    case toml::node_type::floating_point: return OptionValue::Float(node.as_floating_point()->get());
    case toml::node_type::boolean: return OptionValue::Bool(node.as_boolean()->get());
    case toml::node_type::array: {
      OptionValue::List items;
      for (const toml::node& item : *node.as_array()) items.push_back(ToValue(item));
      return OptionValue::OfList(std::move(items));
    }
    case toml::node_type::table: {
      OptionValue::Dict items;
      for (const auto& [k, v] : *node.as_table()) items.emplace_back(std::string(k.str()), ToValue(v));
      return OptionValue::OfDict(std::move(items));
    }
    default: {
      std::ostringstream os;
      node.visit([&](const auto& n) { os << n; });
      return OptionValue::String(os.str());
    }
  }
}

// `%(name)s` interpolation over one section.
class Interpolator {
 public:
  Interpolator(std::map<std::string, std::string> vars, const std::map<std::string, std::string>& env,
               std::string section)
      : vars_(std::move(vars)), env_(env), section_(std::move(section)) {}

  // Rewrites every string inside `value`. On failure returns the message (no place).
  absl::Status Apply(absl::string_view key, OptionValue* value) const {
    switch (value->kind()) {
      case OptionValue::Kind::kString: {
        absl::StatusOr<std::string> s = Expand(key, value->string(), 0);
        if (!s.ok()) return s.status();
        *value = OptionValue::String(*std::move(s));
        return absl::OkStatus();
      }
      case OptionValue::Kind::kList:
        for (OptionValue& item : value->mutable_list()) {
          if (absl::Status s = Apply(key, &item); !s.ok()) return s;
        }
        return absl::OkStatus();
      case OptionValue::Kind::kDict:
        for (auto& [k, item] : value->mutable_dict()) {
          if (absl::Status s = Apply(key, &item); !s.ok()) return s;
        }
        return absl::OkStatus();
      default:
        return absl::OkStatus();
    }
  }

 private:
  absl::StatusOr<std::string> Expand(absl::string_view key, const std::string& in, int depth) const {
    if (depth > 16) {
      return absl::InvalidArgumentError(
          absl::StrCat("interpolation in [", section_, "] ", key, " does not terminate (a loop?)"));
    }
    std::string out;
    bool changed = false;
    size_t i = 0;
    while (i < in.size()) {
      size_t start = in.find("%(", i);
      if (start == std::string::npos) break;
      size_t close = in.find(")s", start + 2);
      std::string name = close == std::string::npos ? "" : in.substr(start + 2, close - start - 2);
      bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
      });
      if (!valid) {
        out.append(in, i, start + 2 - i);
        i = start + 2;
        continue;
      }
      out.append(in, i, start - i);
      absl::StatusOr<std::string> rep = Lookup(key, name);
      if (!rep.ok()) return rep.status();
      out += *rep;
      changed = true;
      i = close + 2;
    }
    out.append(in, std::min(i, in.size()), std::string::npos);
    if (!changed) return out;
    return Expand(key, out, depth + 1);  // a replacement may hold placeholders
  }

  absl::StatusOr<std::string> Lookup(absl::string_view key, const std::string& name) const {
    std::string placeholder = absl::StrCat("'%(", name, ")s'");
    if (absl::StartsWith(name, "env.")) {
      auto it = env_.find(name.substr(4));
      if (it != env_.end()) return it->second;
      return absl::InvalidArgumentError(absl::StrCat("cannot interpolate ", placeholder, " in [",
                                                     section_, "] ", key, ": environment variable ",
                                                     name.substr(4), " is not set"));
    }
    auto it = vars_.find(name);
    if (it != vars_.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [k, v] : vars_) names.push_back(k);
    std::string msg = absl::StrCat("cannot interpolate ", placeholder, " in [", section_, "] ", key,
                                   ": no such value (known: ", absl::StrJoin(names, ", "),
                                   ", env.NAME)");
    return absl::InvalidArgumentError(msg);
  }

  std::map<std::string, std::string> vars_;
  const std::map<std::string, std::string>& env_;
  std::string section_;
};

void AddStringKeys(const toml::table* section, std::map<std::string, std::string>* vars) {
  if (section == nullptr) return;
  for (const auto& [k, v] : *section) {
    if (const toml::value<std::string>* s = v.as_string()) (*vars)[std::string(k.str())] = s->get();
  }
}

int LineOfKey(const toml::key& k, const toml::node& v) {
  if (k.source().begin.line > 0) return static_cast<int>(k.source().begin.line);
  return static_cast<int>(v.source().begin.line);
}

}  // namespace

const ConfigEntry* ConfigSection::Find(absl::string_view key) const {
  for (const ConfigEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const ConfigSection* ConfigFile::Find(absl::string_view name) const {
  for (const ConfigSection& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

absl::StatusOr<ConfigFile> ParseConfigFile(absl::string_view display_path, absl::string_view text,
                                           const std::map<std::string, std::string>& seeds,
                                           const std::map<std::string, std::string>& env) {
  toml::table root;
  try {
    root = toml::parse(std::string_view(text.data(), text.size()),
                       std::string_view(display_path.data(), display_path.size()));
  } catch (const toml::parse_error& e) {
    Location loc = At(display_path, text, static_cast<int>(e.source().begin.line),
                      static_cast<int>(e.source().begin.column));
    return UserError(loc, std::string(e.description()));
  } catch (const std::exception& e) {
    return UserError(At(display_path, text, 0), absl::StrCat("cannot parse TOML: ", e.what()));
  }

  std::map<std::string, std::string> default_vars = seeds;
  AddStringKeys(root["DEFAULT"].as_table(), &default_vars);

  ConfigFile file;
  file.path = std::string(display_path);
  for (const auto& [section_key, section_node] : root) {
    std::string name(section_key.str());
    int line = LineOfKey(section_key, section_node);
    const toml::table* table = section_node.as_table();
    if (table == nullptr) {
      return UserError(At(display_path, text, line),
                       absl::StrCat("'", name, "' must be a [section] (a table), not a ",
                                    OptionValue::KindName(ToValue(section_node).kind())),
                       "put options under a section such as [GLOBAL]");
    }
    ConfigSection section;
    section.name = name;
    section.location = At(display_path, text, line);
    std::map<std::string, std::string> vars = default_vars;
    if (name != "DEFAULT") AddStringKeys(table, &vars);
    Interpolator interp(std::move(vars), env, name);
    for (const auto& [k, v] : *table) {
      ConfigEntry entry;
      entry.key = std::string(k.str());
      entry.value = ToValue(v);
      entry.is_table = v.is_table();
      entry.location = At(display_path, text, LineOfKey(k, v));
      if (absl::Status s = interp.Apply(entry.key, &entry.value); !s.ok()) {
        return UserError(entry.location, s.message());
      }
      section.entries.push_back(std::move(entry));
    }
    std::stable_sort(section.entries.begin(), section.entries.end(),
                     [](const ConfigEntry& a, const ConfigEntry& b) {
                       return a.location.line < b.location.line;
                     });
    file.sections.push_back(std::move(section));
  }
  std::stable_sort(file.sections.begin(), file.sections.end(),
                   [](const ConfigSection& a, const ConfigSection& b) {
                     return a.location.line < b.location.line;
                   });
  return file;
}

}  // namespace braid::options

// Poetry dependency tables as Pants' poetry_requirements.py converts them.
// Each function below mirrors one of Pants' (named in its comment) so that a
// difference in output can be traced to one place.
#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/error.h"
#include "re2/re2.h"
#include "rules/python/requirements.h"
#include "toml++/toml.h"

namespace braid::python {
namespace {

/// The parts of a PEP 440 version Pants' Poetry conversion looks at.
/// Invariant: `release` is non-empty.
struct PoetryVersion {
  std::vector<int64_t> release;  // 1.2.3 -> {1, 2, 3}
  std::string public_version;    // normalised, without the local part ("1.0.0rc0")
};

// packaging.version.Version(text): the normalised public form and release.
absl::StatusOr<PoetryVersion> ParseVersion(absl::string_view text) {
  static const RE2* re = new RE2(
      "(?i)v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)"
      "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?"
      "(?:-([0-9]+)|([-_.]?(?:post|rev|r)[-_.]?[0-9]*))?"
      "(?:[-_.]?(dev)[-_.]?([0-9]+)?)?"
      "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?");
  // post_implicit: the N of "1.0-N"; post_explicit: all of ".post1", "r2", ...
  std::string epoch, release, pre_l, pre_n, post_implicit, post_explicit, dev_l, dev_n;
  const std::string v(absl::StripAsciiWhitespace(text));
  if (!RE2::FullMatch(v, *re, &epoch, &release, &pre_l, &pre_n, &post_implicit, &post_explicit,
                      &dev_l, &dev_n)) {
    return absl::InvalidArgumentError(absl::StrCat("'", text, "' is not a valid PEP 440 version"));
  }
  PoetryVersion out;
  for (absl::string_view part : absl::StrSplit(release, '.')) {
    int64_t n = 0;
    if (part.size() > 18 || !absl::SimpleAtoi(part, &n)) {
      return absl::InvalidArgumentError(absl::StrCat("version '", text, "' is too large"));
    }
    out.release.push_back(n);
  }
  auto number = [](const std::string& digits) {
    int64_t n = 0;
    return (digits.empty() || !absl::SimpleAtoi(digits, &n)) ? std::string("0") : absl::StrCat(n);
  };
  int64_t epoch_n = 0;
  if (!epoch.empty() && absl::SimpleAtoi(epoch, &epoch_n) && epoch_n != 0) {
    absl::StrAppend(&out.public_version, epoch_n, "!");
  }
  absl::StrAppend(&out.public_version, absl::StrJoin(out.release, "."));
  if (!pre_l.empty()) {
    std::string l = absl::AsciiStrToLower(pre_l);
    if (l == "alpha") l = "a";
    if (l == "beta") l = "b";
    if (l == "c" || l == "pre" || l == "preview") l = "rc";
    absl::StrAppend(&out.public_version, l, number(pre_n));
  }
  if (!post_implicit.empty()) {
    absl::StrAppend(&out.public_version, ".post", number(post_implicit));
  } else if (!post_explicit.empty()) {
    size_t digits = post_explicit.find_last_not_of("0123456789") + 1;
    absl::StrAppend(&out.public_version, ".post", number(post_explicit.substr(digits)));
  }
  if (!dev_l.empty()) absl::StrAppend(&out.public_version, ".dev", number(dev_n));
  return out;
}

int64_t Component(const PoetryVersion& v, size_t i) {
  return i < v.release.size() ? v.release[i] : 0;
}

// Pants' get_max_caret: bump the first non-zero of major.minor.micro; for
// an all-zero version, bump the last component written.
std::string MaxCaret(const PoetryVersion& v) {
  int64_t major = 0, minor = 0, micro = 0;
  if (Component(v, 0) != 0) {
    major = Component(v, 0) + 1;
  } else if (Component(v, 1) != 0) {
    minor = Component(v, 1) + 1;
  } else if (Component(v, 2) != 0) {
    micro = Component(v, 2) + 1;
  } else if (v.release.size() >= 3) {
    micro = 1;
  } else if (v.release.size() == 2) {
    minor = 1;
  } else {
    major = 1;
  }
  return absl::StrCat(major, ".", minor, ".", micro);
}

// Pants' get_max_tilde: "~1.2.3" and "~1.2" allow patch updates, "~1" minor ones.
std::string MaxTilde(const PoetryVersion& v) {
  if (v.release.size() >= 2) return absl::StrCat(Component(v, 0), ".", Component(v, 1) + 1, ".0");
  return absl::StrCat(Component(v, 0) + 1, ".0.0");
}

// Pants' get_max_wildcard: bumps the second-to-last release component, then
// keeps only major.minor (so "1.2.3.*" gives "<1.2.0", as in Pants).
absl::StatusOr<std::string> MaxWildcard(const PoetryVersion& v, absl::string_view text) {
  if (v.release.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("wildcard '", text, "' needs a dot before '*', e.g. '1.*'"));
  }
  std::vector<int64_t> r = v.release;
  r[r.size() - 2] += 1;
  return absl::StrCat(r[0], ".", r[1], ".0");
}

absl::StatusOr<PoetryVersion> ParseConstraintVersion(absl::string_view name,
                                                     absl::string_view clause,
                                                     absl::string_view version) {
  absl::StatusOr<PoetryVersion> v = ParseVersion(version);
  if (!v.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("failed to parse requirement ", name, " = \"",
                                                   clause, "\": ", v.status().message()));
  }
  return v;
}

// Python's urllib.parse.urlsplit(url).scheme != "".
bool HasUrlScheme(absl::string_view url) {
  size_t colon = url.find(':');
  if (colon == 0 || colon == absl::string_view::npos || !absl::ascii_isalpha(url[0])) return false;
  for (char c : url.substr(0, colon)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

// Root-relative lexical normalisation of `dir/rel`; nullopt when it leaves
// the build root.
std::optional<std::string> NormalizeUnderRoot(absl::string_view dir, absl::string_view rel) {
  std::vector<std::string> parts;
  for (absl::string_view p : absl::StrSplit(dir, '/', absl::SkipEmpty())) parts.emplace_back(p);
  for (absl::string_view p : absl::StrSplit(rel, '/', absl::SkipEmpty())) {
    if (p == ".") continue;
    if (p == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.emplace_back(p);
  }
  return absl::StrJoin(parts, "/");
}

/// Reads one pyproject.toml for ParsePoetryRequirements.
class PoetryReader {
 public:
  PoetryReader(absl::string_view contents, absl::string_view path, const IsFileFn& is_file)
      : contents_(contents), path_(path), is_file_(is_file) {}

  absl::StatusOr<std::vector<ParsedRequirement>> Read() {
    toml::table doc;
    // toml++ reports syntax errors by exception; keep them inside this module.
    try {
      doc = toml::parse(std::string_view(contents_.data(), contents_.size()), path_);
    } catch (const toml::parse_error& e) {
      return Error(static_cast<int>(e.source().begin.line),
                   static_cast<int>(e.source().begin.column),
                   absl::StrCat("invalid TOML: ", std::string(e.description())));
    }
    const toml::table* poetry = doc["tool"]["poetry"].as_table();
    if (poetry == nullptr) {
      return Error(0, 0, "no section `tool.poetry` found",
                   "poetry_requirements reads [tool.poetry.dependencies]; for PEP 621 "
                   "[project] dependencies use python_requirements(source=\"pyproject.toml\")");
    }
    // {**dependencies, **dev_dependencies, **group_deps}: first position, last value.
    std::vector<std::string> order;
    std::map<std::string, const toml::node*> merged;
    auto merge = [&](const toml::node* table_node, absl::string_view where,
                     bool skip_python) -> absl::Status {
      if (table_node == nullptr) return absl::OkStatus();
      const toml::table* table = table_node->as_table();
      if (table == nullptr) {
        return NodeError(*table_node, absl::StrCat("`", where, "` must be a table"));
      }
      for (const auto& [key, node] : SortedByPosition(*table)) {
        if (skip_python && key == "python") continue;
        if (merged.emplace(key, node).second) {
          order.push_back(key);
        } else {
          merged[key] = node;
        }
      }
      return absl::OkStatus();
    };
    if (absl::Status s = merge(poetry->get("dependencies"), "tool.poetry.dependencies", true);
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            merge(poetry->get("dev-dependencies"), "tool.poetry.dev-dependencies", false);
        !s.ok()) {
      return s;
    }
    if (const toml::node* groups_node = poetry->get("group"); groups_node != nullptr) {
      const toml::table* groups = groups_node->as_table();
      if (groups == nullptr) return NodeError(*groups_node, "`tool.poetry.group` must be a table");
      for (const auto& [group, node] : SortedByPosition(*groups)) {
        const toml::table* g = node->as_table();
        if (g == nullptr) {
          return NodeError(*node, absl::StrCat("`tool.poetry.group.", group, "` must be a table"));
        }
        if (absl::Status s =
                merge(g->get("dependencies"),
                      absl::StrCat("tool.poetry.group.", group, ".dependencies"), false);
            !s.ok()) {
          return s;
        }
      }
    }

    for (const std::string& name : order) {
      if (absl::Status s = AddDependency(name, *merged[name]); !s.ok()) return s;
    }
    return std::move(out_);
  }

 private:
  // toml++ keeps keys sorted; Pants (Python dicts) goes in file order.
  static std::vector<std::pair<std::string, const toml::node*>> SortedByPosition(
      const toml::table& table) {
    std::vector<std::tuple<int, int, std::string, const toml::node*>> keyed;
    for (const auto& [key, value] : table) {
      keyed.emplace_back(static_cast<int>(key.source().begin.line),
                         static_cast<int>(key.source().begin.column), std::string(key.str()),
                         &value);
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::pair<std::string, const toml::node*>> out;
    for (auto& [line, col, key, node] : keyed) out.emplace_back(std::move(key), node);
    return out;
  }

  // Pants' parse_single_dependency.
  absl::Status AddDependency(const std::string& name, const toml::node& value) {
    if (const auto* s = value.as_string()) {
      absl::StatusOr<std::string> req = PoetryConstraintToPep508(name, "", s->get());
      if (!req.ok()) return NodeError(value, req.status().message());
      return Add(value, *req);
    }
    if (const toml::table* t = value.as_table()) return AddTable(name, *t);
    if (const toml::array* list = value.as_array()) {
      for (const toml::node& item : *list) {
        const toml::table* t = item.as_table();
        if (t == nullptr) {
          return NodeError(item, absl::StrCat("entries of the list for '", name,
                                              "' must be tables such as {version = \"1.0\", "
                                              "python = \"3.8\"}"));
        }
        if (absl::Status s = AddTable(name, *t); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    return NodeError(value, absl::StrCat("invalid Poetry requirement format for '", name,
                                         "': expected a string, table or list of tables, got ",
                                         TypeName(value)));
  }

  // Pants' handle_dict_attr followed by add_markers.
  absl::Status AddTable(const std::string& name, const toml::table& attrs) {
    std::map<std::string, std::string> s;
    for (const char* key :
         {"git", "rev", "branch", "tag", "path", "url", "version", "markers", "python"}) {
      const toml::node* n = attrs.get(key);
      if (n == nullptr) continue;
      if (!n->is_string()) {
        return NodeError(
            *n, absl::StrCat("`", key, "` of '", name, "' must be a string, got ", TypeName(*n)));
      }
      s[key] = n->as_string()->get();
    }
    std::string extras;
    if (const toml::array* list = attrs["extras"].as_array()) {
      std::vector<std::string> names;
      for (const toml::node& e : *list) {
        if (!e.is_string()) return NodeError(e, "extras must be strings");
        names.push_back(e.as_string()->get());
      }
      extras = absl::StrCat("[", absl::StrJoin(names, ","), "]");
    }
    auto truthy = [&](const char* key) { return s.count(key) && !s[key].empty(); };

    std::string base;
    if (s.count("git")) {
      std::string git = s["git"];
      // "git@github.com:foo/bar.git" has no scheme: Pants assumes ssh.
      if (!HasUrlScheme(git)) {
        size_t colon = git.find(':');
        if (colon != std::string::npos) git[colon] = '/';
        git = absl::StrCat("ssh://", git);
      }
      base = absl::StrCat(name, extras, " @ git+", git, truthy("tag") ? "@" + s["tag"] : "",
                          truthy("branch") ? "@" + s["branch"] : "",
                          truthy("rev") ? "#" + s["rev"] : "");
    }
    if (s.count("path")) {
      const std::string& p = s["path"];
      std::string dir(
          path_.substr(0, path_.rfind('/') == absl::string_view::npos ? 0 : path_.rfind('/')));
      std::optional<std::string> under_root =
          absl::StartsWith(p, "/") ? std::nullopt : NormalizeUnderRoot(dir, p);
      // A directory inside the repository is first-party code, handled by
      // ordinary dependencies and inference: no requirement (as in Pants).
      if (under_root.has_value() && !is_file_(*under_root)) return absl::OkStatus();
      return NodeError(*attrs.get("path"),
                       absl::StrCat("the path dependency '", name, "' (path = \"", p,
                                    "\") would become a file:// requirement, which braid does "
                                    "not support yet"),
                       "use `url = ...` or a python_requirement with a direct reference");
    }
    if (s.count("url")) base = absl::StrCat(name, extras, " @ ", s["url"]);
    if (s.count("version")) {
      absl::StatusOr<std::string> v = PoetryConstraintToPep508(name, extras, s["version"]);
      if (!v.ok()) return NodeError(*attrs.get("version"), v.status().message());
      base = *v;
    }
    if (base.empty()) {
      return NodeError(attrs, absl::StrCat(name,
                                           " is not formatted correctly; at minimum provide "
                                           "either a version, url, path or git location for "
                                           "your dependency"));
    }
    // add_markers: (markers) and (python constraint), after " ;".
    std::string python;
    if (s.count("python")) {
      absl::StatusOr<std::string> m = PoetryPythonConstraintToMarker(s["python"]);
      if (!m.ok()) return NodeError(*attrs.get("python"), m.status().message());
      python = *m;
    }
    if (truthy("markers") || !python.empty()) {
      absl::StrAppend(&base, " ;(");
      if (truthy("markers")) absl::StrAppend(&base, s["markers"], ")");
      if (truthy("markers") && !python.empty()) absl::StrAppend(&base, " and (");
      if (!python.empty()) absl::StrAppend(&base, python, ")");
    }
    return Add(attrs, base);
  }

  absl::Status Add(const toml::node& node, const std::string& text) {
    absl::StatusOr<Requirement> req = ParseRequirement(text);
    if (!req.ok()) {
      return NodeError(node, absl::StrCat("invalid requirement '", text, "'"),
                       req.status().message());
    }
    out_.push_back({*std::move(req), static_cast<int>(node.source().begin.line), std::nullopt});
    return absl::OkStatus();
  }

  static std::string TypeName(const toml::node& n) {
    switch (n.type()) {
      case toml::node_type::integer:
        return "int";
      case toml::node_type::floating_point:
        return "float";
      case toml::node_type::boolean:
        return "bool";
      case toml::node_type::array:
        return "list";
      case toml::node_type::table:
        return "table";
      case toml::node_type::string:
        return "str";
      default:
        return "date/time";
    }
  }

  absl::Status NodeError(const toml::node& node, absl::string_view message,
                         absl::string_view hint = {}) {
    return Error(static_cast<int>(node.source().begin.line), 0, message, hint);
  }

  absl::Status Error(int line, int column, absl::string_view message, absl::string_view hint = {}) {
    Location loc{std::string(path_), line, column, std::string(LineOf(contents_, line))};
    return UserError(loc, message, hint);
  }

  absl::string_view contents_;
  std::string path_;
  const IsFileFn& is_file_;
  std::vector<ParsedRequirement> out_;
};

}  // namespace

absl::StatusOr<std::string> PoetryConstraintToPep508(absl::string_view name,
                                                     absl::string_view extras,
                                                     absl::string_view constraint) {
  std::vector<std::string> specs;
  for (absl::string_view raw : absl::StrSplit(constraint, ',')) {
    absl::string_view req = absl::StripAsciiWhitespace(raw);
    if (req.empty()) continue;
    if (req[0] == '^' || (req[0] == '~' && (req.size() < 2 || req[1] != '='))) {
      absl::StatusOr<PoetryVersion> v = ParseConstraintVersion(name, req, req.substr(1));
      if (!v.ok()) return v.status();
      specs.push_back(
          absl::StrCat(">=", v->public_version, ",<", req[0] == '^' ? MaxCaret(*v) : MaxTilde(*v)));
    } else if (req.back() == '*') {
      if (req == "*") continue;  // any version: no specifier at all
      // "1.2.*": parse "1.2.0" for the lower bound.
      absl::StatusOr<PoetryVersion> v =
          ParseConstraintVersion(name, req, absl::StrCat(req.substr(0, req.size() - 1), "0"));
      if (!v.ok()) return v.status();
      absl::StatusOr<std::string> max = MaxWildcard(*v, req);
      if (!max.ok()) return max.status();
      specs.push_back(absl::StrCat(">=", v->public_version, ",<", *max));
    } else if (absl::StrContains("<>!~=", req[0])) {
      specs.emplace_back(req);
    } else {
      specs.push_back(absl::StrCat("==", req));
    }
  }
  std::string out = absl::StrCat(name, extras, " ", absl::StrJoin(specs, ","));
  while (!out.empty() && absl::ascii_isspace(static_cast<unsigned char>(out.back())))
    out.pop_back();
  return out;
}

absl::StatusOr<std::string> PoetryPythonConstraintToMarker(absl::string_view constraint) {
  constexpr absl::string_view kSpecifierChars = "<>!~= ";
  std::vector<std::string> alternatives;
  for (absl::string_view alt : absl::StrSplit(constraint, "||")) {
    std::vector<std::string> terms;
    for (absl::string_view part : absl::StrSplit(alt, ',')) {
      absl::StatusOr<std::string> converted =
          PoetryConstraintToPep508("", "", absl::StripAsciiWhitespace(part));
      if (!converted.ok()) return converted.status();
      // " >=3.6,<4.0.0" -> "python_version >= '3.6'" and "python_version< '4.0'":
      // keep major.minor, operator characters before the quoted rest (Pants' prepend).
      for (absl::string_view spec : absl::StrSplit(*converted, ',')) {
        std::vector<absl::string_view> dots = absl::StrSplit(spec, '.');
        if (dots.size() > 2) dots.resize(2);
        std::string two = absl::StrJoin(dots, ".");
        std::string ops, rest;
        for (char c : two) (absl::StrContains(kSpecifierChars, c) ? ops : rest).push_back(c);
        terms.push_back(absl::StrCat("python_version", ops, " '", rest, "'"));
      }
    }
    alternatives.push_back(absl::StrJoin(terms, " and "));
  }
  if (alternatives.size() == 1) return alternatives[0];
  return absl::StrCat("(", absl::StrJoin(alternatives, ") or ("), ")");
}

absl::StatusOr<std::vector<ParsedRequirement>> ParsePoetryRequirements(absl::string_view contents,
                                                                       absl::string_view path,
                                                                       const IsFileFn& is_file) {
  return PoetryReader(contents, path, is_file).Read();
}

}  // namespace braid::python

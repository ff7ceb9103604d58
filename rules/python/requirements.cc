#include "rules/python/requirements.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/error.h"
#include "re2/re2.h"
#include "toml++/toml.h"

namespace braid::python {
namespace {

bool IsAlnum(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)); }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsNameChar(char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '-'; }

// A PEP 440 version, optionally ending in ".*" (checked separately). Written
// after the regex in PEP 440's appendix, case-insensitive.
const RE2& VersionRegex() {
  static const RE2* re = new RE2(
      "(?i)v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*"
      "(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
      "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
      "(?:[-_.]?dev[-_.]?[0-9]*)?"
      "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?");
  return *re;
}

// Environment marker variables PEP 508 defines, plus the legacy dotted
// spellings that `packaging` still accepts.
constexpr absl::string_view kMarkerVariables[] = {
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "os.name",
    "sys.platform",
    "platform.version",
    "platform.machine",
    "platform.python_implementation",
    "python_implementation",
};

/// A cursor over one requirement string. Each Parse* method either consumes
/// its construct or returns an error describing what was expected.
class RequirementParser {
 public:
  explicit RequirementParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Requirement> Parse() {
    Requirement req;
    req.text = std::string(absl::StripAsciiWhitespace(text_));
    SkipSpace();
    absl::StatusOr<std::string> name = ParseName("a project name");
    if (!name.ok()) return name.status();
    req.name = *std::move(name);
    SkipSpace();
    if (Peek() == '[') {
      if (absl::Status s = ParseExtras(req.extras); !s.ok()) return s;
      SkipSpace();
    }
    if (Peek() == '@') {
      ++pos_;
      SkipSpace();
      size_t start = pos_;
      while (!AtEnd() && !IsSpace(Peek())) ++pos_;
      req.url = std::string(text_.substr(start, pos_ - start));
      if (req.url.empty()) return Error("expected a URL after '@'");
      SkipSpace();
    } else if (Peek() == '(') {
      ++pos_;
      if (absl::Status s = ParseSpecifiers(req.specifiers); !s.ok()) return s;
      SkipSpace();
      if (Peek() != ')') return Error("expected ')' to close the version specifiers");
      ++pos_;
      SkipSpace();
    } else if (AtOperator()) {
      if (absl::Status s = ParseSpecifiers(req.specifiers); !s.ok()) return s;
      SkipSpace();
    }
    if (Peek() == ';') {
      ++pos_;
      req.marker = std::string(absl::StripAsciiWhitespace(text_.substr(pos_)));
      if (req.marker.empty()) return Error("expected an environment marker after ';'");
      if (absl::Status s = MarkerParser(req.marker).Parse(); !s.ok()) return s;
      pos_ = text_.size();
    }
    if (!AtEnd()) {
      return Error(absl::StrCat("unexpected '", text_.substr(pos_),
                                "' (expected a version specifier like '==1.0', '[extras]', "
                                "'@ URL' or '; marker')"));
    }
    return req;
  }

 private:
  // Parses a marker expression (PEP 508 `marker`) for validity only.
  class MarkerParser {
   public:
    explicit MarkerParser(absl::string_view text) : text_(text) {}
    absl::Status Parse() {
      if (absl::Status s = Or(); !s.ok()) return s;
      Skip();
      if (pos_ < text_.size()) {
        return Err(absl::StrCat("unexpected '", text_.substr(pos_), "' in environment marker"));
      }
      return absl::OkStatus();
    }

   private:
    absl::Status Or() {
      if (absl::Status s = And(); !s.ok()) return s;
      while (Keyword("or")) {
        if (absl::Status s = And(); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    absl::Status And() {
      if (absl::Status s = Atom(); !s.ok()) return s;
      while (Keyword("and")) {
        if (absl::Status s = Atom(); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    absl::Status Atom() {
      Skip();
      if (pos_ < text_.size() && text_[pos_] == '(') {
        ++pos_;
        if (absl::Status s = Or(); !s.ok()) return s;
        Skip();
        if (pos_ >= text_.size() || text_[pos_] != ')') {
          return Err("expected ')' in environment marker");
        }
        ++pos_;
        return absl::OkStatus();
      }
      if (absl::Status s = Var(); !s.ok()) return s;
      if (absl::Status s = Op(); !s.ok()) return s;
      return Var();
    }
    absl::Status Var() {
      Skip();
      if (pos_ >= text_.size()) return Err("expected a marker variable or a quoted string");
      char c = text_[pos_];
      if (c == '\'' || c == '"') {
        size_t end = text_.find(c, pos_ + 1);
        if (end == absl::string_view::npos) return Err("unterminated string in environment marker");
        pos_ = end + 1;
        return absl::OkStatus();
      }
      size_t start = pos_;
      while (pos_ < text_.size() &&
             (IsAlnum(text_[pos_]) || text_[pos_] == '_' || text_[pos_] == '.')) {
        ++pos_;
      }
      absl::string_view var = text_.substr(start, pos_ - start);
      if (var.empty())
        return Err(absl::StrCat("unexpected '", text_.substr(start), "' in environment marker"));
      for (absl::string_view known : kMarkerVariables) {
        if (var == known) return absl::OkStatus();
      }
      return Err(absl::StrCat("unknown environment marker variable '", var, "'"));
    }
    absl::Status Op() {
      Skip();
      for (absl::string_view op : {"===", "==", "!=", "<=", ">=", "~=", "<", ">"}) {
        if (absl::StartsWith(text_.substr(pos_), op)) {
          pos_ += op.size();
          return absl::OkStatus();
        }
      }
      if (Keyword("in")) return absl::OkStatus();
      if (Keyword("not")) {
        if (Keyword("in")) return absl::OkStatus();
        return Err("expected 'in' after 'not' in environment marker");
      }
      return Err("expected a comparison operator (==, <, in, ...) in environment marker");
    }
    // Consumes `word` if it comes next as a whole word.
    bool Keyword(absl::string_view word) {
      Skip();
      if (!absl::StartsWith(text_.substr(pos_), word)) return false;
      size_t after = pos_ + word.size();
      if (after < text_.size() && (IsAlnum(text_[after]) || text_[after] == '_')) return false;
      pos_ = after;
      return true;
    }
    void Skip() {
      while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    }
    absl::Status Err(absl::string_view msg) { return absl::InvalidArgumentError(msg); }

    absl::string_view text_;
    size_t pos_ = 0;
  };

  absl::StatusOr<std::string> ParseName(absl::string_view what) {
    size_t start = pos_;
    while (!AtEnd() && IsNameChar(Peek())) ++pos_;
    absl::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) {
      if (AtEnd()) return Error(absl::StrCat("expected ", what));
      return Error(absl::StrCat("expected ", what, ", got '", text_.substr(start), "'"));
    }
    if (!IsAlnum(name.front()) || !IsAlnum(name.back())) {
      return Error(absl::StrCat("'", name,
                                "' is not a valid name: it must start and end with "
                                "a letter or digit"));
    }
    return std::string(name);
  }

  absl::Status ParseExtras(std::vector<std::string>& extras) {
    ++pos_;  // '['
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return absl::OkStatus();
    }
    while (true) {
      SkipSpace();
      absl::StatusOr<std::string> extra = ParseName("an extra name");
      if (!extra.ok()) return extra.status();
      extras.push_back(*std::move(extra));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        return absl::OkStatus();
      }
      return Error("expected ',' or ']' after an extra name");
    }
  }

  bool AtOperator() const {
    char c = Peek();
    return c == '<' || c == '>' || c == '=' || c == '!' || c == '~';
  }

  absl::Status ParseSpecifiers(std::vector<VersionSpecifier>& out) {
    while (true) {
      SkipSpace();
      std::string op;
      for (absl::string_view candidate : {"===", "~=", "==", "!=", "<=", ">=", "<", ">"}) {
        if (absl::StartsWith(text_.substr(pos_), candidate)) {
          op = std::string(candidate);
          break;
        }
      }
      if (op.empty()) {
        return Error("expected a version operator (one of ~= == != <= >= < > ===)");
      }
      pos_ += op.size();
      SkipSpace();
      size_t start = pos_;
      if (op == "===") {
        // Arbitrary equality: any run of non-space text.
        while (!AtEnd() && !IsSpace(Peek()) && Peek() != ',' && Peek() != ';' && Peek() != ')') {
          ++pos_;
        }
      } else {
        while (!AtEnd() && (IsAlnum(Peek()) || absl::StrContains("._*+!-", Peek()))) ++pos_;
      }
      std::string version(text_.substr(start, pos_ - start));
      if (version.empty()) return Error(absl::StrCat("expected a version after '", op, "'"));
      if (op != "===") {
        std::string release = version;
        if (absl::EndsWith(version, ".*")) {
          if (op != "==" && op != "!=") {
            return Error(
                absl::StrCat("a '.*' wildcard is only allowed with == and !=, not '", op, "'"));
          }
          release = version.substr(0, version.size() - 2);
        }
        if (!RE2::FullMatch(release, VersionRegex())) {
          return Error(
              absl::StrCat("invalid version '", version, "' after '", op, "' (see PEP 440)"));
        }
      }
      out.push_back({op, std::move(version)});
      SkipSpace();
      if (Peek() != ',') return absl::OkStatus();
      ++pos_;
    }
  }

  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }
  absl::Status Error(absl::string_view msg) const { return absl::InvalidArgumentError(msg); }

  absl::string_view text_;
  size_t pos_ = 0;
};

absl::Status InvalidRequirement(const std::string& path, int line, absl::string_view source_line,
                                absl::string_view requirement, const absl::Status& why) {
  Location loc{path, line, 0, std::string(source_line)};
  std::string hint(why.message());
  // pip's VCS/URL lines ("git+https://...#egg=name") are not PEP 508.
  if (absl::StrContains(source_line, "://")) {
    absl::StrAppend(&hint,
                    "; for a URL or VCS requirement write a PEP 508 direct reference, "
                    "e.g. 'Django @ git+https://github.com/django/django.git@stable/2.1.x'");
  }
  return UserError(loc, absl::StrCat("invalid requirement '", requirement, "'"), hint);
}

}  // namespace

absl::StatusOr<Requirement> ParseRequirement(absl::string_view text) {
  return RequirementParser(text).Parse();
}

std::string SafeProjectName(absl::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : name) {
    if (IsAlnum(c) || c == '.') {
      out.push_back(c);
      in_run = false;
    } else if (!in_run) {
      out.push_back('-');
      in_run = true;
    }
  }
  return out;
}

std::string CanonicalProjectName(absl::string_view name) {
  std::string out;
  bool in_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) out.push_back('-');
      in_run = true;
    } else {
      out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      in_run = false;
    }
  }
  return out;
}

absl::StatusOr<std::vector<ParsedRequirement>> ParseRequirementsTxt(absl::string_view contents,
                                                                    absl::string_view path) {
  std::vector<ParsedRequirement> out;
  std::vector<absl::string_view> lines = absl::StrSplit(contents, '\n');
  // A final newline does not start another line.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::string_view raw = lines[i];
    if (absl::EndsWith(raw, "\r")) raw.remove_suffix(1);
    // Pants: drop everything from the first "--" (pip options such as --hash),
    // strip, then drop trailing backslashes (line continuations).
    absl::string_view line = raw.substr(0, raw.find("--"));
    line = absl::StripAsciiWhitespace(line);
    while (absl::EndsWith(line, "\\")) line.remove_suffix(1);
    if (line.empty() || line.front() == '#' || line.front() == '-') continue;
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    absl::StatusOr<Requirement> req = ParseRequirement(line);
    const int line_number = static_cast<int>(i) + 1;
    if (!req.ok()) {
      return InvalidRequirement(std::string(path), line_number, raw, line, req.status());
    }
    out.push_back({*std::move(req), line_number, std::nullopt});
  }
  return out;
}

absl::StatusOr<std::vector<ParsedRequirement>> ParsePyprojectRequirements(
    absl::string_view contents, absl::string_view path) {
  const std::string path_str(path);
  toml::table doc;
  // toml++ reports syntax errors by exception; keep them inside this module.
  try {
    doc = toml::parse(std::string_view(contents.data(), contents.size()), path_str);
  } catch (const toml::parse_error& e) {
    Location loc{path_str, static_cast<int>(e.source().begin.line),
                 static_cast<int>(e.source().begin.column),
                 std::string(LineOf(contents, static_cast<int>(e.source().begin.line)))};
    return UserError(loc, absl::StrCat("invalid TOML: ", std::string(e.description())));
  }

  std::vector<ParsedRequirement> out;
  const toml::table* project = doc["project"].as_table();
  const toml::array* deps = project ? (*project)["dependencies"].as_array() : nullptr;
  const toml::table* optional = project ? (*project)["optional-dependencies"].as_table() : nullptr;
  if ((deps == nullptr || deps->empty()) && (optional == nullptr || optional->empty())) {
    return UserError(Location{path_str, 0, 0, ""},
                     "no section `project.dependencies` or `project.optional-dependencies` found",
                     "python_requirements reads PEP 621 metadata from a source ending in "
                     "pyproject.toml; for Poetry's [tool.poetry.dependencies] use "
                     "poetry_requirements");
  }

  // Each entry is located at its own line when toml++ knows it.
  auto add = [&](const toml::node& node, absl::string_view where,
                 const std::optional<std::string>& group) -> absl::Status {
    int line = static_cast<int>(node.source().begin.line);
    Location loc{path_str, line, 0, std::string(LineOf(contents, line))};
    const std::string* text = node.as_string() ? &node.as_string()->get() : nullptr;
    if (text == nullptr) {
      return UserError(loc, absl::StrCat("entries of ", where, " must be strings"));
    }
    // As Pants does for `dependencies`: drop pip options and continuations,
    // skip blanks, comments and option-only entries.
    absl::string_view dep = *text;
    if (!group.has_value()) {
      dep = dep.substr(0, dep.find("--"));
      dep = absl::StripAsciiWhitespace(dep);
      while (absl::EndsWith(dep, "\\")) dep.remove_suffix(1);
      if (dep.empty() || dep.front() == '#' || dep.front() == '-') return absl::OkStatus();
    }
    absl::StatusOr<Requirement> req = ParseRequirement(dep);
    if (!req.ok())
      return UserError(loc, absl::StrCat("invalid requirement '", dep, "'"),
                       req.status().message());
    out.push_back({*std::move(req), line, group});
    return absl::OkStatus();
  };

  if (deps != nullptr) {
    for (const toml::node& node : *deps) {
      if (absl::Status s = add(node, "project.dependencies", std::nullopt); !s.ok()) return s;
    }
  }
  if (optional != nullptr) {
    // toml++ keeps keys sorted; Pants (Python dicts) goes in file order.
    std::vector<std::tuple<int, int, std::string, const toml::node*>> groups;
    for (const auto& [key, value] : *optional) {
      groups.emplace_back(static_cast<int>(key.source().begin.line),
                          static_cast<int>(key.source().begin.column), std::string(key.str()),
                          &value);
    }
    std::sort(groups.begin(), groups.end());
    for (const auto& [key_line, key_column, group, node_ptr] : groups) {
      const toml::node& value = *node_ptr;
      const toml::array* arr = value.as_array();
      std::string where = absl::StrCat("project.optional-dependencies.", group);
      if (arr == nullptr) {
        int line = static_cast<int>(value.source().begin.line);
        return UserError(Location{path_str, line, 0, std::string(LineOf(contents, line))},
                         absl::StrCat(where, " must be an array of requirement strings"));
      }
      for (const toml::node& node : *arr) {
        if (absl::Status s = add(node, where, group); !s.ok()) return s;
      }
    }
  }
  return out;
}

bool IsPyprojectSource(absl::string_view source) {
  return absl::EndsWith(source, "pyproject.toml");
}

}  // namespace braid::python

#include "plugins/changelog/towncrier.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "plugins/api/plugin.h"
#include "re2/re2.h"
#include "toml++/toml.h"

namespace braid::plugin::changelog {

namespace {

constexpr absl::string_view kPyWhitespace = " \t\n\r\x0b\x0c";

absl::string_view PyStrip(absl::string_view s) {
  size_t b = s.find_first_not_of(kPyWhitespace);
  if (b == absl::string_view::npos) return "";
  size_t e = s.find_last_not_of(kPyWhitespace);
  return s.substr(b, e - b + 1);
}
absl::string_view PyRStrip(absl::string_view s) {
  size_t e = s.find_last_not_of(kPyWhitespace);
  return e == absl::string_view::npos ? "" : s.substr(0, e + 1);
}
absl::string_view PyLStrip(absl::string_view s) {
  size_t b = s.find_first_not_of(kPyWhitespace);
  return b == absl::string_view::npos ? "" : s.substr(b);
}

// Python's len() of UTF-8 text: code points.
size_t PyLen(absl::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Repeat(absl::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

// str.format with named fields only ("{name}", "{{" and "}}").
std::string PyFormat(absl::string_view fmt, const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if ((c == '{' || c == '}') && i + 1 < fmt.size() && fmt[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '{') {
      size_t end = fmt.find('}', i);
      if (end != absl::string_view::npos) {
        auto it = values.find(std::string(fmt.substr(i + 1, end - i - 1)));
        if (it != values.end()) {
          out += it->second;
          i = end;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

// towncrier's indent(): prefix every non-blank line (keeping line ends).
std::string Indent(absl::string_view text, absl::string_view prefix) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == absl::string_view::npos ? text.size() : nl + 1;
    absl::string_view line = text.substr(start, end - start);
    if (!PyStrip(line).empty()) absl::StrAppend(&out, prefix);
    absl::StrAppend(&out, line);
    start = end;
  }
  return out;
}

bool IsDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// strip_if_integer_string: "007" -> "7".
std::string StripIfInteger(absl::string_view s) {
  int64_t i;
  absl::string_view t = PyStrip(s);
  bool neg = !t.empty() && (t[0] == '-' || t[0] == '+');
  if (IsDigits(neg ? t.substr(1) : t) && absl::SimpleAtoi(t, &i)) return absl::StrCat(i);
  return std::string(s);
}

// issue_key: numbers first as numbers ((int, "")), the rest as (-1, text).
std::pair<int64_t, std::string> IssueKey(const std::string& issue) {
  int64_t i;
  absl::string_view t = PyStrip(issue);
  bool neg = !t.empty() && (t[0] == '-' || t[0] == '+');
  if (IsDigits(neg ? t.substr(1) : t) && absl::SimpleAtoi(t, &i)) return {i, ""};
  return {-1, issue};
}

std::string RenderIssue(const TowncrierConfig& config, const std::string& issue) {
  if (!config.issue_format) {
    return IssueKey(issue).second.empty() ? absl::StrCat("#", issue) : issue;
  }
  return PyFormat(*config.issue_format, {{"issue", issue}});
}

absl::Status ConfigError(absl::string_view path, absl::string_view message) {
  return PluginUserError(path, 0, absl::StrCat("[tool.towncrier]: ", message));
}

std::vector<FragmentType> DefaultTypes() {
  return {{"feature", "Features", true},
          {"bugfix", "Bugfixes", true},
          {"doc", "Improved Documentation", true},
          {"removal", "Deprecations and Removals", true},
          {"misc", "Misc", false}};
}

}  // namespace

const FragmentType* TowncrierConfig::FindType(absl::string_view dir) const {
  for (const FragmentType& t : types) {
    if (t.directory == dir) return &t;
  }
  return nullptr;
}

std::vector<std::string> TowncrierConfig::TypeNames() const {
  std::vector<std::string> out;
  for (const FragmentType& t : types) out.push_back(t.directory);
  return out;
}

std::string PythonTitle(absl::string_view s) {
  std::string out(s);
  bool prev_letter = false;
  for (char& c : out) {
    bool letter = absl::ascii_isalpha(c);
    if (letter) c = prev_letter ? absl::ascii_tolower(c) : absl::ascii_toupper(c);
    prev_letter = letter;
  }
  return out;
}

absl::StatusOr<TowncrierConfig> ParseTowncrierConfig(absl::string_view text,
                                                     absl::string_view path) {
  toml::table root;
  // toml++ reports errors by exception here; none escapes this function.
  try {
    root = toml::parse(std::string_view(text.data(), text.size()),
                       std::string_view(path.data(), path.size()));
  } catch (const toml::parse_error& e) {
    return PluginUserError(path, static_cast<int>(e.source().begin.line),
                           absl::StrCat("cannot parse TOML: ", std::string(e.description())));
  } catch (const std::exception& e) {
    return PluginUserError(path, 0, absl::StrCat("cannot parse TOML: ", e.what()));
  }
  const toml::table* tc = root["tool"]["towncrier"].as_table();
  if (tc == nullptr) {
    return absl::NotFoundError(absl::StrCat(path, " has no [tool.towncrier] section"));
  }
  TowncrierConfig c;
  c.config_file = std::string(path);
  c.types = DefaultTypes();
  auto str = [&](const char* key, std::string* out) -> absl::Status {
    const toml::node* n = tc->get(key);
    if (n == nullptr) return absl::OkStatus();
    if (!n->is_string()) return ConfigError(path, absl::StrCat("'", key, "' must be a string"));
    *out = n->as_string()->get();
    return absl::OkStatus();
  };
  std::string dir;
  for (auto [key, out] : std::vector<std::pair<const char*, std::string*>>{
           {"directory", &dir},
           {"filename", &c.filename},
           {"package", &c.package},
           {"package_dir", &c.package_dir},
           {"name", &c.name},
           {"version", &c.version},
           {"start_string", &c.start_string},
           {"orphan_prefix", &c.orphan_prefix}}) {
    BRAID_PLUGIN_RETURN_IF_ERROR(str(key, out));
  }
  if (const toml::node* n = tc->get("title_format")) {
    if (n->is_boolean() && !n->as_boolean()->get()) {
      c.title_format_false = true;
    } else if (n->is_string()) {
      if (!n->as_string()->get().empty()) c.title_format = n->as_string()->get();
    } else {
      return ConfigError(path, "'title_format' must be a string or false");
    }
  }
  if (const toml::node* n = tc->get("issue_format")) {
    if (!n->is_string()) return ConfigError(path, "'issue_format' must be a string");
    c.issue_format = n->as_string()->get();
  }
  if (const toml::node* n = tc->get("underlines")) {
    const toml::array* a = n->as_array();
    if (a == nullptr || a->size() < 2) {
      return ConfigError(path, "'underlines' must be a list of at least two strings");
    }
    c.underlines.clear();
    for (const toml::node& u : *a) {
      if (!u.is_string()) return ConfigError(path, "'underlines' must be a list of strings");
      c.underlines.push_back(u.as_string()->get());
    }
  }
  if (const toml::node* n = tc->get("all_bullets")) {
    if (!n->is_boolean()) return ConfigError(path, "'all_bullets' must be true or false");
    c.all_bullets = n->as_boolean()->get();
  }
  if (const toml::node* n = tc->get("wrap"); n && !(n->is_boolean() && !n->as_boolean()->get())) {
    return ConfigError(path, "'wrap = true' is not supported by braid's changelog");
  }
  if (const toml::node* n = tc->get("single_file");
      n && !(n->is_boolean() && n->as_boolean()->get())) {
    return ConfigError(path, "'single_file = false' is not supported by braid's changelog");
  }
  for (const char* unsupported : {"section", "template"}) {
    if (tc->get(unsupported) != nullptr) {
      return ConfigError(path,
                         absl::StrCat("'", unsupported, "' is not supported by braid's changelog"));
    }
  }
  if (const toml::table* frag = tc->get_as<toml::table>("fragment"); frag && !frag->empty()) {
    // [tool.towncrier.fragment.<type>]: sorted by type, defaults filled in.
    c.types.clear();
    std::vector<std::string> keys;
    for (const auto& [k, v] : *frag) keys.emplace_back(k.str());
    std::sort(keys.begin(), keys.end());
    for (const std::string& k : keys) {
      FragmentType t{k, PythonTitle(k).substr(0, 1) + absl::AsciiStrToLower(k.substr(1)), true};
      if (const toml::table* opts = (*frag)[k].as_table()) {
        if (const toml::node* n = opts->get("name"); n && n->is_string()) t.name = n->as_string()->get();
        if (const toml::node* n = opts->get("showcontent"); n && n->is_boolean()) {
          t.showcontent = n->as_boolean()->get();
        }
      }
      c.types.push_back(std::move(t));
    }
  } else if (const toml::array* types = tc->get_as<toml::array>("type"); types && !types->empty()) {
    c.types.clear();
    for (const toml::node& n : *types) {
      const toml::table* t = n.as_table();
      if (t == nullptr || !(*t)["directory"].is_string() || !(*t)["name"].is_string() ||
          !(*t)["showcontent"].is_boolean()) {
        return ConfigError(path,
                           "each [[tool.towncrier.type]] needs directory, name and showcontent");
      }
      c.types.push_back({(*t)["directory"].as_string()->get(), (*t)["name"].as_string()->get(),
                         (*t)["showcontent"].as_boolean()->get()});
    }
  }
  if (!dir.empty()) {
    c.directory = dir;
  } else {
    std::vector<std::string> parts;
    for (const std::string& p : {c.package_dir, c.package, std::string("newsfragments")}) {
      if (!p.empty() && p != ".") parts.push_back(p);
    }
    c.directory = absl::StrJoin(parts, "/");
  }
  return c;
}

std::optional<FragmentName> ParseFragmentName(absl::string_view basename,
                                              const TowncrierConfig& config) {
  std::vector<std::string> parts = absl::StrSplit(basename, '.');
  if (parts.size() == 1) return std::nullopt;
  FragmentName out;
  if (parts.size() == 2) {
    if (config.FindType(parts[1]) == nullptr) return std::nullopt;
    out = {StripIfInteger(parts[0]), parts[1], 0};
  } else {
    bool found = false;
    for (size_t i = 1; i < parts.size(); ++i) {
      if (config.FindType(parts[i]) == nullptr) continue;
      out.type = parts[i];
      out.ticket = StripIfInteger(parts[i - 1]);
      if (i + 1 < parts.size() && IsDigits(parts[i + 1])) {
        absl::SimpleAtoi(parts[i + 1], &out.counter);
      }
      found = true;
      break;
    }
    if (!found) return std::nullopt;
  }
  return out;
}

std::string TopLine(const TowncrierConfig& config, const ReleaseInfo& r) {
  if (!config.title_format) return "";
  return PyFormat(*config.title_format,
                  {{"name", r.name}, {"version", r.version}, {"project_date", r.date}});
}

absl::StatusOr<std::string> RenderRelease(const TowncrierConfig& config, const ReleaseInfo& r,
                                          std::vector<Fragment> fragments) {
  // Deterministic stand-in for towncrier's directory-listing order.
  std::sort(fragments.begin(), fragments.end(),
            [](const Fragment& a, const Fragment& b) { return a.path < b.path; });
  // type -> text -> tickets, texts in first-seen order.
  std::map<std::string, std::vector<std::pair<std::string, std::vector<std::string>>>> by_type;
  std::set<std::tuple<std::string, std::string, int>> seen;
  std::map<std::string, int> orphan_counter;
  for (const Fragment& f : fragments) {
    const FragmentType* type = config.FindType(f.name.type);
    if (type == nullptr) continue;
    std::string ticket = f.name.ticket;
    int counter = f.name.counter;
    if (!config.orphan_prefix.empty() && absl::StartsWith(ticket, config.orphan_prefix)) {
      ticket = "";
      counter = orphan_counter[f.name.type]++;
    }
    if (!seen.insert({ticket, f.name.type, counter}).second) {
      return PluginUserError(f.path, 0,
                             absl::StrCat("multiple fragments for ", ticket, ".", f.name.type));
    }
    std::string text = config.all_bullets
                           ? Indent(PyStrip(f.content), "  ").substr(2)
                           : std::string(PyRStrip(f.content));
    if (!type->showcontent) text = "";
    auto& texts = by_type[f.name.type];
    auto it = std::find_if(texts.begin(), texts.end(),
                           [&](const auto& e) { return e.first == text; });
    if (it == texts.end()) {
      texts.push_back({text, {}});
      it = texts.end() - 1;
    }
    if (!ticket.empty()) {
      it->second.push_back(ticket);
      std::sort(it->second.begin(), it->second.end());
    }
  }

  std::string out;
  const std::string& u0 = config.underlines[0];
  const std::string& u1 = config.underlines[1];
  bool render_title = !config.title_format && !config.title_format_false;
  if (render_title) {
    if (!r.name.empty()) {
      absl::StrAppend(&out, r.name, " ", r.version, " (", r.date, ")\n",
                      Repeat(u0, PyLen(r.name) + PyLen(r.version) + PyLen(r.date) + 4), "\n");
    } else {
      absl::StrAppend(&out, r.version, " (", r.date, ")\n",
                      Repeat(u0, PyLen(r.version) + PyLen(r.date) + 3), "\n");
    }
  }
  out += "\n";
  if (by_type.empty()) {
    out += "No significant changes.\n\n\n";
  }
  for (const FragmentType& type : config.types) {
    auto found = by_type.find(type.directory);
    if (found == by_type.end()) continue;
    auto entries = found->second;
    for (auto& [text, issues] : entries) {
      std::stable_sort(issues.begin(), issues.end(),
                       [](const std::string& a, const std::string& b) {
                         return IssueKey(a) < IssueKey(b);
                       });
    }
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      auto key = [](const auto& e) {
        std::vector<std::pair<int64_t, std::string>> issues;
        for (const std::string& i : e.second) issues.push_back(IssueKey(i));
        return std::make_pair(e.second.empty() ? e.first : std::string(), issues);
      };
      return key(a) < key(b);
    });
    if (!config.all_bullets) {
      auto bullet = [](const std::string& t) {
        if (t.empty()) return -1;
        if (absl::StartsWith(t, "- ")) return 0;
        if (absl::StartsWith(t, "* ")) return 1;
        if (absl::StartsWith(t, "#. ")) return 2;
        return 3;
      };
      std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
        return bullet(a.first) < bullet(b.first);
      });
    }
    absl::StrAppend(&out, type.name, "\n", Repeat(u1, PyLen(type.name)), "\n\n");
    if (type.showcontent) {
      for (const auto& [text, issues] : entries) {
        std::vector<std::string> rendered;
        for (const std::string& i : issues) rendered.push_back(RenderIssue(config, i));
        absl::StrAppend(&out, "- ", text);
        if (!rendered.empty()) absl::StrAppend(&out, " (", absl::StrJoin(rendered, ", "), ")");
        out += "\n";
      }
      out += "\n";
    } else {
      std::vector<std::string> rendered;
      for (const auto& [text, issues] : entries) {
        if (!text.empty()) continue;
        for (const std::string& i : issues) rendered.push_back(RenderIssue(config, i));
      }
      absl::StrAppend(&out, "- ", absl::StrJoin(rendered, ", "), "\n\n");
    }
    out += "\n";
  }
  std::string content = absl::StrCat(PyRStrip(out), "\n");
  if (config.title_format) {
    std::string top = TopLine(config, r);
    content = absl::StrCat(top, "\n", Repeat(u0, PyLen(top)), "\n", content);
  }
  return content;
}

absl::StatusOr<std::string> InsertRelease(const TowncrierConfig& config,
                                          const std::optional<std::string>& existing,
                                          absl::string_view top_line, absl::string_view content) {
  std::string header, body;
  if (existing) {
    size_t at = existing->find(config.start_string);
    if (at != std::string::npos) {
      header = absl::StrCat(PyRStrip(absl::string_view(*existing).substr(0, at)), "\n\n",
                            config.start_string, "\n");
      body = std::string(
          PyLStrip(absl::string_view(*existing).substr(at + config.start_string.size())));
    } else {
      body = std::string(PyLStrip(*existing));
    }
  }
  if (!top_line.empty() && body.find(std::string(top_line)) != std::string::npos) {
    return PluginUserError(config.filename, 0,
                           absl::StrCat("the release '", top_line, "' is already in the file"),
                           "a release is rendered once; pick a new --version");
  }
  std::string out = absl::StrCat(header, content);
  if (!body.empty()) absl::StrAppend(&out, "\n\n", body);
  return out;
}

std::optional<std::string> ExtractRelease(const TowncrierConfig& config, absl::string_view news,
                                          absl::string_view version) {
  // A title line, as the config renders it, with the version captured.
  std::string pattern;
  if (config.title_format) {
    std::string escaped = RE2::QuoteMeta(*config.title_format);
    // QuoteMeta escapes the braces: "\{version\}".
    pattern = escaped;
    for (auto [field, group] : std::vector<std::pair<std::string, std::string>>{
             {"\\{version\\}", "(\\S+)"}, {"\\{name\\}", ".*?"}, {"\\{project_date\\}", ".*?"}}) {
      size_t at;
      while ((at = pattern.find(field)) != std::string::npos) pattern.replace(at, field.size(), group);
    }
  } else {
    pattern = absl::StrCat(config.name.empty() ? "" : absl::StrCat(RE2::QuoteMeta(config.name), " "),
                           "(\\S+) \\(.*\\)");
  }
  RE2 title(absl::StrCat("^", pattern, "$"));
  std::vector<absl::string_view> lines = absl::StrSplit(news, '\n');
  int start = -1, end = static_cast<int>(lines.size());
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    std::string v;
    if (!RE2::FullMatch(re2::StringPiece(lines[i].data(), lines[i].size()), title, &v)) continue;
    if (start < 0 && v == version) {
      start = i;
    } else if (start >= 0) {
      end = i;
      break;
    }
  }
  if (start < 0) return std::nullopt;
  std::vector<absl::string_view> section(lines.begin() + start, lines.begin() + end);
  return absl::StrCat(PyRStrip(absl::StrJoin(section, "\n")), "\n");
}

}  // namespace braid::plugin::changelog

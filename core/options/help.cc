#include "core/options/help.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace braid::options {
namespace {

constexpr int kWidth = 100;

// Word-wraps `text` (paragraphs separated by blank lines) at kWidth with `indent`.
std::string Wrap(absl::string_view text, int indent) {
  std::string pad(indent, ' ');
  std::string out;
  for (absl::string_view para : absl::StrSplit(text, "\n\n")) {
    if (!out.empty()) absl::StrAppend(&out, "\n");
    std::string line;
    for (absl::string_view word : absl::StrSplit(para, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
      if (!line.empty() && static_cast<int>(pad.size() + line.size() + 1 + word.size()) > kWidth) {
        absl::StrAppend(&out, pad, line, "\n");
        line.clear();
      }
      absl::StrAppend(&line, line.empty() ? "" : " ", word);
    }
    if (!line.empty()) absl::StrAppend(&out, pad, line, "\n");
  }
  return out;
}

// A value for `default:` / `current value:`; lists and dicts with more than
// one item go over several lines, as Pants renders them.
std::string RenderValue(const OptionValue& v, int indent) {
  std::string pad(indent, ' ');
  if (v.kind() == OptionValue::Kind::kList && v.list().size() > 1) {
    std::vector<std::string> items;
    for (const OptionValue& item : v.list()) items.push_back(absl::StrCat(pad, "  ", item.ToJson()));
    return absl::StrCat("[\n", absl::StrJoin(items, ",\n"), "\n", pad, "]");
  }
  if (v.kind() == OptionValue::Kind::kDict && v.dict().size() > 1) {
    std::vector<std::string> items;
    for (const auto& [k, item] : v.dict()) {
      items.push_back(absl::StrCat(pad, "  ", OptionValue::String(k).ToJson(), ": ", item.ToJson()));
    }
    return absl::StrCat("{\n", absl::StrJoin(items, ",\n"), "\n", pad, "}");
  }
  if (v.kind() == OptionValue::Kind::kList || v.kind() == OptionValue::Kind::kDict) return v.ToJson();
  return v.ToPython();
}

std::string Metavar(const OptionInfo& o) {
  switch (o.type) {
    case OptionType::kBool: return "";
    case OptionType::kInt: return "=<int>";
    case OptionType::kFloat: return "=<float>";
    case OptionType::kString: return "=<str>";
    case OptionType::kEnum: return "=<choice>";
    case OptionType::kStringList: return "=\"['<str>', '<str>', ...]\"";
    case OptionType::kDict: return "=\"{'key1': val1, 'key2': val2, ...}\"";
  }
  return "";
}

std::string ScopeTitle(const ScopeInfo& s) {
  switch (s.kind) {
    case ScopeKind::kGlobal: return "Global options";
    case ScopeKind::kGoal: return absl::StrCat("`", s.name, "` goal options");
    case ScopeKind::kSubsystem: return absl::StrCat("`", s.name, "` subsystem options");
  }
  return "";
}

std::string Indent(absl::string_view block, int n) {
  if (absl::EndsWith(block, "\n")) block.remove_suffix(1);
  std::string pad(n, ' ');
  std::string out;
  for (absl::string_view line : absl::StrSplit(block, '\n')) {
    if (line.empty()) {
      absl::StrAppend(&out, "\n");
    } else {
      absl::StrAppend(&out, pad, line, "\n");
    }
  }
  return out;
}

}  // namespace

std::string RenderHelpOverview(absl::string_view bin, absl::string_view version) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {absl::StrCat(bin, " [options] [goals] [inputs]"), "Attempt the specified goals on the specified inputs."},
      {absl::StrCat(bin, " help"), "Display this usage message."},
      {absl::StrCat(bin, " help goals"), "List all installed goals."},
      {absl::StrCat(bin, " help targets"), "List all installed target types."},
      {absl::StrCat(bin, " help subsystems"), "List all configurable subsystems."},
      {absl::StrCat(bin, " help global"), "Help for global options."},
      {absl::StrCat(bin, " help-advanced global"), "Help for global advanced options."},
      {absl::StrCat(bin, " help [name]"), "Help for a target type, goal, subsystem or option."},
      {absl::StrCat(bin, " help-advanced [name]"), "Help for a goal or subsystem's advanced options."},
      {absl::StrCat(bin, " help-all"), "Print a JSON object containing all help info."},
  };
  size_t width = 0;
  for (const auto& [l, r] : rows) width = std::max(width, l.size());
  std::string out = absl::StrCat("braid ", version, "\n\nUsage:\n\n");
  for (const auto& [l, r] : rows) {
    absl::StrAppend(&out, "  ", l, std::string(width - l.size() + 2, ' '), r, "\n");
  }
  absl::StrAppend(&out, "\nbraid reads the same pants.toml and BUILD files as Pants 2.x.\n");
  return out;
}

std::string RenderOptionHelp(const OptionInfo& o, const Options* options) {
  std::string out;
  std::string flag = o.Flag();
  if (o.type == OptionType::kBool) {
    flag = absl::StrCat("--[no-]", flag.substr(2));
  } else {
    flag = absl::StrCat(flag, Metavar(o));
    if (!o.short_flag.empty()) flag = absl::StrCat("-", o.short_flag, Metavar(o), ", ", flag);
  }
  absl::StrAppend(&out, flag, "\n", o.EnvVar(), "\n", o.name, "\n");
  if (o.type == OptionType::kEnum) {
    absl::StrAppend(&out, "    one of: ", absl::StrJoin(o.choices, ", "), "\n");
  }
  absl::StrAppend(&out, "    default: ", RenderValue(o.default_value, 4), "\n");
  if (options != nullptr) {
    if (const ResolvedOption* r = options->Find(o.scope, o.name)) {
      absl::StrAppend(&out, "    current value: ", RenderValue(r->value, 4));
      if (r->source().kind != ValueSource::Kind::kDefault) {
        absl::StrAppend(&out, " (from ", r->source().ToString(), ")");
      }
      absl::StrAppend(&out, "\n");
    }
  }
  absl::StrAppend(&out, Wrap(o.help, 4));
  return out;
}

std::string RenderScopeHelp(const OptionRegistry& registry, const Options* options,
                            absl::string_view scope_name, bool advanced) {
  const ScopeInfo* scope = registry.FindScope(
      absl::AsciiStrToLower(scope_name) == "global" ? kGlobalScope : scope_name);
  if (scope == nullptr) return "";
  std::string title = ScopeTitle(*scope);
  std::string out = absl::StrCat(title, "\n", std::string(title.size(), '-'), "\n\n");
  if (!scope->help.empty()) absl::StrAppend(&out, Wrap(scope->help, 0), "\n");
  absl::StrAppend(&out, "Config section: [", scope->name, "]\n");
  std::vector<const OptionInfo*> shown;
  for (const OptionInfo* o : registry.OptionsIn(scope->name)) {
    if (o->advanced == advanced) shown.push_back(o);
  }
  if (shown.empty()) {
    absl::StrAppend(&out, "\nNo ", advanced ? "advanced " : "", "options.\n");
  }
  for (const OptionInfo* o : shown) {
    absl::StrAppend(&out, "\n", Indent(RenderOptionHelp(*o, options), 2));
  }
  if (!advanced) {
    std::vector<const OptionInfo*> all = registry.OptionsIn(scope->name);
    bool has_advanced =
        std::any_of(all.begin(), all.end(), [](const OptionInfo* o) { return o->advanced; });
    if (has_advanced) {
      absl::StrAppend(&out, "\nAdvanced options available. You can list them by running braid help-advanced ",
                      scope->kind == ScopeKind::kGlobal ? "global" : scope->name, ".\n");
    }
  }
  return out;
}

std::string RenderScopeList(const OptionRegistry& registry, ScopeKind kind) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const ScopeInfo* s : registry.Scopes()) {
    if (s->kind != kind) continue;
    std::string summary(s->help.substr(0, s->help.find('\n')));
    rows.emplace_back(s->name, summary);
  }
  size_t width = 0;
  for (const auto& [n, h] : rows) width = std::max(width, n.size());
  std::string out;
  for (const auto& [n, h] : rows) {
    absl::StrAppend(&out, "  ", n, std::string(width - n.size() + 2, ' '), h, "\n");
  }
  return out;
}

std::optional<HelpTopic> FindHelpTopic(const OptionRegistry& registry, absl::string_view thing) {
  HelpTopic t;
  if (absl::AsciiStrToLower(thing) == "global") thing = kGlobalScope;
  if ((t.scope = registry.FindScope(thing)) != nullptr) return t;
  std::string s(thing);
  // "[test].force" / "test.force"
  if (absl::StartsWith(s, "[")) s = absl::StrReplaceAll(s, {{"[", ""}, {"]", ""}});
  if (size_t dot = s.find('.'); dot != std::string::npos && !absl::StartsWith(s, "-")) {
    std::string scope = s.substr(0, dot);
    if (absl::AsciiStrToLower(scope) == "global") scope = std::string(kGlobalScope);
    if ((t.option = registry.Find(scope, s.substr(dot + 1))) != nullptr) return t;
    return std::nullopt;
  }
  // Flags, long or short, and bare global option names.
  for (const ScopeInfo* sc : registry.Scopes()) {
    for (const OptionInfo* o : registry.OptionsIn(sc->name)) {
      if (o->Flag() == s || (!o->short_flag.empty() && s == absl::StrCat("-", o->short_flag)) ||
          (o->is_global() && (o->name == s || absl::StrReplaceAll(o->name, {{"_", "-"}}) == s))) {
        t.option = o;
        return t;
      }
    }
  }
  return std::nullopt;
}

}  // namespace braid::options

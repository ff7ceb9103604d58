#include "core/app/help.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/error.h"
#include "core/options/help.h"

namespace braid::app {

namespace {

std::string Indent(absl::string_view text, absl::string_view prefix) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) {
      out += "\n";
    } else {
      absl::StrAppend(&out, prefix, line, "\n");
    }
  }
  return out;
}

std::string Title(absl::string_view title) {
  return absl::StrCat(title, "\n", std::string(title.size(), '-'), "\n\n");
}

std::string FieldTypeName(const graph::FieldSpec& f) {
  using graph::FieldType;
  std::string t;
  switch (f.type) {
    case FieldType::kString: case FieldType::kSource: t = "str"; break;
    case FieldType::kBool: t = "bool"; break;
    case FieldType::kInt: t = "int"; break;
    case FieldType::kStringList: case FieldType::kDependencies: case FieldType::kSources:
      t = "Iterable[str]"; break;
    case FieldType::kDict: t = "Dict[str, Any]"; break;
    case FieldType::kOverrides: t = "Dict[str | Tuple[str, ...], Dict[str, Any]]"; break;
    case FieldType::kEnum: {
      std::vector<std::string> quoted;
      for (const std::string& c : f.choices) quoted.push_back(absl::StrCat("'", c, "'"));
      t = absl::StrCat("Literal[", absl::StrJoin(quoted, ", "), "]");
      break;
    }
    case FieldType::kAny: t = "Any"; break;
  }
  if (!f.required && f.type != graph::FieldType::kBool) absl::StrAppend(&t, " | None");
  return t;
}

std::string GoalList(const Registries& r) {
  std::string out = Title("Goals");
  size_t width = 0;
  for (const auto& [name, _] : r.goals.goals()) width = std::max(width, name.size());
  for (const auto& [name, goal] : r.goals.goals()) {
    std::string summary(goal.help.substr(0, goal.help.find('\n')));
    absl::StrAppend(&out, "  ", name, std::string(width - name.size() + 2, ' '), summary, "\n");
  }
  absl::StrAppend(&out, "\nUse `braid help $goal` to get help for a particular goal.\n");
  return out;
}

std::string TargetList(const Registries& r) {
  std::string out = Title("Target types");
  size_t width = 0;
  for (const std::string& a : r.target_types.Aliases()) width = std::max(width, a.size());
  for (const auto& [alias, type] : r.target_types.types()) {
    std::string summary(type->help.substr(0, type->help.find('\n')));
    absl::StrAppend(&out, "  ", alias, std::string(width - alias.size() + 2, ' '), summary, "\n");
  }
  absl::StrAppend(&out,
                  "\nUse `braid help $target_type` to get help for a specific target type.\n");
  return out;
}

// Options named `name` (or with '-' for '_') in any scope, in scope order.
std::vector<const options::OptionInfo*> FindOptionsNamed(const Registries& r,
                                                         absl::string_view name) {
  std::string snake(name);
  std::replace(snake.begin(), snake.end(), '-', '_');
  std::vector<const options::OptionInfo*> out;
  for (const options::ScopeInfo* scope : r.options.Scopes()) {
    if (const options::OptionInfo* o = r.options.Find(scope->name, snake)) out.push_back(o);
  }
  return out;
}

}  // namespace

std::string RenderTargetTypeHelp(const graph::TargetType& type) {
  std::string out = Title(absl::StrCat("`", type.alias, "` target"));
  absl::StrAppend(&out, type.help, "\n\nValid fields:\n\n");
  std::vector<const graph::FieldSpec*> fields;
  for (const graph::FieldSpec& f : type.fields) fields.push_back(&f);
  std::sort(fields.begin(), fields.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  for (const graph::FieldSpec* f : fields) {
    absl::StrAppend(&out, f->name, "\n    type: ", FieldTypeName(*f), "\n");
    if (f->required) {
      absl::StrAppend(&out, "    required\n");
    } else {
      absl::StrAppend(&out, "    default: ", f->default_value.Repr(), "\n");
    }
    if (!f->help.empty()) absl::StrAppend(&out, "\n", Indent(f->help, "    "));
    absl::StrAppend(&out, "\n");
  }
  return out;
}

absl::StatusOr<std::string> RenderHelp(const Registries& r, const options::Options& options,
                                       const std::vector<std::string>& topics, bool advanced) {
  if (topics.empty()) return options::RenderHelpOverview("braid", BraidVersion());
  std::string out;
  for (const std::string& topic : topics) {
    if (topic == "goals") {
      out += GoalList(r);
    } else if (topic == "targets") {
      out += TargetList(r);
    } else if (topic == "subsystems") {
      out += options::RenderScopeList(r.options, options::ScopeKind::kSubsystem);
    } else if (topic == "backends") {
      // braid's optional backends ([GLOBAL].backend_packages, backends.h).
      out += Title("Backends (enable in [GLOBAL].backend_packages)");
      for (const auto& [name, b] : r.backends.backends()) {
        absl::StrAppend(&out, "  ", name, r.backends.enabled().count(name) ? " (enabled)" : "",
                        "\n      ", b.help, "\n");
      }
      out += "\n";
    } else if (const graph::TargetType* t = r.target_types.Find(topic)) {
      out += RenderTargetTypeHelp(*t);
    } else if (auto it = r.target_types.object_symbols().find(topic);
               it != r.target_types.object_symbols().end()) {
      out += Title(absl::StrCat("`", topic, "` BUILD file symbol"));
      absl::StrAppend(&out, it->second, "\n");
    } else if (std::optional<options::HelpTopic> h = options::FindHelpTopic(r.options, topic)) {
      if (h->scope != nullptr) {
        if (const Goal* g = r.goals.Find(h->scope->name); g != nullptr && h->scope->help.empty()) {
          absl::StrAppend(&out, g->help, "\n\n");
        }
        out += options::RenderScopeHelp(r.options, &options, h->scope->name, advanced);
      } else {
        out += options::RenderOptionHelp(*h->option, &options);
      }
    } else if (std::vector<const options::OptionInfo*> found = FindOptionsNamed(r, topic);
               !found.empty()) {
      // A bare option name (`string_imports_min_dots`): every scope that has it.
      for (const options::OptionInfo* o : found) {
        absl::StrAppend(&out, "[", o->scope, "]\n", options::RenderOptionHelp(*o, &options), "\n");
      }
    } else {
      std::vector<std::string> names = r.target_types.Aliases();
      for (const auto& [g, _] : r.goals.goals()) names.push_back(g);
      for (const options::ScopeInfo* s : r.options.Scopes()) names.push_back(s->name);
      for (const char* t : {"goals", "targets", "subsystems", "backends", "global"}) {
        names.emplace_back(t);
      }
      return absl::InvalidArgumentError(
          FormatLocated({}, absl::StrCat("unknown help topic '", topic, "'"),
                        DidYouMean(topic, names).empty()
                            ? "try `braid help goals`, `braid help targets` or "
                              "`braid help subsystems`"
                            : DidYouMean(topic, names)));
    }
  }
  return out;
}

}  // namespace braid::app

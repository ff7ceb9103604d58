#include "core/options/options.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "core/base/error.h"
#include "core/options/config_file.h"
#include "core/options/known_pants_options.h"
#include "core/options/value_parser.h"

namespace braid::options {
namespace {

// Goals of Pants 2.x (core and Python backends) that braid does not run: asking for one
// says so, rather than suggesting a near name ("lint" is not a misspelt "list").
bool IsPantsGoalNotImplemented(absl::string_view goal) {
  static constexpr absl::string_view kGoals[] = {
      "check",   "experimental-deploy", "experimental-explorer", "export", "export-codegen",
      "fix",     "fmt",                 "generate-lockfiles",    "lint",   "publish",
      "py-constraints", "repl",         "tailor",                "update-build-files"};
  return std::find(std::begin(kGoals), std::end(kGoals), goal) != std::end(kGoals);
}

// ---------------------------------------------------------------------------
// Describing values and types in messages.

std::string Expected(const OptionInfo& o) {
  switch (o.type) {
    case OptionType::kBool: return "a boolean";
    case OptionType::kInt: return "an integer";
    case OptionType::kFloat: return "a float";
    case OptionType::kString: return "a string";
    case OptionType::kEnum: return absl::StrCat("one of ", absl::StrJoin(o.choices, ", "));
    case OptionType::kStringList: return "a list of strings";
    case OptionType::kDict: return "a dict";
  }
  return "?";
}

// TOML vocabulary, since these describe what the user wrote in pants.toml.
std::string DescribeTomlValue(const OptionValue& v) {
  switch (v.kind()) {
    case OptionValue::Kind::kNone: return "nothing";
    case OptionValue::Kind::kBool: return absl::StrCat("boolean ", v.ToJson());
    case OptionValue::Kind::kInt: return absl::StrCat("integer ", v.ToJson());
    case OptionValue::Kind::kFloat: return absl::StrCat("float ", v.ToJson());
    case OptionValue::Kind::kString: return absl::StrCat("string ", v.ToJson());
    case OptionValue::Kind::kList: return absl::StrCat("array ", v.ToJson());
    case OptionValue::Kind::kDict: return absl::StrCat("table ", v.ToJson());
  }
  return "?";
}

// ---------------------------------------------------------------------------
// One contribution to an option's value from one source.

struct Contribution {
  ValueSource source;
  // Exactly one of these is meaningful, by option type.
  OptionValue scalar;
  std::vector<ListEdit> list_edits;
  DictEdit dict_edit;
};

// Parses text from a flag or env var (`where` names it for messages).
absl::StatusOr<Contribution> FromText(const OptionInfo& o, absl::string_view text,
                                      absl::string_view where, ValueSource source) {
  Contribution c;
  c.source = std::move(source);
  auto fail = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid value for ", where, ": ", why));
  };
  switch (o.type) {
    case OptionType::kBool: {
      absl::StatusOr<bool> b = ParseBool(text);
      if (!b.ok()) return fail(absl::StrCat("expected true or false, got '", text, "'"));
      c.scalar = OptionValue::Bool(*b);
      break;
    }
    case OptionType::kInt: {
      absl::StatusOr<int64_t> i = ParseInt(text);
      if (!i.ok()) return fail(absl::StrCat("expected an integer, got '", text, "'"));
      c.scalar = OptionValue::Int(*i);
      break;
    }
    case OptionType::kFloat: {
      absl::StatusOr<double> d = ParseFloat(text);
      if (!d.ok()) return fail(absl::StrCat("expected a float, got '", text, "'"));
      c.scalar = OptionValue::Float(*d);
      break;
    }
    case OptionType::kString:
      c.scalar = OptionValue::String(std::string(text));
      break;
    case OptionType::kEnum:
      if (std::find(o.choices.begin(), o.choices.end(), text) == o.choices.end()) {
        return fail(absl::StrCat("expected one of ", absl::StrJoin(o.choices, ", "), "; got '",
                                 text, "'"));
      }
      c.scalar = OptionValue::String(std::string(text));
      break;
    case OptionType::kStringList: {
      absl::StatusOr<std::vector<ListEdit>> edits = ParseStringListEdits(text);
      if (!edits.ok()) return fail(edits.status().message());
      c.list_edits = *std::move(edits);
      break;
    }
    case OptionType::kDict: {
      absl::StatusOr<DictEdit> edit = ParseDictEdit(text);
      if (!edit.ok()) return fail(edit.status().message());
      c.dict_edit = *std::move(edit);
      break;
    }
  }
  return c;
}

// Converts a config entry for option `o` (section `section` of `file`).
absl::StatusOr<Contribution> FromConfig(const OptionInfo& o, const ConfigEntry& e,
                                        absl::string_view section) {
  Contribution c;
  c.source = {ValueSource::Kind::kConfig, absl::StrCat(e.location.file, ":", e.location.line)};
  const OptionValue& v = e.value;
  using K = OptionValue::Kind;
  auto type_error = [&](std::string expected) {
    return UserError(e.location, absl::StrCat("option '", e.key, "' in [", section, "] expects ",
                                              expected, ", got ", DescribeTomlValue(v)));
  };
  auto text_error = [&](const absl::Status& s) {
    return UserError(e.location, absl::StrCat("option '", e.key, "' in [", section, "]: ",
                                              s.message()));
  };
  switch (o.type) {
    case OptionType::kBool:
      if (v.kind() == K::kBool) {
        c.scalar = v;
      } else if (v.kind() == K::kString && ParseBool(v.string()).ok()) {
        c.scalar = OptionValue::Bool(*ParseBool(v.string()));
      } else {
        return type_error(Expected(o));
      }
      break;
    case OptionType::kInt:
      if (v.kind() != K::kInt) return type_error(Expected(o));
      c.scalar = v;
      break;
    case OptionType::kFloat:
      if (v.kind() == K::kFloat) {
        c.scalar = v;
      } else if (v.kind() == K::kInt) {
        c.scalar = OptionValue::Float(static_cast<double>(v.integer()));
      } else {
        return type_error(Expected(o));
      }
      break;
    case OptionType::kString:
      if (v.kind() != K::kString) return type_error(Expected(o));
      c.scalar = v;
      break;
    case OptionType::kEnum:
      if (v.kind() != K::kString ||
          std::find(o.choices.begin(), o.choices.end(), v.string()) == o.choices.end()) {
        return type_error(Expected(o));
      }
      c.scalar = v;
      break;
    case OptionType::kStringList: {
      auto all_strings = [](const OptionValue& list) {
        if (list.kind() != K::kList) return false;
        for (const OptionValue& item : list.list()) {
          if (item.kind() != K::kString) return false;
        }
        return true;
      };
      if (v.kind() == K::kList) {
        if (!all_strings(v)) return type_error(Expected(o));
        c.list_edits.push_back({ListEdit::Action::kReplace, v.list()});
      } else if (v.kind() == K::kString) {
        absl::StatusOr<std::vector<ListEdit>> edits = ParseStringListEdits(v.string());
        if (!edits.ok()) return text_error(edits.status());
        c.list_edits = *std::move(edits);
      } else if (v.kind() == K::kDict) {
        // `opt.add = [..]` / `opt.remove = [..]` (applied add first, as Pants does).
        bool ok = !v.dict().empty();
        for (const auto& [k, item] : v.dict()) ok = ok && (k == "add" || k == "remove");
        if (!ok) {
          return UserError(e.location,
                           absl::StrCat("option '", e.key, "' in [", section,
                                        "] expects a list, or a table with 'add' and/or "
                                        "'remove' lists, got ",
                                        DescribeTomlValue(v)));
        }
        for (const char* action : {"add", "remove"}) {
          const OptionValue* items = v.Find(action);
          if (items == nullptr) continue;
          if (!all_strings(*items)) {
            return UserError(e.location, absl::StrCat("option '", e.key, ".", action, "' in [",
                                                      section, "] expects a list of strings, got ",
                                                      DescribeTomlValue(*items)));
          }
          c.list_edits.push_back({std::string(action) == "add" ? ListEdit::Action::kAdd
                                                               : ListEdit::Action::kRemove,
                                  items->list()});
        }
      } else {
        return type_error(Expected(o));
      }
      break;
    }
    case OptionType::kDict:
      if (v.kind() == K::kDict) {
        const OptionValue* add = v.Find("add");
        if (v.dict().size() == 1 && add != nullptr && add->kind() == K::kDict) {
          c.dict_edit = {DictEdit::Action::kAdd, add->dict()};
        } else {
          c.dict_edit = {DictEdit::Action::kReplace, v.dict()};
        }
      } else if (v.kind() == K::kString) {
        absl::StatusOr<DictEdit> edit = ParseDictEdit(v.string());
        if (!edit.ok()) return text_error(edit.status());
        c.dict_edit = *std::move(edit);
      } else {
        return type_error(Expected(o));
      }
      break;
  }
  return c;
}

// Folds contributions (rank order) into the final value.
ResolvedOption Resolve(const OptionInfo& o, const std::vector<Contribution>& contributions) {
  ResolvedOption r;
  r.info = &o;
  r.value = o.default_value;
  r.sources.push_back({ValueSource::Kind::kDefault, ""});
  for (const Contribution& c : contributions) {
    switch (o.type) {
      case OptionType::kStringList: {
        OptionValue::List list = r.value.list();
        ApplyListEdits(c.list_edits, &list);
        r.value = OptionValue::OfList(std::move(list));
        break;
      }
      case OptionType::kDict: {
        OptionValue::Dict dict = r.value.dict();
        ApplyDictEdit(c.dict_edit, &dict);
        r.value = OptionValue::OfDict(std::move(dict));
        break;
      }
      default:
        r.value = c.scalar;
    }
    if (r.sources.back() != c.source) r.sources.push_back(c.source);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Matching command-line flags to options.

struct FlagMatch {
  const OptionInfo* option;
  bool negated;
};

class FlagIndex {
 public:
  explicit FlagIndex(const OptionRegistry& registry) {
    for (const ScopeInfo* s : registry.Scopes()) {
      for (const OptionInfo* o : registry.OptionsIn(s->name)) {
        std::string flag = o->Flag();
        explicit_[flag].push_back({o, false});
        std::string dashed = absl::StrCat("--", absl::StrReplaceAll(o->name, {{"_", "-"}}));
        if (!o->is_global()) implicit_[o->scope][dashed].push_back({o, false});
        if (o->type == OptionType::kBool) {
          explicit_[absl::StrCat("--no-", flag.substr(2))].push_back({o, true});
          if (!o->is_global()) {
            implicit_[o->scope][absl::StrCat("--no-", dashed.substr(2))].push_back({o, true});
          }
        }
        if (!o->short_flag.empty()) explicit_[absl::StrCat("-", o->short_flag)].push_back({o, false});
      }
    }
  }

  std::vector<FlagMatch> Match(const CommandLineFlag& f) const {
    std::vector<FlagMatch> out;
    if (auto it = explicit_.find(f.key); it != explicit_.end()) out = it->second;
    if (!f.context.empty()) {
      if (auto s = implicit_.find(f.context); s != implicit_.end()) {
        if (auto it = s->second.find(f.key); it != s->second.end()) {
          out.insert(out.end(), it->second.begin(), it->second.end());
        }
      }
    }
    return out;
  }

  // For a scope-less flag that names a goal option used outside that goal
  // (`braid --force test`): points at the scoped spelling.
  std::string GoalFlagHint(const std::string& key) const {
    for (const auto& [scope, flags] : implicit_) {
      if (auto it = flags.find(key); it != flags.end()) {
        const FlagMatch& m = it->second.front();
        std::string flag = m.negated ? absl::StrCat("--no-", m.option->Flag().substr(2))
                                     : m.option->Flag();
        return absl::StrCat("did you mean '", flag,
                            "'? (a flag without a scope applies to the goal before it)");
      }
    }
    return "";
  }

  // Every spelling valid at `context`, for did-you-mean.
  std::vector<std::string> Spellings(const std::string& context) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : explicit_) out.push_back(k);
    if (auto s = implicit_.find(context); s != implicit_.end()) {
      for (const auto& [k, v] : s->second) out.push_back(k);
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<FlagMatch>> explicit_;
  std::map<std::string, std::map<std::string, std::vector<FlagMatch>>> implicit_;
};

// ---------------------------------------------------------------------------
// Config files.

std::string DisplayPath(const std::string& abs, const std::string& buildroot) {
  std::string prefix = buildroot + "/";
  if (absl::StartsWith(abs, prefix)) return abs.substr(prefix.size());
  return abs;
}

std::string AbsPath(absl::string_view path, const std::string& buildroot, const std::string& home) {
  if (path == "~" || absl::StartsWith(path, "~/")) return absl::StrCat(home, path.substr(1));
  if (absl::StartsWith(path, "/")) return std::string(path);
  return absl::StrCat(buildroot, "/", path);
}

std::vector<std::string> EnvNames(const OptionInfo& o) {
  std::vector<std::string> names = {o.EnvVar()};
  if (o.is_global()) {
    names.push_back(absl::StrCat("PANTS_GLOBAL_", o.EnvVar().substr(6)));
    // Pants documents PANTS_CONFIG_FILES for --pants-config-files.
    if (o.name == "pants_config_files") names.push_back("PANTS_CONFIG_FILES");
  }
  return names;
}

}  // namespace

// ---------------------------------------------------------------------------

absl::StatusOr<std::string> ReadFileFromDisk(const std::string& abs_path) {
  std::ifstream in(abs_path, std::ios::binary);
  if (!in) {
    if (std::FILE* f = std::fopen(abs_path.c_str(), "r")) {
      std::fclose(f);
    } else if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat(abs_path, ": no such file"));
    }
    return absl::FailedPreconditionError(absl::StrCat(abs_path, ": cannot read file"));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, std::string> EnvironmentFromEnviron(char** environ_ptr) {
  std::map<std::string, std::string> env;
  for (char** p = environ_ptr; p != nullptr && *p != nullptr; ++p) {
    absl::string_view kv(*p);
    size_t eq = kv.find('=');
    if (eq == absl::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

const ResolvedOption* Options::Find(absl::string_view scope, absl::string_view name) const {
  auto it = values_.find(scope);
  if (it == values_.end()) return nullptr;
  auto jt = it->second.find(std::string(name));
  return jt == it->second.end() ? nullptr : &jt->second;
}

const ResolvedOption& Options::Require(absl::string_view scope, absl::string_view name,
                                       const char* getter) const {
  const ResolvedOption* r = Find(scope, name);
  if (r == nullptr) {
    std::fprintf(stderr, "braid internal error: %s(\"%s\", \"%s\"): option not registered\n",
                 getter, std::string(scope).c_str(), std::string(name).c_str());
    std::abort();
  }
  return *r;
}

namespace {
[[noreturn]] void WrongType(const ResolvedOption& r, const char* getter) {
  std::fprintf(stderr, "braid internal error: %s on %s of type %s\n", getter,
               r.info->ConfigKey().c_str(), OptionTypeName(r.info->type));
  std::abort();
}
}  // namespace

const OptionValue& Options::Get(absl::string_view scope, absl::string_view name) const {
  return Require(scope, name, "Get").value;
}

bool Options::GetBool(absl::string_view scope, absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetBool");
  if (r.info->type != OptionType::kBool) WrongType(r, "GetBool");
  return r.value.kind() == OptionValue::Kind::kBool && r.value.boolean();
}

int64_t Options::GetInt(absl::string_view scope, absl::string_view name) const {
  std::optional<int64_t> v = GetOptionalInt(scope, name);
  if (!v) WrongType(Require(scope, name, "GetInt"), "GetInt (value is None)");
  return *v;
}

std::optional<int64_t> Options::GetOptionalInt(absl::string_view scope,
                                               absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetOptionalInt");
  if (r.info->type != OptionType::kInt) WrongType(r, "GetOptionalInt");
  if (r.value.is_none()) return std::nullopt;
  return r.value.integer();
}

double Options::GetFloat(absl::string_view scope, absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetFloat");
  if (r.info->type != OptionType::kFloat || r.value.is_none()) WrongType(r, "GetFloat");
  return r.value.real();
}

std::string Options::GetString(absl::string_view scope, absl::string_view name) const {
  std::optional<std::string> v = GetOptionalString(scope, name);
  return v ? *v : std::string();
}

std::optional<std::string> Options::GetOptionalString(absl::string_view scope,
                                                      absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetString");
  if (r.info->type != OptionType::kString && r.info->type != OptionType::kEnum) {
    WrongType(r, "GetString");
  }
  if (r.value.is_none()) return std::nullopt;
  return r.value.string();
}

std::vector<std::string> Options::GetStringList(absl::string_view scope,
                                                absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetStringList");
  if (r.info->type != OptionType::kStringList) WrongType(r, "GetStringList");
  return r.value.Strings();
}

const OptionValue::Dict& Options::GetDict(absl::string_view scope, absl::string_view name) const {
  const ResolvedOption& r = Require(scope, name, "GetDict");
  if (r.info->type != OptionType::kDict) WrongType(r, "GetDict");
  return r.value.dict();
}

const ValueSource& Options::SourceOf(absl::string_view scope, absl::string_view name) const {
  return Require(scope, name, "SourceOf").source();
}

absl::StatusOr<Options> ParseOptions(const OptionRegistry& registry, const OptionsInput& input) {
  Options out;
  out.command_ = SplitCommandLine(input.args, registry, input.path_exists);
  const CommandLine& cmd = out.command_;
  const bool bootstrap = input.bootstrap_only;
  const bool help_requested =
      cmd.builtin_goal.has_value() && absl::StartsWith(*cmd.builtin_goal, "help");

  // Flags -> per-option contributions, in command-line order.
  std::map<const OptionInfo*, std::vector<Contribution>> flag_values;
  FlagIndex index(registry);
  for (const CommandLineFlag& f : cmd.flags) {
    std::vector<FlagMatch> matches = index.Match(f);
    if (matches.empty()) {
      if (bootstrap) continue;
      std::string hint = index.GoalFlagHint(f.key);
      if (hint.empty()) hint = DidYouMean(f.key, index.Spellings(f.context));
      return UserError(Location{}, absl::StrCat("unknown flag ", f.key), hint);
    }
    for (const FlagMatch& m : matches) {
      const OptionInfo& o = *m.option;
      ValueSource src{ValueSource::Kind::kFlag, f.key};
      absl::StatusOr<Contribution> c;
      if (o.type == OptionType::kBool && !f.value.has_value()) {
        c = Contribution{src, OptionValue::Bool(!m.negated), {}, {}};
      } else if (!f.value.has_value()) {
        return UserError(Location{}, absl::StrCat("flag ", f.key, " needs a value: ", f.key,
                                                  "=<", OptionTypeName(o.type), ">"),
                         "values are attached with '=', as in Pants");
      } else {
        c = FromText(o, *f.value, f.key, src);
        if (c.ok() && m.negated) c->scalar = OptionValue::Bool(!c->scalar.boolean());
      }
      if (!c.ok()) return UserError(Location{}, c.status().message());
      flag_values[&o].push_back(*std::move(c));
    }
  }

  // Environment variables.
  std::map<const OptionInfo*, Contribution> env_values;
  for (const ScopeInfo* s : registry.Scopes()) {
    for (const OptionInfo* o : registry.OptionsIn(s->name)) {
      for (const std::string& var : EnvNames(*o)) {
        auto it = input.env.find(var);
        if (it == input.env.end()) continue;
        absl::StatusOr<Contribution> c =
            FromText(*o, it->second, absl::StrCat(var, " (environment variable)"),
                     {ValueSource::Kind::kEnv, var});
        if (!c.ok()) return UserError(Location{}, c.status().message());
        env_values[o] = *std::move(c);
        break;
      }
    }
  }

  // Which config files: [GLOBAL].pants_config_files from flags and env only.
  std::string home = input.homedir;
  if (home.empty()) {
    if (auto it = input.env.find("HOME"); it != input.env.end()) home = it->second;
  }
  std::vector<std::pair<std::string, bool>> files;  // (absolute path, required)
  if (const OptionInfo* pcf = registry.Find(kGlobalScope, "pants_config_files")) {
    std::vector<Contribution> cs;
    if (auto it = env_values.find(pcf); it != env_values.end()) cs.push_back(it->second);
    if (auto it = flag_values.find(pcf); it != flag_values.end()) {
      cs.insert(cs.end(), it->second.begin(), it->second.end());
    }
    OptionValue::List list = {OptionValue::String("pants.toml")};
    for (const Contribution& c : cs) ApplyListEdits(c.list_edits, &list);
    for (const OptionValue& p : list) {
      files.emplace_back(AbsPath(p.string(), input.buildroot, home), !cs.empty());
    }
  } else {
    files.emplace_back(AbsPath("pants.toml", input.buildroot, home), false);
  }

  std::map<std::string, std::string> seeds = {
      {"buildroot", input.buildroot},
      {"homedir", home},
      {"user", input.env.count("USER") ? input.env.at("USER") : ""},
      {"pants_workdir", absl::StrCat(input.buildroot, "/.pants.d/workdir")},
      {"pants_distdir", absl::StrCat(input.buildroot, "/dist")},
      {"pants_supportdir", absl::StrCat(input.buildroot, "/build-support")},
  };

  std::vector<ConfigFile> configs;
  auto read_config = [&](const std::string& abs, bool required) -> absl::Status {
    absl::StatusOr<std::string> text = input.read_file(abs);
    std::string shown = DisplayPath(abs, input.buildroot);
    if (!text.ok()) {
      if (!required && absl::IsNotFound(text.status())) return absl::OkStatus();
      Location loc;
      loc.file = shown;
      return EnvironmentError(loc, absl::IsNotFound(text.status())
                                       ? "config file does not exist"
                                       : absl::StrCat("cannot read config file: ",
                                                      text.status().message()));
    }
    absl::StatusOr<ConfigFile> cf = ParseConfigFile(shown, *text, seeds, input.env);
    if (!cf.ok()) return cf.status();
    out.config_files_.push_back(shown);
    configs.push_back(*std::move(cf));
    return absl::OkStatus();
  };
  for (const auto& [abs, required] : files) {
    if (absl::Status s = read_config(abs, required); !s.ok()) return s;
  }

  // Contributions from config files for one option: per file, the section's
  // value, else [DEFAULT]'s.
  auto config_contributions = [&](const OptionInfo& o) -> absl::StatusOr<std::vector<Contribution>> {
    std::vector<Contribution> cs;
    for (const ConfigFile& cf : configs) {
      const ConfigEntry* e = nullptr;
      std::string section = o.scope;
      if (const ConfigSection* s = cf.Find(o.scope)) e = s->Find(o.name);
      if (e == nullptr) {
        if (const ConfigSection* d = cf.Find("DEFAULT")) {
          e = d->Find(o.name);
          section = "DEFAULT";
        }
      }
      if (e == nullptr) continue;
      absl::StatusOr<Contribution> c = FromConfig(o, *e, section);
      if (!c.ok()) return c.status();
      cs.push_back(*std::move(c));
    }
    return cs;
  };

  // pantsrc files (read after the main config files, so they override them).
  const OptionInfo* pantsrc = registry.Find(kGlobalScope, "pantsrc");
  const OptionInfo* pantsrc_files = registry.Find(kGlobalScope, "pantsrc_files");
  if (pantsrc != nullptr && pantsrc_files != nullptr) {
    auto resolve_early = [&](const OptionInfo& o) -> absl::StatusOr<ResolvedOption> {
      absl::StatusOr<std::vector<Contribution>> cs = config_contributions(o);
      if (!cs.ok()) return cs.status();
      if (auto it = env_values.find(&o); it != env_values.end()) cs->push_back(it->second);
      if (auto it = flag_values.find(&o); it != flag_values.end()) {
        cs->insert(cs->end(), it->second.begin(), it->second.end());
      }
      return Resolve(o, *cs);
    };
    absl::StatusOr<ResolvedOption> use = resolve_early(*pantsrc);
    if (!use.ok()) return use.status();
    if (use->value.kind() == OptionValue::Kind::kBool && use->value.boolean()) {
      absl::StatusOr<ResolvedOption> rc = resolve_early(*pantsrc_files);
      if (!rc.ok()) return rc.status();
      for (const std::string& p : rc->value.Strings()) {
        if (absl::Status s = read_config(AbsPath(p, input.buildroot, home), false); !s.ok()) return s;
      }
    }
  }

  // Resolve every option.
  for (const ScopeInfo* s : registry.Scopes()) {
    for (const OptionInfo* o : registry.OptionsIn(s->name)) {
      absl::StatusOr<std::vector<Contribution>> cs = config_contributions(*o);
      if (!cs.ok()) return cs.status();
      if (auto it = env_values.find(o); it != env_values.end()) cs->push_back(it->second);
      if (auto it = flag_values.find(o); it != flag_values.end()) {
        cs->insert(cs->end(), it->second.begin(), it->second.end());
      }
      out.values_[o->scope].emplace(o->name, Resolve(*o, *cs));
    }
  }

  // Unknown sections and options (docs/options.md, "Unknown sections and options").
  const ResolvedOption* verify = out.Find(kGlobalScope, "verify_config");
  bool verify_config = verify == nullptr || verify->value.kind() != OptionValue::Kind::kBool ||
                       verify->value.boolean();
  if (!bootstrap && verify_config) {
    std::set<std::string> warned;
    std::vector<std::string> scope_names;
    for (const ScopeInfo* s : registry.Scopes()) scope_names.push_back(s->name);
    // Pants plugins (`[GLOBAL].plugins` from PyPI, in-repo ones on `pythonpath`) register
    // their own scopes, e.g. Toolchain's [toolchain-setup] and [buildsense]. braid cannot load
    // them, so with either option set an unknown section may be valid: warn, do not fail.
    std::string plugin_option;
    for (const ConfigFile& cf : configs) {
      const ConfigSection* global = cf.Find(kGlobalScope);
      for (const char* name : {"plugins", "pythonpath"}) {
        if (plugin_option.empty() && global != nullptr && global->Find(name) != nullptr) {
          plugin_option = name;
        }
      }
    }
    for (const ConfigFile& cf : configs) {
      for (const ConfigSection& section : cf.sections) {
        if (section.name == "DEFAULT") continue;  // fallbacks and interpolation variables
        if (registry.FindScope(section.name) == nullptr) {
          if (!IsKnownPantsScope(section.name) && !plugin_option.empty()) {
            if (warned.insert(absl::StrCat("[", section.name, "]")).second) {
              out.warnings_.push_back(absl::StrCat(
                  section.location.ToString(), ": [", section.name,
                  "] is not a Pants subsystem braid knows; it may belong to a plugin of [GLOBAL].",
                  plugin_option, ", which braid does not load; its options are ignored"));
            }
            continue;
          }
          if (IsKnownPantsScope(section.name)) {
            std::string name = absl::StrCat("[", section.name, "]");
            if (warned.insert(name).second) {
              out.ignored_.push_back(Options::IgnoredSetting{
                  name, absl::StrCat(section.location.ToString(), ": ", name,
                                     " is a Pants subsystem braid does not implement yet; its "
                                     "options are ignored")});
            }
            continue;
          }
          // Prefer braid's own scopes, then other Pants scopes.
          std::string hint = DidYouMean(section.name, scope_names);
          if (hint.empty()) hint = DidYouMean(section.name, KnownPantsScopes());
          return UserError(section.location, absl::StrCat("unknown section [", section.name, "]"),
                           hint);
        }
        std::vector<std::string> registered = registry.OptionNamesIn(section.name);
        const std::vector<std::string>* known = KnownPantsOptions(section.name);
        for (const ConfigEntry& e : section.entries) {
          if (registry.Find(section.name, e.key) != nullptr) continue;
          bool known_to_pants = known != nullptr &&
                                std::binary_search(known->begin(), known->end(), e.key);
          std::string close = ClosestMatch(e.key, registered);
          if (known_to_pants || (known == nullptr && close.empty())) {
            std::string name = absl::StrCat("[", section.name, "].", e.key);
            if (warned.insert(name).second) {
              std::string warning =
                  absl::StrCat(e.location.ToString(), ": ", name,
                               known_to_pants
                                   ? " is a Pants option braid does not implement yet; it is ignored"
                                   : " is not an option braid knows; it is ignored");
              if (known_to_pants) {
                out.ignored_.push_back(Options::IgnoredSetting{name, std::move(warning)});
              } else {
                out.warnings_.push_back(std::move(warning));
              }
            }
            continue;
          }
          std::string hint = DidYouMean(e.key, registered);
          if (hint.empty() && known != nullptr) hint = DidYouMean(e.key, *known);
          return UserError(e.location,
                           absl::StrCat("unknown option '", e.key, "' in [", section.name, "]"),
                           hint);
        }
      }
    }
  }

  if (!bootstrap && !help_requested && !cmd.unknown_goals.empty()) {
    const std::string& g = cmd.unknown_goals.front();
    if (IsPantsGoalNotImplemented(g)) {
      return UserError(Location{},
                       absl::StrCat("unknown goal '", g, "': Pants has it, braid does not (yet)"),
                       absl::StrCat("the goals braid runs: ",
                                    absl::StrJoin(registry.GoalNames(), ", "),
                                    " (see `braid help goals`)"));
    }
    return UserError(Location{}, absl::StrCat("unknown goal '", g, "'"),
                     DidYouMean(g, registry.GoalNames()));
  }
  return out;
}

}  // namespace braid::options

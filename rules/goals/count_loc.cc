#include "rules/goals/count_loc.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace braid {
namespace {

// ---------------------------------------------------------------------------
// Language definitions (from scc's languages.json).

struct Quote {
  std::string start;
  std::string end;
  bool doc_string = false;
  bool ignore_escape = false;
};

struct LanguageDef {
  std::string name;
  std::vector<std::string> extensions;
  std::vector<std::string> filenames;
  std::vector<std::string> complexity;
  std::vector<std::string> line_comments;
  std::vector<std::pair<std::string, std::string>> multi_line;
  std::vector<Quote> quotes;
  bool nested = false;
};

// The checks most C-family entries in languages.json share.
const std::vector<std::string>& StdChecks() {
  static const auto* v = new std::vector<std::string>{
      "for ", "for(", "if ", "if(", "switch ", "while ", "else ", "|| ", "&& ", "!= ", "== "};
  return *v;
}

const std::vector<std::string>& CChecks() {
  static const auto* v = new std::vector<std::string>{
      "for ",   "for(",   "if ",   "if(", "switch ", "switch(", "while ",
      "while(", "else ",  "|| ",   "&& ", "!= ",     "== "};
  return *v;
}

// scc 3.0.0's Python entry (the Cython entry still carries the same checks).
const std::vector<std::string>& PythonChecks() {
  static const auto* v = new std::vector<std::string>{
      "for ", "for(", "if ", "if(", "switch ", "while ", "else ", "and ", "or ", "not ", "in "};
  return *v;
}

// Several scc entries spell the double quote as the two bytes \" (an escaping slip in
// languages.json); scc then only sees \" as a string start. Kept for identical counts.
const char kBackslashQuote[] = "\\\"";

const std::vector<LanguageDef>& Languages() {
  static const auto* langs = [] {
    const Quote dq{"\"", "\""};
    const Quote sq{"'", "'"};
    const Quote bdq{kBackslashQuote, kBackslashQuote};
    const Quote btdq{"\\\"\\\"\\\"", "\\\"\\\"\\\""};
    const Quote tsq{"'''", "'''"};
    const std::pair<std::string, std::string> c_block{"/*", "*/"};
    const std::pair<std::string, std::string> xml_block{"<!--", "-->"};
    auto* v = new std::vector<LanguageDef>{
        {"Autoconf", {"in"}, {}, StdChecks(), {"#", "dnl"}, {}, {}},
        {"BASH",
         {"bash", "bash_login", "bash_logout", "bash_profile", "bashrc"},
         {".bash_login", ".bash_logout", ".bash_profile", ".bashrc"},
         StdChecks(), {"#"}, {}, {bdq, sq}},
        {"Bazel", {"bzl", "build.bazel", "build", "workspace"}, {}, StdChecks(), {"#"}, {}, {dq}},
        {"C", {"c", "ec", "pgc"}, {}, CChecks(), {"//"}, {c_block}, {dq}},
        {"C Header", {"h"}, {}, CChecks(), {"//"}, {c_block}, {dq}},
        {"C++", {"cc", "cpp", "cxx", "c++", "pcc", "ino"}, {}, CChecks(), {"//"}, {c_block}, {dq}},
        {"C++ Header", {"hh", "hpp", "hxx", "inl", "ipp"}, {}, CChecks(), {"//"}, {c_block}, {dq}},
        {"CMake", {"cmake", "cmakelists.txt"}, {}, StdChecks(), {"#"}, {}, {bdq}},
        {"CSS", {"css"}, {}, StdChecks(), {"//"}, {c_block}, {dq}},
        {"CSV", {"csv"}, {}, {}, {}, {}, {}},
        {"Cython", {"pyx", "pxi", "pxd"}, {}, PythonChecks(), {"#"}, {}, {bdq, sq, btdq, tsq}},
        {"Dockerfile", {"dockerfile"}, {"dockerfile"}, StdChecks(), {"#"}, {}, {bdq, sq}},
        {"Go", {"go"}, {},
         {"go ", "defer ", "for ", "for(", "if ", "if(", "switch ", "select ", "else ", "|| ",
          "&& ", "!= ", "== "},
         {"//"}, {c_block}, {dq, Quote{"`", "`", false, true}}},
        {"HTML", {"html", "htm"}, {}, {}, {}, {xml_block}, {dq}},
        {"INI", {"ini"}, {}, {}, {"#", ";"}, {}, {}},
        {"JSON", {"json"}, {}, {}, {}, {}, {}},
        {"Java", {"java"}, {}, StdChecks(), {"//"}, {c_block}, {dq}},
        {"JavaScript", {"js", "mjs"}, {}, StdChecks(), {"//"}, {c_block}, {dq}},
        {"Jinja", {"jinja", "j2", "jinja2"}, {},
         {"{% for ", "{%- for ", "{% if ", "{%- if ", "{% else ", "{%- else ", "{% elif ",
          "{% macro ", "{%- macro ", "{% call ", "{%- call ", "{% filter ", "{%- filter ",
          "{% set ", "{% include ", "{% from ", "{% extends ", "{% with "},
         {}, {{"{#", "#}"}}, {}},
        {"Jupyter", {"ipynb", "jpynb"}, {}, {}, {}, {}, {}},
        {"License", {},
         {"license", "licence", "copying", "copying3", "unlicense", "unlicence", "license-mit",
          "licence-mit", "copyright"},
         {}, {}, {}, {}},
        {"Makefile", {"makefile", "mak", "mk", "bp"}, {"makefile", "gnumakefile"}, StdChecks(),
         {"#"}, {}, {}},
        {"Markdown", {"md", "markdown"}, {}, {}, {}, {}, {}},
        {"Plain Text", {"text", "txt"}, {}, {}, {}, {}, {}},
        {"Properties File", {"properties"}, {}, {}, {"#"}, {}, {}},
        {"Protocol Buffers", {"proto"}, {}, StdChecks(), {"//"}, {c_block}, {}},
        {"Python", {"py", "pyw", "pyi"}, {}, PythonChecks(), {"#"}, {},
         {dq, sq, Quote{"\"\"\"", "\"\"\"", true}, Quote{"'''", "'''", true}}},
        {"ReStructuredText", {"rst"}, {}, {}, {}, {}, {}},
        {"Rust", {"rs"}, {},
         {"for ", "for(", "if ", "if(", "switch ", "while ", "else ", "|| ", "&& ", "!= ", "== ",
          "match "},
         {"//"}, {c_block}, {dq}, /*nested=*/true},
        {"SQL", {"sql", "dml", "ddl", "dql"}, {}, StdChecks(), {"--"}, {c_block}, {sq}},
        {"Shell", {"sh"}, {".tcshrc"}, StdChecks(), {"#"}, {}, {bdq, sq}},
        {"TOML", {"toml"}, {}, StdChecks(), {"#"}, {}, {bdq, sq, btdq, tsq}},
        {"Thrift", {"thrift"}, {}, {}, {"//", "#"}, {c_block}, {dq, sq}},
        {"TypeScript", {"ts", "tsx"}, {},
         {"for ",   "for(",    "if ",     "if(",    "switch ", "while ",   "else ",   "| ",
          "|| ",    "& ",      "&& ",     "!= ",    "!== ",    "== ",      "=== ",    "foreach(",
          "case ",  "case(",   "casex ",  "casex(", "casez ",  "casez(",   "casexz ", "casexz(",
          "fork",   "?",       ":",       "inside", "with"},
         {"//"}, {c_block}, {dq}},
        {"XML", {"xml"}, {}, {}, {}, {xml_block}, {dq}},
        {"YAML", {"yaml", "yml"}, {}, {}, {"#"}, {}, {}},
    };
    return v;
  }();
  return *langs;
}

struct LanguageIndex {
  absl::flat_hash_map<std::string, const LanguageDef*> by_extension;
  absl::flat_hash_map<std::string, const LanguageDef*> by_filename;
};

const LanguageIndex& Index() {
  static const auto* index = [] {
    auto* idx = new LanguageIndex;
    for (const LanguageDef& lang : Languages()) {
      for (const std::string& e : lang.extensions) idx->by_extension.emplace(e, &lang);
      for (const std::string& f : lang.filenames) idx->by_filename.emplace(f, &lang);
    }
    return idx;
  }();
  return *index;
}

// Go's filepath.Ext on a base name: the suffix from the last '.', or "".
absl::string_view Ext(absl::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == absl::string_view::npos ? absl::string_view() : name.substr(dot);
}

// scc's getExtension: up to two trailing extensions, lowercased, no leading dot;
// names without a dot (or only a leading one) are their own extension.
std::string GetExtension(absl::string_view lower_name) {
  absl::string_view ext = Ext(lower_name);
  if (ext.empty() || lower_name.rfind('.') == 0) return std::string(lower_name);
  absl::string_view rest = lower_name.substr(0, lower_name.size() - ext.size());
  std::string both = absl::StrCat(Ext(rest), ext);
  return both.substr(1);
}

const LanguageDef* FindLanguage(absl::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string name =
      absl::AsciiStrToLower(slash == absl::string_view::npos ? path : path.substr(slash + 1));
  const LanguageIndex& idx = Index();
  if (auto it = idx.by_filename.find(name); it != idx.by_filename.end()) return it->second;
  // braid decision: also try the whole name as an "extension" so entries such as
  // "cmakelists.txt" and "build.bazel" in languages.json take effect.
  if (auto it = idx.by_extension.find(name); it != idx.by_extension.end()) return it->second;
  const std::string ext = GetExtension(name);
  if (auto it = idx.by_extension.find(ext); it != idx.by_extension.end()) return it->second;
  if (auto it = idx.by_extension.find(GetExtension(ext)); it != idx.by_extension.end()) {
    return it->second;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// scc's token trie. Match() walks as far as the input follows the trie and reports
// the node where it stopped, which may be an interior node of type kNone: "iff"
// does not match "if " and `""` matches nothing when only `"` and `"""` exist.

enum TokenType { kNone = 0, kComplexity, kLineComment, kMultiComment, kString };

class Trie {
 public:
  Trie() : nodes_(1) {}

  void Insert(TokenType type, absl::string_view token, absl::string_view close = {}) {
    int node = 0;
    for (char c : token) {
      auto [it, inserted] = nodes_[node].next.emplace(static_cast<unsigned char>(c), 0);
      if (inserted) {
        it->second = static_cast<int>(nodes_.size());
        nodes_.emplace_back();
      }
      node = it->second;
    }
    nodes_[node].type = type;
    nodes_[node].close = std::string(close);
  }

  struct Result {
    TokenType type = kNone;
    int depth = 0;  // bytes consumed before stopping (Go's loop index)
    const std::string* close = nullptr;
  };

  Result Match(absl::string_view text) const {
    int node = 0;
    int depth = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      depth = static_cast<int>(i);
      auto it = nodes_[node].next.find(static_cast<unsigned char>(text[i]));
      if (it == nodes_[node].next.end()) {
        return {nodes_[node].type, depth, &nodes_[node].close};
      }
      node = it->second;
    }
    return {nodes_[node].type, depth, &nodes_[node].close};
  }

 private:
  struct Node {
    std::map<unsigned char, int> next;
    TokenType type = kNone;
    std::string close;
  };
  std::vector<Node> nodes_;
};

struct Features {
  Trie tokens;
  Trie strings;
  Trie multi_line;
};

const Features& FeaturesFor(const LanguageDef& lang) {
  static auto* cache = new absl::flat_hash_map<const LanguageDef*, std::unique_ptr<Features>>;
  auto& slot = (*cache)[&lang];
  if (slot == nullptr) {
    slot = std::make_unique<Features>();
    for (const auto& c : lang.complexity) slot->tokens.Insert(kComplexity, c);
    for (const auto& c : lang.line_comments) slot->tokens.Insert(kLineComment, c);
    for (const auto& [open, close] : lang.multi_line) {
      slot->tokens.Insert(kMultiComment, open, close);
      slot->multi_line.Insert(kMultiComment, open, close);
    }
    for (const Quote& q : lang.quotes) {
      slot->strings.Insert(kString, q.start, q.end);
      slot->tokens.Insert(kString, q.start, q.end);
    }
  }
  return *slot;
}

// ---------------------------------------------------------------------------
// The counting state machine, ported from scc 3.0's processor/workers.go. Indices
// and loop bounds mirror the original on purpose (including that the inner loops
// stop one byte before the end), since they decide edge cases.

enum State {
  kBlank,
  kCode,
  kComment,
  kCommentCode,
  kMultiCommentState,
  kMultiCommentCode,
  kMultiCommentBlank,
  kStringState,
  kDocString,
};

bool IsWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Counter {
 public:
  Counter(const LanguageDef& lang, absl::string_view content, LocCounts& out)
      : lang_(lang), features_(FeaturesFor(lang)), c_(content), out_(out) {}

  void Run() {
    if (c_.empty()) return;
    const int n = static_cast<int>(c_.size());
    end_point_ = n - 1;
    int start = 0;
    if (c_.substr(0, 3) == "\xEF\xBB\xBF") start = 3;  // UTF-8 BOM
    for (int index = start; index < n; ++index) {
      if (!IsWhitespace(c_[index])) {
        switch (state_) {
          case kCode: index = CodeState(index); break;
          case kStringState: index = StringState(index); break;
          case kDocString: index = DocStringState(index); break;
          case kMultiCommentState:
          case kMultiCommentCode: index = CommentState(index); break;
          case kBlank:
          case kMultiCommentBlank: index = BlankState(index); break;
          default: break;  // single-line comments run to the newline
        }
      }
      // An unterminated token can leave the index past the end: scc stops here.
      if (index >= n) return;
      if (index < 10000 && out_.binary) return;
      if (c_[index] == '\n' || index >= end_point_) {
        ++out_.lines;
        switch (state_) {
          case kCode:
          case kStringState:
          case kCommentCode:
          case kMultiCommentCode:
            ++out_.code;
            ResetState();
            break;
          case kComment:
          case kMultiCommentState:
          case kMultiCommentBlank:
            ++out_.comment;
            ResetState();
            break;
          case kBlank:
            ++out_.blank;
            break;
          case kDocString:
            ++out_.comment;
            break;
        }
      }
    }
  }

 private:
  char At(int i) const { return i >= 0 && i < static_cast<int>(c_.size()) ? c_[i] : '\0'; }

  void ResetState() {
    if (state_ == kMultiCommentState || state_ == kMultiCommentCode) {
      state_ = kMultiCommentState;
    } else if (state_ != kStringState) {
      state_ = kBlank;
    }
  }

  bool MatchSingle(int index, absl::string_view match) const {
    if (match.empty() || c_[index] != match[0]) return false;
    for (size_t j = 0; j < match.size(); ++j) {
      if (index + static_cast<int>(j) >= end_point_ || match[j] != c_[index + j]) return false;
    }
    return true;
  }

  // Skips past a docstring or escape-free quote start at `index`; returns the index.
  int VerifyIgnoreEscape(int index) {
    ignore_escape_ = false;
    for (const Quote& q : lang_.quotes) {
      if (!q.doc_string && !q.ignore_escape) continue;
      bool match = true;
      for (size_t j = 0; j < q.start.size(); ++j) {
        if (index + j >= c_.size() || c_[index + j] != q.start[j]) {
          match = false;
          break;
        }
      }
      if (match) {
        ignore_escape_ = true;
        index += static_cast<int>(q.start.size());
      }
    }
    return index;
  }

  int BlankState(int index) {
    const Trie::Result m = features_.tokens.Match(c_.substr(index));
    switch (m.type) {
      case kMultiComment:
        if (lang_.nested || end_comments_.empty()) {
          end_comments_.push_back(*m.close);
          state_ = kMultiCommentState;
          return index + m.depth - 1;
        }
        break;
      case kLineComment:
        state_ = kComment;
        return index;
      case kString: {
        end_string_ = *m.close;
        index = VerifyIgnoreEscape(index);
        for (const Quote& q : lang_.quotes) {
          if (q.end == end_string_ && q.doc_string) {
            state_ = kDocString;
            return index;
          }
        }
        state_ = kStringState;
        return index;
      }
      case kComplexity:
        state_ = kCode;
        if (index == 0 || IsWhitespace(c_[index - 1])) ++out_.complexity;
        return index;
      default:
        break;
    }
    state_ = kCode;
    return index;
  }

  int CodeState(int index) {
    for (int i = index; i < end_point_; ++i) {
      index = i;
      const char cur = c_[i];
      if (cur == '\n') return i;
      if (i < 10000 && cur == '\0') {
        out_.binary = true;
        return i;
      }
      const Trie::Result m = features_.tokens.Match(c_.substr(i));
      switch (m.type) {
        case kString: {
          end_string_ = *m.close;
          const int j = VerifyIgnoreEscape(index);
          if (At(j - 1) != '\\') state_ = kStringState;
          return j;
        }
        case kLineComment:
          state_ = kCommentCode;
          return i;
        case kMultiComment:
          if (lang_.nested || end_comments_.empty()) {
            end_comments_.push_back(*m.close);
            state_ = kMultiCommentCode;
            return i + m.depth - 1;
          }
          break;
        case kComplexity:
          if (index == 0 || IsWhitespace(c_[index - 1])) ++out_.complexity;
          break;
        default:
          break;
      }
    }
    return index;
  }

  int CommentState(int index) {
    for (int i = index; i < end_point_; ++i) {
      index = i;
      if (c_[i] == '\n') return i;
      if (MatchSingle(i, end_comments_.back())) {
        const int jump = static_cast<int>(end_comments_.back().size());
        end_comments_.pop_back();
        if (end_comments_.empty()) {
          state_ = state_ == kMultiCommentCode ? kCode : kMultiCommentBlank;
        }
        return i + jump - 1;
      }
      if (lang_.nested || end_comments_.empty()) {
        const Trie::Result m = features_.multi_line.Match(c_.substr(i));
        if (m.type != kNone) {
          end_comments_.push_back(*m.close);
          return i + m.depth - 1;
        }
      }
    }
    return index;
  }

  int StringState(int index) {
    for (int i = index; i < end_point_; ++i) {
      index = i;
      if (c_[i] == '\n') return i;
      if (ignore_escape_ || At(i - 1) != '\\') {
        if (MatchSingle(i, end_string_)) {
          state_ = kCode;
          return i;
        }
      }
    }
    return index;
  }

  int DocStringState(int index) {
    for (int i = index; i < end_point_; ++i) {
      index = i;
      if (c_[i] == '\n') return i;
      if (At(i - 1) != '\\' && features_.strings.Match(c_.substr(i)).type != kNone) {
        // The docstring ended: a comment if only whitespace follows on this line.
        for (int j = index + static_cast<int>(end_string_.size()); j <= end_point_; ++j) {
          if (c_[j] == '\n') {
            state_ = kComment;
            return i;
          }
          if (!IsWhitespace(c_[j])) {
            state_ = kCode;
            return i;
          }
        }
        state_ = kCode;
        return i;
      }
    }
    return index;
  }

  const LanguageDef& lang_;
  const Features& features_;
  absl::string_view c_;
  LocCounts& out_;
  int end_point_ = 0;
  State state_ = kBlank;
  std::vector<std::string> end_comments_;
  std::string end_string_;
  bool ignore_escape_ = false;
};

// ---------------------------------------------------------------------------
// Rendering.

constexpr char kRule[] =
    "───────────────────────────────────────────────────────────────────────────────\n";

std::string Row(absl::string_view name, int64_t files, int64_t lines, int64_t blank,
                int64_t comment, int64_t code, int64_t complexity) {
  return absl::StrFormat("%-20s %9d %9d %8d %9d %8d %10d\n", name, files, lines, blank, comment,
                         code, complexity);
}

// Go's message.Printer("%d") for English: thousands separated by commas.
std::string WithCommas(int64_t v) {
  std::string digits = absl::StrCat(v < 0 ? -v : v);
  std::string out;
  const int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace

std::string DetectLanguage(absl::string_view path) {
  const LanguageDef* lang = FindLanguage(path);
  return lang == nullptr ? "" : lang->name;
}

LocCounts CountLines(absl::string_view filename, absl::string_view content) {
  LocCounts counts;
  counts.bytes = static_cast<int64_t>(content.size());
  const LanguageDef* lang = FindLanguage(filename);
  if (lang == nullptr) return counts;
  counts.language = lang->name;
  Counter(*lang, content, counts).Run();
  return counts;
}

std::string RenderCountLocTable(const std::vector<std::pair<std::string, LocCounts>>& files) {
  if (files.empty()) return "";
  struct Summary {
    std::string name;
    int64_t files = 0, lines = 0, blank = 0, comment = 0, code = 0, complexity = 0;
  };
  std::map<std::string, Summary> by_language;
  Summary total{"Total"};
  for (const auto& [path, c] : files) {
    if (c.language.empty() || c.binary) continue;
    Summary& s = by_language[c.language];
    s.name = c.language;
    for (Summary* t : {&s, &total}) {
      t->files += 1;
      t->lines += c.lines;
      t->blank += c.blank;
      t->comment += c.comment;
      t->code += c.code;
      t->complexity += c.complexity;
    }
  }
  std::vector<Summary> rows;
  for (auto& [name, s] : by_language) rows.push_back(s);
  std::stable_sort(rows.begin(), rows.end(), [](const Summary& a, const Summary& b) {
    if (a.files != b.files) return a.files > b.files;
    return a.name < b.name;
  });

  std::string out;
  out += kRule;
  out += absl::StrFormat("%-20s %9s %9s %8s %9s %8s %10s\n", "Language", "Files", "Lines",
                         "Blanks", "Comments", "Code", "Complexity");
  out += kRule;
  for (const Summary& s : rows) {
    // scc truncates long names by bytes to 19 plus an ellipsis.
    std::string name = s.name.size() > 20 ? s.name.substr(0, 19) + "…" : s.name;
    out += Row(name, s.files, s.lines, s.blank, s.comment, s.code, s.complexity);
  }
  out += kRule;
  out += Row("Total", total.files, total.lines, total.blank, total.comment, total.code,
             total.complexity);
  out += kRule;

  // COCOMO, organic project, as scc 3.0.0 computes it.
  const double effort = 2.4 * std::pow(static_cast<double>(total.code) / 1000, 1.05);
  const double cost = effort * static_cast<double>(56286 / 12) * 2.4;
  const double schedule = 2.5 * std::pow(effort, 0.38);
  const double people = effort / schedule;
  absl::StrAppend(&out, "Estimated Cost to Develop $", WithCommas(static_cast<int64_t>(cost)),
                  "\n");
  out += absl::StrFormat("Estimated Schedule Effort %f months\n", schedule);
  if (std::isnan(people)) {
    out += "Estimated People Required 1 Grandparent\n";
  } else {
    out += absl::StrFormat("Estimated People Required %f\n", people);
  }
  out += kRule;
  return out;
}

}  // namespace braid

#include "rules/python/import_scanner.h"

#include <fnmatch.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "rules/python/tokenizer.h"

namespace braid::python {
namespace {

bool IsHardKeyword(absl::string_view w) {
  static constexpr absl::string_view kKeywords[] = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
      "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
      "return", "try", "while", "with", "yield"};
  for (absl::string_view k : kKeywords) {
    if (k == w) return true;
  }
  return false;
}

bool IsImportErrorName(absl::string_view w) {
  return w == "ImportError" || w == "ModuleNotFoundError";
}

// "a.b.c" where each part is a non-empty identifier (bytes >= 0x80 count as identifier
// characters, as in the tokenizer). Returns the number of dots, or -1.
int DottedIdentifierDots(absl::string_view s) {
  if (s.empty()) return -1;
  int dots = 0;
  bool part_start = true;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (part_start) return -1;
      ++dots;
      part_start = true;
      continue;
    }
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && !part_start)) return -1;
    part_start = false;
  }
  return part_start ? -1 : dots;
}

// One import occurrence before pragma filtering and merging.
struct Occurrence {
  ImportRecord record;
  int pragma_lo = 0;  // a no-infer-dep pragma on any line in [pragma_lo, pragma_hi] drops it
  int pragma_hi = 0;
  bool dropped = false;
};

// A block that can weaken the imports in its body.
struct Frame {
  enum Kind : uint8_t { kTry, kSuppress } kind = kTry;
  int indent = 0;       // indentation of the header line; the body is deeper
  bool in_body = true;  // kTry: false once a handler/else/finally line was seen
  size_t begin = 0;     // kTry: occurrences [begin, end) are in the body
  size_t end = 0;
};

class Scanner {
 public:
  Scanner(absl::string_view src, const ImportScanOptions& options)
      : src_(src), tok_(src), options_(options) {}

  ImportScan Run() {
    while (true) {
      line_.clear();
      pragma_lines_.clear();
      Token t = tok_.Next();
      while (t.kind != TokenKind::kNewline && t.kind != TokenKind::kEnd) {
        if (t.kind == TokenKind::kComment) {
          ReadComment(t);
        } else {
          line_.push_back(t);
        }
        t = tok_.Next();
      }
      if (!line_.empty()) ProcessLine();
      if (t.kind == TokenKind::kEnd) break;
    }
    return Finish();
  }

 private:
  absl::string_view Text(const Token& t) const { return tok_.Text(t); }
  bool IsOp(size_t i, absl::string_view op) const {
    return i < line_.size() && line_[i].kind == TokenKind::kOp && Text(line_[i]) == op;
  }
  bool IsName(size_t i, absl::string_view name) const {
    return i < line_.size() && line_[i].kind == TokenKind::kName && Text(line_[i]) == name;
  }
  bool IsName(size_t i) const { return i < line_.size() && line_[i].kind == TokenKind::kName; }

  void Diagnose(int line, std::string message) {
    if (diagnostics_.size() < 100) diagnostics_.push_back({line, std::move(message)});
  }

  // Pragmas live in comments: "# pants: no-infer-dep", "# braid: infer-dep(addr)".
  void ReadComment(const Token& t) {
    absl::string_view text = Text(t);
    size_t pos = 0;
    while (true) {
      size_t p = text.find("pants:", pos);
      size_t b = text.find("braid:", pos);
      if (b < p) p = b;
      if (p == absl::string_view::npos) return;
      absl::string_view rest = text.substr(p + 6);
      rest = absl::StripLeadingAsciiWhitespace(rest);
      if (absl::StartsWith(rest, "no-infer-dep")) {
        pragma_lines_.push_back(t.line);
      } else if (absl::ConsumePrefix(&rest, "infer-dep(")) {
        size_t close = rest.find(')');
        absl::string_view addr =
            absl::StripAsciiWhitespace(rest.substr(0, close == absl::string_view::npos ? 0 : close));
        if (close == absl::string_view::npos || addr.empty()) {
          Diagnose(t.line, "malformed pragma: expected '# pants: infer-dep(<address>)'");
        } else {
          infer_deps_.push_back({std::string(addr), t.line});
        }
      }
      pos = p + 6;
    }
  }

  // Closes frames that the logical line starting at `indent` with word `w` leaves.
  void UpdateFrames(int indent, absl::string_view w) {
    while (!frames_.empty()) {
      Frame& f = frames_.back();
      if (f.indent > indent) {
        PopFrame();
        continue;
      }
      if (f.indent == indent) {
        if (f.kind == Frame::kTry && (w == "except" || w == "else" || w == "finally")) {
          if (f.in_body) {
            f.in_body = false;
            f.end = occurrences_.size();
          }
          return;
        }
        PopFrame();
        continue;
      }
      return;
    }
  }

  // Index of the matching closer for the opener at `i` if it is before `end`, or npos.
  // Uses a per-line table built on first use, so nested brackets cost O(1) each.
  size_t MatchingClose(size_t i, size_t end) {
    if (!match_built_) BuildMatches();
    size_t m = match_[i];
    return m < end ? m : absl::string_view::npos;
  }

  void BuildMatches() {
    match_built_ = true;
    match_.assign(line_.size(), absl::string_view::npos);
    stack_.clear();
    for (size_t j = 0; j < line_.size(); ++j) {
      if (line_[j].kind != TokenKind::kOp) continue;
      absl::string_view s = Text(line_[j]);
      if (s == "(" || s == "[" || s == "{") {
        stack_.push_back(j);
      } else if ((s == ")" || s == "]" || s == "}") && !stack_.empty()) {
        match_[stack_.back()] = j;
        stack_.pop_back();
      }
    }
  }

  // Strips parentheses that wrap all of [b, e).
  void StripParens(size_t* b, size_t* e) {
    while (*e - *b >= 2 && IsOp(*b, "(") && MatchingClose(*b, *e) == *e - 1) {
      ++*b;
      --*e;
    }
  }

  // True if [b, e) is a name in `pred`, possibly parenthesised.
  template <typename Pred>
  bool IsNameExpr(size_t b, size_t e, Pred pred) {
    StripParens(&b, &e);
    return e == b + 1 && IsName(b) && pred(Text(line_[b]));
  }

  // Splits [b, e) at commas at bracket depth `depth` and calls fn(begin, end) per element.
  template <typename Fn>
  bool AnyElement(size_t b, size_t e, int depth, Fn fn) {
    size_t start = b;
    for (size_t j = b; j <= e; ++j) {
      if (j == e || (IsOp(j, ",") && line_[j].depth == depth)) {
        if (j > start && fn(start, j)) return true;
        start = j + 1;
      }
    }
    return false;
  }

  // The expression of an except clause names ImportError (ast: a Name, or a
  // Tuple/List/Set with a Name element).
  bool HandlerCatchesImportError(size_t b, size_t e) {
    // Up to `as` at the header depth.
    for (size_t j = b; j < e; ++j) {
      if (line_[j].depth == 0 && IsName(j, "as")) {
        e = j;
        break;
      }
    }
    StripParens(&b, &e);
    if (b >= e) return false;
    auto is_ie = [](absl::string_view w) { return IsImportErrorName(w); };
    if (IsNameExpr(b, e, is_ie)) return true;
    int d = line_[b].depth;
    bool top_comma = false;
    for (size_t j = b; j < e; ++j) top_comma |= IsOp(j, ",") && line_[j].depth == d;
    if (top_comma) {  // `except A, B:` (3.14) or the inside of a stripped tuple
      return AnyElement(b, e, d, [&](size_t x, size_t y) { return IsNameExpr(x, y, is_ie); });
    }
    if ((IsOp(b, "(") || IsOp(b, "[") || IsOp(b, "{")) && MatchingClose(b, e) == e - 1) {
      return AnyElement(b + 1, e - 1, d + 1,
                        [&](size_t x, size_t y) { return IsNameExpr(x, y, is_ie); });
    }
    return false;
  }

  // A with-item `suppress(..., ImportError, ...)` or `contextlib.suppress(...)`.
  bool IsSuppressItem(size_t b, size_t e) {
    for (size_t j = b; j < e; ++j) {
      if (line_[j].depth == line_[b].depth && IsName(j, "as")) {
        e = j;
        break;
      }
    }
    StripParens(&b, &e);
    size_t call = b;
    if (IsName(b, "suppress")) {
      call = b + 1;
    } else if (IsName(b, "contextlib") && IsOp(b + 1, ".") && IsName(b + 2, "suppress")) {
      call = b + 3;
    } else {
      return false;
    }
    if (!IsOp(call, "(") || MatchingClose(call, e) != e - 1) return false;
    auto is_ie = [](absl::string_view w) { return IsImportErrorName(w); };
    return AnyElement(call + 1, e - 1, line_[call].depth + 1,
                      [&](size_t x, size_t y) { return IsNameExpr(x, y, is_ie); });
  }

  bool WithHeaderSuppressesImportError(size_t b, size_t e) {
    if (b >= e) return false;
    int d = line_[b].depth;
    if (IsOp(b, "(") && MatchingClose(b, e) == e - 1) {
      // `with (a, b):` (3.9+ parenthesised items) or a parenthesised single item.
      if (AnyElement(b + 1, e - 1, d + 1, [&](size_t x, size_t y) { return IsSuppressItem(x, y); })) {
        return true;
      }
    }
    return AnyElement(b, e, d, [&](size_t x, size_t y) { return IsSuppressItem(x, y); });
  }

  size_t HeaderColon(size_t from) const {
    for (size_t j = from; j < line_.size(); ++j) {
      if (line_[j].depth == 0 && IsOp(j, ":")) return j;
    }
    return line_.size();
  }

  void ProcessLine() {
    const Token& first = line_[0];
    size_t w_index = IsName(0, "async") ? 1 : 0;
    absl::string_view w = IsName(w_index) ? Text(line_[w_index]) : absl::string_view();
    match_built_ = false;
    UpdateFrames(first.indent, Text(first));
    line_first_occurrence_ = occurrences_.size();

    if (w == "try" && IsOp(w_index + 1, ":")) {
      Frame f;
      f.kind = Frame::kTry;
      f.indent = first.indent;
      f.begin = occurrences_.size();
      PushFrame(f);
    } else if (w == "except" && w_index == 0) {
      size_t b = IsOp(1, "*") ? 2 : 1;
      size_t colon = HeaderColon(b);
      if (!frames_.empty() && frames_.back().kind == Frame::kTry &&
          frames_.back().indent == first.indent && HandlerCatchesImportError(b, colon)) {
        Frame& f = frames_.back();
        for (size_t k = f.begin; k < f.end; ++k) occurrences_[k].record.weak = true;
      }
    } else if (w == "with") {
      size_t colon = HeaderColon(w_index + 1);
      if (colon < line_.size() && WithHeaderSuppressesImportError(w_index + 1, colon)) {
        Frame f;
        f.kind = Frame::kSuppress;
        f.indent = first.indent;
        PushFrame(f);
      }
    }

    ScanStatements();

    // Pragmas.
    if (!pragma_lines_.empty()) {
      int last_line = line_.back().end_line;
      for (size_t k = line_first_occurrence_; k < occurrences_.size(); ++k) {
        Occurrence& o = occurrences_[k];
        for (int p : pragma_lines_) {
          if ((p >= o.pragma_lo && p <= o.pragma_hi) || p == last_line) o.dropped = true;
        }
      }
    }
  }

  bool InSuppress() const { return suppress_frames_ > 0; }

  void PushFrame(const Frame& f) {
    suppress_frames_ += f.kind == Frame::kSuppress;
    frames_.push_back(f);
  }
  void PopFrame() {
    suppress_frames_ -= frames_.back().kind == Frame::kSuppress;
    frames_.pop_back();
  }

  void Add(std::string module, int level, ImportKind kind, int line, int lo, int hi) {
    Occurrence o;
    o.record.module = std::move(module);
    o.record.level = level;
    o.record.kind = kind;
    o.record.line = line;
    o.record.weak = kind == ImportKind::kStringImport || InSuppress();
    o.pragma_lo = lo;
    o.pragma_hi = hi;
    occurrences_.push_back(std::move(o));
  }

  // Index just past the simple statement containing `i` (the next ';' at depth 0, or the end).
  size_t StatementEnd(size_t i) const {
    while (i < line_.size() && !(line_[i].depth == 0 && IsOp(i, ";"))) ++i;
    return i;
  }

  // A dotted name at `*i`; appends to `out`. Returns false (consuming nothing) if absent.
  bool DottedName(size_t* i, std::string* out) {
    size_t j = *i;
    if (!IsName(j) || IsHardKeyword(Text(line_[j]))) return false;
    out->append(Text(line_[j]).data(), Text(line_[j]).size());
    ++j;
    while (IsOp(j, ".") && IsName(j + 1) && !IsHardKeyword(Text(line_[j + 1]))) {
      out->push_back('.');
      absl::string_view part = Text(line_[j + 1]);
      out->append(part.data(), part.size());
      j += 2;
    }
    *i = j;
    return true;
  }

  // `as NAME` at `*i`, if present; updates *end_line to the alias line.
  bool OptionalAlias(size_t* i, int* end_line) {
    if (!IsName(*i, "as")) return true;
    if (!IsName(*i + 1) || IsHardKeyword(Text(line_[*i + 1]))) return false;
    *end_line = line_[*i + 1].end_line;
    *i += 2;
    return true;
  }

  size_t SyntaxError(size_t i, absl::string_view what) {
    int line = i < line_.size() ? line_[i].line : line_.back().end_line;
    Diagnose(line, absl::StrCat("invalid syntax in ", what, " statement"));
    return StatementEnd(i);
  }

  // `import a.b as c, d` starting after `import`.
  size_t ParseImport(size_t i) {
    size_t end = StatementEnd(i);
    while (true) {
      std::string name;
      size_t start = i;
      if (!DottedName(&i, &name)) return SyntaxError(i, "import");
      int end_line = line_[i - 1].end_line;
      if (!OptionalAlias(&i, &end_line)) return SyntaxError(i, "import");
      if (i != end && !IsOp(i, ",")) return SyntaxError(i, "import");
      Add(std::move(name), 0, ImportKind::kImport, line_[start].line, end_line, end_line);
      if (i == end) return end;
      ++i;  // ','
    }
  }

  // `from ..m import x as y, z` / `(...)` / `*`, starting after `from`.
  size_t ParseFrom(size_t i) {
    size_t end = StatementEnd(i);
    int level = 0;
    while (IsOp(i, ".") || IsOp(i, "...")) {
      level += static_cast<int>(Text(line_[i]).size());
      ++i;
    }
    std::string module;
    if (!DottedName(&i, &module) && level == 0) return SyntaxError(i, "from-import");
    if (!IsName(i, "import")) return SyntaxError(i, "from-import");
    ++i;
    bool future = level == 0 && module == "__future__";
    if (IsOp(i, "*")) {
      if (i + 1 != end) return SyntaxError(i + 1, "from-import");
      if (!future) {
        Add(module, level, ImportKind::kFromImport, line_[i].line, line_[i].end_line,
            line_[i].end_line);
      }
      return end;
    }
    size_t stop = end;
    if (IsOp(i, "(")) {
      size_t close = MatchingClose(i, end);
      if (close == absl::string_view::npos || close + 1 != end) return SyntaxError(i, "from-import");
      stop = close;
      ++i;
    }
    bool any = false;
    while (i < stop) {
      size_t start = i;
      if (!IsName(i) || IsHardKeyword(Text(line_[i]))) return SyntaxError(i, "from-import");
      absl::string_view name = Text(line_[i]);
      ++i;
      int end_line = line_[start].end_line;
      if (!OptionalAlias(&i, &end_line)) return SyntaxError(i, "from-import");
      if (i != stop && !IsOp(i, ",")) return SyntaxError(i, "from-import");
      if (!future) {
        std::string full = module.empty() ? std::string(name) : absl::StrCat(module, ".", name);
        Add(std::move(full), level, ImportKind::kFromImport, line_[start].line, end_line,
            end_line);
      }
      any = true;
      if (i < stop) ++i;  // ','; a trailing comma is allowed only inside parentheses
      if (i == stop && IsOp(i - 1, ",") && stop == end) return SyntaxError(i - 1, "from-import");
    }
    if (!any) return SyntaxError(i, "from-import");
    return end;
  }

  // Adjacent string literals starting at `i`. Sets *value to their concatenated contents and
  // returns the index past the group; *ok is false if the value cannot be a module path
  // (escapes, braces, an unterminated literal).
  size_t StringGroup(size_t i, std::string* value, bool* ok) {
    *ok = true;
    value->clear();
    while (i < line_.size() && line_[i].kind == TokenKind::kString) {
      const Token& t = line_[i];
      absl::string_view content = tok_.StringContent(t);
      if ((t.string_flags & kStringUnterminated) ||
          content.find_first_of("\\{}") != absl::string_view::npos) {
        *ok = false;
      }
      value->append(content.data(), content.size());
      ++i;
    }
    return i;
  }

  bool IgnoredString(absl::string_view s) const {
    if (options_.string_import_ignore.empty()) return false;
    std::string z(s);
    for (const std::string& glob : options_.string_import_ignore) {
      if (fnmatch(glob.c_str(), z.c_str(), 0) == 0) return true;
    }
    return false;
  }

  void AddStringCandidate(const std::string& value, size_t b, size_t e, int min_dots) {
    int dots = DottedIdentifierDots(value);
    if (dots < 0 || dots < min_dots || IgnoredString(value)) return;
    Add(value, 0, ImportKind::kStringImport, line_[b].line, line_[b].line, line_[e - 1].end_line);
  }

  void ScanStatements() {
    bool stmt_start = true;
    std::string value;
    size_t i = 0;
    while (i < line_.size()) {
      const Token& t = line_[i];
      if (t.kind == TokenKind::kName) {
        absl::string_view w = Text(t);
        if (stmt_start && w == "import") {
          i = ParseImport(i + 1);
          stmt_start = false;
          continue;
        }
        if (stmt_start && w == "from") {
          i = ParseFrom(i + 1);
          stmt_start = false;
          continue;
        }
        bool attribute = i > 0 && IsOp(i - 1, ".");
        if (w == "__import__" && !attribute && IsOp(i + 1, "(") &&
            i + 2 < line_.size() && line_[i + 2].kind == TokenKind::kString) {
          bool ok;
          size_t j = StringGroup(i + 2, &value, &ok);
          size_t close = IsOp(j, ",") ? j + 1 : j;
          if (IsOp(close, ")")) {
            if (ok && !value.empty()) {
              Add(value, 0, ImportKind::kDunderImport, line_[i + 2].line, t.line,
                  line_[close].end_line);
            }
            i = close + 1;
            stmt_start = false;
            continue;
          }
        }
        if (options_.string_imports && w == "import_module" &&
            (!attribute || (i >= 2 && IsName(i - 2, "importlib") && !(i >= 3 && IsOp(i - 3, ".")))) &&
            IsOp(i + 1, "(") && i + 2 < line_.size() &&
            line_[i + 2].kind == TokenKind::kString) {
          bool ok;
          size_t j = StringGroup(i + 2, &value, &ok);
          if (ok && (IsOp(j, ",") || IsOp(j, ")"))) AddStringCandidate(value, i + 2, j, 0);
        }
      } else if (t.kind == TokenKind::kString) {
        bool ok;
        size_t j = StringGroup(i, &value, &ok);
        if (options_.string_imports && ok) {
          AddStringCandidate(value, i, j, options_.string_imports_min_dots);
        }
        i = j;
        stmt_start = false;
        continue;
      }
      stmt_start = t.kind == TokenKind::kOp && t.depth == 0 && t.end - t.begin == 1 &&
                   (src_[t.begin] == ';' || src_[t.begin] == ':');
      ++i;
    }
  }

  ImportScan Finish() {
    ImportScan out;
    std::vector<ImportRecord>& recs = out.imports;
    for (Occurrence& o : occurrences_) {
      if (!o.dropped) recs.push_back(std::move(o.record));
    }
    auto rank = [](const ImportRecord& r) {
      return std::make_tuple(r.weak, r.kind == ImportKind::kStringImport, r.line, r.kind);
    };
    std::sort(recs.begin(), recs.end(), [&](const ImportRecord& a, const ImportRecord& b) {
      if (a.level != b.level) return a.level < b.level;
      if (a.module != b.module) return a.module < b.module;
      return rank(a) < rank(b);
    });
    recs.erase(std::unique(recs.begin(), recs.end(),
                           [](const ImportRecord& a, const ImportRecord& b) {
                             return a.level == b.level && a.module == b.module;
                           }),
               recs.end());
    out.infer_deps = std::move(infer_deps_);
    out.diagnostics = std::move(diagnostics_);
    for (const TokenDiagnostic& d : tok_.diagnostics()) {
      out.diagnostics.push_back({d.line, d.message});
    }
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(),
                     [](const ScanDiagnostic& a, const ScanDiagnostic& b) { return a.line < b.line; });
    return out;
  }

  absl::string_view src_;
  Tokenizer tok_;
  const ImportScanOptions& options_;
  std::vector<Token> line_;  // the current logical line, without comments (reused)
  std::vector<int> pragma_lines_;  // no-infer-dep comment lines seen since the last line
  std::vector<Occurrence> occurrences_;
  size_t line_first_occurrence_ = 0;
  std::vector<Frame> frames_;
  int suppress_frames_ = 0;  // kSuppress frames in frames_
  std::vector<size_t> match_;  // per line: index of the matching closer, or npos
  std::vector<size_t> stack_;
  bool match_built_ = false;
  std::vector<InferDepPragma> infer_deps_;
  std::vector<ScanDiagnostic> diagnostics_;
};

}  // namespace

absl::string_view ImportKindName(ImportKind kind) {
  switch (kind) {
    case ImportKind::kImport: return "import";
    case ImportKind::kFromImport: return "from_import";
    case ImportKind::kDunderImport: return "dunder_import";
    case ImportKind::kStringImport: return "string_import";
  }
  return "unknown";
}

std::string ImportRecord::Key() const { return absl::StrCat(std::string(level, '.'), module); }

ImportScan ScanImports(absl::string_view source, const ImportScanOptions& options) {
  return Scanner(source, options).Run();
}

std::optional<std::string> ResolveRelativeImport(const ImportRecord& record,
                                                 absl::string_view file_path) {
  if (record.level == 0) return record.module;
  std::vector<absl::string_view> parts = absl::StrSplit(file_path, '/', absl::SkipEmpty());
  if (!parts.empty()) parts.pop_back();  // the file name
  if (static_cast<size_t>(record.level) > parts.size()) return std::nullopt;
  parts.resize(parts.size() - record.level + 1);
  std::string out = absl::StrJoin(parts, ".");
  if (!record.module.empty()) absl::StrAppend(&out, ".", record.module);
  return out;
}

}  // namespace braid::python

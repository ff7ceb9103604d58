#include "rules/pants_backends/dockerfile.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"

namespace braid::pants_backends {
namespace {

// This RE2 takes its own string piece, not absl::string_view.
re2::StringPiece Piece(absl::string_view s) { return re2::StringPiece(s.data(), s.size()); }

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

absl::string_view TrimBlank(absl::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// A leading parser directive `# escape=X` (BuildKit reads directives only
// before the first instruction, comment or blank line).
char EscapeChar(const std::vector<absl::string_view>& lines) {
  static const LazyRE2 kDirective = {R"(#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(\S*)\s*)"};
  for (absl::string_view line : lines) {
    std::string key, value;
    if (!RE2::FullMatch(Piece(TrimBlank(line)), *kDirective, &key, &value)) break;
    if (absl::AsciiStrToLower(key) == "escape" && (value == "`" || value == "\\")) {
      return value[0];
    }
  }
  return '\\';
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// `s` as a JSON array of strings, or nullopt (anything else: not JSON form).
std::optional<std::vector<std::string>> ParseJsonStrings(absl::string_view s) {
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  skip_ws();
  if (i >= s.size() || s[i] != '[') return std::nullopt;
  ++i;
  std::vector<std::string> out;
  skip_ws();
  if (i < s.size() && s[i] == ']') {
    ++i;
    skip_ws();
    return i == s.size() ? std::optional(out) : std::nullopt;
  }
  while (true) {
    skip_ws();
    if (i >= s.size() || s[i] != '"') return std::nullopt;
    ++i;
    std::string item;
    while (true) {
      if (i >= s.size()) return std::nullopt;
      char c = s[i++];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        item.push_back(c);
        continue;
      }
      if (i >= s.size()) return std::nullopt;
      char e = s[i++];
      switch (e) {
        case '"': case '\\': case '/': item.push_back(e); break;
        case 'b': item.push_back('\b'); break;
        case 'f': item.push_back('\f'); break;
        case 'n': item.push_back('\n'); break;
        case 'r': item.push_back('\r'); break;
        case 't': item.push_back('\t'); break;
        case 'u': {
          if (i + 4 > s.size()) return std::nullopt;
          uint32_t cp = 0;
          for (int k = 0; k < 4; ++k) {
            char h = s[i++];
            int v = absl::ascii_isdigit(h) ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (v < 0) return std::nullopt;
            cp = cp * 16 + static_cast<uint32_t>(v);
          }
          AppendUtf8(cp, item);  // surrogate pairs are kept as two code points
          break;
        }
        default:
          return std::nullopt;
      }
    }
    out.push_back(std::move(item));
    skip_ws();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i < s.size() && s[i] == ']') {
      ++i;
      skip_ws();
      return i == s.size() ? std::optional(out) : std::nullopt;
    }
    return std::nullopt;
  }
}

std::vector<std::string> Words(absl::string_view s) {
  std::vector<std::string> out;
  for (absl::string_view w : absl::StrSplit(s, absl::ByAnyChar(" \t\r\n\f\v"), absl::SkipEmpty())) {
    out.emplace_back(w);
  }
  return out;
}

DockerInstruction MakeInstruction(absl::string_view logical, int line) {
  DockerInstruction ins;
  ins.line = line;
  logical = TrimBlank(logical);
  size_t end = 0;
  while (end < logical.size() && !IsBlank(logical[end]) && logical[end] != '\n') ++end;
  ins.command = absl::AsciiStrToUpper(logical.substr(0, end));
  absl::string_view rest = TrimBlank(logical.substr(end));
  ins.text = std::string(rest);
  while (absl::StartsWith(rest, "--")) {
    size_t stop = 0;
    while (stop < rest.size() && !IsBlank(rest[stop]) && rest[stop] != '\n') ++stop;
    ins.flags.emplace_back(rest.substr(0, stop));
    rest = TrimBlank(rest.substr(stop));
  }
  if (std::optional<std::vector<std::string>> json = ParseJsonStrings(rest)) {
    ins.args = *std::move(json);
  } else {
    ins.args = Words(rest);
  }
  return ins;
}

}  // namespace

std::vector<DockerInstruction> ParseDockerfile(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  const char escape = EscapeChar(lines);
  std::vector<DockerInstruction> out;
  std::string logical;
  int first_line = 0;  // 0: no instruction open
  for (size_t n = 0; n < lines.size(); ++n) {
    absl::string_view line = absl::StripSuffix(lines[n], "\r");
    absl::string_view trimmed = TrimBlank(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;  // comment or blank
    if (first_line == 0) first_line = static_cast<int>(n) + 1;
    absl::string_view body = line;
    while (!body.empty() && IsBlank(body.back())) body.remove_suffix(1);
    if (!body.empty() && body.back() == escape) {
      body.remove_suffix(1);
      logical.append(body.data(), body.size());
      continue;  // continued on the next line
    }
    logical.append(body.data(), body.size());
    out.push_back(MakeInstruction(logical, first_line));
    logical.clear();
    first_line = 0;
  }
  if (first_line != 0) out.push_back(MakeInstruction(logical, first_line));  // ends in `\`
  return out;
}

bool IsAddressLike(absl::string_view value) {
  static const LazyRE2 kAddress = {
      "(?://)?"                             // optionally root:ed
      "[^:# ]*"                             // optional path
      "(?::[^:#!@?/= ]+)?"                  // optional target name
      "(?:#[^:#!@?= ]+)?"                   // optional generated name
      "(?:@[^=: ]+=[^,: ]*(?:,[^=: ]+=[^,: ]*)*)?"};  // optional parameters
  // Python's `$` also matches before a final newline.
  return RE2::FullMatch(Piece(absl::StripSuffix(value, "\n")), *kAddress);
}

std::optional<std::string> BuildArgReference(absl::string_view value) {
  static const LazyRE2 kRef = {R"(\$\{?([a-zA-Z0-9_]+)\}?)"};
  std::string name;
  if (!RE2::FullMatch(Piece(absl::StripSuffix(value, "\n")), *kRef, &name)) return std::nullopt;
  return name;
}

DockerfileInfo AnalyzeDockerfile(absl::Span<const DockerInstruction> instructions) {
  DockerfileInfo info;
  for (const DockerInstruction& ins : instructions) {
    if (ins.command == "ARG") info.build_args.push_back({ins.text, ins.line});
    if (ins.command != "COPY" || ins.args.empty()) continue;
    bool from_stage = false;
    for (const std::string& flag : ins.flags) from_stage |= absl::StrContains(flag, "--from");
    if (from_stage) continue;
    for (size_t i = 0; i + 1 < ins.args.size(); ++i) {
      info.copy_source_paths.push_back({ins.args[i], ins.line});
    }
  }
  // The ARGs whose default may be an address, quotes stripped; a later ARG of
  // the same name wins (Pants reads them into one dict, positions ignored).
  std::map<std::string, std::string, std::less<>> addressed;
  for (const DockerfileRef& arg : info.build_args) {
    size_t eq = arg.value.find('=');
    if (eq == std::string::npos) continue;
    absl::string_view value = absl::string_view(arg.value).substr(eq + 1);
    if (!IsAddressLike(value)) continue;
    auto quote = [](char c) { return c == '"' || c == '\''; };
    while (!value.empty() && quote(value.front())) value.remove_prefix(1);
    while (!value.empty() && quote(value.back())) value.remove_suffix(1);
    addressed[arg.value.substr(0, eq)] = std::string(value);
  }
  for (const DockerInstruction& ins : instructions) {
    if (ins.command != "FROM" || ins.args.empty()) continue;
    std::optional<std::string> name = BuildArgReference(ins.args[0]);
    if (!name) continue;
    auto it = addressed.find(*name);
    if (it != addressed.end()) info.from_image_build_args.push_back({*name, it->second, ins.line});
  }
  for (const DockerfileRef& src : info.copy_source_paths) {
    std::optional<std::string> name = BuildArgReference(src.value);
    if (!name) continue;
    auto it = addressed.find(*name);
    if (it != addressed.end()) info.copy_build_args.push_back({*name, it->second, src.line});
  }
  return info;
}

}  // namespace braid::pants_backends

#include "rules/python/infer/asset_strings.h"

#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "rules/python/tokenizer.h"

namespace braid::python {
namespace {

bool LooksLikePath(absl::string_view s, int min_slashes) {
  if (s.empty() || s.front() == '/') return false;
  int slashes = 0;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-' || c == '/';
    if (!ok) return false;
    if (c == '/') ++slashes;
  }
  if (slashes < min_slashes) return false;
  for (absl::string_view part : absl::StrSplit(s, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
  }
  absl::string_view base = s.substr(s.rfind('/') + 1);
  size_t dot = base.rfind('.');
  return dot != absl::string_view::npos && dot > 0 && dot + 1 < base.size();
}

}  // namespace

std::vector<AssetString> FindAssetStrings(absl::string_view source, int min_slashes) {
  std::vector<AssetString> out;
  std::set<std::string> seen;
  Tokenizer tok(source);
  for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
    if (t.kind != TokenKind::kString) continue;
    if (t.string_flags & (kStringBytes | kStringFormat | kStringUnterminated)) continue;
    absl::string_view content = tok.StringContent(t);
    if (content.find('\\') != absl::string_view::npos) continue;
    if (!LooksLikePath(content, min_slashes)) continue;
    if (seen.insert(std::string(content)).second) {
      out.push_back(AssetString{std::string(content), t.line});
    }
  }
  return out;
}

}  // namespace braid::python

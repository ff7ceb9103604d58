#include "core/options/shell_words.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::options {

absl::StatusOr<std::vector<std::string>> SplitShellWords(absl::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == text.size()) return absl::InvalidArgumentError("No escaped character");
      word.push_back(text[i]);
    } else if (c == '\'') {
      size_t end = text.find('\'', i + 1);
      if (end == absl::string_view::npos) return absl::InvalidArgumentError("No closing quotation");
      absl::StrAppend(&word, text.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i == text.size()) return absl::InvalidArgumentError("No closing quotation");
        if (text[i] == '"') break;
        if (text[i] == '\\' && i + 1 < text.size() &&
            (text[i + 1] == '\\' || text[i + 1] == '"')) {
          ++i;
        }
        word.push_back(text[i]);
      }
    } else {
      word.push_back(c);
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

absl::StatusOr<std::vector<std::string>> GetShellStrList(const Options& options,
                                                         absl::string_view scope,
                                                         absl::string_view name) {
  std::vector<std::string> out;
  for (const std::string& element : options.GetStringList(scope, name)) {
    absl::StatusOr<std::vector<std::string>> words = SplitShellWords(element);
    if (!words.ok()) {
      return UserError(Location{}, absl::StrCat("invalid value for [", scope, "] ", name,
                                                " (from ", options.SourceOf(scope, name).ToString(),
                                                "): ", words.status().message(), " in: ", element));
    }
    out.insert(out.end(), words->begin(), words->end());
  }
  return out;
}

}  // namespace braid::options

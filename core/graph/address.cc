#include "core/graph/address.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/fs/file_index.h"
#include "core/fs/path.h"

namespace braid {
namespace {

// The banned characters of `text`, in order of occurrence, joined by ','
// (as Pants reports them); "" when none.
std::string BannedIn(absl::string_view text, absl::string_view banned) {
  std::vector<std::string> found;
  for (char c : text) {
    if (banned.find(c) != absl::string_view::npos) found.emplace_back(1, c);
  }
  return absl::StrJoin(found, ",");
}

absl::Status CheckParameters(const AddressParameters& params, absl::string_view original) {
  for (const auto& [k, v] : params) {
    std::string banned = BannedIn(absl::StrCat(k, v), kBannedCharsInParameters);
    if (!banned.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid address '", original,
                       "': it has illegal characters in parameter entries: '", banned,
                       "' in '", k, "=", v, "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- Address

Address::Address(std::string spec_path, std::string target_name, AddressParameters parameters)
    : spec_path_(std::move(spec_path)), parameters_(std::move(parameters)) {
  if (!spec_path_.empty() && target_name == fs::Basename(spec_path_)) target_name.clear();
  target_name_ = std::move(target_name);
}

absl::StatusOr<Address> Address::Create(std::string spec_path, std::string target_name,
                                        AddressParameters parameters,
                                        std::string generated_name,
                                        std::string relative_file_path) {
  if (!generated_name.empty() && !relative_file_path.empty()) {
    return absl::InternalError(absl::StrCat("an address cannot have both a generated name (",
                                            generated_name, ") and a file (",
                                            relative_file_path, ")"));
  }
  // A copy: spec_path is moved into the Address below.
  const std::string shown_dir = spec_path.empty() ? "//" : spec_path;
  if (!generated_name.empty()) {
    std::string banned = BannedIn(generated_name, kBannedCharsInGeneratedName);
    if (!banned.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the generated name '", generated_name, "' (defined in directory ", shown_dir,
          ", the part after '#') contains banned characters ('", banned,
          "'); replace them with another separator such as '_', '-' or '/'"));
    }
  }
  Address a(std::move(spec_path), std::move(target_name), std::move(parameters));
  if (!a.target_name_.empty()) {
    std::string banned = BannedIn(a.target_name_, kBannedCharsInTargetName);
    if (!banned.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the target name '", a.target_name_, "' (defined in directory ", shown_dir,
          ") contains banned characters ('", banned,
          "'); replace them with another separator such as '_' or '-'"));
    }
  }
  if (absl::Status s = CheckParameters(a.parameters_, a.Spec()); !s.ok()) return s;
  a.generated_name_ = std::move(generated_name);
  a.relative_file_path_ = std::move(relative_file_path);
  if (absl::StartsWith(fs::Basename(a.spec_path_), "BUILD")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the address ", a.Spec(), " has ", fs::Basename(a.spec_path_),
        " as the last part of its path, but BUILD is a reserved name; make sure that no "
        "directory is named BUILD"));
  }
  return a;
}

Address Address::WithGeneratedName(std::string name) const {
  Address a = *this;
  a.generated_name_ = std::move(name);
  a.relative_file_path_.clear();
  return a;
}

Address Address::WithRelativeFilePath(std::string relative_file_path) const {
  Address a = *this;
  a.relative_file_path_ = std::move(relative_file_path);
  a.generated_name_.clear();
  return a;
}

Address Address::WithParameters(const AddressParameters& parameters) const {
  Address a = *this;
  for (const auto& [k, v] : parameters) a.parameters_[k] = v;
  return a;
}

Address Address::GeneratorAddress() const {
  Address a;
  a.spec_path_ = spec_path_;
  a.target_name_ = target_name_;
  return a;
}

absl::string_view Address::target_name() const {
  if (!target_name_.empty()) return target_name_;
  return fs::Basename(spec_path_);
}

std::string Address::ParametersRepr() const {
  if (parameters_.empty()) return "";
  std::vector<std::string> parts;
  for (const auto& [k, v] : parameters_) parts.push_back(absl::StrCat(k, "=", v));
  return absl::StrCat("@", absl::StrJoin(parts, ","));
}

std::string Address::Spec() const {
  // Built in one string: every target's address is printed by `list`.
  std::string out;
  out.reserve(spec_path_.size() + relative_file_path_.size() + target_name_.size() +
              generated_name_.size() + 16);
  if (spec_path_.empty()) out += "//";
  if (is_file_target()) {
    out += spec_path_;  // then "/" and the file, as fs::JoinPath does
    if (!spec_path_.empty() && spec_path_.back() != '/') out += '/';
    out += relative_file_path_;
    // A file in a sub-directory names its generator relative to the file:
    // "sub/f.py:../lib".
    size_t depth = static_cast<size_t>(
        std::count(relative_file_path_.begin(), relative_file_path_.end(), '/'));
    if (!target_name_.empty() || depth > 0) {
      out += ':';
      for (size_t i = 0; i < depth; ++i) out += "../";
      absl::string_view name = target_name();
      out.append(name.data(), name.size());
    }
  } else {
    out += spec_path_;
    if (!target_name_.empty() || (generated_name_.empty() && parameters_.empty())) {
      absl::string_view name = target_name();
      if (!name.empty()) {
        out += ':';
        out.append(name.data(), name.size());
      }
    }
  }
  if (!generated_name_.empty()) {
    out += '#';
    out += generated_name_;
  }
  out += ParametersRepr();
  return out;
}

std::string Address::Filename() const {
  if (!is_file_target()) return "";
  return fs::JoinPath(spec_path_, relative_file_path_);
}

bool Address::IsParametrizedSubsetOf(const Address& other) const {
  if (spec_path_ != other.spec_path_ || target_name_ != other.target_name_ ||
      generated_name_ != other.generated_name_ ||
      relative_file_path_ != other.relative_file_path_) {
    return false;
  }
  for (const auto& [k, v] : parameters_) {
    auto it = other.parameters_.find(k);
    if (it == other.parameters_.end() || it->second != v) return false;
  }
  return true;
}

bool operator<(const Address& a, const Address& b) {
  if (int c = fs::ComparePaths(a.spec_path_, b.spec_path_); c != 0) return c < 0;
  if (int c = fs::ComparePaths(a.relative_file_path_, b.relative_file_path_); c != 0) {
    return c < 0;
  }
  if (a.target_name_ != b.target_name_) return a.target_name_ < b.target_name_;
  if (a.parameters_ != b.parameters_) return a.parameters_ < b.parameters_;
  return a.generated_name_ < b.generated_name_;
}

// ---------------------------------------------------------------- parsing

namespace {

// Length of a `key=value` parameter starting at text[i] (key: [^=:]+, value:
// [^,:]*), or 0 if there is none. Greedy like Pants' PEG grammar.
size_t ParameterAt(absl::string_view text, size_t i, std::string* key, std::string* value) {
  size_t k = i;
  while (k < text.size() && text[k] != '=' && text[k] != ':') ++k;
  if (k == i || k >= text.size() || text[k] != '=') return 0;
  size_t v = k + 1;
  while (v < text.size() && text[v] != ',' && text[v] != ':') ++v;
  if (key != nullptr) *key = std::string(text.substr(i, k - i));
  if (value != nullptr) *value = std::string(text.substr(k + 1, v - k - 1));
  return v - i;
}

absl::Status SyntaxError(absl::string_view text, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("failed to parse address '", text, "': ", what));
}

}  // namespace

absl::StatusOr<AddressSyntax> ParseAddressSyntax(absl::string_view text) {
  AddressSyntax out;
  size_t i = 0;
  // path: anything but ':', '#', and '@' that starts parameters.
  while (i < text.size()) {
    char c = text[i];
    if (c == ':' || c == '#') break;
    if (c == '@' && ParameterAt(text, i + 1, nullptr, nullptr) > 0) break;
    ++i;
  }
  out.path = std::string(text.substr(0, i));
  // target: ':' followed by a character (otherwise it is a wildcard).
  if (i + 1 < text.size() && text[i] == ':' && text[i + 1] != ':') {
    size_t j = i + 1;
    while (j < text.size() && text[j] != '#' && text[j] != '@' && text[j] != ':') ++j;
    if (j == i + 1) return SyntaxError(text, "expected a non-empty target name after ':'");
    out.target = std::string(text.substr(i + 1, j - i - 1));
    i = j;
  }
  if (i < text.size() && text[i] == '#') {
    size_t j = i + 1;
    while (j < text.size() && text[j] != '@' && text[j] != ':') ++j;
    if (j == i + 1) {
      return SyntaxError(text, "expected a non-empty generated target name after '#'");
    }
    out.generated = std::string(text.substr(i + 1, j - i - 1));
    i = j;
  }
  if (i < text.size() && text[i] == '@') {
    ++i;
    while (true) {
      std::string key, value;
      size_t n = ParameterAt(text, i, &key, &value);
      if (n == 0) return SyntaxError(text, "expected one or more key=value pairs after '@'");
      out.parameters[key] = value;
      i += n;
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
  }
  absl::string_view rest = text.substr(i);
  if (rest == ":" || rest == "::") {
    out.wildcard = std::string(rest);
  } else if (!rest.empty()) {
    return SyntaxError(text, absl::StrCat("unexpected '", rest, "'"));
  }
  return out;
}

absl::StatusOr<AddressInput> ParseAddressInput(absl::string_view text,
                                               absl::string_view relative_to) {
  if (text.empty()) return absl::InvalidArgumentError("an address must not be empty");
  absl::StatusOr<AddressSyntax> syntax = ParseAddressSyntax(text);
  if (!syntax.ok()) return syntax.status();
  if (!syntax->wildcard.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("the address '", text,
                                                   "' ended in a wildcard ('", syntax->wildcard,
                                                   "'), which is not supported here"));
  }
  std::string path = syntax->path;
  if (absl::StartsWith(path, "./")) {
    // Relative to the BUILD file's directory. (Pants builds "<dir>/x", which
    // breaks in the root BUILD file; braid reads "./x" there as "x".)
    path = fs::JoinPath(relative_to, absl::string_view(path).substr(2));
  } else if (path.empty()) {
    path = std::string(relative_to);
  }
  if (absl::StartsWith(path, "//")) {
    path = path.substr(2);
  } else if (fs::IsAbsolutePath(path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid address '", text, "': cannot use absolute paths"));
  }
  if (!path.empty()) {
    for (absl::string_view part : absl::StrSplit(path, '/')) {
      if (part.empty() || part == "." || part == "..") {
        return absl::InvalidArgumentError(absl::StrCat(
            "invalid address '", text, "': it has an un-normalized path part: '", part, "'"));
      }
    }
  }
  if (!syntax->target.has_value() && path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "address '", text,
        "' has no name part, but it's necessary because the path is the build root"));
  }
  if (absl::Status s = CheckParameters(syntax->parameters, text); !s.ok()) return s;
  AddressInput in;
  in.original = std::string(text);
  in.path_component = std::move(path);
  in.target_component = std::move(syntax->target);
  in.generated_component = std::move(syntax->generated);
  in.parameters = std::move(syntax->parameters);
  return in;
}

absl::StatusOr<Address> AddressInput::DirToAddress() const {
  return Address::Create(path_component, target_component.value_or(""), parameters,
                         generated_component.value_or(""), "");
}

absl::StatusOr<Address> AddressInput::FileToAddress() const {
  absl::string_view dir = fs::Dirname(path_component);
  absl::string_view file = fs::Basename(path_component);
  if (!target_component.has_value()) {
    if (dir.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "addresses for generated first-party targets in the build root must include which "
          "target generator they come from, such as '",
          path_component, ":original_target'; however, '", original,
          "' did not have a target name"));
    }
    return Address::Create(std::string(dir), "", parameters, "", std::string(file));
  }
  // The target may live in a parent directory of the file: "sub/f.py:../lib".
  std::vector<absl::string_view> target_parts = absl::StrSplit(*target_component, '/');
  size_t parent_count = target_parts.size() - 1;
  if (parent_count == 0) {
    return Address::Create(std::string(dir), *target_component, parameters, "",
                           std::string(file));
  }
  for (size_t i = 0; i < parent_count; ++i) {
    if (target_parts[i] != "..") {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid address '", original,
          "': the target name part must refer to a target defined in the same directory or a "
          "parent directory of the file path '",
          path_component, "', but the value '", *target_component, "' is a subdirectory"));
    }
  }
  std::vector<absl::string_view> path_parts = absl::StrSplit(path_component, '/');
  if (path_parts.size() <= parent_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid address '", original, "': the target name part '", *target_component,
        "' has too many '../', so it refers to a directory above the file path '",
        path_component, "'; expected no more than ", path_parts.size() - 1,
        " instances of '../', but found ", parent_count));
  }
  size_t offset = path_parts.size() - (parent_count + 1);
  std::vector<absl::string_view> spec(path_parts.begin(), path_parts.begin() + offset);
  std::vector<absl::string_view> rel(path_parts.begin() + offset, path_parts.end());
  return Address::Create(absl::StrJoin(spec, "/"), std::string(target_parts.back()), parameters,
                         "", absl::StrJoin(rel, "/"));
}

absl::StatusOr<Address> ResolveAddressInput(const AddressInput& input,
                                            const fs::FileIndex& index) {
  if (input.path_component.empty() || index.HasDir(input.path_component)) {
    return input.DirToAddress();
  }
  if (index.HasFile(input.path_component)) return input.FileToAddress();
  std::string spec = input.path_component;
  if (input.target_component.has_value()) absl::StrAppend(&spec, ":", *input.target_component);
  return absl::InvalidArgumentError(absl::StrCat(
      "the file or directory '", input.path_component,
      "' does not exist on disk in the workspace, so the address '", spec,
      "' cannot be resolved"));
}

absl::StatusOr<Address> ParseAddress(absl::string_view text, absl::string_view relative_to,
                                     const fs::FileIndex& index) {
  absl::StatusOr<AddressInput> in = ParseAddressInput(text, relative_to);
  if (!in.ok()) return in.status();
  return ResolveAddressInput(*in, index);
}

absl::StatusOr<Address> ParseDirAddress(absl::string_view text, absl::string_view relative_to) {
  absl::StatusOr<AddressInput> in = ParseAddressInput(text, relative_to);
  if (!in.ok()) return in.status();
  return in->DirToAddress();
}

}  // namespace braid

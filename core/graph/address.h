// Target addresses, exactly as Pants 2.x spells and orders them.
//
// An address names one target: the directory of its BUILD file (spec_path),
// the target's name, and, for targets made by a generator, either the file
// it owns (relative_file_path) or a generated name. Parametrized targets also
// carry their parameters. Canonical spellings (Address::Spec()):
//
//   src/app:app            spec_path "src/app", explicit default-name target
//   src/app:lib            a named target
//   src/app/f.py           file target of the default-named generator
//   src/app/f.py:lib       file target of generator "lib"
//   src/app/sub/f.py:../lib  a file in a sub-directory of the generator's dir
//   3rdparty:reqs#requests generated target "requests" of "reqs"
//   3rdparty#requests      ... of the default-named generator in "3rdparty"
//   //:root  //f.py:root   at the build root ("//" disambiguates)
//   src/app:tests@interpreter=py39     parametrized; several params: @a=1,b=2
//
// A target_name equal to the basename of spec_path is stored as "" (the
// default name), so `src/app:app` and `src/app` are the same address.
// Ordering follows Pants (Rust derive(Ord) on spec_path, relative_file_path,
// target_name, parameters, generated_name), comparing paths part by part.
//
// Parsing (as written in BUILD `dependencies` and on the command line):
//   path:name  path  //path:name  :name  #gen  :name#gen  path#gen
//   ./f.py  ./sub:name   (relative to the BUILD directory)
//   path/f.py  path/f.py:name  path/sub/f.py:../name   (file addresses)
//   any of the above + @k=v,k2=v2
// A path without "./" is relative to the build root, as in Pants. Whether a
// path names a file or a directory is decided by the workspace (Pants checks
// the disk), hence the FileIndex parameter of ParseAddress.
#ifndef BRAID_CORE_GRAPH_ADDRESS_H_
#define BRAID_CORE_GRAPH_ADDRESS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid {
namespace fs {
class FileIndex;
}  // namespace fs

/// Parameter name -> value, from parametrize(); ordered by name.
using AddressParameters = std::map<std::string, std::string>;

/// Characters Pants bans in target names, generated names and parameters.
inline constexpr absl::string_view kBannedCharsInTargetName = ":#!@?/\\=";
inline constexpr absl::string_view kBannedCharsInGeneratedName = ":#!@?=";
inline constexpr absl::string_view kBannedCharsInParameters = ":#!@?=, ";

/// The address of one target. Immutable value type.
/// Invariants: spec_path is normalised root-relative ("" = build root);
/// explicit_target_name is "" or differs from Basename(spec_path); at most one
/// of relative_file_path / generated_name is non-empty.
class Address {
 public:
  /// The root directory's default target (spells "//:"; not a valid target).
  Address() = default;
  /// A (non-generated) target. `target_name` "" means the default name; a name
  /// equal to the directory's basename is normalised to "". Not validated:
  /// use Create for untrusted input.
  explicit Address(std::string spec_path, std::string target_name = "",
                   AddressParameters parameters = {});

  /// Validating constructor (banned characters, BUILD as the last path part,
  /// both file and generated name set). kInvalidArgument without a location.
  static absl::StatusOr<Address> Create(std::string spec_path, std::string target_name,
                                        AddressParameters parameters = {},
                                        std::string generated_name = "",
                                        std::string relative_file_path = "");

  /// The generated target `name` of this generator (Pants `create_generated`).
  Address WithGeneratedName(std::string name) const;
  /// The file target for `relative_file_path` (relative to spec_path) of this
  /// generator (Pants `create_file`).
  Address WithRelativeFilePath(std::string relative_file_path) const;
  /// This address with `parameters` merged in (new values win).
  Address WithParameters(const AddressParameters& parameters) const;
  /// The generator this target came from: drops the file, generated name and
  /// parameters (Pants `maybe_convert_to_target_generator`).
  Address GeneratorAddress() const;

  const std::string& spec_path() const { return spec_path_; }
  /// The name as written; "" when it is the default.
  const std::string& explicit_target_name() const { return target_name_; }
  /// The effective name: the explicit one, else the basename of spec_path
  /// ("" at the build root).
  absl::string_view target_name() const;
  const std::string& relative_file_path() const { return relative_file_path_; }
  const std::string& generated_name() const { return generated_name_; }
  const AddressParameters& parameters() const { return parameters_; }

  bool is_file_target() const { return !relative_file_path_.empty(); }
  bool is_generated_target() const { return is_file_target() || !generated_name_.empty(); }
  bool is_parametrized() const { return !parameters_.empty(); }
  bool has_default_name() const { return target_name_.empty(); }

  /// The canonical string (see the table at the top of this file).
  std::string Spec() const;
  /// "@k=v,k2=v2", or "" without parameters.
  std::string ParametersRepr() const;
  /// spec_path/relative_file_path for a file target, else "".
  std::string Filename() const;
  /// True when equal ignoring parameters and every parameter of this address
  /// has the same value in `other` (Pants `is_parametrized_subset_of`).
  bool IsParametrizedSubsetOf(const Address& other) const;

  friend bool operator==(const Address& a, const Address& b) {
    return a.spec_path_ == b.spec_path_ && a.relative_file_path_ == b.relative_file_path_ &&
           a.target_name_ == b.target_name_ && a.parameters_ == b.parameters_ &&
           a.generated_name_ == b.generated_name_;
  }
  friend bool operator!=(const Address& a, const Address& b) { return !(a == b); }
  /// Pants' order (see the top of this file).
  friend bool operator<(const Address& a, const Address& b);

  template <typename H>
  friend H AbslHashValue(H h, const Address& a) {
    return H::combine(std::move(h), a.spec_path_, a.relative_file_path_, a.target_name_,
                      a.parameters_, a.generated_name_);
  }

 private:
  std::string spec_path_;
  std::string relative_file_path_;  // "" unless a file target
  std::string target_name_;         // "" = default name
  AddressParameters parameters_;
  std::string generated_name_;      // "" unless a generated (non-file) target
};

/// An address as written, before deciding whether its path is a file or a
/// directory (Pants `AddressInput`).
struct AddressInput {
  std::string original;                         // the text as written
  std::string path_component;                   // root-relative, normalised; "" = root
  std::optional<std::string> target_component;  // after ':' (may contain "../")
  std::optional<std::string> generated_component;  // after '#'
  AddressParameters parameters;                 // after '@'

  /// Reads `path_component` as the BUILD directory.
  absl::StatusOr<Address> DirToAddress() const;
  /// Reads `path_component` as a file owned by a generator in the same or a
  /// parent directory (`f.py:../lib`).
  absl::StatusOr<Address> FileToAddress() const;
};

/// The raw pieces of address/spec syntax (Pants' `address_spec_parse`):
/// path[:target][#generated][@k=v,...][: or ::]. Nothing is normalised yet.
struct AddressSyntax {
  std::string path;
  std::optional<std::string> target;
  std::optional<std::string> generated;
  AddressParameters parameters;
  std::string wildcard;  // "", ":" or "::"
};

/// Splits `text` per the grammar above. Errors (kInvalidArgument): an empty
/// name after ':' / '#', a '@' not followed by key=value pairs, trailing text.
absl::StatusOr<AddressSyntax> ParseAddressSyntax(absl::string_view text);

/// Parses address text. `relative_to` is the directory of the BUILD file the
/// text appears in (used by ":name", "#gen" and "./x"); pass "" on the CLI.
/// Errors (kInvalidArgument, no location; the caller adds the place):
///   empty text, "x:" or "x::" (wildcards are not addresses), ":" with an empty
///   name, empty '#' or '@' parts, absolute paths, ".", ".." or empty path
///   parts, a root address without a name, banned characters.
absl::StatusOr<AddressInput> ParseAddressInput(absl::string_view text,
                                               absl::string_view relative_to);

/// ParseAddressInput, then resolves the path against `index`: a file gives a
/// file address, a directory a directory address; neither is an error
/// ("the file or directory 'x' does not exist on disk in the workspace, so the
/// address 'x:y' cannot be resolved"). The root directory always exists.
absl::StatusOr<Address> ParseAddress(absl::string_view text, absl::string_view relative_to,
                                     const fs::FileIndex& index);

/// Resolves a parsed input against the workspace (file vs directory), as
/// ParseAddress does.
absl::StatusOr<Address> ResolveAddressInput(const AddressInput& input,
                                            const fs::FileIndex& index);

/// ParseAddressInput + DirToAddress: for callers that know the path is a
/// directory (e.g. tests, generated addresses).
absl::StatusOr<Address> ParseDirAddress(absl::string_view text,
                                        absl::string_view relative_to = "");

}  // namespace braid

#endif  // BRAID_CORE_GRAPH_ADDRESS_H_

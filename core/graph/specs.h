// Command-line specs: which targets/files a goal runs on (Pants 2.x syntax).
//
//   ::               every target (RecursiveGlob of the root)
//   dir::            targets defined or generated in dir and below (kRecursiveGlob)
//   dir:             targets defined or generated in dir (kDirGlob)
//   dir              targets resident in dir except target generators, i.e. the
//                    generated/atom targets living there (kDirLiteral; Pants 2.x
//                    no longer reads it as dir:dir for most goals)
//   dir:name  dir#gen  dir/f.py:name  dir:name@k=v   (kAddressLiteral)
//   src/app/f.py     targets owning that file (kFileLiteral; any path whose last
//                    part has an extension, or an existing extension-less file)
//   'src/**/*.py'    targets owning any matching file (kFileGlob; contains '*')
//   -spec            an ignore: removes what `spec` matches from the result
//
// Paths may be written "//src", "./src", "src/" or absolute inside the build
// root; all normalise to "src". ParseSpec decides the kind only; matching
// targets is the graph's job, helped by the pure functions below.
//
// `--spec-files`: one spec per line; surrounding whitespace is stripped and
// blank lines are skipped (Pants has no comment syntax there).
#ifndef BRAID_CORE_GRAPH_SPECS_H_
#define BRAID_CORE_GRAPH_SPECS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/fs/glob.h"
#include "core/graph/address.h"

namespace braid {
namespace fs {
class FileIndex;
}  // namespace fs

enum class SpecKind {
  kAddressLiteral,  // dir:name, dir#gen, f.py:name, ...@k=v
  kFileLiteral,     // src/app/f.py
  kFileGlob,        // src/**/*.py
  kDirLiteral,      // src/app
  kDirGlob,         // src/app:
  kRecursiveGlob,   // src/app::   (and "::")
};

/// One parsed spec.
struct Spec {
  SpecKind kind = SpecKind::kDirLiteral;
  bool ignore = false;  // written with a leading '-'
  /// kDirLiteral/kDirGlob/kRecursiveGlob: the normalised directory ("" = root).
  /// kFileLiteral: the normalised file path. kFileGlob: the glob as written
  /// (after '-'). kAddressLiteral: the normalised path component.
  std::string path;
  std::optional<std::string> target_component;     // kAddressLiteral only
  std::optional<std::string> generated_component;  // kAddressLiteral only
  AddressParameters parameters;                    // kAddressLiteral only

  /// Pants' normalised spelling: "dir::", "dir:", "dir", "f.py", the glob, or
  /// "path:name#gen@k=v" (without the '-' of an ignore).
  std::string ToString() const;
  bool operator==(const Spec&) const = default;
};

/// Context for ParseSpec.
struct SpecParseOptions {
  /// Absolute, symlink-free build root; absolute spec paths must lie inside
  /// it. Empty: absolute specs are rejected.
  std::string build_root;
  /// Used to tell an extension-less file ("Dockerfile") from a directory.
  /// Null: such paths are directories.
  const fs::FileIndex* index = nullptr;
};

/// Parses one spec. Errors (kInvalidArgument, no location): empty spec,
/// malformed address syntax, a path outside the build root, an invalid glob.
absl::StatusOr<Spec> ParseSpec(absl::string_view text, const SpecParseOptions& options = {});

/// The specs of one command line, split into includes and ignores.
struct Specs {
  std::vector<Spec> includes;
  std::vector<Spec> ignores;
  bool empty() const { return includes.empty() && ignores.empty(); }
};

/// Parses each argument (first error wins; the message names the spec).
absl::StatusOr<Specs> ParseSpecs(const std::vector<std::string>& args,
                                 const SpecParseOptions& options = {});

/// The specs listed in a `--spec-files` file's contents.
std::vector<std::string> ReadSpecFile(absl::string_view contents);

/// For kDirLiteral/kDirGlob/kRecursiveGlob: does a target resident in
/// `residence_dir` (its spec_path, or the directory of the file a generated
/// file target owns) match? False for other kinds.
bool SpecMatchesResidenceDir(const Spec& spec, absl::string_view residence_dir);

/// Whether target generators themselves match a directory spec: true for
/// dir:/dir::, false for a bare dir (which only matches what they generate).
bool SpecMatchesTargetGenerators(const Spec& spec);

/// For kFileLiteral/kFileGlob: does root-relative file `path` match?
/// (A glob spec whose glob is invalid matches nothing; ParseSpec rejects it.)
bool SpecMatchesFile(const Spec& spec, absl::string_view path);

/// For kAddressLiteral: the address it names, resolved against `index` like
/// ParseAddress (a path that is a file gives a file address).
absl::StatusOr<Address> SpecToAddress(const Spec& spec, const fs::FileIndex& index);

/// For kFileLiteral/kFileGlob: the matching files of `index`, sorted.
std::vector<std::string> SpecMatchingFiles(const Spec& spec, const fs::FileIndex& index);

}  // namespace braid

#endif  // BRAID_CORE_GRAPH_SPECS_H_

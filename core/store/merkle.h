// Merkle trees of REAPI Directory messages: how an action's input root (and an
// output directory) is named by one digest.
//
// Usage:
//   absl::StatusOr<MerkleTree> t = BuildMerkleTree({{"src/app.py", d1, false},
//                                                   {"bin/run", d2, true}});
//   absl::StatusOr<Digest> root = StoreMerkleTree(*t, cas);   // input_root_digest
//   absl::StatusOr<std::vector<FileEntry>> files = ListFiles(*root, cas);
//
// Canonical form (REAPI): each Directory lists files and subdirectories sorted
// by name in code-point (byte) order, names are single non-empty path segments
// other than "." and "..", unique within the directory. So the root digest
// depends only on the set of (path, content, executable) entries, never on
// the order they were listed in. The empty tree is the empty Directory, whose
// encoding is zero bytes: digest e3b0c442...b855/0.
//
// Out of scope for now: symlinks and empty directories in input roots, and
// node properties (mtime, mode) — braid's actions depend only on content and
// the executable bit, which keeps keys stable across checkouts.
#ifndef BRAID_CORE_STORE_MERKLE_H_
#define BRAID_CORE_STORE_MERKLE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/store/cas.h"
#include "core/store/digest.h"
#include "core/store/reapi.pb.h"

namespace braid::store {

/// One file of a tree. `path` is relative, '/'-separated, without "." or ".."
/// segments, empty segments, or leading/trailing '/'.
struct FileEntry {
  std::string path;
  Digest digest;
  bool is_executable = false;

  bool operator==(const FileEntry& o) const {
    return path == o.path && digest == o.digest && is_executable == o.is_executable;
  }
};

/// A built tree: the root digest and every Directory blob by digest.
struct MerkleTree {
  Digest root;
  /// digest -> deterministic encoding of a reapi::Directory; includes the root.
  std::map<Digest, std::string> directories;
};

/// Builds the canonical tree of `files` (any order). kInvalidArgument for a bad
/// path, the same path with two different contents, or a path that is both a
/// file and a directory ("a" and "a/b"). Exact duplicates are merged.
absl::StatusOr<MerkleTree> BuildMerkleTree(std::vector<FileEntry> files);

/// BuildMerkleTree's root digest alone (same checks and errors), without keeping
/// the Directory blobs: what an action key needs.
absl::StatusOr<Digest> MerkleRoot(const std::vector<FileEntry>& files);

/// The reference implementation BuildMerkleTree is checked against (protobuf
/// messages, one tree of maps); same results. Tests only.
absl::StatusOr<MerkleTree> BuildMerkleTreeForTest(std::vector<FileEntry> files);

/// Stores every Directory blob of `tree` in `cas`; returns the root digest.
absl::StatusOr<Digest> StoreMerkleTree(const MerkleTree& tree, LocalCas& cas);

/// All files under `root`, sorted by path, reading Directory blobs from `cas`.
/// kNotFound if a Directory blob is missing or damaged; kInvalidArgument if a
/// Directory is malformed (bad names would let a sandbox escape its root).
absl::StatusOr<std::vector<FileEntry>> ListFiles(const Digest& root, LocalCas& cas);

/// Recreates the tree under `dest_dir` (a sandbox): every file of ListFiles
/// via LocalCas::MaterializeFile (hard link or copy, read-only). kNotFound
/// if a blob is missing or damaged; files already created stay (the caller
/// owns and removes the sandbox).
absl::Status MaterializeTree(const Digest& root, LocalCas& cas, const std::string& dest_dir);

/// The tree as one REAPI Tree message (for ActionResult.output_directories):
/// the root, then every other Directory once, ordered by digest.
reapi::Tree ToTreeMessage(const MerkleTree& tree);

/// All files of a Tree message, sorted by path (no CAS access needed).
absl::StatusOr<std::vector<FileEntry>> ListTreeFiles(const reapi::Tree& tree);

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_MERKLE_H_

// A sandbox: one fresh directory per process holding exactly its inputs.
//
// Layout of a sandbox directory (all names starting with "__" belong to braid):
//
//   <local_execution_root_dir>/braid-sandbox-Ab12Cd/   the process's cwd (unless ProcessSpec.cwd
//       src/app/app.py                                 says a subdirectory); inputs at their
//       src/app/app_test.py                            build-root-relative paths
//       __tmp/                                         TMPDIR, TEMP and TMP point here
//       __run.sh                                       only with --keep-sandboxes: reproduces it
//
// TMPDIR is "__tmp", not "tmp", so a repository with a top-level tmp/ directory of sources can
// still be materialized.
//
//   BRAID_ASSIGN_OR_RETURN(Sandbox sb, Sandbox::Create(root_dir, "braid-sandbox-"));
//   BRAID_RETURN_IF_ERROR(sb.Materialize(entries, &store));   // store implements FileSource
//   sb.AddTempDirEnv(spec.env);
//   ... run ...
//   BRAID_ASSIGN_OR_RETURN(CollectedOutputs outs, sb.CollectOutputs({"report.xml"}, {"dist"}));
//   if (ShouldKeepSandbox(policy, result)) { sb.WriteRunScript(spec); sb.Keep(); }
//   // ~Sandbox removes the directory unless Keep() was called.
#ifndef BRAID_CORE_EXEC_SANDBOX_H_
#define BRAID_CORE_EXEC_SANDBOX_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/exec/process.h"

namespace braid::exec {

/// A file on local disk (typically a repository file). Copied, unless CanHardlinkLocalFile says
/// a hard link is safe: a process must never be able to change a user's source file or a store
/// file through its sandbox, and a hard link shares the inode, so anyone who may chmod the
/// source (its owner, root) could make it writable through the link.
struct LocalFile {
  std::string path;  // absolute
};
/// Literal contents.
struct FileBytes {
  std::string bytes;
};
/// A file held by the content-addressed store; materialized through a FileSource.
struct StoredFile {
  std::string hash;  // hex SHA-256
  int64_t size_bytes = 0;
};
/// An (empty) directory.
struct EmptyDirectory {};

/// One path to create in the sandbox.
struct SandboxEntry {
  /// Relative, '/'-separated, no empty, "." or ".." components, and not one of the reserved
  /// top-level names (Sandbox::kTmpDirName, Sandbox::kRunScriptName).
  std::string path;
  std::variant<LocalFile, FileBytes, StoredFile, EmptyDirectory> source;
  bool executable = false;
};

/// Materializes StoredFile entries; the store implements it (hardlinking its immutable files
/// where safe). Keeps this module independent of the store.
class FileSource {
 public:
  virtual ~FileSource() = default;
  /// Creates `dest` (its parent exists, `dest` does not) with the bytes of `file`.
  virtual absl::Status MaterializeFile(const StoredFile& file, const std::string& dest,
                                       bool executable) = 0;
};

/// A declared output found after the process ran.
struct OutputFile {
  std::string path;           // sandbox-relative
  std::string absolute_path;  // to read or move into the store
  bool executable = false;
  int64_t size_bytes = 0;
};

/// Declared outputs that exist, sorted by path. Missing declared outputs are simply absent
/// (Pants semantics: the output digest holds what exists). Symlinks are not followed.
struct CollectedOutputs {
  std::vector<OutputFile> files;
  /// Every directory under a declared output directory (and the declared ones), so empty
  /// directories survive.
  std::vector<std::string> directories;
};

/// Counts of how entries were materialized (for the bench and -ldebug).
struct MaterializeStats {
  int hardlinked = 0;
  int copied = 0;
  int written = 0;
  int from_source = 0;
  int directories = 0;
};

/// A directory owned by one process execution. Movable, not copyable.
class Sandbox {
 public:
  /// The reserved names inside every sandbox.
  static constexpr absl::string_view kTmpDirName = "__tmp";
  static constexpr absl::string_view kRunScriptName = "__run.sh";

  /// Makes `<root_dir>/<name_prefix>XXXXXX` (mkdtemp, mode 0700) with `__tmp/` inside.
  /// `root_dir` is [GLOBAL] local_execution_root_dir; it is created if missing.
  static absl::StatusOr<Sandbox> Create(absl::string_view root_dir,
                                        absl::string_view name_prefix = "braid-sandbox-");

  /// Create + Materialize in one step, for preparing a process's sandbox off the critical
  /// path (a worker thread, e.g. libuv's pool, while other processes run; the loop thread then
  /// only moves the Sandbox into place). Safe to call on any thread as long as `source` is;
  /// a sandbox that could not be filled is removed before the error is returned.
  static absl::StatusOr<Sandbox> CreateMaterialized(absl::string_view root_dir,
                                                    const std::vector<SandboxEntry>& entries,
                                                    FileSource* source = nullptr,
                                                    MaterializeStats* stats = nullptr);

  Sandbox(Sandbox&& other) noexcept;
  Sandbox& operator=(Sandbox&& other) noexcept;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  /// Removes the directory unless Keep() was called (errors ignored: best effort).
  ~Sandbox();

  /// Absolute path of the sandbox directory.
  const std::string& path() const { return path_; }
  /// Absolute path of `__tmp`.
  std::string tmp_dir() const;

  /// Threads for Materialize: two, used only from 256 files on (kMaterializeGrain). On the
  /// default sandbox root, a private tmpfs, a 500-file closure of copied files takes 7.2 ms on
  /// one thread and 4.6 ms on two (sandbox_bench copy-p1 / copy-p2, 2 cores), for ~25% more
  /// CPU; the scheduler creates sandboxes on its loop thread, so the wall time is what counts.
  /// (On an ext4 `/tmp` two threads gained nothing: inode allocation serialized them.)
  static constexpr int kDefaultMaterializeParallelism = 2;
  /// Fewer files than this per thread run on fewer threads (ParallelGrain::min_items).
  static constexpr size_t kMaterializeGrain = 128;

  /// Creates every entry (parents as needed). `source` may be null when no entry is a
  /// StoredFile. Fails on an invalid or escaping path, a duplicate, a file/directory conflict
  /// (all checked before anything is created) or an I/O error (the first in path order).
  /// Directories are made once each, parents first, relative to a descriptor of the sandbox;
  /// LocalFile and FileBytes entries are then created on up to `parallelism` threads (in path
  /// order chunks, so one directory's files mostly stay on one thread); StoredFile entries go
  /// through `source` on the calling thread (FileSource need not be thread-safe).
  absl::Status Materialize(const std::vector<SandboxEntry>& entries, FileSource* source = nullptr,
                           MaterializeStats* stats = nullptr,
                           int parallelism = kDefaultMaterializeParallelism);

  /// Sets TMPDIR, TEMP and TMP in `env` to tmp_dir().
  void AddTempDirEnv(std::map<std::string, std::string>& env) const;

  /// Finds the declared outputs (sandbox-relative paths, validated like inputs).
  absl::StatusOr<CollectedOutputs> CollectOutputs(
      const std::vector<std::string>& output_files,
      const std::vector<std::string>& output_directories) const;

  /// Writes `__run.sh` (mode 0755): cd to spec.cwd (or the sandbox), then
  /// `env -i K=V ... argv...`, everything shell-quoted. It reproduces the process without the
  /// namespace isolation; a comment names the isolation that was used.
  absl::Status WriteRunScript(const ProcessSpec& spec) const;

  /// Do not remove the directory on destruction (--keep-sandboxes).
  void Keep() { keep_ = true; }
  bool kept() const { return keep_; }

  /// Removes the directory now (see RemoveTree); afterwards the Sandbox is empty.
  absl::Status Remove();

 private:
  explicit Sandbox(std::string path) : path_(std::move(path)) {}
  std::string path_;  // empty after Remove() or a move
  bool keep_ = false;
};

/// Whether a LocalFile with status `src` may be hard-linked into a sandbox on device
/// `sandbox_dev` by a process with effective uid `euid`, to be `executable`. Only when the
/// sandboxed process could not modify the shared inode even with chmod: same filesystem, no
/// write bit at all, owned by another user (only the owner may chmod), braid is not root (root
/// ignores modes; namespaces map root to itself), and the executable bit already matches.
/// Repository files are owned by the user running braid, so they are always copied.
bool CanHardlinkLocalFile(const struct stat& src, dev_t sandbox_dev, uid_t euid,
                          bool executable);

/// Checks that `path` is a clean relative path (see SandboxEntry::path); `what` names it in the
/// error ("input", "output file").
absl::Status ValidateRelativePath(absl::string_view path, absl::string_view what);

/// Recursively deletes `path` without following symlinks, first making directories writable
/// (tests create read-only trees). A missing path is OK.
absl::Status RemoveTree(const std::string& path);

/// The default [GLOBAL] local_execution_root_dir: $TMPDIR, else /tmp.
std::string DefaultLocalExecutionRootDir();

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_SANDBOX_H_

#include "core/engine/action_io.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/status_macros.h"

namespace braid::engine {
namespace {

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* ts) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) t = absl::UnixEpoch();
  int64_t nanos = absl::ToUnixNanos(t);
  int64_t secs = nanos / 1'000'000'000;
  int64_t rem = nanos % 1'000'000'000;
  if (rem < 0) {  // Timestamp.nanos must be non-negative
    rem += 1'000'000'000;
    --secs;
  }
  ts->set_seconds(secs);
  ts->set_nanos(static_cast<int32_t>(rem));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

// Stdout and stderr up to this size travel inside the action-cache entry (REAPI's
// stdout_raw / stderr_raw, covered by the entry's checksum) instead of as blobs: a test's
// few lines of output then cost no file of their own. Creating a file is the dearest part of
// recording a result (~0.4-0.8 ms per new inode on this project's ext4 VM).
constexpr size_t kInlineOutputLimit = 4096;

// The blob's digest after storing it (or only hashing it, without a store).
absl::StatusOr<store::Digest> PutBytes(absl::string_view bytes, store::Store* store) {
  if (store == nullptr) return store::DigestOf(bytes);
  return store->cas().Put(bytes);
}

// Stdout (or, with `is_stderr`, stderr) into `ar`: inline up to kInlineOutputLimit, else as
// a blob. Only the field used is set (a digest field, once touched, counts as present).
absl::Status RecordStream(const std::string& bytes, bool is_stderr, store::Store* store,
                          reapi::ActionResult& ar) {
  if (bytes.size() <= kInlineOutputLimit) {
    is_stderr ? ar.set_stderr_raw(bytes) : ar.set_stdout_raw(bytes);
    return absl::OkStatus();
  }
  BRAID_ASSIGN_OR_RETURN(store::Digest d, PutBytes(bytes, store));
  *(is_stderr ? ar.mutable_stderr_digest() : ar.mutable_stdout_digest()) = store::ToProto(d);
  return absl::OkStatus();
}

}  // namespace

std::vector<absl::StatusOr<store::Digest>> LocalInputDigests(const ActionRequest& request,
                                                             store::FileDigestCache* digests) {
  std::vector<absl::StatusOr<store::Digest>> out;
  for (const exec::SandboxEntry& entry : request.inputs) {
    if (const auto* local = std::get_if<exec::LocalFile>(&entry.source)) {
      out.push_back(digests != nullptr ? digests->DigestOf(local->path)
                                       : store::DigestOfFile(local->path));
    }
  }
  return out;
}

absl::StatusOr<store::ActionKey> KeyAction(ActionRequest& request,
                                           store::FileDigestCache* digests) {
  return KeyActionWithDigests(request, LocalInputDigests(request, digests));
}

absl::StatusOr<store::ActionKey> KeyActionWithDigests(
    ActionRequest& request, const std::vector<absl::StatusOr<store::Digest>>& local_digests) {
  if (request.spec.argv.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("action '", request.spec.description, "' has an empty argv"));
  }
  if (!request.spec.cwd.empty()) {
    BRAID_RETURN_IF_ERROR(exec::ValidateRelativePath(request.spec.cwd, "working directory"));
  }
  std::vector<store::FileEntry> files;
  files.reserve(request.inputs.size());
  std::vector<std::string> empty_dirs;
  size_t next_local = 0;
  for (const exec::SandboxEntry& entry : request.inputs) {
    BRAID_RETURN_IF_ERROR(exec::ValidateRelativePath(entry.path, "input"));
    if (const auto* local = std::get_if<exec::LocalFile>(&entry.source)) {
      if (next_local >= local_digests.size()) {
        return absl::InternalError("KeyActionWithDigests: fewer digests than local inputs");
      }
      const absl::StatusOr<store::Digest>& d = local_digests[next_local++];
      if (!d.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot read input file ", local->path, " (for ", entry.path, "): ",
            d.status().message()));
      }
      files.push_back({entry.path, *d, entry.executable});
    } else if (const auto* bytes = std::get_if<exec::FileBytes>(&entry.source)) {
      files.push_back({entry.path, store::DigestOf(bytes->bytes), entry.executable});
    } else if (const auto* stored = std::get_if<exec::StoredFile>(&entry.source)) {
      store::Digest d{stored->hash, stored->size_bytes};
      if (!d.IsValid()) {
        return absl::InvalidArgumentError(
            absl::StrCat("input ", entry.path, " names an invalid digest ", d.ToString()));
      }
      files.push_back({entry.path, d, entry.executable});
    } else {
      empty_dirs.push_back(entry.path);
    }
  }
  // Only the root digest: the Directory blobs are not needed to look the action up.
  BRAID_ASSIGN_OR_RETURN(store::Digest input_root, store::MerkleRoot(files));

  store::ActionKeyInput& key = request.key;
  key.argv = request.spec.argv;
  key.env.assign(request.spec.env.begin(), request.spec.env.end());
  key.output_paths = request.output_files;
  key.output_paths.insert(key.output_paths.end(), request.output_directories.begin(),
                          request.output_directories.end());
  key.working_directory = request.spec.cwd;
  key.input_root = std::move(input_root);
  key.timeout_seconds.reset();
  if (request.spec.timeout > absl::ZeroDuration()) {
    key.timeout_seconds = static_cast<int64_t>(
        std::ceil(absl::ToDoubleSeconds(request.spec.timeout)));
  }
  key.do_not_cache = !request.cacheable;
  key.platform.erase(std::remove_if(key.platform.begin(), key.platform.end(),
                                    [](const auto& p) {
                                      return p.first == kEmptyDirectoriesProperty ||
                                             p.first == kExecutionSlotVarProperty;
                                    }),
                     key.platform.end());
  if (!request.execution_slot_var.empty()) {
    key.platform.emplace_back(std::string(kExecutionSlotVarProperty), request.execution_slot_var);
  }
  if (!empty_dirs.empty()) {
    std::sort(empty_dirs.begin(), empty_dirs.end());
    empty_dirs.erase(std::unique(empty_dirs.begin(), empty_dirs.end()), empty_dirs.end());
    key.platform.emplace_back(std::string(kEmptyDirectoriesProperty),
                              absl::StrJoin(empty_dirs, "\n"));
  }
  return store::ComputeActionKey(key);
}

absl::Status CasFileSource::MaterializeFile(const exec::StoredFile& file, const std::string& dest,
                                            bool executable) {
  return cas_->MaterializeFile(store::Digest{file.hash, file.size_bytes}, dest, executable);
}

absl::StatusOr<ActionOutput> RecordAction(const exec::Sandbox& sandbox,
                                          const ActionRequest& request,
                                          exec::ProcessResult result, store::Store* store) {
  BRAID_ASSIGN_OR_RETURN(exec::CollectedOutputs collected,
                         sandbox.CollectOutputs(request.output_files, request.output_directories));
  ActionOutput out;
  reapi::ActionResult& ar = out.action_result;
  ar.set_exit_code(result.exit_code);

  std::set<std::string> declared_files(request.output_files.begin(), request.output_files.end());
  for (const exec::OutputFile& f : collected.files) {
    absl::StatusOr<store::Digest> d =
        store ? store->cas().PutFile(f.absolute_path) : store::DigestOfFile(f.absolute_path);
    if (!d.ok()) return d.status();
    out.output_files.push_back({f.path, *d, f.executable});
    if (declared_files.count(f.path)) {
      reapi::OutputFile* of = ar.add_output_files();
      of->set_path(f.path);
      *of->mutable_digest() = store::ToProto(*d);
      of->set_is_executable(f.executable);
    }
  }
  // Output directories: one Tree message each, over the files below it.
  std::vector<std::string> dirs = request.output_directories;
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  std::set<std::string> found_dirs(collected.directories.begin(), collected.directories.end());
  for (const std::string& dir : dirs) {
    if (!found_dirs.count(dir)) continue;  // missing declared outputs are simply absent
    std::vector<store::FileEntry> below;
    std::string prefix = dir + "/";
    for (const store::FileEntry& f : out.output_files) {
      if (absl::StartsWith(f.path, prefix)) {
        below.push_back({f.path.substr(prefix.size()), f.digest, f.is_executable});
      }
    }
    BRAID_ASSIGN_OR_RETURN(store::MerkleTree tree, store::BuildMerkleTree(std::move(below)));
    std::string tree_bytes = store::SerializeDeterministic(store::ToTreeMessage(tree));
    BRAID_ASSIGN_OR_RETURN(store::Digest tree_digest, PutBytes(tree_bytes, store));
    if (store) BRAID_RETURN_IF_ERROR(store::StoreMerkleTree(tree, store->cas()).status());
    reapi::OutputDirectory* od = ar.add_output_directories();
    od->set_path(dir);
    *od->mutable_tree_digest() = store::ToProto(tree_digest);
    *od->mutable_root_directory_digest() = store::ToProto(tree.root);
    od->set_is_topologically_sorted(false);
  }
  BRAID_RETURN_IF_ERROR(RecordStream(result.stdout_bytes, /*is_stderr=*/false, store, ar));
  BRAID_RETURN_IF_ERROR(RecordStream(result.stderr_bytes, /*is_stderr=*/true, store, ar));

  reapi::ExecutedActionMetadata* meta = ar.mutable_execution_metadata();
  meta->set_worker("local");
  absl::Time start = result.start;
  absl::Time end = start + result.wall_time;
  SetTimestamp(start, meta->mutable_worker_start_timestamp());
  SetTimestamp(end, meta->mutable_worker_completed_timestamp());
  SetTimestamp(start, meta->mutable_execution_start_timestamp());
  SetTimestamp(end, meta->mutable_execution_completed_timestamp());

  out.duration = result.wall_time;
  out.source = ResultSource::kRan;
  out.process = std::move(result);
  return out;
}

absl::Duration RecordedDuration(const reapi::ActionResult& result) {
  if (!result.has_execution_metadata()) return absl::ZeroDuration();
  const reapi::ExecutedActionMetadata& m = result.execution_metadata();
  if (m.has_execution_start_timestamp() && m.has_execution_completed_timestamp()) {
    return FromTimestamp(m.execution_completed_timestamp()) -
           FromTimestamp(m.execution_start_timestamp());
  }
  if (m.has_worker_start_timestamp() && m.has_worker_completed_timestamp()) {
    return FromTimestamp(m.worker_completed_timestamp()) -
           FromTimestamp(m.worker_start_timestamp());
  }
  return absl::ZeroDuration();
}

absl::StatusOr<ActionOutput> ReplayActionResult(const reapi::ActionResult& result,
                                                store::LocalCas& cas,
                                                store::ActionCache::VerifiedOutputs* verified) {
  ActionOutput out;
  out.source = ResultSource::kCached;
  out.action_result = result;
  out.duration = RecordedDuration(result);
  exec::ProcessResult& p = out.process;
  p.exit_code = result.exit_code();
  auto read = [&](bool has_digest, const reapi::Digest& proto, const std::string& raw,
                  const char* what, std::string* dest, std::string* already_read) -> absl::Status {
    if (!has_digest) {
      *dest = raw;
      return absl::OkStatus();
    }
    if (already_read != nullptr) {
      *dest = std::move(*already_read);
      return absl::OkStatus();
    }
    BRAID_ASSIGN_OR_RETURN(store::Digest d, store::FromProto(proto));
    std::optional<std::string> bytes = cas.Get(d);
    if (!bytes) return absl::NotFoundError(absl::StrCat("cached ", what, " blob ", d.ToString(), " vanished"));
    *dest = std::move(*bytes);
    return absl::OkStatus();
  };
  BRAID_RETURN_IF_ERROR(read(result.has_stdout_digest(), result.stdout_digest(),
                             result.stdout_raw(), "stdout", &p.stdout_bytes,
                             verified != nullptr ? &verified->stdout_bytes : nullptr));
  BRAID_RETURN_IF_ERROR(read(result.has_stderr_digest(), result.stderr_digest(),
                             result.stderr_raw(), "stderr", &p.stderr_bytes,
                             verified != nullptr ? &verified->stderr_bytes : nullptr));
  const reapi::ExecutedActionMetadata& m = result.execution_metadata();
  p.start = FromTimestamp(m.execution_start_timestamp());
  p.wall_time = out.duration;
  p.end = p.start + p.wall_time;

  for (const reapi::OutputFile& f : result.output_files()) {
    BRAID_ASSIGN_OR_RETURN(store::Digest d, store::FromProto(f.digest()));
    out.output_files.push_back({f.path(), d, f.is_executable()});
  }
  for (const reapi::OutputDirectory& dir : result.output_directories()) {
    BRAID_ASSIGN_OR_RETURN(store::Digest d, store::FromProto(dir.tree_digest()));
    std::optional<std::string> bytes = cas.Get(d);
    reapi::Tree tree;
    if (!bytes || !tree.ParseFromString(*bytes)) {
      return absl::NotFoundError(absl::StrCat("cached tree of ", dir.path(), " vanished"));
    }
    BRAID_ASSIGN_OR_RETURN(std::vector<store::FileEntry> files, store::ListTreeFiles(tree));
    for (store::FileEntry& f : files) {
      f.path = absl::StrCat(dir.path(), "/", f.path);
      out.output_files.push_back(std::move(f));
    }
  }
  std::sort(out.output_files.begin(), out.output_files.end(),
            [](const store::FileEntry& a, const store::FileEntry& b) { return a.path < b.path; });
  out.output_files.erase(std::unique(out.output_files.begin(), out.output_files.end(),
                                     [](const store::FileEntry& a, const store::FileEntry& b) {
                                       return a.path == b.path;
                                     }),
                         out.output_files.end());
  return out;
}

}  // namespace braid::engine

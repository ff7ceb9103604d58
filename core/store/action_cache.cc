#include "core/store/action_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/store/internal/file_ops.h"
#include "core/store/merkle.h"

namespace braid::store {
namespace {

constexpr absl::string_view kMagic = "braid-ac 1 ";

std::string EncodeEntry(const reapi::ActionResult& result) {
  std::string payload = SerializeDeterministic(result);
  return absl::StrCat(kMagic, Sha256Hex(payload), "\n", payload);
}

// The ActionResult of an entry, or nullopt if the entry is damaged.
std::optional<reapi::ActionResult> DecodeEntry(absl::string_view entry) {
  // magic + 64 hex + '\n'
  const size_t header = kMagic.size() + 64 + 1;
  if (entry.size() < header || !absl::StartsWith(entry, kMagic) || entry[header - 1] != '\n') {
    return std::nullopt;
  }
  absl::string_view sum = entry.substr(kMagic.size(), 64);
  absl::string_view payload = entry.substr(header);
  if (Sha256Hex(payload) != sum) return std::nullopt;
  reapi::ActionResult result;
  if (!result.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return std::nullopt;
  return result;
}

void SetReason(std::string* out, std::string reason) {
  if (out) *out = std::move(reason);
}

}  // namespace

ActionCache::ActionCache(std::string root, std::string tmp_dir, LocalCas* cas)
    : root_(std::move(root)), tmp_dir_(std::move(tmp_dir)), cas_(cas) {}

std::string ActionCache::Path(const Digest& action) const {
  if (!action.IsValid()) return "";
  return absl::StrCat(root_, "/", action.hash.substr(0, 2), "/", action.hash, "-",
                      action.size_bytes);
}

absl::Status ActionCache::Put(const Digest& action, const reapi::ActionResult& result,
                              PutOptions options) {
  std::string path = Path(action);
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid action digest '", action.ToString(), "'"));
  }
  if (result.exit_code() != 0 && !options.allow_failure) return absl::OkStatus();
  return internal::WriteFileAtomically(tmp_dir_, path, EncodeEntry(result),
                                       {0444, /*durable=*/true});
}

std::optional<reapi::ActionResult> ActionCache::Get(const Digest& action,
                                                    std::string* miss_reason,
                                                    VerifiedOutputs* outputs) {
  std::string path = Path(action);
  if (path.empty()) {
    SetReason(miss_reason, "invalid action digest");
    return std::nullopt;
  }
  struct stat st;
  absl::StatusOr<std::string> entry = internal::ReadFile(path);
  if (!entry.ok() || ::stat(path.c_str(), &st) != 0) {
    SetReason(miss_reason, "no entry");
    return std::nullopt;
  }
  std::optional<reapi::ActionResult> result = DecodeEntry(*entry);
  if (!result) {
    BRAID_LOG(kWarn) << "store: removing damaged action cache entry " << path;
    ::unlink(path.c_str());
    SetReason(miss_reason, "damaged entry (removed)");
    return std::nullopt;
  }
  std::string bad = CheckBlobs(*result, outputs);
  if (!bad.empty()) {
    SetReason(miss_reason, bad);
    return std::nullopt;
  }
  internal::TouchIfOlder(path, st, internal::kLruTouchSeconds);
  SetReason(miss_reason, "");
  return result;
}

std::string ActionCache::CheckBlobs(const reapi::ActionResult& result,
                                    VerifiedOutputs* outputs) {
  // `bytes`: read the blob (LocalCas::Get verifies it just as Verify does) and keep it.
  auto check = [&](const reapi::Digest& proto, const std::string& what,
                   std::string* bytes = nullptr) -> std::string {
    absl::StatusOr<Digest> d = FromProto(proto);
    if (!d.ok()) return absl::StrCat("malformed digest for ", what);
    bool ok = false;
    if (bytes != nullptr) {
      std::optional<std::string> read = cas_->Get(*d);
      if (read) *bytes = *std::move(read);
      ok = read.has_value();
    } else {
      ok = cas_->Verify(*d);
    }
    if (!ok) return absl::StrCat("missing or damaged blob ", d->ToString(), " (", what, ")");
    return "";
  };
  for (const reapi::OutputFile& f : result.output_files()) {
    std::string bad = check(f.digest(), "output file " + f.path());
    if (!bad.empty()) return bad;
  }
  for (const reapi::OutputDirectory& dir : result.output_directories()) {
    std::string what = "output directory " + dir.path();
    std::string bad = check(dir.tree_digest(), what);
    if (!bad.empty()) return bad;
    absl::StatusOr<Digest> tree_digest = FromProto(dir.tree_digest());
    std::optional<std::string> bytes = cas_->Get(*tree_digest);
    reapi::Tree tree;
    if (!bytes || !tree.ParseFromString(*bytes)) return absl::StrCat("malformed Tree for ", what);
    absl::StatusOr<std::vector<FileEntry>> files = ListTreeFiles(tree);
    if (!files.ok()) return absl::StrCat("malformed Tree for ", what);
    for (const FileEntry& file : *files) {
      if (!cas_->Verify(file.digest)) {
        return absl::StrCat("missing or damaged blob ", file.digest.ToString(), " (", what, "/",
                            file.path, ")");
      }
    }
  }
  if (result.has_stdout_digest()) {
    std::string bad = check(result.stdout_digest(), "stdout",
                            outputs != nullptr ? &outputs->stdout_bytes : nullptr);
    if (!bad.empty()) return bad;
  }
  if (result.has_stderr_digest()) {
    std::string bad = check(result.stderr_digest(), "stderr",
                            outputs != nullptr ? &outputs->stderr_bytes : nullptr);
    if (!bad.empty()) return bad;
  }
  return "";
}

}  // namespace braid::store

#include "rules/python/package/wheel.h"

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "rules/python/package/names.h"
#include "rules/python/package/zip_writer.h"

namespace braid::python::package {

namespace {

std::string CsvField(absl::string_view s) {
  if (s.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(s);
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

std::string RecordDigest(absl::string_view data) {
  std::string raw = absl::HexStringToBytes(Sha256Hex(data));
  return absl::StrCat("sha256=", absl::WebSafeBase64Escape(raw));
}

}  // namespace

std::string DistInfoStem(const DistributionMetadata& m) {
  return absl::StrCat(FileNameComponent(m.name), "-", m.version);
}

std::string RenderRecord(const std::vector<ArchiveEntry>& files, const std::string& record_path) {
  std::string out;
  for (const ArchiveEntry& f : files) {
    absl::StrAppend(&out, CsvField(f.path), ",", RecordDigest(f.data), ",", f.data.size(), "\n");
  }
  absl::StrAppend(&out, CsvField(record_path), ",,\n");
  return out;
}

std::string RenderTopLevel(const std::vector<ArchiveEntry>& files) {
  std::set<std::string> tops;
  for (const ArchiveEntry& f : files) {
    if (!absl::EndsWith(f.path, ".py")) continue;
    size_t slash = f.path.find('/');
    if (slash == std::string::npos) {
      tops.insert(f.path.substr(0, f.path.size() - 3));
    } else {
      tops.insert(f.path.substr(0, slash));
    }
  }
  std::string out;
  for (const std::string& t : tops) absl::StrAppend(&out, t, "\n");
  return out;
}

absl::StatusOr<BuiltFile> BuildWheel(const DistributionMetadata& m,
                                     std::vector<ArchiveEntry> files,
                                     const WheelOptions& options) {
  std::string stem = DistInfoStem(m);
  std::string dist_info = absl::StrCat(stem, ".dist-info");
  for (const ArchiveEntry& f : files) {
    size_t slash = f.path.find('/');
    if (absl::EndsWith(f.path.substr(0, slash), ".dist-info")) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", f.path, "' would be inside the wheel's .dist-info directory"));
    }
  }
  SortEntries(files);
  std::string top_level = RenderTopLevel(files);
  std::vector<ArchiveEntry> meta;
  meta.push_back({dist_info + "/METADATA", RenderCoreMetadata(m)});
  meta.push_back({dist_info + "/WHEEL",
                  absl::StrCat("Wheel-Version: 1.0\nGenerator: ", options.generator,
                               "\nRoot-Is-Purelib: ",
                               options.root_is_purelib ? "true" : "false", "\nTag: ",
                               options.tag, "\n\n")});
  std::string eps = RenderEntryPoints(m);
  if (!eps.empty()) meta.push_back({dist_info + "/entry_points.txt", eps});
  if (!top_level.empty()) meta.push_back({dist_info + "/top_level.txt", top_level});
  SortEntries(meta);
  for (ArchiveEntry& e : meta) files.push_back(std::move(e));
  std::string record_path = dist_info + "/RECORD";
  files.push_back({record_path, RenderRecord(files, record_path)});
  BRAID_ASSIGN_OR_RETURN(std::string bytes, WriteZip(files, options.time));
  return BuiltFile{absl::StrCat(stem, "-", options.tag, ".whl"), std::move(bytes)};
}

}  // namespace braid::python::package

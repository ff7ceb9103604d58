#include "rules/python/package/tar_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace braid::python::package {

namespace {

constexpr size_t kBlock = 512;
constexpr size_t kRecord = 20 * kBlock;

// Writes `value` as zero-padded octal of width-1 digits plus NUL.
void PutOctal(char* field, size_t width, uint64_t value) {
  std::string digits(width - 1, '0');
  for (size_t i = width - 1; i-- > 0 && value != 0;) {
    digits[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  std::memcpy(field, digits.data(), width - 1);
  field[width - 1] = '\0';
}

void PutString(char* field, size_t width, absl::string_view s) {
  std::memcpy(field, s.data(), std::min(width, s.size()));
}

// One 512-byte header block.
std::string Header(absl::string_view name, absl::string_view prefix, uint32_t mode, uint64_t size,
                   int64_t mtime, char type) {
  std::string h(kBlock, '\0');
  char* b = h.data();
  PutString(b + 0, 100, name);
  PutOctal(b + 100, 8, mode);
  PutOctal(b + 108, 8, 0);
  PutOctal(b + 116, 8, 0);
  PutOctal(b + 124, 12, size);
  PutOctal(b + 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime, 0)));
  std::memset(b + 148, ' ', 8);
  b[156] = type;
  std::memcpy(b + 257, "ustar\0" "00", 8);
  PutOctal(b + 329, 8, 0);
  PutOctal(b + 337, 8, 0);
  PutString(b + 345, 155, prefix);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof(chk), "%06o", sum);
  std::memcpy(b + 148, chk, 6);
  b[154] = '\0';
  b[155] = ' ';
  return h;
}

void PadToBlock(std::string& out) {
  if (out.size() % kBlock != 0) out.append(kBlock - out.size() % kBlock, '\0');
}

bool IsAscii(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return (ch & 0x80) == 0; });
}

// Splits `path` into ustar (prefix, name); false when it does not fit.
bool SplitUstar(absl::string_view path, absl::string_view* prefix, absl::string_view* name) {
  if (path.size() <= 100) {
    *prefix = {};
    *name = path;
    return true;
  }
  for (size_t p = std::min<size_t>(path.size() - 1, 155); p > 0; --p) {
    if (path[p] != '/') continue;
    if (path.size() - p - 1 > 100) return false;
    *prefix = path.substr(0, p);
    *name = path.substr(p + 1);
    return !name->empty();
  }
  return false;
}

// A pax record "LEN key=value\n", where LEN counts the whole record.
std::string PaxRecord(absl::string_view key, absl::string_view value) {
  size_t body = key.size() + value.size() + 3;  // ' ', '=', '\n'
  size_t len = body + 1;
  while (absl::StrCat(len).size() + body != len) len = absl::StrCat(len).size() + body;
  return absl::StrCat(len, " ", key, "=", value, "\n");
}

}  // namespace

absl::StatusOr<std::string> WriteTar(const std::vector<ArchiveEntry>& entries, int64_t unix_time) {
  BRAID_RETURN_IF_ERROR(ValidateEntries(entries));
  std::string out;
  for (const ArchiveEntry& e : entries) {
    if (e.data.size() >= (uint64_t{1} << 33)) {
      return absl::InvalidArgumentError(absl::StrCat("tar entry '", e.path, "' is 8 GiB or more"));
    }
    absl::string_view prefix, name;
    if (!IsAscii(e.path) || !SplitUstar(e.path, &prefix, &name)) {
      std::string pax = PaxRecord("path", e.path);
      out += Header("././@PaxHeader", "", 0644, pax.size(), unix_time, 'x');
      out += pax;
      PadToBlock(out);
      // The ustar name is only a fallback for readers without pax support.
      prefix = {};
      name = absl::string_view(e.path).substr(0, 100);
    }
    out += Header(name, prefix, e.executable ? 0755 : 0644, e.data.size(), unix_time, '0');
    out += e.data;
    PadToBlock(out);
  }
  out.append(2 * kBlock, '\0');
  if (out.size() % kRecord != 0) out.append(kRecord - out.size() % kRecord, '\0');
  return out;
}

absl::StatusOr<std::string> Gzip(absl::string_view data, int64_t unix_time) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("zlib deflateInit2 failed");
  }
  gz_header header{};
  header.time = static_cast<uLong>(std::max<int64_t>(unix_time, 0));
  header.os = 255;
  deflateSetHeader(&zs, &header);
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return absl::InternalError(absl::StrCat("zlib deflate failed: ", rc));
  out.resize(produced);
  return out;
}

absl::StatusOr<std::string> WriteTarGz(const std::vector<ArchiveEntry>& entries,
                                       int64_t unix_time) {
  BRAID_ASSIGN_OR_RETURN(std::string tar, WriteTar(entries, unix_time));
  return Gzip(tar, unix_time);
}

}  // namespace braid::python::package

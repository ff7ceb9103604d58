#include "rules/python/package/zip_writer.h"

#include <zlib.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/base/status_macros.h"

namespace braid::python::package {

namespace {

void Put16(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xffff);
  Put16(out, v >> 16);
}

// DOS date and time of `unix_time` in UTC (2-second resolution).
void DosDateTime(int64_t unix_time, uint16_t* date, uint16_t* time) {
  absl::CivilSecond c = absl::ToCivilSecond(absl::FromUnixSeconds(unix_time), absl::UTCTimeZone());
  int64_t year = std::clamp<int64_t>(c.year(), 1980, 2107);
  if (c.year() < 1980) c = absl::CivilSecond(1980, 1, 1, 0, 0, 0);
  if (c.year() > 2107) c = absl::CivilSecond(2107, 12, 31, 23, 59, 58);
  *date = static_cast<uint16_t>(((year - 1980) << 9) | (c.month() << 5) | c.day());
  *time = static_cast<uint16_t>((c.hour() << 11) | (c.minute() << 5) | (c.second() / 2));
}

bool IsAscii(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return (ch & 0x80) == 0; });
}

}  // namespace

uint32_t Crc32(absl::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed big inputs in pieces.
  size_t pos = 0;
  while (pos < data.size()) {
    size_t n = std::min<size_t>(data.size() - pos, 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + pos), static_cast<uInt>(n));
    pos += n;
  }
  return static_cast<uint32_t>(crc);
}

absl::StatusOr<std::string> RawDeflate(absl::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("zlib deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
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

absl::StatusOr<std::string> WriteZip(const std::vector<ArchiveEntry>& entries, int64_t unix_time,
                                     absl::string_view prefix) {
  BRAID_RETURN_IF_ERROR(ValidateEntries(entries));
  if (entries.size() > 0xffff) {
    return absl::InvalidArgumentError("more than 65535 zip entries (ZIP64 is not supported)");
  }
  uint16_t date = 0, time = 0;
  DosDateTime(unix_time, &date, &time);
  std::string out(prefix), central;
  for (const ArchiveEntry& e : entries) {
    if (e.data.size() >= 0xffffffffu || out.size() >= 0xffffffffu) {
      return absl::InvalidArgumentError(
          absl::StrCat("zip entry '", e.path, "' needs ZIP64 (4 GiB), which is not supported"));
    }
    BRAID_ASSIGN_OR_RETURN(std::string deflated, RawDeflate(e.data));
    bool stored = deflated.size() >= e.data.size();
    const std::string& payload = stored ? e.data : deflated;
    uint16_t method = stored ? 0 : 8;
    uint16_t flags = IsAscii(e.path) ? 0 : 0x0800;
    uint32_t crc = Crc32(e.data);
    uint32_t offset = static_cast<uint32_t>(out.size());

    Put32(out, 0x04034b50);
    Put16(out, 20);
    Put16(out, flags);
    Put16(out, method);
    Put16(out, time);
    Put16(out, date);
    Put32(out, crc);
    Put32(out, static_cast<uint32_t>(payload.size()));
    Put32(out, static_cast<uint32_t>(e.data.size()));
    Put16(out, static_cast<uint32_t>(e.path.size()));
    Put16(out, 0);
    out += e.path;
    out += payload;

    Put32(central, 0x02014b50);
    Put16(central, (3 << 8) | 20);  // made by: Unix, 2.0
    Put16(central, 20);
    Put16(central, flags);
    Put16(central, method);
    Put16(central, time);
    Put16(central, date);
    Put32(central, crc);
    Put32(central, static_cast<uint32_t>(payload.size()));
    Put32(central, static_cast<uint32_t>(e.data.size()));
    Put16(central, static_cast<uint32_t>(e.path.size()));
    Put16(central, 0);  // extra
    Put16(central, 0);  // comment
    Put16(central, 0);  // disk
    Put16(central, 0);  // internal attributes
    Put32(central, (e.executable ? 0100755u : 0100644u) << 16);
    Put32(central, offset);
    central += e.path;
  }
  if (out.size() + central.size() >= 0xffffffffu) {
    return absl::InvalidArgumentError("zip archive needs ZIP64 (4 GiB), which is not supported");
  }
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put32(out, static_cast<uint32_t>(central.size()));
  Put32(out, cd_offset);
  Put16(out, 0);
  return out;
}

}  // namespace braid::python::package

#include <zlib.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/python/package/archive.h"
#include "rules/python/package/tar_writer.h"
#include "rules/python/package/zip_writer.h"

namespace braid::python::package {
namespace {

uint32_t Le32(const std::string& s, size_t at) {
  return static_cast<uint8_t>(s[at]) | static_cast<uint8_t>(s[at + 1]) << 8 |
         static_cast<uint8_t>(s[at + 2]) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3])) << 24;
}
uint16_t Le16(const std::string& s, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(s[at]) | static_cast<uint8_t>(s[at + 1]) << 8);
}

std::string Inflate(const std::string& data, int window_bits, size_t expected) {
  z_stream zs{};
  EXPECT_EQ(inflateInit2(&zs, window_bits), Z_OK);
  std::string out(expected + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

TEST(ArchiveTime, DefaultAndSourceDateEpoch) {
  EXPECT_EQ(*ArchiveTimeFromEnv({}), kDefaultArchiveTime);
  EXPECT_EQ(*ArchiveTimeFromEnv({{"SOURCE_DATE_EPOCH", "1700000000"}}), 1700000000);
  absl::StatusOr<int64_t> bad = ArchiveTimeFromEnv({{"SOURCE_DATE_EPOCH", "yesterday"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "SOURCE_DATE_EPOCH must be a non-negative integer (seconds since 1970), got "
            "'yesterday'");
}

TEST(ArchiveEntries, RejectsBadAndDuplicatePaths) {
  EXPECT_EQ(ValidateEntries({{"a/../b", "x"}}).message(), "bad archive path 'a/../b'");
  EXPECT_EQ(ValidateEntries({{"/abs", "x"}}).message(), "bad archive path '/abs'");
  EXPECT_EQ(ValidateEntries({{"a", "1"}, {"a", "2"}}).message(), "duplicate archive path 'a'");
  EXPECT_TRUE(ValidateEntries({{"a/b.py", ""}}).ok());
}

TEST(Crc32, KnownValue) { EXPECT_EQ(Crc32("123456789"), 0xCBF43926u); }

TEST(ZipWriter, LocalHeaderCentralDirectoryAndData) {
  std::string text(1000, 'a');
  absl::StatusOr<std::string> zip =
      WriteZip({{"pkg/mod.py", text}, {"bin/run", "#!x", true}}, kDefaultArchiveTime);
  ASSERT_TRUE(zip.ok()) << zip.status();
  const std::string& z = *zip;
  // First local header.
  EXPECT_EQ(Le32(z, 0), 0x04034b50u);
  EXPECT_EQ(Le16(z, 8), 8);       // deflate (1000 'a's shrink)
  EXPECT_EQ(Le16(z, 10), 0);      // 00:00:00
  EXPECT_EQ(Le16(z, 12), 0x21);   // 1980-01-01
  EXPECT_EQ(Le32(z, 14), Crc32(text));
  uint32_t csize = Le32(z, 18);
  EXPECT_EQ(Le32(z, 22), 1000u);
  EXPECT_EQ(z.substr(30, 10), "pkg/mod.py");
  EXPECT_EQ(Inflate(z.substr(40, csize), -15, 1000), text);
  // Second entry is stored (3 bytes do not shrink) and executable.
  size_t second = 40 + csize;
  EXPECT_EQ(Le32(z, second), 0x04034b50u);
  EXPECT_EQ(Le16(z, second + 8), 0);
  EXPECT_EQ(z.substr(second + 30 + 7, 3), "#!x");
  // End of central directory.
  size_t eocd = z.size() - 22;
  EXPECT_EQ(Le32(z, eocd), 0x06054b50u);
  EXPECT_EQ(Le16(z, eocd + 10), 2);
  size_t cd = Le32(z, eocd + 16);
  EXPECT_EQ(cd, second + 30 + 7 + 3);
  EXPECT_EQ(Le32(z, cd), 0x02014b50u);
  EXPECT_EQ(Le32(z, cd + 38), 0100644u << 16);
  size_t cd2 = cd + 46 + 10;
  EXPECT_EQ(Le32(z, cd2 + 38), 0100755u << 16);
  EXPECT_EQ(Le32(z, cd2 + 42), second);
}

TEST(ZipWriter, SameInputsSameBytesAndTimeMatters) {
  std::vector<ArchiveEntry> e = {{"a.py", "print(1)\n"}};
  EXPECT_EQ(*WriteZip(e, kDefaultArchiveTime), *WriteZip(e, kDefaultArchiveTime));
  std::string later = *WriteZip(e, 1700000000);  // 2023-11-14T22:13:20Z
  EXPECT_NE(later, *WriteZip(e, kDefaultArchiveTime));
  EXPECT_EQ(Le16(later, 12), ((2023 - 1980) << 9) | (11 << 5) | 14);
  EXPECT_EQ(Le16(later, 10), (22 << 11) | (13 << 5) | 10);
  // Before 1980 clamps to 1980-01-01.
  EXPECT_EQ(*WriteZip(e, 0), *WriteZip(e, kDefaultArchiveTime));
}

TEST(TarWriter, UstarHeaderFields) {
  absl::StatusOr<std::string> tar = WriteTar({{"d/x.txt", "hello"}}, 1700000000);
  ASSERT_TRUE(tar.ok());
  const std::string& t = *tar;
  ASSERT_EQ(t.size(), 10240u);
  EXPECT_EQ(std::string(t.c_str()), "d/x.txt");
  EXPECT_EQ(t.substr(100, 8), std::string("0000644\0", 8));
  EXPECT_EQ(t.substr(124, 12), std::string("00000000005\0", 12));
  EXPECT_EQ(t.substr(136, 12), std::string("14524770400\0", 12));  // 1700000000 in octal
  EXPECT_EQ(t[156], '0');
  EXPECT_EQ(t.substr(257, 8), std::string("ustar\0" "00", 8));
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<uint8_t>(t[i]);
  EXPECT_EQ(std::stoul(t.substr(148, 6), nullptr, 8), sum);
  EXPECT_EQ(t.substr(512, 5), "hello");
}

TEST(TarWriter, LongPathsUsePrefixThenPax) {
  std::string dir(120, 'd');
  std::string split_path = dir + "/file.py";
  std::string t = *WriteTar({{split_path, ""}}, 0);
  EXPECT_EQ(std::string(t.c_str()), "file.py");
  EXPECT_EQ(std::string(t.c_str() + 345), dir);

  std::string long_name(150, 'n');
  t = *WriteTar({{long_name, "x"}}, 0);
  EXPECT_EQ(t[156], 'x');
  std::string record = "160 path=" + long_name + "\n";
  EXPECT_EQ(t.substr(512, record.size()), record);
  EXPECT_EQ(t[1024 + 156], '0');
  EXPECT_EQ(t.substr(1536, 1), "x");
}

TEST(Gzip, FixedHeaderAndRoundTrip) {
  std::string gz = *Gzip("payload", 1700000000);
  EXPECT_EQ(static_cast<uint8_t>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<uint8_t>(gz[1]), 0x8b);
  EXPECT_EQ(gz[3], 0);  // no FNAME
  EXPECT_EQ(Le32(gz, 4), 1700000000u);
  EXPECT_EQ(static_cast<uint8_t>(gz[9]), 255);
  EXPECT_EQ(Inflate(gz, 31, 7), "payload");
  EXPECT_EQ(gz, *Gzip("payload", 1700000000));
}

}  // namespace
}  // namespace braid::python::package

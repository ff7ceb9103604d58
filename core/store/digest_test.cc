#include "core/store/digest.h"

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(Digest, EmptyIsSha256OfNothing) {
  EXPECT_EQ(EmptyDigest().hash,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(EmptyDigest().size_bytes, 0);
  EXPECT_EQ(DigestOf(""), EmptyDigest());
}

TEST(Digest, OfBytesIsSha256AndLength) {
  Digest d = DigestOf("abc");
  EXPECT_EQ(d.hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(d.size_bytes, 3);
  EXPECT_EQ(d.ToString(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad/3");
  EXPECT_TRUE(d.IsValid());
}

TEST(Digest, IsValidOnlyForLowercaseHexOfLength64AndNonNegativeSize) {
  const std::string good = DigestOf("abc").hash;
  EXPECT_TRUE((Digest{good, 0}.IsValid()));
  EXPECT_FALSE((Digest{good, -1}.IsValid()));
  EXPECT_FALSE((Digest{good.substr(1), 3}.IsValid()));
  EXPECT_FALSE((Digest{good + "0", 3}.IsValid()));
  // Every byte that is not 0-9 or a-f, at the first and the last position.
  for (int c = 0; c < 256; ++c) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    for (size_t pos : {size_t{0}, size_t{63}}) {
      std::string h = good;
      h[pos] = static_cast<char>(c);
      EXPECT_EQ((Digest{h, 3}.IsValid()), hex) << c << " at " << pos;
    }
  }
}

TEST(Digest, OfFileStreamsAcrossChunks) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 200000; ++i) content.push_back(static_cast<char>(i * 7));
  WriteFile(dir / "big", content);
  absl::StatusOr<Digest> d = DigestOfFile(dir / "big");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, DigestOf(content));
  EXPECT_EQ(d->size_bytes, 200000);
}

TEST(Digest, OfMissingFileIsNotFound) {
  TempDir dir;
  absl::StatusOr<Digest> d = DigestOfFile(dir / "nope");
  EXPECT_TRUE(absl::IsNotFound(d.status())) << d.status();
}

TEST(Digest, ProtoRoundTripAndValidation) {
  Digest d = DigestOf("x");
  reapi::Digest p = ToProto(d);
  EXPECT_EQ(p.hash(), d.hash);
  EXPECT_EQ(p.size_bytes(), 1);
  absl::StatusOr<Digest> back = FromProto(p);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, d);

  reapi::Digest upper = p;
  upper.set_hash(absl::AsciiStrToUpper(p.hash()));
  EXPECT_EQ(FromProto(upper).status().message(),
            "invalid SHA-256 digest '" + upper.hash() +
                "/1': expected 64 lowercase hex digits and a non-negative size");
  reapi::Digest escape;
  escape.set_hash("../../etc/passwd");
  EXPECT_FALSE(FromProto(escape).ok());
  reapi::Digest negative = p;
  negative.set_size_bytes(-1);
  EXPECT_FALSE(FromProto(negative).ok());
}

TEST(Digest, EmptyMessageDigestIsEmptyDigest) {
  EXPECT_EQ(DigestOfMessage(reapi::Directory()), EmptyDigest());
}

TEST(Digest, MessageEncodingUsesReapiFieldNumbers) {
  reapi::Digest p;
  p.set_hash("ab");
  p.set_size_bytes(5);
  // field 1 (hash), length-delimited; field 2 (size_bytes), varint.
  EXPECT_EQ(SerializeDeterministic(p), std::string("\x0a\x02" "ab" "\x10\x05"));
}

TEST(Fingerprint, HexRoundTripAndContentEquality) {
  Fingerprint a = FingerprintOf("hello");
  EXPECT_EQ(a, FingerprintOf("hello"));
  EXPECT_NE(a, FingerprintOf("hellp"));
  EXPECT_EQ(a.Hex().size(), 32u);
  Fingerprint back;
  ASSERT_TRUE(Fingerprint::FromHex(a.Hex(), &back));
  EXPECT_EQ(back, a);
  EXPECT_FALSE(Fingerprint::FromHex("xyz", &back));
}

TEST(Fingerprint, HashFileGivesBothHashesFromOneRead) {
  TempDir dir;
  WriteFile(dir / "f", "some content");
  absl::StatusOr<FileHashes> h = HashFile(dir / "f");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->digest, DigestOf("some content"));
  EXPECT_EQ(h->fingerprint, FingerprintOf("some content"));
  absl::StatusOr<Fingerprint> fp = FingerprintOfFile(dir / "f");
  ASSERT_TRUE(fp.ok());
  EXPECT_EQ(*fp, h->fingerprint);
}

}  // namespace
}  // namespace braid::store

#include "core/base/sha256.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace braid {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.HexDigest(), Sha256Hex("abc"));
}

// Sha256Hex reuses one context per thread: each call must start from a clean state.
TEST(Sha256, RepeatedOneShotsOnSeveralThreadsAgreeWithIncremental) {
  auto reference = [](const std::string& data) {
    Sha256 h;
    for (size_t i = 0; i < data.size(); i += 7) h.Update(absl::string_view(data).substr(i, 7));
    return h.HexDigest();
  };
  std::vector<std::string> inputs = {"", "abc", std::string(1000, 'x'), "abc"};
  for (int i = 0; i < 20; ++i) inputs.push_back(std::string(static_cast<size_t>(i * 13), 'a' + i));
  auto check = [&] {
    for (int round = 0; round < 3; ++round) {
      for (const std::string& in : inputs) EXPECT_EQ(Sha256Hex(in), reference(in));
    }
  };
  std::thread other(check);
  check();
  other.join();
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace braid

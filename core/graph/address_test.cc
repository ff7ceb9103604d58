#include "core/graph/address.h"

#include <algorithm>
#include <vector>

#include "absl/hash/hash_testing.h"
#include "core/fs/file_index.h"
#include "gtest/gtest.h"

namespace braid {
namespace {

fs::FileIndex Index() {
  return fs::FileIndex::FromFiles({"BUILD", "f.py", "src/app/BUILD", "src/app/f.py",
                                   "src/app/sub/f.py", "3rdparty/BUILD", "a/b/c/d.py"});
}

TEST(Address, SpecForms) {
  EXPECT_EQ(Address("src/app").Spec(), "src/app:app");
  EXPECT_EQ(Address("src/app", "app").Spec(), "src/app:app");
  EXPECT_EQ(Address("src/app", "lib").Spec(), "src/app:lib");
  EXPECT_EQ(Address("src/app").WithRelativeFilePath("f.py").Spec(), "src/app/f.py");
  EXPECT_EQ(Address("src/app", "lib").WithRelativeFilePath("f.py").Spec(), "src/app/f.py:lib");
  EXPECT_EQ(Address("src/app", "lib").WithRelativeFilePath("sub/f.py").Spec(),
            "src/app/sub/f.py:../lib");
  EXPECT_EQ(Address("src/app").WithRelativeFilePath("sub/f.py").Spec(),
            "src/app/sub/f.py:../app");
  EXPECT_EQ(Address("3rdparty", "reqs").WithGeneratedName("requests").Spec(),
            "3rdparty:reqs#requests");
  EXPECT_EQ(Address("3rdparty").WithGeneratedName("requests").Spec(), "3rdparty#requests");
  EXPECT_EQ(Address("", "root").Spec(), "//:root");
  EXPECT_EQ(Address("", "name").WithRelativeFilePath("f.py").Spec(), "//f.py:name");
  EXPECT_EQ(Address("src/app", "tests", {{"interpreter", "py39"}}).Spec(),
            "src/app:tests@interpreter=py39");
  EXPECT_EQ(Address("src/app", "", {{"b", "2"}, {"a", "1"}}).Spec(), "src/app@a=1,b=2");
  EXPECT_EQ(Address("src/app", "", {{"a", "1"}}).WithRelativeFilePath("f.py").Spec(),
            "src/app/f.py@a=1");
  EXPECT_EQ(Address("3rdparty", "reqs", {{"resolve", "a"}}).WithGeneratedName("x").Spec(),
            "3rdparty:reqs#x@resolve=a");
}

TEST(Address, Accessors) {
  Address a = Address("src/app", "app");
  EXPECT_TRUE(a.has_default_name());
  EXPECT_EQ(a.target_name(), "app");
  EXPECT_EQ(a, Address("src/app"));
  Address f = Address("src/app", "lib").WithRelativeFilePath("sub/f.py");
  EXPECT_EQ(f.Filename(), "src/app/sub/f.py");
  EXPECT_TRUE(f.is_file_target());
  EXPECT_TRUE(f.is_generated_target());
  EXPECT_EQ(f.GeneratorAddress(), Address("src/app", "lib"));
  EXPECT_EQ(Address("x").Filename(), "");
  Address p = Address("x", "t", {{"a", "1"}});
  EXPECT_TRUE(Address("x", "t").IsParametrizedSubsetOf(p));
  EXPECT_FALSE(p.IsParametrizedSubsetOf(Address("x", "t")));
  EXPECT_EQ(Address("x", "t").WithParameters({{"a", "1"}}), p);
  EXPECT_EQ(p.ParametersRepr(), "@a=1");
}

TEST(Address, CreateValidates) {
  EXPECT_EQ(std::string(Address::Create("src", "a:b").status().message()),
            "the target name 'a:b' (defined in directory src) contains banned characters "
            "(':'); replace them with another separator such as '_' or '-'");
  EXPECT_EQ(std::string(Address::Create("src", "t", {}, "x@y").status().message()),
            "the generated name 'x@y' (defined in directory src, the part after '#') contains "
            "banned characters ('@'); replace them with another separator such as '_', '-' or "
            "'/'");
  EXPECT_EQ(std::string(Address::Create("src/BUILD", "t").status().message()),
            "the address src/BUILD:t has BUILD as the last part of its path, but BUILD is a "
            "reserved name; make sure that no directory is named BUILD");
  EXPECT_FALSE(Address::Create("src", "t", {{"a", "b c"}}).ok());
  EXPECT_TRUE(Address::Create("src", "t", {}, "a/b").ok());  // '/' allowed in generated names
}

TEST(Address, OrderMatchesPants) {
  std::vector<Address> v = {
      Address("a-b", "x"),
      Address("a/b", "x"),
      Address("a", "z"),
      Address("a"),
      Address("a", "lib").WithRelativeFilePath("f.py"),
      Address("a").WithRelativeFilePath("f.py"),
      Address("a").WithGeneratedName("g"),
      Address("a", "", {{"p", "1"}}),
      Address("", "root"),
  };
  std::sort(v.begin(), v.end());
  std::vector<std::string> specs;
  for (const Address& a : v) specs.push_back(a.Spec());
  EXPECT_EQ(specs, (std::vector<std::string>{
                       "//:root", "a:a", "a#g", "a@p=1", "a:z", "a/f.py", "a/f.py:lib",
                       "a/b:x", "a-b:x"}));
}

TEST(Address, Hashing) {
  EXPECT_TRUE(absl::VerifyTypeImplementsAbslHashCorrectly({
      Address("a"), Address("a", "b"), Address("", "r"), Address("a").WithGeneratedName("g"),
      Address("a").WithRelativeFilePath("f.py"), Address("a", "", {{"k", "v"}})}));
}

TEST(AddressParse, DirectoryForms) {
  auto index = Index();
  auto spec = [&](absl::string_view text, absl::string_view rel) {
    auto a = ParseAddress(text, rel, index);
    EXPECT_TRUE(a.ok()) << text << ": " << a.status();
    return a.ok() ? a->Spec() : "";
  };
  EXPECT_EQ(spec("src/app:lib", ""), "src/app:lib");
  EXPECT_EQ(spec("src/app", ""), "src/app:app");
  EXPECT_EQ(spec("//src/app:lib", "x"), "src/app:lib");
  EXPECT_EQ(spec(":lib", "src/app"), "src/app:lib");
  EXPECT_EQ(spec("#gen", "3rdparty"), "3rdparty#gen");
  EXPECT_EQ(spec(":reqs#requests", "3rdparty"), "3rdparty:reqs#requests");
  EXPECT_EQ(spec("3rdparty#requests", ""), "3rdparty#requests");
  EXPECT_EQ(spec("//:root", "src"), "//:root");
  EXPECT_EQ(spec("./sub:x", "src/app"), "src/app/sub:x");
  EXPECT_EQ(spec("src/app:t@b=2,a=1", ""), "src/app:t@a=1,b=2");
  EXPECT_EQ(spec(":t@k=", "src/app"), "src/app:t@k=");
}

TEST(AddressParse, FileForms) {
  auto index = Index();
  auto spec = [&](absl::string_view text, absl::string_view rel) {
    auto a = ParseAddress(text, rel, index);
    EXPECT_TRUE(a.ok()) << text << ": " << a.status();
    return a.ok() ? a->Spec() : "";
  };
  EXPECT_EQ(spec("src/app/f.py", ""), "src/app/f.py");
  EXPECT_EQ(spec("./f.py", "src/app"), "src/app/f.py");
  EXPECT_EQ(spec("src/app/f.py:lib", ""), "src/app/f.py:lib");
  EXPECT_EQ(spec("src/app/sub/f.py:../lib", ""), "src/app/sub/f.py:../lib");
  EXPECT_EQ(spec("//f.py:root", ""), "//f.py:root");
  EXPECT_EQ(spec("a/b/c/d.py:../../t", ""), "a/b/c/d.py:../../t");
  auto deep = ParseAddress("a/b/c/d.py:../../t", "", index);
  EXPECT_EQ(deep->spec_path(), "a");
  EXPECT_EQ(deep->relative_file_path(), "b/c/d.py");
  EXPECT_EQ(deep->target_name(), "t");
}

TEST(AddressParse, RoundTrip) {
  auto index = Index();
  std::vector<Address> all = {
      Address("src/app"),
      Address("src/app", "lib"),
      Address("src/app").WithRelativeFilePath("f.py"),
      Address("src/app", "lib").WithRelativeFilePath("f.py"),
      Address("src/app", "lib").WithRelativeFilePath("sub/f.py"),
      Address("3rdparty", "reqs").WithGeneratedName("requests"),
      Address("3rdparty").WithGeneratedName("requests"),
      Address("", "root"),
      Address("", "name").WithRelativeFilePath("f.py"),
      Address("src/app", "tests", {{"interpreter", "py39"}}),
      Address("src/app", "", {{"a", "1"}, {"b", "2"}}),
      Address("3rdparty", "", {{"r", "x"}}).WithGeneratedName("g"),
  };
  for (const Address& a : all) {
    auto parsed = ParseAddress(a.Spec(), "", index);
    ASSERT_TRUE(parsed.ok()) << a.Spec() << ": " << parsed.status();
    EXPECT_EQ(*parsed, a) << a.Spec() << " -> " << parsed->Spec();
  }
}

TEST(AddressParse, Errors) {
  auto index = Index();
  auto err = [&](absl::string_view text, absl::string_view rel = "") {
    auto a = ParseAddress(text, rel, index);
    EXPECT_FALSE(a.ok()) << text;
    return std::string(a.status().message());
  };
  EXPECT_EQ(err(""), "an address must not be empty");
  EXPECT_EQ(err("src/app:"),
            "the address 'src/app:' ended in a wildcard (':'), which is not supported here");
  EXPECT_EQ(err("src/app::"),
            "the address 'src/app::' ended in a wildcard ('::'), which is not supported here");
  EXPECT_EQ(err("src/app:a:b"), "failed to parse address 'src/app:a:b': unexpected ':b'");
  EXPECT_EQ(err("src/app:#x"),
            "failed to parse address 'src/app:#x': expected a non-empty target name after ':'");
  EXPECT_EQ(err("src/app#"),
            "failed to parse address 'src/app#': expected a non-empty generated target name "
            "after '#'");
  EXPECT_EQ(err("../x:y", "src"), "invalid address '../x:y': it has an un-normalized path part: '..'");
  EXPECT_EQ(err("src//app:y"), "invalid address 'src//app:y': it has an un-normalized path part: ''");
  EXPECT_EQ(err("/abs:y"), "invalid address '/abs:y': cannot use absolute paths");
  EXPECT_EQ(err("#gen"),
            "address '#gen' has no name part, but it's necessary because the path is the build "
            "root");
  EXPECT_EQ(err("f.py"),
            "addresses for generated first-party targets in the build root must include which "
            "target generator they come from, such as 'f.py:original_target'; however, 'f.py' "
            "did not have a target name");
  EXPECT_EQ(err("src/app/f.py:sub/lib"),
            "invalid address 'src/app/f.py:sub/lib': the target name part must refer to a "
            "target defined in the same directory or a parent directory of the file path "
            "'src/app/f.py', but the value 'sub/lib' is a subdirectory");
  EXPECT_EQ(err("f.py:../x"),
            "invalid address 'f.py:../x': the target name part '../x' has too many '../', so "
            "it refers to a directory above the file path 'f.py'; expected no more than 0 "
            "instances of '../', but found 1");
  EXPECT_EQ(err("nope:x"),
            "the file or directory 'nope' does not exist on disk in the workspace, so the "
            "address 'nope:x' cannot be resolved");
  EXPECT_EQ(err("src/app:a@b"),
            "failed to parse address 'src/app:a@b': expected one or more key=value pairs after "
            "'@'");
}

TEST(AddressParse, AtSignWithoutParametersIsPartOfThePath) {
  auto syntax = ParseAddressSyntax("src/@types/x:t");
  ASSERT_TRUE(syntax.ok());
  EXPECT_EQ(syntax->path, "src/@types/x");
  EXPECT_EQ(*syntax->target, "t");
  auto dir = ParseDirAddress("src/@types/x:t");
  EXPECT_EQ(dir->Spec(), "src/@types/x:t");
}

}  // namespace
}  // namespace braid

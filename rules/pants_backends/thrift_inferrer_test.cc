#include "rules/pants_backends/thrift_inferrer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rules/pants_backends/codegen_imports_test_util.h"

namespace braid::pants_backends {
namespace {

using Strings = std::vector<std::string>;

// "path@line" per include, in order. The expectations below are what Python's
// re.finditer with Pants' _IMPORT_REGEX gives for the same text.
Strings Includes(absl::string_view text) {
  return test_util::DescribeImports(ParseThriftIncludes(text));
}

TEST(ParseThriftIncludesTest, FindsEveryFormPantsRegexFinds) {
  EXPECT_EQ(Includes("namespace py acme\n"
                     "include \"a/b.thrift\"\n"
                     "include 'c.thrift'\n"
                     "include  \"d.thrift\" include \"e.thrift\"\n"
                     "include\n  \"f.thrift\"\n"),
            (Strings{"a/b.thrift@2", "c.thrift@3", "d.thrift@4", "e.thrift@4", "f.thrift@5"}));
}

TEST(ParseThriftIncludesTest, CommentsAndCppIncludeAreNotSkippedAsInPants) {
  EXPECT_EQ(Includes("// include \"old.thrift\"\n# include 'older.thrift'\n"
                     "/* include \"oldest.thrift\" */\n"),
            (Strings{"old.thrift@1", "older.thrift@2", "oldest.thrift@3"}));
  // No word boundary before `include`.
  EXPECT_EQ(Includes("cpp_include \"x.thrift\"\ncpp_include \"<map>\"\n"),
            (Strings{"x.thrift@1"}));
}

TEST(ParseThriftIncludesTest, DeduplicatedAtTheFirstLine) {
  EXPECT_EQ(Includes("include \"a.thrift\"\ninclude \"b.thrift\"\ninclude 'a.thrift'\n"),
            (Strings{"a.thrift@1", "b.thrift@2"}));
}

TEST(ParseThriftIncludesTest, WhatTheRegexRejects) {
  // No space after `include`, no `.thrift` ending, a path across lines, no quotes.
  EXPECT_EQ(Includes("include\"a.thrift\"\ninclude \"b.txt\"\ninclude \"c.thrift.bak\"\n"
                     "include \"d\n.thrift\"\ninclude a.thrift\n"),
            Strings{});
  // `.+?` stretches until `.thrift` and a quote follow; the quotes need not match.
  EXPECT_EQ(Includes("include \"a.txt\" \"b.thrift\"\ninclude \"c.thrift' x\n"
                     "include \"d.thrift\" \"e.thrift\"\n"),
            (Strings{"a.txt\" \"b.thrift@1", "c.thrift@2", "d.thrift@3"}));
}

TEST(ParseThriftIncludesTest, PythonWhitespace) {
  // NBSP, EM SPACE, \v and \x1c are `\s` for Python's str patterns (not for RE2's `\s`).
  EXPECT_EQ(Includes("include\u00a0\"nbsp.thrift\"\ninclude\u2003\"em.thrift\"\n"
                     "include\v\"vt.thrift\"\ninclude\x1c\"fs.thrift\"\n"),
            (Strings{"nbsp.thrift@1", "em.thrift@2", "vt.thrift@3", "fs.thrift@4"}));
}

using ThriftInferrerTest = test_util::ImportPathInferrerTest<kThriftLanguage, ThriftTargetTypes>;

TEST_F(ThriftInferrerTest, IncludesAreLookedUpWithoutTheSourceRoot) {
  Load({{"src/thrift/acme/BUILD", "thrift_sources()\n"},
        {"src/thrift/acme/a.thrift",
         "namespace py acme.a\n"
         "include \"acme/b.thrift\"\n"
         "include \"shared/unknown.thrift\"\n"
         "include \"src/thrift/acme/c.thrift\"\n"
         "include \"c.thrift\"\n"},
        {"src/thrift/acme/b.thrift", "# include 'acme/c.thrift'\n"},
        {"src/thrift/acme/c.thrift", "struct C {}\n"}},
       {"src/thrift"});
  // The unknown include, the path with its root and the one relative to the including
  // file's directory (c.thrift) are ignored, as in Pants.
  EXPECT_EQ(Infer("src/thrift/acme/a.thrift"),
            (Strings{"src/thrift/acme/b.thrift <- thrift include 'acme/b.thrift' "
                     "src/thrift/acme/a.thrift:2"}));
  EXPECT_EQ(Infer("src/thrift/acme/b.thrift"),
            (Strings{"src/thrift/acme/c.thrift <- thrift include 'acme/c.thrift' "
                     "src/thrift/acme/b.thrift:1"}));
  EXPECT_EQ(Infer("src/thrift/acme/c.thrift"), Strings{});
  EXPECT_EQ(Infer("src/thrift/acme:acme"), Strings{});
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(ThriftInferrerTest, AFileAtTheBuildRootKeepsItsPath) {
  Load({{"idl/BUILD", "thrift_sources()\n"},
        {"idl/a.thrift", "include 'idl/b.thrift'\n"},
        {"idl/b.thrift", ""},
        {"api/BUILD", "thrift_source(name='x', source='x.thrift')\n"},
        {"api/x.thrift", "include \"idl/a.thrift\" include \"idl/b.thrift\"\n"}});
  EXPECT_EQ(Infer("idl/a.thrift"),
            (Strings{"idl/b.thrift <- thrift include 'idl/b.thrift' idl/a.thrift:1"}));
  EXPECT_EQ(Infer("api:x"),
            (Strings{"idl/a.thrift <- thrift include 'idl/a.thrift' api/x.thrift:1",
                     "idl/b.thrift <- thrift include 'idl/b.thrift' api/x.thrift:1"}));
}

TEST_F(ThriftInferrerTest, AmbiguousIncludeWarnsUnlessDependenciesDisambiguate) {
  Load({{"a/common/BUILD", "thrift_sources()\n"},
        {"a/common/c.thrift", ""},
        {"b/common/BUILD", "thrift_sources()\n"},
        {"b/common/c.thrift", ""},
        {"user/BUILD",
         "thrift_source(name='plain', source='plain.thrift')\n"
         "thrift_source(name='listed', source='listed.thrift', "
         "dependencies=['b/common/c.thrift'])\n"
         "thrift_source(name='excluded', source='excluded.thrift', "
         "dependencies=['!a/common/c.thrift'])\n"},
        {"user/plain.thrift", "namespace py user\ninclude \"common/c.thrift\"\n"},
        {"user/listed.thrift", "include \"common/c.thrift\"\n"},
        {"user/excluded.thrift", "include \"common/c.thrift\"\n"}},
       {"/a", "/b", "/user"});
  EXPECT_EQ(Infer("user:plain"), Strings{});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0],
            "user/plain.thrift:2: the include 'common/c.thrift' in user:plain is ambiguous: 2 "
            "targets own it (a/common/c.thrift, b/common/c.thrift), so no dependency was "
            "inferred\n  hint: either add the one you want to the `dependencies` field of "
            "user:plain (e.g. \"a/common/c.thrift\"), or exclude the others with `!` (e.g. "
            "\"!b/common/c.thrift\") so that one owner is left");
  EXPECT_EQ(Infer("user:listed"), Strings{});
  EXPECT_EQ(Infer("user:excluded"),
            (Strings{"b/common/c.thrift <- thrift include 'common/c.thrift' "
                     "user/excluded.thrift:1"}));
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(ThriftInferrerTest, OffWithTheOption) {
  Load({{"t/BUILD", "thrift_sources()\n"},
        {"t/a.thrift", "include \"t/b.thrift\"\n"},
        {"t/b.thrift", ""}},
       {"/"}, /*enabled=*/false);
  EXPECT_EQ(Infer("t/a.thrift"), Strings{});
}

}  // namespace
}  // namespace braid::pants_backends
